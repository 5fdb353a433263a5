"""The snapshot's own front-matter keys: their order, the required ones, and one checker per key.

Keys that sources add (`huggingface:`, `semanticscholar:`) are not listed here: each source
registers its own (sitegen.snapshot.extras), written after `comment:`, before `sources:`.

Each checker takes the parsed YAML value and a `fail(key, message)` that makes the
SnapshotError for that key's line; the first problem found is the one reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime

from sitegen import arxiv_ids, limits
from sitegen.categories import is_category
from sitegen.errors import ContentProblem, quoted
from sitegen.model import LINK_KINDS

CORE_KEYS = (
    "id", "version", "title", "authors", "published", "updated", "announced", "categories",
    "links", "doi", "journal_ref", "comment", "sources", "hidden",
)
REQUIRED = ("id", "title", "authors", "published", "categories")
SOURCE = re.compile(r"[a-z][a-z0-9_-]*")

class SnapshotError(ValueError):
    """A snapshot problem at a line of its file (1-based)."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line, self.message = line, message

    def problem(self, path: str) -> ContentProblem:
        return ContentProblem(path, self.line, self.message)


Fail = Callable[[str, str], SnapshotError]  # makes the error for a key's problem, at its line


def key_order(extra_keys: tuple[str, ...]) -> tuple[str, ...]:
    """Every key a snapshot may hold, in the order they are written."""
    at = CORE_KEYS.index("sources")
    return CORE_KEYS[:at] + extra_keys + CORE_KEYS[at:]


def check_keys(data: dict, fail: Fail, extra_keys: tuple[str, ...] = ()) -> None:
    unknown = [k for k in data if k not in CORE_KEYS and k not in extra_keys]
    if unknown:
        raise fail(str(unknown[0]), f"unknown key; expected one of {', '.join(key_order(extra_keys))}")
    for key in REQUIRED:
        if data.get(key) is None:
            raise SnapshotError(1, f"{key}: required key is missing")


def paper_id(value, fail: Fail) -> str:
    if not isinstance(value, str) or not arxiv_ids.is_valid_id(value):
        raise fail("id", f"{quoted(value)} is not a version-less arXiv id such as \"2311.02077\" or \"hep-th/9711200\"")
    return value


def title(value, fail: Fail) -> str:
    title = text(value, fail, "title")
    if not title.strip():
        raise fail("title", "must not be empty")
    return title


def authors(value, fail: Fail) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(a, str) for a in value):
        raise fail("authors", "must be a list of names in quotes")
    if len(value) > limits.MAX_AUTHORS:
        raise fail("authors", f"{len(value):,} names; at most {limits.MAX_AUTHORS:,} (a sanity cap four times "
                              "the longest real author list)")
    return value


def announced(value, published: datetime, fail: Fail) -> date:
    if value is None:
        return published.date()
    if not isinstance(value, date) or isinstance(value, datetime):
        raise fail("announced", "must be a date such as 2023-11-06")
    return day(value, fail, "announced")


def day(value: date, fail: Fail, key: str) -> date:
    """`value` itself, when it lies in limits.EARLIEST_DAY..LATEST_DAY."""
    problem = limits.day_problem(value)
    if problem:
        raise fail(key, problem)
    return value


def categories(value, fail: Fail) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(c, str) and is_category(c) for c in value):
        raise fail("categories", "must be a list of arXiv categories such as [cs.CV, cs.LG]")
    return value


def version(value, fail: Fail) -> int | None:
    if value is not None:
        problem = limits.count_problem(value, 1, limits.MAX_VERSION)
        if problem:
            raise fail("version", f"{problem}, or null")
    return value


def sources(value, fail: Fail) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(s, str) and SOURCE.fullmatch(s) for s in value):
        raise fail("sources", "must be a list of source names such as [arxiv, huggingface]")
    return value


def hidden(value, fail: Fail) -> bool:
    if not isinstance(value, bool):
        raise fail("hidden", "must be true or false")
    return value


def text(value, fail: Fail, key: str) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)  # a hand-written `title: 1984` is still a title
    elif isinstance(value, limits.LongNumber):
        value = value.text  # ... and so are forty digits
    if not isinstance(value, str):
        raise fail(key, "must be text in quotes")
    return value


def optional_text(value, fail: Fail, key: str) -> str | None:
    return None if value is None else text(value, fail, key)


def timestamp(value, fail: Fail, key: str) -> datetime:
    if isinstance(value, datetime):
        # Checked in its own offset first: 9999-12-31T23:59:59-01:00 has no UTC datetime.
        day(value.date(), fail, key)
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        day(value, fail, key)
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    raise fail(key, "must be a UTC timestamp such as 2023-11-03T17:59:55Z")


def links(value, paper_id: str, fail: Fail) -> dict[str, str]:
    if value is None:
        value = {}
    if not isinstance(value, dict):
        raise fail("links", "must be a mapping such as {abs: \"https://arxiv.org/abs/...\"}")
    for kind, url in value.items():
        if kind not in LINK_KINDS:
            raise fail("links", f"unknown link kind {quoted(kind)}; expected one of {', '.join(LINK_KINDS)}")
        if url is not None and not (isinstance(url, str) and re.match(r"https?://", url)):
            raise fail("links", f"{kind}: must be an http(s) URL in quotes")
    links = {"abs": arxiv_ids.abs_url(paper_id)}
    links.update({k: v for k, v in value.items() if v is not None})
    return {k: links[k] for k in LINK_KINDS if k in links}
