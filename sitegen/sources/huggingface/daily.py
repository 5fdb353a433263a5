"""Hugging Face Daily Papers (JSON): the community's picks, with upvotes, comments, repos, and
Hugging Face's AI summary and keywords, submitter and organization.

Hugging Face knows no arXiv categories and no versions, so its records carry `categories=()`
and only add to what arXiv says (see merge).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sitegen import arxiv_ids
from sitegen.errors import ParseError
from sitegen.limits import MAX_COUNT, LongNumber, count_problem, read_int
from sitegen.model import Paper
from sitegen.sources.huggingface.record import NAME, HuggingFace
from sitegen.sources.records import BadRecord, Rejected, check_record, label, parse_arxiv_id, parse_timestamp
from sitegen.sources.text import clean_abstract, clean_line, clean_name, clean_url

MAX_KEYWORDS = 20
_HANDLE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,95}")


def daily_url(api_url: str, day: date) -> str:
    """`<api_url>?date=YYYY-MM-DD`."""
    return f"{api_url}{'&' if '?' in api_url else '?'}date={day.isoformat()}"


@dataclass(frozen=True)
class DailyPage:
    """One daily_papers answer: its usable papers, and those skipped for a value out of bounds."""

    papers: tuple[Paper, ...]
    rejected: tuple[Rejected, ...] = ()


def _load(body: bytes, what: str) -> Any:  # JSON: checked field by field
    try:
        # Digits become int only up to limits.MAX_DIGITS: a 5000-digit `upvotes` is then
        # that paper's problem, named as such, not the whole answer's "malformed JSON".
        return json.loads(body, parse_int=read_int)
    except (ValueError, TypeError) as exc:  # JSONDecodeError and bad UTF-8 are ValueErrors
        raise ParseError(f"{what}: malformed JSON ({exc})") from None
    except RecursionError:  # "[[[[...": nesting deeper than any real response
        raise ParseError(f"{what}: malformed JSON (nested too deeply)") from None


def parse_daily(body: bytes, day: date | None = None) -> tuple[Paper, ...]:
    """The usable papers of a daily_papers response (see parse_daily_page)."""
    return parse_daily_page(body, day).papers


def parse_daily_page(body: bytes, day: date | None = None) -> DailyPage:
    """Papers from a daily_papers response (a JSON list of {paper: {...}, numComments, ...}).

    `featured` is the paper's submittedOnDailyAt day, else `day`. Items whose id is not an
    arXiv id, or that lack a title or date, are skipped; so are items with a value out of
    bounds, listed in `rejected`; a body of the wrong shape is a ParseError.
    """
    data = _load(body, "Hugging Face daily papers")
    if isinstance(data, dict) and isinstance(data.get("error"), str):
        raise ParseError(f"Hugging Face daily papers: {clean_line(data['error'])}")
    if not isinstance(data, list):
        raise ParseError(f"Hugging Face daily papers: expected a JSON list, got {type(data).__name__}")
    papers = []
    rejected: list[Rejected] = []
    for position, item in enumerate(data, 1):
        if not isinstance(item, dict) or not isinstance(item.get("paper"), dict):
            continue
        try:
            paper = _parse_paper(item["paper"], item, day)
        except BadRecord as exc:
            rejected.append(Rejected(label(_text(item["paper"].get("id")), position), str(exc)))
            continue
        if paper is not None:
            papers.append(paper)
    if data and not papers and not rejected and not any(isinstance(i, dict) and "paper" in i for i in data):
        raise ParseError("Hugging Face daily papers: no item has a 'paper' object")
    return DailyPage(tuple(papers), tuple(rejected))


def parse_paper(body: bytes, day: date | None = None) -> Paper:
    """One paper from the /api/papers/<id> detail response (the bare paper object)."""
    data = _load(body, "Hugging Face paper")
    if not isinstance(data, dict):
        raise ParseError(f"Hugging Face paper: expected a JSON object, got {type(data).__name__}")
    try:
        paper = _parse_paper(data, {}, day)
    except BadRecord as exc:
        raise ParseError(f"Hugging Face paper: {exc}") from None
    if paper is None:
        raise ParseError("Hugging Face paper: no usable arXiv id, title or date")
    return paper


def _count(value: object, key: str) -> int | None:
    """A count, or None when the answer gives none (null, text, a JSON true: bool is an int in
    Python); BadRecord for a number out of 0..MAX_COUNT."""
    if not isinstance(value, (int, LongNumber)) or isinstance(value, bool):
        return None
    problem = count_problem(value, 0, MAX_COUNT)
    if problem:
        raise BadRecord(f"{key}: {problem}")
    return value  # type: ignore[return-value]  # count_problem passed: an int


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _keywords(value: object) -> tuple[str, ...]:
    """AI keywords, cleaned, each once, at most MAX_KEYWORDS (real answers have 5-20)."""
    if not isinstance(value, list):
        return ()
    seen: dict[str, None] = {}
    for raw in value:
        word = clean_line(_text(raw))
        if word and len(word) <= 80:
            seen.setdefault(word, None)
    return tuple(seen)[:MAX_KEYWORDS]


def _handle(user: object) -> str | None:
    """A Hugging Face user name (`taesiri`): what its profile URL ends with, so only the
    characters Hugging Face allows in one."""
    name = _text(user.get("name") or user.get("user")) if isinstance(user, dict) else None
    return name if name and _HANDLE.fullmatch(name) else None


def _org_name(org: object) -> str | None:
    """An organization's full name ("California Institute of Technology"), else its handle."""
    if not isinstance(org, dict):
        return None
    return clean_line(_text(org.get("fullname")) or _text(org.get("name"))) or None


def _parse_paper(paper: dict, item: dict, day: date | None) -> Paper | None:
    ident = parse_arxiv_id(_text(paper.get("id")))
    title = clean_line(_text(paper.get("title")) or _text(item.get("title")))
    published = parse_timestamp(_text(paper.get("publishedAt")) or _text(item.get("publishedAt")), "publishedAt")
    if ident is None or not title or published is None:
        return None
    paper_id = ident[0]  # Hugging Face ids carry no version; if one does, it says nothing here
    submitted = parse_timestamp(_text(paper.get("submittedOnDailyAt")), "submittedOnDailyAt")
    featured = submitted.date() if submitted else day or published.date()
    raw_authors = paper.get("authors")
    authors = raw_authors if isinstance(raw_authors, list) else []
    links = arxiv_ids.links(paper_id, None, html=False)
    for kind, key in (("code", "githubRepo"), ("project", "projectPage")):
        url = clean_url(paper.get(key))
        if url:
            links[kind] = url
    return check_record(Paper(
        id=paper_id,
        title=title,
        authors=tuple(filter(None, (clean_name(_text(a.get("name")))
                                    for a in authors if isinstance(a, dict)))),
        published=published,
        categories=(),
        announced=featured,
        abstract=clean_abstract(_text(paper.get("summary")) or _text(item.get("summary"))),
        links=links,
        extras={NAME: HuggingFace(
            upvotes=_count(paper.get("upvotes"), "upvotes"),
            comments=_count(item.get("numComments"), "numComments"),
            featured=featured,
            github_stars=_count(paper.get("githubStars"), "githubStars"),
            ai_summary=clean_line(_text(paper.get("ai_summary"))) or None,
            ai_keywords=_keywords(paper.get("ai_keywords")),
            submitter=_handle(item.get("submittedBy")) or _handle(paper.get("submittedOnDailyBy")),
            organization=_org_name(item.get("organization")) or _org_name(paper.get("organization")),
        )},
        sources=("huggingface",),
    ))
