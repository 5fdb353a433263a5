"""The data every stage shares: papers as read from snapshots or sources. Frozen, no I/O."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

# Link kinds a snapshot may carry, in the order they are written and shown.
LINK_KINDS = ("abs", "pdf", "html", "code", "project")


@dataclass(frozen=True, slots=True)
class Paper:
    """One paper, keyed by its version-less arXiv id.

    `links` holds only kinds from LINK_KINDS, in that order. `announced` is the day the paper
    first appeared in a source; it drives daily pages and feed order. `extras` is what sources
    add beside arXiv's record, by source name (`"huggingface"`: its upvotes and AI summary;
    `"semanticscholar"`: citations, venue, TLDR): each value is the source's own frozen record,
    read, written and merged by the snapshot key it registers (sitegen.snapshot.extras), so a
    new source needs no field here.
    """

    id: str
    title: str
    authors: tuple[str, ...]
    published: datetime
    categories: tuple[str, ...]
    announced: date
    abstract: str = ""
    version: int | None = None
    updated: datetime | None = None
    links: dict[str, str] = field(default_factory=dict)
    doi: str | None = None
    journal_ref: str | None = None
    comment: str | None = None
    extras: Mapping[str, Any] = field(default_factory=dict)
    sources: tuple[str, ...] = ()
    hidden: bool = False

    def __reduce__(self):
        # Positional, not dataclasses' per-field getstate: 3x faster for the build cache.
        return (Paper, tuple(getattr(self, name) for name in _PAPER_FIELDS))

    def extra(self, name: str) -> Any:
        """The record source `name` added to this paper, or None."""
        return self.extras.get(name)

    @property
    def primary_category(self) -> str | None:
        return self.categories[0] if self.categories else None

    @property
    def last_changed(self) -> datetime:
        """When the newest known version appeared (feeds' item `updated`)."""
        return self.updated or self.published


_PAPER_FIELDS = tuple(Paper.__dataclass_fields__)

