"""Text-mode TeX in titles and abstracts -> a small tree every output renders the same way.

What authors write outside math and what it means: `--` and `---` (dashes), `~` (a space
that does not break), `\\ ` and `\\,` (spaces), ``quotes'', `\\%` `\\&` `\\$` `\\#` `\\_`
(the character), accents (`\\'e`, `\\"{o}`, `{\\"u}`, `\\c{c}`), letters (`\\ss`, `\\o`),
`\\emph{}` `\\textbf{}` `\\textit{}` `\\texttt{}` and friends, `{\\em ...}` `{\\bf ...}`.
Anything else stays exactly as written: an unknown command, a brace that closes nothing, a
`\\emph{` that is never closed (TeX itself would stop there; a reader should see the words).

One pass over the pieces (scanner.split_math), linear in their length: styled groups are
a stack of start indices into one flat list, never re-copied, and nest at most MAX_DEPTH
deep (deeper ones are shown as written), so rendering needs no deep recursion.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sitegen.text.scanner import Math, Piece

MAX_DEPTH = 8


@dataclass(frozen=True, slots=True)
class Styled:
    """Text in a style: "em", "strong", "code", or "" (a style shown as plain text)."""

    style: str
    children: tuple[Node, ...]


Node = str | Math | Styled

# \command{...}: the style each one shows its argument in.
_ARG_STYLES = {
    "emph": "em", "textit": "em", "textsl": "em", "textbf": "strong", "texttt": "code", "textsc": "",
    "textrm": "", "textsf": "", "textup": "", "textnormal": "", "textmd": "", "underline": "", "mbox": "",
    "text": "",
}
# {\em ...}: a switch at the start of a group styles the rest of the group.
_SWITCH_STYLES = {
    "em": "em", "it": "em", "itshape": "em", "sl": "em", "bf": "strong", "bfseries": "strong", "tt": "code",
    "ttfamily": "code", "sc": "", "scshape": "", "rm": "", "rmfamily": "", "sf": "", "sffamily": "", "upshape": "",
    "normalfont": "",
}
# Accents: TeX's accent command -> the Unicode combining mark (composed with its letter).
_ACCENTS = {
    "'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304", ".": "\u0307",
    "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "k": "\u0328", "r": "\u030a", "b": "\u0331",
    "d": "\u0323",
}
_LETTERS = {
    "ss": "ß", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "aa": "å", "AA": "Å", "l": "ł",
    "L": "Ł", "i": "ı", "j": "ȷ", "ldots": "…", "dots": "…", "textellipsis": "…", "textendash": "–",
    "textemdash": "—", "textasciitilde": "~", "textbackslash": "\\", "textasciicircum": "^", "textbar": "|",
    "textless": "<", "textgreater": ">", "textquotedblleft": "“", "textquotedblright": "”",
    "textquoteleft": "‘", "textquoteright": "’", "textdegree": "°", "textregistered": "®",
    "texttrademark": "™", "copyright": "©", "S": "§", "P": "¶", "dag": "†", "ddag": "‡", "textbullet": "•",
    "LaTeX": "LaTeX", "TeX": "TeX", "LaTeXe": "LaTeX2e", "textunderscore": "_", "slash": "/",
}
# Control symbols: a backslash and one non-letter.
_SYMBOLS = {
    " ": " ", "\n": " ", "\t": " ", "%": "%", "&": "&", "$": "$", "#": "#", "_": "_", "{": "{", "}": "}",
    ",": "\u202f", ";": " ", ":": " ", "!": "", "-": "", "/": "", "@": "", "\\": " ",
}
_WORD = re.compile(r"[A-Za-z]+")
# What can start text-mode TeX; everything between two of these is copied as it is.
# (`--` and `''` are looked for apart: an apostrophe or hyphen alone is common in prose.)
_SPECIAL = re.compile(r"[\\{}~`]")
_OPENERS = "([{\"'“‘"


class _Marker:
    """Where a styled group starts in the flat list, until it closes."""

    __slots__ = ("style", "source")

    def __init__(self, style: str, source: str):
        self.style, self.source = style, source


@dataclass(slots=True)
class _Group:
    start: int  # index of its _Marker in the flat list, or -1 for a group shown as written
    bare: bool  # "{...}" without a command: its braces are text


class _Parser:
    def __init__(self) -> None:
        self.flat: list[Node | _Marker] = []
        self.stack: list[_Group] = []
        self.depth = 0  # styled groups open

    def add_text(self, text: str) -> None:
        pos, n = 0, len(text)
        # Single special characters by a character class (the regex engine scans for those
        # fast); the two-character ones, `--` and `''`, by str.find, each found once per pass.
        dash, quote = text.find("--"), text.find("''")
        while pos < n:
            m = _SPECIAL.search(text, pos)
            i = m.start() if m is not None else n
            if 0 <= dash < pos:
                dash = text.find("--", pos)
            if 0 <= quote < pos:
                quote = text.find("''", pos)
            i = min(i, *(j for j in (dash, quote) if j >= 0)) if dash >= 0 or quote >= 0 else i
            if i >= n:
                self.flat.append(text[pos:])
                return
            if i > pos:
                self.flat.append(text[pos:i])
            pos = self._special(text, i)

    def _special(self, text: str, i: int) -> int:
        """Handle the special character at text[i]; return where plain text resumes."""
        c = text[i]
        if c == "\\":
            return self._command(text, i)
        if c == "{":
            return self._open_brace(text, i)
        if c == "}":
            self._close()
            return i + 1
        if c == "~":
            self.flat.append("\u00a0" if self._tie(text, i) else "~")
            return i + 1
        if c == "-":
            return self._dashes(text, i)
        pair = text[i:i + 2]
        if pair == "``":
            self.flat.append("“")
            return i + 2
        if pair == "''":
            self.flat.append("”")
            return i + 2
        self.flat.append(c)
        return i + 1

    def _tie(self, text: str, i: int) -> bool:
        """`~` between two words (`Fig.~3`, `(i)~relying`) is a no-break space; `~47k` or
        `by ~50` or a URL's `/~user` means what it says."""
        before = text[i - 1] if i else self._last_char()
        after = text[i + 1:i + 2]
        return bool(before and after) and (before.isalnum() or before in ".,;:)]}\ufffc") and (
            after.isalnum() or after in "([\\$")

    def _last_char(self) -> str:
        """The character before the current text piece: U+FFFC for math, "" at the start."""
        for item in reversed(self.flat):
            if isinstance(item, Math | Styled):
                return "\ufffc"
            if isinstance(item, str) and item:
                return item[-1]
            if isinstance(item, _Marker):
                return ""
        return ""

    def _dashes(self, text: str, i: int) -> int:
        j = i
        while j < len(text) and text[j] == "-":
            j += 1
        run = j - i
        before = text[i - 1] if i else self._last_char()
        flag = (not before or before.isspace() or before in _OPENERS) and text[j:j + 1].isalpha()
        if run in (2, 3) and not flag:  # `--max-tokens` is a command-line flag, not a dash
            self.flat.append("–" if run == 2 else "—")
        else:
            self.flat.append(text[i:j])
        return j

    def _command(self, text: str, i: int) -> int:
        m = _WORD.match(text, i + 1)
        if m is None:
            return self._control_symbol(text, i)
        name, end = m[0], m.end()
        if name in _ARG_STYLES:
            brace = _skip_spaces(text, end)
            if text[brace:brace + 1] == "{":
                self._push(_ARG_STYLES[name], text[i:brace + 1])
                return brace + 1
        elif name in _SWITCH_STYLES and self._switch(name, text[i:end]):
            return _skip_spaces(text, end)  # TeX drops the spaces after `{\em`
        elif name in _LETTERS:
            self.flat.append(_LETTERS[name])
            return end + 2 if text[end:end + 2] == "{}" else end
        elif name in _ACCENTS:
            accented = _accent(text, end, name)
            if accented is not None:
                self.flat.append(accented[0])
                return accented[1]
        self.flat.append(text[i:end])  # unknown: as written
        return end

    def _control_symbol(self, text: str, i: int) -> int:
        c = text[i + 1:i + 2]
        if c in _ACCENTS:
            accented = _accent(text, i + 2, c)
            if accented is not None:
                self.flat.append(accented[0])
                return accented[1]
        if c and c in _SYMBOLS:
            self.flat.append(_SYMBOLS[c])
            return i + 2
        self.flat.append(text[i:i + 2])  # `\` at the end, or before a character TeX gives no meaning
        return i + 2

    def _open_brace(self, text: str, i: int) -> int:
        # `{\"u}` and `{\'e}`: an accent in its own group, the usual BibTeX-style spelling.
        if text[i + 1:i + 2] == "\\":
            accented = _braced_accent(text, i)
            if accented is not None:
                self.flat.append(accented[0])
                return accented[1]
        self.flat.append("{")
        self.stack.append(_Group(len(self.flat) - 1, True))
        return i + 1

    def _switch(self, name: str, source: str) -> bool:
        """`{\\em` right after a bare brace turns that group into a styled one."""
        if not self.stack:
            return False
        group = self.stack[-1]
        if not group.bare or group.start != len(self.flat) - 1 or self.depth >= MAX_DEPTH:
            return False
        self.flat[group.start] = _Marker(_SWITCH_STYLES[name], "{" + source)
        group.bare = False
        self.depth += 1
        return True

    def _push(self, style: str, source: str) -> None:
        if self.depth >= MAX_DEPTH:
            self.flat.append(source)
            self.stack.append(_Group(-1, False))
            return
        self.flat.append(_Marker(style, source))
        self.stack.append(_Group(len(self.flat) - 1, False))
        self.depth += 1

    def _close(self) -> None:
        if not self.stack:
            self.flat.append("}")  # closes nothing: a character like any other
            return
        group = self.stack.pop()
        if group.bare or group.start < 0:
            self.flat.append("}")
            return
        marker = self.flat[group.start]
        assert isinstance(marker, _Marker)
        children = tuple(_merge([c for c in self.flat[group.start + 1:] if not isinstance(c, _Marker)]))
        del self.flat[group.start:]
        self.flat.append(Styled(marker.style, children))
        self.depth -= 1

    def result(self) -> list[Node]:
        """The nodes; a styled group never closed is shown as it was written."""
        return _merge([item.source if isinstance(item, _Marker) else item for item in self.flat])


def _merge(nodes: list[Node]) -> list[Node]:
    """Adjacent strings joined (fewer, longer pieces to render), each run joined once."""
    if len(nodes) == 1:
        return nodes if not isinstance(nodes[0], str) or nodes[0] else []
    out: list[Node] = []
    run: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            run.append(node)
            continue
        if run:
            out.append("".join(run))
            run = []
        out.append(node)
    if run:
        out.append("".join(run))
    return [n for n in out if not isinstance(n, str) or n]


def _skip_spaces(text: str, i: int) -> int:
    while i < len(text) and text[i] == " ":
        i += 1
    return i


def _accent(text: str, i: int, accent: str) -> tuple[str, int] | None:
    """The accented letter after an accent command ending at text[i] (`\\'e`, `\\'{e}`,
    `\\c c`, `\\'{\\i}`) and where it ends; None when no letter follows."""
    mark = _ACCENTS[accent]
    if text[i:i + 1] == "{":
        close = text.find("}", i + 1, i + 5)
        if close < 0:
            return None
        inner = text[i + 1:close]
        letter = {"\\i": "i", "\\j": "j"}.get(inner, inner)
        if len(letter) != 1 or not letter.isalpha():
            return None
        return unicodedata.normalize("NFC", letter + mark), close + 1
    if accent.isalpha():  # `\c c`: a letter-named accent takes its letter after a space
        if text[i:i + 1] != " ":
            return None
        i += 1
    letter = text[i:i + 1]
    if not letter.isalpha():
        return None
    return unicodedata.normalize("NFC", letter + mark), i + 1


def _braced_accent(text: str, i: int) -> tuple[str, int] | None:
    """`{\\"u}` or `{\\ss}` at text[i]: (ü, end), or None when the group holds anything else."""
    m = _WORD.match(text, i + 2)
    if m is not None and m[0] in _LETTERS and text[m.end():m.end() + 1] == "}":
        return _LETTERS[m[0]], m.end() + 1  # `{\ss}`
    if m is not None:
        if m[0] not in _ACCENTS:
            return None
        accent, end = m[0], m.end()
    else:
        accent, end = text[i + 2:i + 3], i + 3
        if accent not in _ACCENTS:
            return None
    found = _accent(text, end, accent)
    if found is None or text[found[1]:found[1] + 1] != "}":
        return None
    return found[0], found[1] + 1


def parse(pieces: list[Piece]) -> list[Node]:
    """The pieces of one paragraph (text and math, from scanner.split_math) as nodes."""
    parser = _Parser()
    for piece in pieces:
        if isinstance(piece, Math):
            parser.flat.append(piece)
        else:
            parser.add_text(piece)
    return parser.result()
