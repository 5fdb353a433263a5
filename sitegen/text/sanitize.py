"""The allow-list every generated fragment passes before it reaches a page or a feed.

Fetched text is escaped before it becomes HTML; what we generate ourselves (MathML from
latex2mathml, HTML from python-markdown for hand-written Markdown bodies) passes through
nh3 (Ammonia), which keeps only these tags and attributes and only http(s) and mailto links.
"""

from __future__ import annotations

import re
from functools import lru_cache

import nh3

MATHML_TAGS = {
    "math", "mi", "mn", "mo", "ms", "mtext", "mrow", "msub", "msup", "msubsup", "mfrac",
    "msqrt", "mroot", "mover", "munder", "munderover", "mtable", "mtr", "mtd", "mstyle",
    "mspace", "mpadded", "mphantom", "menclose", "semantics", "annotation",
}
MATHML_ATTRS = {
    "math": {"xmlns", "display"},
    "mo": {"stretchy", "fence", "lspace", "rspace", "separator", "form", "movablelimits"},
    "mstyle": {"displaystyle", "scriptlevel", "mathvariant"},
    "mi": {"mathvariant"}, "mn": {"mathvariant"}, "mtext": {"mathvariant"},
    "mspace": {"width"}, "mfrac": {"linethickness"}, "menclose": {"notation"},
    "mtable": {"columnalign", "rowspacing", "columnspacing"}, "mtd": {"columnalign"},
    "mover": {"accent"}, "munder": {"accentunder"}, "mpadded": {"width", "lspace"},
}
HTML_TAGS = {"p", "a", "em", "strong", "code", "pre", "ul", "ol", "li", "blockquote", "br",
             "h3", "h4", "span", "sub", "sup", "i"}
HTML_ATTRS = {"a": {"href", "title"}, "span": {"class"}, "code": {"class"}}

_DEAD_LINK = re.compile(r'<a rel="nofollow noopener">(.*?)</a>', re.S)
_BARE_DEAD_LINK = re.compile(r"<a>(.*?)</a>", re.S)


@lru_cache(maxsize=2)
def _cleaner(rel: bool) -> nh3.Cleaner:
    # Built once per process: nh3.clean converts the allow-lists to Rust sets on every call.
    return nh3.Cleaner(
        tags=HTML_TAGS | MATHML_TAGS,
        attributes={**HTML_ATTRS, **MATHML_ATTRS},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener" if rel else None,
    )


def sanitize(fragment: str, rel: bool = True) -> str:
    """`fragment` with only the allowed tags, attributes and links; links get
    rel="nofollow noopener" unless `rel` is false (feeds: a reader sets its own, and the
    attribute was 2% of a feed's bytes)."""
    cleaned = _cleaner(rel).clean(fragment)
    # A link whose unsafe href was removed is just its text (an <a> with rel but no href is invalid).
    return (_DEAD_LINK if rel else _BARE_DEAD_LINK).sub(r"\1", cleaned)
