"""Pieces every source's parser shares: arXiv ids, categories and timestamps read from
untrusted text. Pure: no network code lives in any parser."""

from __future__ import annotations

from datetime import UTC, datetime

from sitegen import arxiv_ids
from sitegen.categories import is_category


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
        if is_category(term):
            seen.setdefault(term, None)
    return tuple(seen)


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
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).replace(microsecond=0)
