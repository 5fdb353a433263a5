"""arXiv listing pages (arxiv.org/list/<cat>/recent, /new, /YYYY-MM) parsed with selectolax.

Listings give ids, titles, authors, subjects and comments but no abstracts or submission
times, so their records are completed by merging with the API or RSS ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from selectolax.lexbor import LexborHTMLParser, LexborNode

from sitegen import arxiv_ids
from sitegen.errors import ParseError
from sitegen.limits import MAX_TOTAL, number_in
from sitegen.model import Paper
from sitegen.sources.arxiv import RATE_EXCEEDED
from sitegen.sources.html_depth import MAX_DEPTH, deeper_than
from sitegen.sources.records import BadRecord, Rejected, check_record, clean_categories, parse_arxiv_id
from sitegen.sources.text import clean_line, clean_name, clean_optional

# The article list's opening tag, found tag by tag (_articles_open): one regex over the page
# tried every `<dl` against the rest of the page, which a page of `<dl <dl <dl ...` made quadratic.
_DL = re.compile(rb"<dl\s", re.I)
_ARTICLES_ID = re.compile(rb"\sid\s*=\s*['\"]?articles\b", re.I)
# "Thu, 13 Aug 2026 (showing first 50 of 92 entries )" and, on /new,
# "Showing new listings for Thursday, 13 August 2026".
_DAY = re.compile(r"\b(\d{1,2}) ([A-Z][a-z]+) (\d{4})\b")
_NEW_HEADER = re.compile(r"listings for \w+, (\d{1,2} [A-Z][a-z]+ \d{4})")
_TOTAL = re.compile(r"Total of (\d+) entries")
# A day heading's count: "(showing first 50 of 92 entries )", or "(showing 92 of 92 entries )".
_DAY_TOTAL = re.compile(r"\bof (\d+) entries")
_SUBJECT = re.compile(r"\(([^()]+)\)\s*$")


@dataclass(frozen=True)
class ListingPage:
    """One listing page. `announced` is its newest day heading; `total` the listing's size;
    `rejected` names the entries skipped for a value out of bounds; `day_totals` what each
    day heading says the day announced (arXiv's own count of that day's new submissions and
    cross-lists, however many the page shows)."""

    announced: date | None
    papers: tuple[Paper, ...]
    total: int | None
    skipped: int = 0
    rejected: tuple[Rejected, ...] = ()
    day_totals: tuple[tuple[date, int], ...] = ()


def listing_url(list_url: str, category: str, skip: int = 0, show: int = 2000) -> str:
    """`<list_url><category>/recent?skip=0&show=2000`."""
    base = list_url + ("" if list_url.endswith("/") else "/")
    return f"{base}{category.strip()}/recent?skip={int(skip)}&show={int(show)}"


def parse_listing(body: bytes) -> ListingPage:
    """Parse one page; ParseError when throttled (`Rate exceeded.`), truncated or not a listing."""
    if body.strip().startswith(RATE_EXCEEDED):
        raise ParseError(RATE_EXCEEDED.decode())
    opening = _articles_open(body)
    if opening == -1:
        raise ParseError("arXiv listing: no <dl id='articles'> in the page")
    # HTML parsers close what a cut-off page left open, so look for the list's own end tag.
    if body.find(b"</dl>", opening) == -1:
        raise ParseError("arXiv listing: the page is truncated (the article list never ends)")
    if deeper_than(body):  # the parser's time grows with the square of the nesting
        raise ParseError(f"arXiv listing: elements nested more than {MAX_DEPTH} deep; not a listing page")
    html = LexborHTMLParser(body.decode("utf-8", errors="replace"))
    articles = html.css_first("dl#articles")
    if articles is None:
        raise ParseError("arXiv listing: no <dl id='articles'> in the page")

    page_day = _page_day(html)
    first_day: date | None = None
    day, ident, papers, entries = page_day, None, [], 0
    rejected: list[Rejected] = []
    day_totals: dict[date, int] = {}
    for node in articles.iter(include_text=False):
        if node.tag == "h3":
            day = _day_heading(node, day, day_totals)
            first_day = first_day or day
        elif node.tag == "dt":
            entries += 1
            ident = _entry_id(node)
        elif node.tag == "dd" and ident is not None:
            try:
                paper = _parse_entry(ident, node, day)
            except BadRecord as exc:
                rejected.append(Rejected(ident[0], str(exc)))
                paper = None
            if paper is not None:
                papers.append(paper)
            ident = None
    paging = html.css_first(".paging")
    total = _TOTAL.search(paging.text()) if paging is not None else None
    return ListingPage(
        announced=first_day or page_day,
        papers=tuple(papers),
        total=_total(total.group(1)) if total else None,
        skipped=entries - len(papers),
        rejected=tuple(rejected),
        day_totals=tuple(day_totals.items()),
    )


def _articles_open(body: bytes) -> int:
    """Where the `<dl id="articles">` tag ends, or -1. Each byte is looked at a bounded number
    of times: a tag is searched for its id only up to its own `>`, and the next `<dl` after it."""
    pos = 0
    while (m := _DL.search(body, pos)) is not None:
        end = body.find(b">", m.start())
        if end == -1:
            return -1
        if _ARTICLES_ID.search(body, m.start() + 3, end):
            return end + 1
        pos = end + 1
    return -1


def _total(digits: str) -> int:
    try:
        return number_in(digits, 0, MAX_TOTAL)
    except ValueError as exc:
        raise ParseError(f"arXiv listing: 'Total of ... entries': {exc}") from None


def _to_date(text: str) -> date | None:
    for fmt in ("%d %b %Y", "%d %B %Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    return None


def _day_heading(node: LexborNode, day: date | None, totals: dict[date, int]) -> date | None:
    """The day an <h3> heads (or `day`, the one before, if it names none), noting in `totals`
    the day's count it gives ("(showing first 50 of 92 entries )")."""
    heading = clean_line(node.text())
    day = _heading_day(heading) or day
    count = _DAY_TOTAL.search(heading)
    if day is not None and count is not None and day not in totals:
        totals[day] = _total(count.group(1))
    return day


def _heading_day(text: str) -> date | None:
    m = _DAY.search(text)
    return _to_date(" ".join(m.groups())) if m else None


def _page_day(html: LexborHTMLParser) -> date | None:
    # /new pages carry their day in a header above the list, not in the <h3> sections.
    for node in html.css("h3"):
        m = _NEW_HEADER.search(clean_line(node.text()))
        if m:
            return _to_date(m.group(1))
    return None


def _entry_id(dt: LexborNode) -> tuple[str, int | None, bool] | None:
    """(id, version, has an HTML rendering) from a <dt>; the version shows only in the html link."""
    link = dt.css_first("a[title=Abstract]")
    ident = parse_arxiv_id((link.attributes.get("href") or "").removeprefix("/abs/")) if link else None
    if ident is None:
        return None
    paper_id, version = ident
    html = dt.css_first("a[title='View HTML']")
    html_ident = parse_arxiv_id(html.attributes.get("href")) if html else None
    if html_ident and html_ident[0] == paper_id:
        version = version or html_ident[1]
    return paper_id, version, html_ident is not None


def _field(dd: LexborNode, selector: str, label: str) -> str | None:
    node = dd.css_first(selector)
    if node is None:
        return None
    return clean_optional(re.sub(rf"^\s*{label}:", "", node.text(separator=""), count=1))


def _parse_entry(ident: tuple[str, int | None, bool], dd: LexborNode, day: date | None) -> Paper | None:
    paper_id, version, has_html = ident
    title = _field(dd, ".list-title", "Title")
    if not title:
        return None
    if day is None:
        # Monthly listings have no day headings: the id's month is the best date there is.
        day = _id_month(paper_id)
    subjects = _field(dd, ".list-subjects", "Subjects") or ""
    primary = dd.css_first(".primary-subject")
    terms = [_subject_term(primary.text())] if primary is not None else []
    terms += [_subject_term(part) for part in subjects.split(";")]
    return check_record(Paper(
        id=paper_id,
        version=version,
        title=title,
        authors=tuple(filter(None, (clean_name(a.text()) for a in dd.css(".list-authors a")))),
        # Listings have no submission time; the announcement day is an upper bound.
        published=datetime(day.year, day.month, day.day, tzinfo=UTC),
        announced=day,
        categories=clean_categories(terms),
        links=arxiv_ids.links(paper_id, version, html=has_html),
        journal_ref=_field(dd, ".list-journal-ref", "Journal-ref"),
        comment=_field(dd, ".list-comments", "Comments"),
        doi=_field(dd, ".list-doi", "DOI"),
        sources=("arxiv",),
    ))


def _subject_term(text: str) -> str:
    m = _SUBJECT.search(clean_line(text))
    return m.group(1) if m else ""


def _id_month(paper_id: str) -> date:
    year, month = arxiv_ids.id_month(paper_id)
    return date(year, month, 1)
