"""Where the math is in a paragraph: one left-to-right pass, linear in its length, no regex
that can backtrack.

The rules are TeX's, read the way arXiv authors write abstracts (which are not TeX files):

- `$...$` inline and `$$...$$` display, `\\(...\\)` inline and `\\[...\\]` display.
- A backslash and the character after it are one unit: `\\$` is a dollar sign, never a
  delimiter, and `\\\\$` is a line break followed by one.
- pandoc's rule for single dollars, so prices stay text: the opening `$` has a non-space
  character right after it and the closing one a non-space character right before it
  ("costs $5 and $10" is text). pandoc also refuses a closing `$` followed by a digit
  ("$5/$10"); here only when the span itself starts with a digit (a price), because authors
  write a lone relation in dollars before a number: `$<$2%`, `$\\sim$30%`, `$\\times$4`.
- A blank line ends a paragraph and TeX allows none inside math: callers scan paragraph by
  paragraph, so no span crosses one.
- `%` is an ordinary character: an abstract is text, not a TeX file, and arXiv shows the
  rest of the line.

A delimiter without its partner is text. Each closing delimiter is looked for at most once
past any position (a failed search is remembered), which keeps `\\[ ` * 100k linear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Math:
    """One math span: its TeX, whether it is displayed, and the source with its delimiters
    (what is shown when the TeX cannot be read)."""

    tex: str
    display: bool
    source: str


Piece = str | Math

# Only these characters can start a delimiter: the scanner jumps from one to the next.
_DELIMITER_START = re.compile(r"[$\\]")
# A paragraph break: a newline, blank characters, a newline (one pass; the blank run is
# scanned once whether it matches or not).
PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")


def paragraphs(text: str) -> list[str]:
    """The text's paragraphs, each stripped, empty ones left out."""
    return [p for p in (part.strip() for part in PARAGRAPH_BREAK.split(text)) if p]


class _Closer:
    """Finds the next occurrence of one closing delimiter, remembering the last answer: the
    scan moves forward only, so an occurrence found stays valid until passed, and a search
    that found none never has to be made again."""

    __slots__ = ("text", "needle", "found")

    def __init__(self, text: str, needle: str):
        self.text, self.needle, self.found = text, needle, -2  # -2: not searched yet

    def at_or_after(self, start: int) -> int:
        if self.found == -1 or self.found >= start:
            return self.found
        self.found = self.text.find(self.needle, start)
        return self.found


def split_math(text: str) -> list[Piece]:
    """The paragraph as text pieces and Math spans, in order; joined back (text pieces and
    each span's source) they are the input."""
    if "$" not in text and "\\" not in text:
        return [text] if text else []
    pieces: list[Piece] = []
    closers: dict[str, _Closer] = {}
    start = pos = 0  # start: where the pending text piece began
    search = _DELIMITER_START.search
    while True:
        m = search(text, pos)
        if m is None:
            break
        i = m.start()
        if text[i] == "$" and text[i + 1:i + 2] != "$":  # the common case, inline
            j = _inline_close(text, i)
            if j < 0:
                pos = i + 1
                continue
            span, end = Math(text[i + 1:j], False, text[i:j + 1]), j + 1
        else:
            found, end = _span_at(text, i, closers)
            if found is None:
                pos = end
                continue
            span = found
        if i > start:
            pieces.append(text[start:i])
        pieces.append(span)
        start = pos = end
    if start < len(text):
        pieces.append(text[start:])
    return pieces


def _span_at(text: str, i: int, closers: dict[str, _Closer]) -> tuple[Math | None, int]:
    """(the span starting with `\\` or `$$` at text[i], where it ends) or (None, where
    scanning goes on)."""
    nxt = text[i + 1:i + 2]
    if text[i] == "\\":
        if nxt == "(" or nxt == "[":
            closing = "\\)" if nxt == "(" else "\\]"
            j = _closer(text, closing, closers).at_or_after(i + 2)
            if j > i + 2 and text[i + 2:j].strip():
                return Math(text[i + 2:j], nxt == "[", text[i:j + 2]), j + 2
        return None, i + 2  # an escaped character (`\$`, `\\`), a command, or an unclosed opener
    j = _closer(text, "$$", closers).at_or_after(i + 2)
    if j > i + 2 and text[i + 2:j].strip():
        return Math(text[i + 2:j], True, text[i:j + 2]), j + 2
    return None, i + 2


def _closer(text: str, needle: str, closers: dict[str, _Closer]) -> _Closer:
    found = closers.get(needle)
    if found is None:
        found = closers[needle] = _Closer(text, needle)
    return found


def _inline_close(text: str, i: int) -> int:
    """Where the single-dollar span opened at text[i] closes, or -1 when `$` there opens none."""
    if i + 1 >= len(text) or text[i + 1].isspace():
        return -1
    j = i + 1
    while True:
        j = text.find("$", j)
        if j < 0:
            return -1
        if text[j - 1] == "\\" and _escaped(text, j, i + 1):
            j += 1  # `\$` inside math is a dollar sign; the span goes on
            continue
        break
    if text[j - 1].isspace():
        return -1
    after = text[j + 1:j + 2]
    if after.isdigit() and after.isascii() and text[i + 1].isdigit():
        return -1  # "$5/$10": prices, not math
    return j


def _escaped(text: str, j: int, lowest: int) -> bool:
    """True when text[j] follows an odd number of backslashes (counted no further back than
    `lowest`): `\\$` is escaped, `\\\\$` is not."""
    k = j - 1
    while k >= lowest and text[k] == "\\":
        k -= 1
    return (j - 1 - k) % 2 == 1
