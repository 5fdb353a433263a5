"""Untrusted paper text -> safe HTML: TeX as MathML, abstracts as paragraphs, all sanitised.

Fetched titles and abstracts are untrusted. Text is escaped; the only markup that reaches a
page is what we generate (MathML from latex2mathml, Markdown from python-markdown for
hand-written bodies), and that passes through nh3's allow-list before it is used.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import cast

import nh3

from sitegen.build.markdown_simple import simple_markdown
from sitegen.build.math_fonts import apply_fonts, prepare
from sitegen.build.math_spacing import space_functions
from sitegen.build.mathml_trim import trim_mathml

# Characters XML 1.0 forbids (a title holding one would make every feed unparsable), and the
# bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): left unbalanced in
# a title they reverse the text after it in <title>, cards and feed readers. Snapshots fetched
# before sources/text.py dropped them may still hold them, so the build drops them too.
# One negated class (the allowed ranges with the bidi controls cut out): an alternation of
# two classes made this the costliest regex of a cold build.
_XML_INVALID = re.compile("[^\t\n\r\x20-\u2029\u202f-\u2065\u206a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Math spans as arXiv writes them. `$...$` follows pandoc's rule (no space just inside the
# dollars, no digit just after the closing one) so "costs $5 and $10" stays text. Every
# alternative starts with a literal `$` or `\` (the single-dollar one checks what precedes
# its `$` after it), which lets the regex engine jump between those characters: 5x faster
# than testing each alternative at every position.
_MATH = re.compile(
    r"\$\$(?P<dd>.+?)\$\$"
    r"|\\\[(?P<br>.+?)\\\]"
    r"|\\\((?P<pa>.+?)\\\)"
    r"|\$(?<![\\$]\$)(?P<d>[^\s$](?:[^$]*?[^\s\\$])?)\$(?!\d)",
    re.S,
)
# Markdown only for text that clearly uses it (links, code, headings, lists, bold): arXiv
# abstracts are plain text where `_` and `*` are literal, and the plain path is ~20x faster.
# Backticks alone are no hint: arXiv writes TeX quotes, ``like this''.
# As three patterns, each starting with characters the regex engine can jump to (one
# pattern with `^` alternatives was tried at every position, 8x slower):
# links and bold anywhere, and headings and list items at the start or after a newline.
_MARKDOWN_INLINE = re.compile(r"\[[^\]\n]+\]\([^)\s]+\)|\*\*")
_MARKDOWN_LINE = re.compile(r"#{1,6} |[-*+] |\d+\. ")
_MARKDOWN_LATER_LINE = re.compile(r"\n(?:#{1,6} |[-*+] |\d+\. )")


def _uses_markdown(text: str) -> bool:
    """True when the text has one of the Markdown hints above."""
    return bool(_MARKDOWN_INLINE.search(text) or _MARKDOWN_LINE.match(text) or _MARKDOWN_LATER_LINE.search(text))


# Math placeholders for the Markdown path: private-use characters, removed from the input
# first, so no fetched text can forge one.
_PH_OPEN, _PH_CLOSE = "\ue000", "\ue001"
_PLACEHOLDER = re.compile(f"{_PH_OPEN}(\\d+){_PH_CLOSE}")
_MATHML_TAGS = {
    "math", "mi", "mn", "mo", "ms", "mtext", "mrow", "msub", "msup", "msubsup", "mfrac",
    "msqrt", "mroot", "mover", "munder", "munderover", "mtable", "mtr", "mtd", "mstyle",
    "mspace", "mpadded", "mphantom", "menclose", "semantics", "annotation",
}
_MATHML_ATTRS = {
    "math": {"xmlns", "display"},
    "mo": {"stretchy", "fence", "lspace", "rspace", "separator", "form", "movablelimits"},
    "mstyle": {"displaystyle", "scriptlevel", "mathvariant"},
    "mi": {"mathvariant"}, "mn": {"mathvariant"}, "mtext": {"mathvariant"},
    "mspace": {"width"}, "mfrac": {"linethickness"}, "menclose": {"notation"},
    "mtable": {"columnalign", "rowspacing", "columnspacing"}, "mtd": {"columnalign"},
    "mover": {"accent"}, "munder": {"accentunder"}, "mpadded": {"width", "lspace"},
}
_HTML_TAGS = {"p", "a", "em", "strong", "code", "pre", "ul", "ol", "li", "blockquote", "br",
              "h3", "h4", "span", "sub", "sup"}
_HTML_ATTRS = {"a": {"href", "title"}, "span": {"class"}, "code": {"class"}}


_MATH_OPEN = '<math xmlns="http://www.w3.org/1998/Math/MathML"'


def clean_text(text: str) -> str:
    """Drop characters that XML (and so every feed) cannot hold, and bidi controls."""
    return _XML_INVALID.sub("", text)


_DEAD_LINK = re.compile(r'<a rel="nofollow noopener">(.*?)</a>', re.S)


@lru_cache(maxsize=1)
def _cleaner() -> nh3.Cleaner:
    # Built once per process: nh3.clean converts the allow-lists to Rust sets on every call.
    return nh3.Cleaner(
        tags=_HTML_TAGS | _MATHML_TAGS,
        attributes={**_HTML_ATTRS, **_MATHML_ATTRS},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener",
    )


def sanitize(fragment: str) -> str:
    cleaned = _cleaner().clean(fragment)
    # A link whose unsafe href was removed is just its text (an <a> with rel but no href is invalid).
    return _DEAD_LINK.sub(r"\1", cleaned)


@lru_cache(maxsize=1)
def _tex_to_mathml():  # imported at first use: a build with nothing to render needs none
    from latex2mathml.converter import convert

    return convert


@lru_cache(maxsize=65536)
def math_html(tex: str, display: bool = False) -> str:
    """MathML for one TeX span, or the TeX source as code when it cannot be converted."""
    try:
        mathml = _tex_to_mathml()(prepare(tex), display="block" if display else "inline")
    except Exception:  # latex2mathml raises many types on odd input; none is fatal here
        mathml = None
    if mathml is None or "<mi>\\" in mathml or "<merror" in mathml:
        delim = "$$" if display else "$"
        return f'<code class="tex">{html.escape(delim + tex + delim)}</code>'
    # HTML puts <math> in the MathML namespace by itself and inline is the default display:
    # dropping both saves ~70 bytes a formula on pages that must stay small.
    return space_functions(trim_mathml(  # without the wrappers and defaults latex2mathml adds (mathml_trim.py)
        sanitize(apply_fonts(mathml)).replace(_MATH_OPEN, "<math", 1).replace(' display="inline"', "", 1)))


def _split_math(text: str) -> list[tuple[bool, str, bool]]:
    """[(is_math, text, display)] in order."""
    parts, pos = [], 0
    for m in _MATH.finditer(text):
        start = m.start()
        if start > pos:
            parts.append((False, text[pos:start], False))
        kind = cast(str, m.lastgroup)  # each alternative has one group: the one that matched
        parts.append((True, m[kind], kind == "dd" or kind == "br"))
        pos = m.end()
    if pos < len(text):
        parts.append((False, text[pos:], False))
    return parts


# TeX's text-mode emphasis, which arXiv abstracts and titles use outside math: shown as the
# HTML it means instead of as TeX. Only a group without nested braces; anything else stays
# as written. Applied to escaped text (braces and backslashes survive escaping).
_TEXT_STYLE = re.compile(r"\\(textbf|textit|emph|texttt|textsc|underline)\{([^{}\\]*)\}")
_TEXT_TAGS = {"textbf": "strong", "textit": "em", "emph": "em", "texttt": "code", "textsc": "", "underline": ""}


def _styled(m: re.Match[str]) -> str:
    tag = _TEXT_TAGS[m[1]]  # "": shown as its text
    return f"<{tag}>{m[2]}</{tag}>" if tag else m[2]


def _text_html(text: str) -> str:
    """Prose outside math: escaped, its text-mode TeX emphasis as HTML."""
    escaped = html.escape(text, quote=False)
    return _TEXT_STYLE.sub(_styled, escaped) if "\\" in escaped else escaped


def inline_html(text: str) -> str:
    """A title or other one-line text: escaped, with its math as MathML."""
    text = " ".join(clean_text(text).split())
    return "".join(math_html(t) if is_math else _text_html(t)
                   for is_math, t, _ in _split_math(text))


def abstract_html(text: str) -> str:
    """An abstract (the snapshot body): paragraphs, math as MathML, Markdown if it uses it."""
    text = clean_text(text).strip()
    if not text:
        return ""
    parts = _split_math(text)
    prose = "".join(t for is_math, t, _ in parts if not is_math)
    if _uses_markdown(prose):
        return _markdown_abstract(text)
    out = "".join(math_html(t, display) if is_math else _text_html(t)
                  for is_math, t, display in parts)
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", out)]
    return "".join(f"<p>{p}</p>" for p in paragraphs if p)


# A paper's own page and its card on its day page show the same Markdown abstract, and
# staging renders a day's pages one after another in one process (Page.group): kept
# here, the second is free. Bounded, because a worker renders thousands of days' pages.
@lru_cache(maxsize=4096)
def _markdown_abstract(text: str) -> str:
    """A Markdown abstract's HTML; `text` is clean_text()ed and stripped."""
    return _markdown_html(_split_math(text))


@lru_cache(maxsize=1)
def _markdown():  # -> markdown.Markdown, imported late: most builds never need it
    import markdown

    # One per process, reset before each use: building one (its parser, ~60 processors)
    # cost a quarter of each markdown.markdown() call.
    return markdown.Markdown(output_format="html")


def _markdown_html(parts: list[tuple[bool, str, bool]]) -> str:
    # Math is swapped for placeholders Markdown leaves alone, then put back after rendering.
    maths: list[str] = []
    source: list[str] = []
    for is_math, t, display in parts:
        if is_math:
            source.append(f"{_PH_OPEN}{len(maths)}{_PH_CLOSE}")
            maths.append(math_html(t, display))
        else:
            source.append(t.replace(_PH_OPEN, "").replace(_PH_CLOSE, ""))
    text = "".join(source)
    # The common simple Markdown without python-markdown's cost: the same HTML, 10x faster.
    rendered = simple_markdown(text)
    if rendered is None:
        rendered = _markdown().reset().convert(text)
    rendered = _PLACEHOLDER.sub(lambda m: maths[int(m.group(1))], rendered)
    return sanitize(rendered)


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
    if _uses_markdown(text):  # cheap test first: splitting out the math is not
        parts = _split_math(text)
        if _uses_markdown("".join(t for is_math, t, _ in parts if not is_math)):
            return "", _markdown_abstract(text) if rest else "…"
    first, _, later = text.partition("\n\n") if re.search(r"\n\s*\n", text) else (text, "", "")
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
    maths = [m.span() for m in _MATH.finditer(text)]

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


def plain_text(text: str) -> str:
    """Readable one-line text with TeX left as written: for feeds, meta tags and BibTeX."""
    return " ".join(clean_text(text).split())
