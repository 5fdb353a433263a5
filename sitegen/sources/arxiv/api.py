"""The arXiv API (Atom 1.0 + OpenSearch): build search queries and URLs, parse result pages.

Handles both the 2025+ backend and the legacy format (per-element namespaces, summaries
hard-wrapped at ~80 columns), and turns arXiv's error feeds into ParseError. An entry gives
its first version's submission time; its `announced` day is the mailing arXiv's calendar puts
that submission in (sitegen.sources.arxiv.calendar), the day the RSS feed would have dated it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode
from xml.etree.ElementTree import Element

from sitegen import arxiv_ids
from sitegen.authors import query_names
from sitegen.errors import ParseError, quoted
from sitegen.limits import MAX_TOTAL, number_in
from sitegen.model import Paper
from sitegen.sources.arxiv.calendar import announcement_day
from sitegen.sources.records import (
    BadRecord,
    Rejected,
    check_record,
    clean_categories,
    label,
    parse_arxiv_id,
    parse_timestamp,
)
from sitegen.sources.text import clean_abstract, clean_line, clean_name, clean_optional
from sitegen.sources.xml import find_text, parse_xml
from sitegen.taxonomy import taxonomy

_NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "opensearch": "http://a9.com/-/spec/opensearch/1.1/",
    "arxiv": "http://arxiv.org/schemas/atom",
}
_FEED = "{http://www.w3.org/2005/Atom}feed"


@dataclass(frozen=True)
class ApiPage:
    """One page of API results. `skipped` counts entries dropped as unusable (bad id, no title,
    a value out of bounds); `rejected` names those of the last kind, for the warning."""

    papers: tuple[Paper, ...]
    total: int
    start: int
    per_page: int
    skipped: int = 0
    rejected: tuple[Rejected, ...] = ()


# --- requests --------------------------------------------------------------------------------

def _term(field: str, text: str) -> str:
    # arXiv's query syntax has no escape for a double quote inside a phrase, so drop them.
    phrase = " ".join(text.replace('"', " ").split())
    return f'{field}:"{phrase}"'


def _group(terms: list[str]) -> str:
    return "(" + " OR ".join(terms) + ")"


def _text_terms(words: Iterable[str]) -> list[str]:
    terms = []
    for word in words:
        if word and word.replace('"', "").strip():
            terms += [_term("abs", word), _term("ti", word)]
    return terms


def _category_terms(categories: Iterable[str]) -> list[str]:
    """`cat:` terms: an archive with categories (`cs`) as arXiv's wildcard, `cat:cs.*`, plus
    the bare name where old papers used it as a category (`astro-ph` before 2009)."""
    terms = []
    tax = taxonomy()
    for name in (c.strip() for c in categories if c and c.strip()):
        if tax.has_subjects(name):
            terms.append(f"cat:{name}.*")
            if name not in tax.categories:
                continue
        terms.append(f"cat:{name}")
    return terms


def build_search_query(categories: Iterable[str], keywords: Iterable[str], exclude: Iterable[str],
                       authors: Iterable[str] = (), since: date | None = None, until: date | None = None) -> str:
    """An arXiv `search_query`: every non-empty group ANDed, exclusions ANDNOTed.

    (cat:cs.LG OR cat:cs.CV) AND (abs:"kw" OR ti:"kw" ...) AND (au:"Surname" ...)
    ANDNOT (abs:"x" OR ti:"x") AND submittedDate:[YYYYMMDD0000 TO YYYYMMDD2359]

    Authors are asked for by surname only (sitegen.authors.query_names): arXiv's `au:` search
    knows nothing of initials against full names, so the answer is a superset of the papers
    the topic's rule matches, and fetch keeps those the rule matches.
    """
    positive = []
    cats = _category_terms(categories)
    if cats:
        positive.append(_group(cats))
    words = _text_terms(keywords)
    if words:
        positive.append(_group(words))
    names = list(dict.fromkeys(_term("au", n) for a in authors if a and a.replace('"', "").strip()
                               for n in query_names(a)))
    if names:
        positive.append(_group(names))
    dates = ""
    if since is not None or until is not None:
        start = since or date(1991, 8, 1)  # arXiv's first day: an open start means "ever"
        end = until or date.today()
        if start > end:
            raise ValueError(f"since ({start}) is after until ({end})")
        dates = f"submittedDate:[{start:%Y%m%d}0000 TO {end:%Y%m%d}2359]"
    excluded = _text_terms(exclude)
    if not positive and not dates:
        if excluded:
            raise ValueError("a query needs categories, keywords, authors or dates, not only exclusions")
        return ""
    query = " AND ".join(positive) if positive else dates
    if excluded:
        query += " ANDNOT " + _group(excluded)
    if positive and dates:
        query += " AND " + dates
    return query


def query_url(api_url: str, *, search_query: str = "", id_list: Iterable[str] = (), start: int = 0,
              max_results: int = 100, sort_by: str = "submittedDate", sort_order: str = "descending") -> str:
    """The API URL for a search and/or an id list, one page of `max_results` from `start`."""
    params: dict[str, str | int] = {"search_query": search_query}
    ids = [i.strip() for i in id_list if i and i.strip()]
    if ids:
        params["id_list"] = ",".join(ids)
    params.update(start=int(start), max_results=int(max_results), sortBy=sort_by, sortOrder=sort_order)
    sep = "&" if "?" in api_url else "?"
    return api_url + sep + urlencode(params, safe=":,/")


# --- responses -------------------------------------------------------------------------------

def parse_api_feed(body: bytes) -> ApiPage:
    """Parse one API response. ParseError for an error feed, malformed XML or a non-Atom body."""
    root = parse_xml(body, "arXiv API")
    if root.tag != _FEED:
        raise ParseError(f"arXiv API: expected an Atom <feed>, got <{root.tag}>")
    entries = root.findall("atom:entry", _NS)
    _raise_for_error(entries)
    papers: list[Paper] = []
    rejected: list[Rejected] = []
    for position, entry in enumerate(entries, 1):
        try:
            paper = _parse_entry(entry)
        except BadRecord as exc:
            rejected.append(Rejected(label(find_text(entry, "atom:id", _NS), position), str(exc)))
            continue
        if paper is not None:
            papers.append(paper)
    return ApiPage(
        papers=tuple(papers),
        total=_count(root, "totalResults", len(papers)),
        start=_count(root, "startIndex", 0),
        per_page=_count(root, "itemsPerPage", len(entries)),
        skipped=len(entries) - len(papers),
        rejected=tuple(rejected),
    )


def _raise_for_error(entries: list[Element]) -> None:
    # An error comes back as a feed whose one entry is titled "Error", with the reason in its
    # summary and an id under /api/errors (not a paper id), sometimes with HTTP 400.
    for entry in entries:
        title = clean_line(find_text(entry, "atom:title", _NS))
        raw_id = find_text(entry, "atom:id", _NS) or ""
        if title == "Error" and ("/api/errors" in raw_id or parse_arxiv_id(raw_id) is None):
            reason = clean_line(find_text(entry, "atom:summary", _NS)) or "no reason given"
            raise ParseError(f"arXiv API error: {reason}")


def _count(root: Element, name: str, default: int) -> int:
    text = find_text(root, f"opensearch:{name}", _NS)
    if text is None:
        return default
    try:
        return number_in(text, 0, MAX_TOTAL)
    except ValueError as exc:
        raise ParseError(f"arXiv API: opensearch:{name} {quoted(text)}: {exc}") from None


def _parse_entry(entry: Element) -> Paper | None:
    """One <entry> as a Paper, or None when it cannot be one (hostile id, no title or date);
    BadRecord when a value in it is out of bounds."""
    ident = parse_arxiv_id(find_text(entry, "atom:id", _NS))
    title = clean_line(find_text(entry, "atom:title", _NS))
    published = parse_timestamp(find_text(entry, "atom:published", _NS), "published")
    if ident is None or not title or published is None:
        return None
    paper_id, version = ident
    primary = entry.find("arxiv:primary_category", _NS)
    terms = [primary.get("term")] if primary is not None else []
    terms += [c.get("term") for c in entry.findall("atom:category", _NS)]
    return check_record(Paper(
        id=paper_id,
        version=version,
        title=title,
        authors=tuple(filter(None, (clean_name(find_text(a, "atom:name", _NS))
                                    for a in entry.findall("atom:author", _NS)))),
        published=published,
        updated=parse_timestamp(find_text(entry, "atom:updated", _NS), "updated"),
        # Not the submission date: a paper submitted on Saturday is announced on Monday
        # evening and dated Tuesday, in the RSS feed and on the listing pages alike.
        announced=announcement_day(published),
        categories=clean_categories(terms),
        abstract=clean_abstract(find_text(entry, "atom:summary", _NS)),
        links=arxiv_ids.links(paper_id, version),
        doi=clean_optional(find_text(entry, "arxiv:doi", _NS)),
        journal_ref=clean_optional(find_text(entry, "arxiv:journal_ref", _NS)),
        comment=clean_optional(find_text(entry, "arxiv:comment", _NS)),
        sources=("arxiv",),
    ))
