"""Semantic Scholar's batch lookup (JSON), both ways: the request for a list of arXiv ids and
the records its answer holds. Pure: no network code.

`POST <api_url>?fields=...` with `{"ids": ["ARXIV:1706.03762", ...]}` (at most 500 ids)
answers a JSON list in the order asked, `null` for an id Semantic Scholar does not know. Each
element is a paper object with the fields asked for (and `paperId`, always). Answers are
matched to ids by position, and where an element names its arXiv id (`externalIds.ArXiv`)
that must be the id asked for: a list shifted by one would otherwise give every paper its
neighbour's citations. An element that names another id is dropped, with a warning.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from sitegen.errors import ParseError
from sitegen.sources.records import parse_arxiv_id
from sitegen.sources.semanticscholar.record import TLDR_CHARS, VENUE_CHARS, SemanticScholar, is_venue
from sitegen.sources.semanticscholar.snapshot_key import MAX_COUNT
from sitegen.sources.text import clean_line, clean_url

MAX_IDS = 500  # Semantic Scholar's limit for one batch request
FIELDS = "externalIds,citationCount,influentialCitationCount,tldr,venue,publicationVenue,openAccessPdf"
_PAPER_ID = re.compile(r"[0-9a-f]{40}")
_WHAT = "Semantic Scholar batch"


def request_body(ids: list[str]) -> dict:
    """The JSON body asking for these version-less arXiv ids."""
    if len(ids) > MAX_IDS:
        raise ValueError(f"at most {MAX_IDS} ids a batch, got {len(ids)}")
    return {"ids": [f"ARXIV:{paper_id}" for paper_id in ids]}


@dataclass
class BatchAnswer:
    """What one answer said: records by id (in the order asked), the ids it does not know,
    and (id asked, id answered) for every element that named another paper."""

    records: list[tuple[str, SemanticScholar]] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    mismatched: list[tuple[str, str]] = field(default_factory=list)


def parse_batch(body: bytes, ids: list[str]) -> BatchAnswer:
    """The answer to a batch request for `ids`; ParseError for a body of the wrong shape (not
    JSON, not a list, or not one element per id: matching by position would then be a guess)."""
    data = _load(body)
    if not isinstance(data, list):
        raise ParseError(f"{_WHAT}: expected a JSON list, got {type(data).__name__}")
    if len(data) != len(ids):
        raise ParseError(f"{_WHAT}: {len(data)} answers for {len(ids)} ids; they cannot be matched by position")
    answer = BatchAnswer()
    for paper_id, element in zip(ids, data, strict=True):
        if element is None:
            answer.unknown.append(paper_id)
            continue
        if not isinstance(element, dict):
            raise ParseError(f"{_WHAT}: element for {paper_id} is a {type(element).__name__}, not a paper object")
        named = arxiv_id_of(element)
        if named is not None and named != paper_id:
            answer.mismatched.append((paper_id, named))
            continue
        record = parse_paper_object(element)
        if record is None:
            answer.unknown.append(paper_id)
        else:
            answer.records.append((paper_id, record))
    return answer


def error_of(body: bytes) -> str:
    """What an error answer (`{"error": "..."}`, HTTP 400 or 404) says, as one bounded line."""
    try:
        data = json.loads(body)
    except (ValueError, TypeError, RecursionError):
        data = None
    said = data.get("error") if isinstance(data, dict) else None
    return clean_line(said)[:300] if isinstance(said, str) and said.strip() else "no error message"


def arxiv_id_of(element: dict) -> str | None:
    """The version-less arXiv id the paper object names (`externalIds.ArXiv`), if any.
    A value that is not an arXiv id names "something else" (its text, shown in the warning)."""
    external = element.get("externalIds")
    raw = external.get("ArXiv") if isinstance(external, dict) else None
    if raw is None:
        return None
    parsed = parse_arxiv_id(raw) if isinstance(raw, str) else None
    return parsed[0] if parsed is not None else clean_line(str(raw))[:40] or "?"


def parse_paper_object(element: dict) -> SemanticScholar | None:
    """The record one paper object holds (a batch element, or `data[0]` of a search/match
    answer: the same object); None when it holds nothing this source keeps. Values of the
    wrong type or out of range are left out, never guessed at."""
    record = SemanticScholar(
        citations=_count(element.get("citationCount")),
        influential_citations=_count(element.get("influentialCitationCount")),
        venue=_venue(element),
        tldr=_tldr(element.get("tldr")),
        pdf=_pdf(element.get("openAccessPdf")),
        paper_id=_paper_id(element.get("paperId")),
    )
    return record if record != SemanticScholar() else None


def _load(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, TypeError) as exc:  # JSONDecodeError and bad UTF-8 are ValueErrors
        raise ParseError(f"{_WHAT}: malformed JSON ({exc})") from None
    except RecursionError:  # "[[[[...": nesting deeper than any real answer
        raise ParseError(f"{_WHAT}: malformed JSON (nested too deeply)") from None


def _count(value: object) -> int | None:
    # bool is an int in Python; a JSON true is not a count.
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_COUNT:
        return value
    return None


def _venue(element: dict) -> str | None:
    """publicationVenue's name (Semantic Scholar's normalised venue), else `venue`; None for
    arXiv itself or an empty one: a preprint's venue says nothing about acceptance."""
    venue = element.get("publicationVenue")
    for raw in (venue.get("name") if isinstance(venue, dict) else None, element.get("venue")):
        name = clean_line(raw) if isinstance(raw, str) else ""
        if is_venue(name) and len(name) <= VENUE_CHARS:
            return name
    return None


def _tldr(value: object) -> str | None:
    """`{"model": "tldr@v2.0.0", "text": "..."}`; null when Semantic Scholar has none."""
    text = clean_line(value.get("text")) if isinstance(value, dict) and isinstance(value.get("text"), str) else ""
    return text if text and len(text) <= TLDR_CHARS else None


def _pdf(value: object) -> str | None:
    """The open-access PDF's URL; none for `null` and for `{"url": "", "status": null, ...}`,
    both of which Semantic Scholar sends for "no open-access PDF"."""
    url = value.get("url") if isinstance(value, dict) else None
    return clean_url(url) if isinstance(url, str) and url.strip() else None


def _paper_id(value: object) -> str | None:
    return value if isinstance(value, str) and _PAPER_ID.fullmatch(value) else None
