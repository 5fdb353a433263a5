"""Pieces every source's parser shares: arXiv ids, categories and timestamps read from
untrusted text, and the bounds a record must keep (sitegen.limits). Pure: no network code
lives in any parser.

A record with a value out of bounds (a date of year 9999, a 5000-digit count, a 100 KB title,
100,000 authors) is a BadRecord: its parser skips it and lists it among the answer's
`rejected`, the unit warns once naming the URL and the ids, and the answer's other records
are kept. Such records are never cut to fit: a reader's words are shown whole or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sitegen import arxiv_ids, limits
from sitegen.categories import is_category
from sitegen.errors import quoted
from sitegen.model import Paper
from sitegen.snapshot import extras


class BadRecord(Exception):
    """One record of an answer holds a value out of bounds; the message says which. Not a
    ValueError: no parser's `except ValueError` may take it for an unreadable value."""


def label(raw_id: str | None, position: int) -> str:
    """How a warning names a record: its arXiv id, else its place in the answer."""
    ident = parse_arxiv_id(raw_id)
    return ident[0] if ident else f"entry {position}"


@dataclass(frozen=True)
class Rejected:
    """A record an answer held that was skipped: its id (or "entry N") and why."""

    what: str
    reason: str

    def __str__(self) -> str:
        return f"{self.what} ({self.reason})"


def check_record(paper: Paper) -> Paper:
    """`paper` itself when every size, count and date in it is within sitegen.limits;
    BadRecord naming the first that is not. (Dates against the fetch's day: `too_new`.)"""
    caps = limits.TEXT_CAPS
    for key in ("title", "abstract", "comment", "journal_ref", "doi"):
        _check_length(key, getattr(paper, key))
    if len(paper.authors) > limits.MAX_AUTHORS:
        raise BadRecord(f"{len(paper.authors):,} authors; at most {limits.MAX_AUTHORS:,}")
    longest = max(paper.authors, key=len, default="")
    if len(longest) > caps["author"]:
        raise BadRecord(f"an author's name: {len(longest):,} characters; at most {caps['author']:,}")
    if paper.version is not None and not 1 <= paper.version <= limits.MAX_VERSION:
        raise BadRecord(f"version {paper.version:,}; expected 1..{limits.MAX_VERSION:,}")
    for name, record in paper.extras.items():  # each source's own checks, as for a snapshot
        owner = extras.key_of(name)
        owner.parse(owner.as_mapping(record), lambda field, message: BadRecord(f"{field}: {message}"))
        for text_key, text in owner.texts(record).items():
            _check_length(text_key, text)
    for key, day in _days(paper):
        problem = limits.day_problem(day)
        if problem:
            raise BadRecord(f"{key} {problem}")
    return paper


def too_new(paper: Paper, today: date) -> str | None:
    """Why `paper`, fetched on `today`, carries a date past limits.latest_fetched, or None."""
    for key, day in _days(paper):
        problem = limits.day_problem(day, limits.latest_fetched(today, key))
        if problem:
            return f"{key} {problem}"
    return None


def _days(paper: Paper) -> list[tuple[str, date]]:
    days: list[tuple[str, date]] = [("published", paper.published.date()), ("announced", paper.announced)]
    if paper.updated is not None:
        days.append(("updated", paper.updated.date()))
    for name, record in paper.extras.items():
        days += extras.key_of(name).days(record)
    return days


def _check_length(key: str, text: str | None) -> None:
    cap = limits.TEXT_CAPS[key]
    if text is not None and len(text) > cap:
        raise BadRecord(f"{key}: {len(text):,} characters; at most {cap:,}")


def parse_arxiv_id(raw: str | None) -> tuple[str, int | None] | None:
    """(version-less id, version) from an id, URL or OAI identifier; None if it is not one."""
    if not raw:
        return None
    try:
        base, version = arxiv_ids.split_id(raw)
    except ValueError:
        return None
    return (base, version) if arxiv_ids.is_valid_id(base) else None


def clean_categories(terms: Iterable[str | None]) -> tuple[str, ...]:
    """Categories in the given order (primary first), without duplicates or non-arXiv terms."""
    seen: dict[str, None] = {}
    for term in terms:
        term = (term or "").strip()
        if is_category(term):
            seen.setdefault(term, None)
    return tuple(seen)


def parse_timestamp(raw: str | None, key: str = "date") -> datetime | None:
    """An ISO 8601 timestamp as an aware UTC datetime, whole seconds; None if unreadable,
    BadRecord (naming `key`) if its day is outside limits.EARLIEST_DAY..LATEST_DAY.

    Snapshots store whole seconds, so dropping microseconds here keeps a re-fetched paper
    equal to the one read back from disk.
    """
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw.strip())
    except ValueError:
        return None
    return utc(value, key)


def utc(value: datetime, key: str) -> datetime:
    """`value` in UTC, whole seconds; BadRecord when its day is out of bounds, checked in its
    own offset first (9999-12-31T23:59:59-01:00 has no UTC datetime: OverflowError)."""
    problem = limits.day_problem(value.date())
    if problem:
        raise BadRecord(f"{key} {quoted(value.isoformat())}: {problem}")
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).replace(microsecond=0)
