"""Untrusted paper text -> safe HTML: TeX as MathML, abstracts as paragraphs, all sanitised.

Fetched titles and abstracts are untrusted. Text is escaped; the only markup that reaches a
page is what we generate (MathML from latex2mathml, Markdown from python-markdown for
hand-written bodies), and that passes through nh3's allow-list before it is used.
"""

from __future__ import annotations

import re
from functools import lru_cache

from sitegen.text.document import MAX_READ, read, read_line
from sitegen.text.sanitize import sanitize
from sitegen.text.scanner import PARAGRAPH_BREAK, Math, split_math
from sitegen.text.tex_math import math_html, span_html, span_mail
from sitegen.text.to_html import nodes_html
from sitegen.text.to_mail import nodes_mail
from sitegen.text.to_plain import nodes_plain

__all__ = ["abstract_html", "abstract_parts", "clean_text", "feed_line", "inline_html", "math_html", "plain_lines",
           "plain_line", "plain_text", "sanitize"]

# Characters XML 1.0 forbids (a title holding one would make every feed unparsable), and the
# bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): left unbalanced in
# a title they reverse the text after it in <title>, cards and feed readers. Snapshots fetched
# before sources/text.py dropped them may still hold them, so the build drops them too.
# HTML forbids more than XML: DEL and the C1 controls (U+007F-U+009F) and the noncharacters
# (U+FDD0-U+FDEF and the last two code points of every plane), which the HTML checker
# rejects as "forbidden code points"; they go too.
# One negated class (the allowed ranges with the bidi controls cut out): an alternation of
# two classes made this the costliest regex of a cold build.
_ASTRAL = "".join(f"{chr(plane << 16)}-{chr((plane << 16) + 0xFFFD)}" for plane in range(1, 17))
_XML_INVALID = re.compile("[^\t\n\r\x20-\x7e\xa0-\u2029\u202f-\u2065\u206a-\ud7ff\ue000-\ufdcf\ufdf0-\ufffd"
                          + _ASTRAL + "]")
# Markdown only for text that clearly uses it (links, code, headings, lists, bold): arXiv
# abstracts are plain text where `_` and `*` are literal, and the plain path is far faster.
# Backticks alone are no hint: arXiv writes TeX quotes, ``like this''.
# As three patterns, each starting with characters the regex engine can jump to (one
# pattern with `^` alternatives was tried at every position, several times slower):
# links and bold anywhere, and headings and list items at the start or after a newline.
# A link's text holds no bracket: `[^\]\n]+` alone let each `[` of "\[ \[ \[ ..." scan to
# the end of the text (quadratic: a 100 KB abstract of `\[ ` took minutes).
_MARKDOWN_INLINE = re.compile(r"\[[^\[\]\n]+\]\([^)\s]+\)|\*\*")
_MARKDOWN_LINE = re.compile(r"#{1,6} |[-*+] |\d+\. ")
_MARKDOWN_LATER_LINE = re.compile(r"\n(?:#{1,6} |[-*+] |\d+\. )")


def _uses_markdown(text: str) -> bool:
    """True when the text has one of the Markdown hints above."""
    return bool(_MARKDOWN_INLINE.search(text) or _MARKDOWN_LINE.match(text) or _MARKDOWN_LATER_LINE.search(text))


def _prose(text: str) -> str:
    """The text without its math spans: what the Markdown hints are looked for in."""
    return "".join(p for block in PARAGRAPH_BREAK.split(text) for p in split_math(block) if isinstance(p, str))


def _is_markdown(text: str) -> bool:
    """Markdown hints outside math, in a text short enough to read (document.MAX_READ):
    python-markdown is not linear in every input."""
    return len(text) <= MAX_READ and _uses_markdown(text) and _uses_markdown(_prose(text))  # cheap test first


# Math placeholders for the Markdown path: private-use characters, removed from the input
# first, so no fetched text can forge one.
_PH_OPEN, _PH_CLOSE = "\ue000", "\ue001"
_PLACEHOLDER = re.compile(f"{_PH_OPEN}(\\d+){_PH_CLOSE}")


def clean_text(text: str) -> str:
    """Drop characters that XML (and so every feed) cannot hold, and bidi controls."""
    return _XML_INVALID.sub("", text)


def inline_html(text: str) -> str:
    """A title or other one-line text: escaped, its text-mode TeX read, its math as MathML."""
    return nodes_html(read_line(clean_text(text)))


def feed_line(text: str) -> str:
    """A one-line text (a comment) as feed item HTML: escaped, its TeX read, math as Unicode
    text with <i>, <sub> and <sup>, as feed_html writes an abstract."""
    return nodes_mail(read_line(clean_text(text)))


def plain_line(text: str) -> str:
    """A title or other text as one line of Unicode plain text, its TeX read (math as "α > 0"):
    for <title>, meta tags, feed titles, search records and e-mail."""
    return " ".join(nodes_plain(p) for p in read(clean_text(text).strip()))  # the key abstract_html reads


def plain_lines(text: str) -> list[str]:
    """An abstract as Unicode plain text, one string per paragraph."""
    return [nodes_plain(p) for p in read(clean_text(text).strip())]  # the key abstract_html reads


def abstract_html(text: str) -> str:
    """An abstract (the snapshot body): paragraphs, math as MathML, Markdown if it uses it."""
    text = clean_text(text).strip()
    if not text:
        return ""
    if _is_markdown(text):
        return _markdown_abstract(text)
    return "".join(f"<p>{nodes_html(p)}</p>" for p in read(text) if p)


def feed_html(text: str) -> str:
    """An abstract as a feed item's HTML: the page's words, with math as Unicode text in <i>,
    <sub> and <sup> (the e-mail's form), not MathML. Feed readers are like mail clients here:
    newsboat, Feedly and most web readers drop MathML's tags and run its symbols together
    ("C lifecycle ( V ) ="), and the W3C validator flags every MathML tag; <sub> reads
    everywhere."""
    text = clean_text(text).strip()
    if not text:
        return ""
    if _is_markdown(text):
        return _markdown_feed(text)
    return "".join(f"<p>{nodes_mail(p)}</p>" for p in read(text) if p)


@lru_cache(maxsize=4096)
def _markdown_feed(text: str) -> str:
    """A Markdown abstract's feed HTML, made once however many feeds carry the paper."""
    return _markdown_html(text, span_mail, rel=False)


# A paper's own page and its card on its day page show the same Markdown abstract, and
# staging renders a day's pages one after another in one process (Page.group): kept
# here, the second is free. Bounded, because a worker renders thousands of days' pages.
@lru_cache(maxsize=4096)
def _markdown_abstract(text: str) -> str:
    """A Markdown abstract's HTML; `text` is clean_text()ed and stripped."""
    return _markdown_html(text)


@lru_cache(maxsize=1)
def _markdown():  # -> markdown.Markdown, imported late: most builds never need it
    import markdown

    # One per process, reset before each use: building one (its parser, ~60 processors)
    # cost a quarter of each markdown.markdown() call.
    return markdown.Markdown(output_format="html")


def _markdown_html(text: str, span=span_html, rel: bool = True) -> str:
    # Math is swapped for placeholders Markdown leaves alone, then put back after rendering.
    # Markdown bodies are written by hand for Markdown: their prose is Markdown, not TeX.
    maths: list[str] = []
    blocks: list[str] = []
    for block in PARAGRAPH_BREAK.split(text):
        source: list[str] = []
        for piece in split_math(block):
            if isinstance(piece, Math):
                source.append(f"{_PH_OPEN}{len(maths)}{_PH_CLOSE}")
                maths.append(span(piece))
            else:
                source.append(piece.replace(_PH_OPEN, "").replace(_PH_CLOSE, ""))
        blocks.append("".join(source))
    # Real abstracts are Markdown rarely (one shipped abstract in 300 writes a **bold** name), so
    # python-markdown renders every one: a fast path for simple forms saved nothing measurable
    # on papers shaped like real ones (benchmarks/README.md, corpus_shape.py) and was removed.
    rendered = _markdown().reset().convert("\n\n".join(blocks))
    rendered = _PLACEHOLDER.sub(lambda m: maths[int(m.group(1))], rendered)
    return sanitize(rendered, rel)


# A card shows an abstract's first sentences and folds the rest: at least LEAD_MIN characters,
# cut at the first sentence end after that; where there is none before LEAD_MAX, at a word.
LEAD_MIN, LEAD_MAX = 160, 360
# A card that links to the rest instead (old day pages, topic archives: reached by browsing
# back, where a reader skims) shows about its first sentence: a paper's lead is on ~2 such
# cards, and the longer lead cost ~0.2 KB a paper of the site's 8 KB budget.
SHORT_LEAD_MIN, SHORT_LEAD_MAX = 80, 200
# A sentence ends at . ! or ? before a space and a capital, digit, quote or bracket.
_SENTENCE_END = re.compile(r"""[.!?]["')\]]?\s+(?=[A-Z0-9"'(\[])""")


def abstract_parts(text: str, rest: bool = True) -> tuple[str, str]:
    """(lead, rest) of an abstract as HTML: the lead is inline (phrasing) HTML, the rest is
    paragraphs, empty when the whole abstract fits in the lead. A Markdown abstract has no
    lead (its first block may be a list): (\"\", all of it). With `rest=False` the lead is
    shorter (SHORT_LEAD_*) and the rest is not rendered, only said to exist (\"…\"): cards
    that link to it instead need no more."""
    text = clean_text(text).strip()
    if not text:
        return "", ""
    if _is_markdown(text):
        return "", _markdown_abstract(text) if rest else "…"
    first, later = (PARAGRAPH_BREAK.split(text, maxsplit=1) + [""])[:2]
    first = first.strip()
    low, high = (LEAD_MIN, LEAD_MAX) if rest else (SHORT_LEAD_MIN, SHORT_LEAD_MAX)
    if len(first) > high + 80:
        cut = _lead_end(first, low, high)
        first, later = first[:cut].rstrip(), (first[cut:].lstrip() + ("\n\n" + later if later else ""))
    if not later.strip():
        return inline_html(first), ""
    return inline_html(first), abstract_html(later) if rest else "…"


def _lead_end(text: str, low: int, high: int) -> int:
    """Where the lead of a long first paragraph ends, at least `low` and at most `high`
    characters in (a sentence end, else a word end): never inside a formula."""
    # Only spans that start before `high` can hold a cut; one longer than 400 characters is
    # missed, and a cut inside it shows its halves as source (every word kept).
    maths = [(a, b) for a, b in _math_spans(text[:high + 400]) if a < high]

    def outside(i: int) -> bool:
        return not any(a < i < b for a, b in maths)

    for m in _SENTENCE_END.finditer(text, low):
        if m.end() > high:
            break
        if outside(m.start()):
            return m.end()
    spaces = [m.start() for m in re.finditer(r"\s", text[:high])
              if m.start() >= low // 2 and outside(m.start())]
    return spaces[-1] if spaces else len(text)


def _math_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each math span of a paragraph, as the scanner finds them."""
    spans, pos = [], 0
    for piece in split_math(text):
        size = len(piece.source) if isinstance(piece, Math) else len(piece)
        if isinstance(piece, Math):
            spans.append((pos, pos + size))
        pos += size
    return spans


def plain_text(text: str) -> str:
    """One line with single spaces, TeX left as written: the snapshot's fields as the build
    keeps them, and BibTeX (which is TeX). What readers see goes through plain_line."""
    return " ".join(clean_text(text).split())
