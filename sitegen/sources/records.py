"""Pure parsers for each source (bytes in, `Paper` records out) and the pieces they share.

No network code lives here: the HTTP layer fetches bytes and hands them to these modules.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from xml.etree.ElementTree import Element, TreeBuilder, XMLParser
from xml.etree.ElementTree import ParseError as XMLSyntaxError

from sitegen import arxiv_ids
from sitegen.errors import ParseError

# arXiv category syntax (cs.CL, math-ph, cond-mat.str-el). The API also returns ACM and MSC
# classes as <category> terms (I.2.7, 68T05); those are not arXiv categories and would make
# a snapshot the build rejects, so they are dropped.
_CATEGORY = re.compile(r"[a-z]+(?:-[a-z]+)*(?:\.[A-Za-z]+(?:-[A-Za-z]+)*)?")
# arXiv's HTML rendering exists only for papers submitted from December 2023 on.
_HTML_SINCE = 2312


def parse_arxiv_id(raw: str | None) -> tuple[str, int | None] | None:
    """(version-less id, version) from an id, URL or OAI identifier; None if it is not one."""
    if not raw:
        return None
    try:
        base, version = arxiv_ids.split_id(raw)
    except ValueError:
        return None
    return (base, version) if arxiv_ids.is_valid_id(base) else None


def clean_categories(terms) -> tuple[str, ...]:
    """Categories in the given order (primary first), without duplicates or non-arXiv terms."""
    seen: dict[str, None] = {}
    for term in terms:
        term = (term or "").strip()
        if _CATEGORY.fullmatch(term):
            seen.setdefault(term, None)
    return tuple(seen)


def arxiv_links(paper_id: str, version: int | None, html: bool | None = None) -> dict[str, str]:
    """abs, pdf and (where arXiv renders one) html links for a paper, in LINK_KINDS order.

    `html=None` guesses from the id: only new-style ids from 2312 on can have an HTML page.
    """
    links = {"abs": arxiv_ids.abs_url(paper_id), "pdf": arxiv_ids.pdf_url(paper_id, version)}
    if html is None:
        html = "/" not in paper_id and int(paper_id[:4]) >= _HTML_SINCE
    if html:
        links["html"] = arxiv_ids.html_url(paper_id, version)
    return links


def parse_timestamp(raw: str | None) -> datetime | None:
    """An ISO 8601 timestamp as an aware UTC datetime, whole seconds; None if unreadable.

    Snapshots store whole seconds, so dropping microseconds here keeps a re-fetched paper
    equal to the one read back from disk.
    """
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw.strip())
    except ValueError:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).replace(microsecond=0)


class _NoDoctype(TreeBuilder):
    # Neither arXiv feed ever has a DOCTYPE. Refusing one rules out entity-expansion
    # ("billion laughs") and external-entity tricks, whatever the expat version does.
    def doctype(self, name, pubid, system):
        raise ParseError("XML body has a DOCTYPE declaration; refusing it")


def parse_xml(body: bytes, what: str) -> Element:
    """Parse an XML body; ParseError (naming `what`) if it is malformed, truncated or has a DOCTYPE."""
    if not isinstance(body, (bytes, bytearray)):
        raise ParseError(f"{what}: expected bytes, got {type(body).__name__}")
    if not body.strip():
        raise ParseError(f"{what}: empty body")
    parser = XMLParser(target=_NoDoctype())
    try:
        parser.feed(bytes(body))
        return parser.close()
    except XMLSyntaxError as exc:
        raise ParseError(f"{what}: malformed or truncated XML ({exc})") from None


def find_text(parent: Element, path: str, namespaces: dict[str, str] | None = None) -> str | None:
    """Text of the first matching child, or None."""
    node = parent.find(path, namespaces)
    return node.text if node is not None else None
