"""Untrusted paper text -> plain text fit for an e-mail: one job, shared by both parts.

Titles, authors and abstracts come from arXiv and Hugging Face and are untrusted. Here they
lose control characters (terminal escapes, bidi overrides, NULs) and get their TeX math as
Unicode text: mail clients drop MathML, and `$\\alpha > 0$` reads worse than `α > 0`. The
HTML part escapes the result (Jinja autoescape); nothing from a paper is ever raw HTML.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from functools import lru_cache

from sitegen.build.markup import _split_math as split_math  # the site's own rule for what is math

AUTHORS_SHOWN = 6  # more authors than this: the first six and "et al."
SUMMARY_CHARS = 320  # "the first lines of the abstract": about three lines of a phone screen
AI_SUMMARY_CHARS = 600  # an AI summary is short already; the cap guards against odd data
HEADER_CHARS = 80  # a site title, topic title or display name in a header is cut to this

# Macros latex2text has no rule for but whose arguments alone read right (\left( -> "(").
_HARMLESS_MACROS = frozenset({
    "left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "middle",
    "displaystyle", "textstyle", "scriptstyle", "boldsymbol", "bm", "operatorname", "mathop",
    "arg", "argmin", "argmax", "limits", "nolimits",
})
_MACRO = re.compile(r"\\([A-Za-z]+)")
# TeX sets a space before an operator name after a symbol ("K\log N" is "K log N"); as text
# that space has to be written, or it reads "Klog N".
_OPERATOR_GAP = re.compile(r"(?<=[A-Za-z0-9}])\\(log|ln|exp|sin|cos|tan|max|min|sup|inf|lim|det|dim|Pr)(?![A-Za-z])")
# Format characters that reorder or hide text (Trojan Source); ZWJ/ZWNJ stay, scripts need them.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def strip_controls(text: str, keep_newlines: bool = False) -> str:
    """`text` without C0/C1 control characters and bidi overrides; CR/LF become spaces
    unless `keep_newlines` (then only LF survives)."""
    out = []
    for ch in text:
        if ch == "\n" and keep_newlines:
            out.append(ch)
        elif ch in "\t\r\n\v\f":
            out.append(" ")
        elif unicodedata.category(ch) == "Cc" or ch in _BIDI or "\ue000" <= ch <= "\uf8ff":
            continue  # private-use characters render as boxes and carry nothing readable
        else:
            out.append(ch)
    return "".join(out)


def one_line(text: str) -> str:
    """A single line with single spaces: what titles, authors and header parts become."""
    return " ".join(strip_controls(text).split())


def header_text(text: str) -> str:
    """Safe in a header: one line (so no CR/LF can start a header of its own), bounded."""
    line = one_line(text)
    return line if len(line) <= HEADER_CHARS else line[:HEADER_CHARS - 1].rstrip() + "…"


@lru_cache(maxsize=4096)
def tex_to_text(tex: str, display: bool = False) -> str:
    """One math span as Unicode text; the TeX source (with its dollars) when a macro has no
    known reading or the conversion fails, so nothing is silently dropped."""
    source = f"$${tex}$$" if display else f"${tex}$"
    if any(name not in _HARMLESS_MACROS and _latex_db().get_macro_spec(name) is None
           for name in _MACRO.findall(tex)):
        return source
    try:
        text = _converter().latex_to_text(_OPERATOR_GAP.sub(r" \\\1", tex))
    except Exception:  # pylatexenc raises several types on malformed TeX; none is fatal here
        return source
    text = " ".join(text.split())
    return text or source


def math_text(text: str) -> str:
    """Prose with every math span (as the site finds them) turned into Unicode text."""
    return "".join(tex_to_text(t, display) if is_math else t for is_math, t, display in split_math(text))


def title_text(title: str) -> str:
    return one_line(math_text(one_line(title)))


def authors_text(authors: tuple[str, ...] | list[str]) -> str:
    names = [n for n in (one_line(a) for a in authors) if n]
    if len(names) > AUTHORS_SHOWN:
        return ", ".join(names[:AUTHORS_SHOWN]) + " et al."
    return ", ".join(names)


def excerpt(text: str, limit: int = SUMMARY_CHARS) -> str:
    """The start of an abstract: whole sentences when they fit, else cut at a word, with "…"."""
    flat = one_line(math_text(strip_controls(text, keep_newlines=True)))
    if len(flat) <= limit:
        return flat
    head = flat[:limit]
    end = max(head.rfind(". "), head.rfind("? "), head.rfind("! "))
    if end >= limit // 2:
        return head[:end + 1]  # a full stop reads better than an ellipsis mid-sentence
    cut = head.rsplit(" ", 1)[0] if " " in head else head
    return cut.rstrip(",;:–- ") + "…"


def wrap(text: str, indent: str = "", first: str | None = None, width: int = 76) -> str:
    """A paragraph of the text/plain part, wrapped like a hand-written e-mail; `first`
    (such as "3. ") starts the first line instead of the indent."""
    lead = indent if first is None else first.ljust(len(indent))
    return textwrap.fill(text, width=width, initial_indent=lead, subsequent_indent=indent,
                         break_long_words=False, break_on_hyphens=False)


@lru_cache(maxsize=1)
def _converter():
    # Imported on first use: only `sitegen digest` needs pylatexenc. "based-on-source" keeps
    # the spaces the author typed ("O(n \log n)" stays "O(n log n)", not "O(n logn)").
    from pylatexenc.latex2text import LatexNodes2Text

    return LatexNodes2Text(math_mode="text", strict_latex_spaces="based-on-source")


@lru_cache(maxsize=1)
def _latex_db():
    from pylatexenc.latex2text import get_default_latex_context_db

    return get_default_latex_context_db()
