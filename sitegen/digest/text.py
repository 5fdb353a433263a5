"""Untrusted paper text -> what an e-mail shows: plain text for both parts, and the HTML
part's own form of titles and abstracts.

Titles, authors and abstracts come from arXiv and Hugging Face and are untrusted. Here they
lose control characters (terminal escapes, bidi overrides, NULs) and have their TeX read by
the site's one text pipeline (sitegen.text): math as Unicode text, because mail clients drop
MathML and `$\\alpha > 0$` reads worse than `α > 0`; `--`, `~`, accents and `\\emph` as on
the site. The plain forms are escaped by the HTML part (Jinja autoescape); the `*_html`
forms are HTML already (Markup), made only of escaped text and <i>, <sub>, <sup>, <em>,
<strong>, <code>: nothing from a paper is ever raw HTML.
"""

from __future__ import annotations

import textwrap
import unicodedata

from markupsafe import Markup

from sitegen.text.document import read
from sitegen.text.scanner import Math
from sitegen.text.tex_math import span_plain
from sitegen.text.tex_text import Node, Styled
from sitegen.text.to_mail import nodes_mail
from sitegen.text.to_plain import nodes_plain

AUTHORS_SHOWN = 6  # more authors than this: the first six and "et al."
SUMMARY_CHARS = 320  # "the first lines of the abstract": about three lines of a phone screen
AI_SUMMARY_CHARS = 600  # an AI summary is short already; the cap guards against odd data
HEADER_CHARS = 80  # a site title, topic title or display name in a header is cut to this

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


def tex_to_text(tex: str, display: bool = False) -> str:
    """One math span as Unicode text; the TeX source (with its dollars) when it cannot be
    read, so nothing is silently dropped."""
    delim = "$$" if display else "$"
    return span_plain(Math(tex, display, delim + tex + delim))


def math_text(text: str) -> str:
    """Prose with its TeX read (math as Unicode text), paragraphs joined by a space."""
    return " ".join(nodes_plain(p) for p in read(strip_controls(text, keep_newlines=True)))


def title_text(title: str) -> str:
    return one_line(math_text(one_line(title)))


def title_html(title: str) -> Markup:
    """The title as e-mail HTML: math with <i>, <sub>, <sup> instead of MathML."""
    return Markup(" ".join(nodes_mail(p) for p in read(one_line(title))))


def authors_text(authors: tuple[str, ...] | list[str]) -> str:
    names = [n for n in (one_line(a) for a in authors) if n]
    if len(names) > AUTHORS_SHOWN:
        return ", ".join(names[:AUTHORS_SHOWN]) + " et al."
    return ", ".join(names)


def excerpt(text: str, limit: int = SUMMARY_CHARS) -> str:
    """The start of an abstract: whole sentences when they fit, else cut at a word, with "…"."""
    flat = nodes_plain(_nodes(text))
    end = _excerpt_end(flat, limit)
    if end == len(flat):
        return flat
    head = flat[:end]
    return head if head.endswith((".", "?", "!")) else head.rstrip(",;:–- ") + "…"


def excerpt_html(text: str, limit: int = SUMMARY_CHARS) -> Markup:
    """excerpt() as e-mail HTML: the same words, cut at the same place, with its math in
    <i>, <sub>, <sup>; a formula is never cut in half (it ends the excerpt whole or not at all)."""
    nodes = _nodes(text)
    flat = nodes_plain(nodes)
    end = _excerpt_end(flat, limit)
    out = nodes_mail(_cut_nodes(nodes, end))
    if end < len(flat) and not flat[:end].endswith((".", "?", "!")):
        out = out.rstrip(",;:–- ") + "…"
    return Markup(out)


def _nodes(text: str) -> list[Node]:
    """An abstract's paragraphs as one run of nodes, a space between paragraphs."""
    nodes: list[Node] = []
    for paragraph in read(strip_controls(text, keep_newlines=True)):
        nodes.extend([" ", *paragraph] if nodes else paragraph)
    return nodes


def _excerpt_end(flat: str, limit: int) -> int:
    """How many characters of `flat` the excerpt keeps."""
    if len(flat) <= limit:
        return len(flat)
    head = flat[:limit]
    end = max(head.rfind(". "), head.rfind("? "), head.rfind("! "))
    if end >= limit // 2:
        return end + 1  # a full stop reads better than an ellipsis mid-sentence
    return head.rfind(" ") if " " in head else limit


def _cut_nodes(nodes: list[Node], budget: int) -> list[Node]:
    """The leading nodes whose plain text is at most `budget` characters (text cut where it
    runs out, a styled group inside; a formula whole or not at all)."""
    kept: list[Node] = []
    for node in nodes:
        size = len(nodes_plain([node]))
        if size <= budget:
            kept.append(node)
            budget -= size
            continue
        if isinstance(node, str):
            kept.append(node[:budget])
        elif isinstance(node, Styled):
            kept.append(Styled(node.style, tuple(_cut_nodes(list(node.children), budget))))
        break
    return kept


def wrap(text: str, indent: str = "", first: str | None = None, width: int = 76) -> str:
    """A paragraph of the text/plain part, wrapped like a hand-written e-mail; `first`
    (such as "3. ") starts the first line instead of the indent."""
    lead = indent if first is None else first.ljust(len(indent))
    return textwrap.fill(text, width=width, initial_indent=lead, subsequent_indent=indent,
                         break_long_words=False, break_on_hyphens=False)
