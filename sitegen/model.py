"""The data every stage shares: papers as read from snapshots or sources. Frozen, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

# Link kinds a snapshot may carry, in the order they are written and shown.
LINK_KINDS = ("abs", "pdf", "html", "code", "project")


@dataclass(frozen=True, slots=True)
class HuggingFace:
    """What Hugging Face Daily Papers adds to a paper; every field may be unknown."""

    upvotes: int | None = None
    comments: int | None = None
    featured: date | None = None
    github_stars: int | None = None
    ai_summary: str | None = None  # Hugging Face's one-sentence AI summary of the abstract
    ai_keywords: tuple[str, ...] = ()  # its AI-extracted keywords, in its order
    submitter: str | None = None  # the Hugging Face user who submitted it to Daily Papers
    organization: str | None = None  # the organization it was submitted for, by its full name

    def __reduce__(self):
        # Positional, not dataclasses' per-field getstate: the build cache pickles 100k of these.
        return (HuggingFace, (self.upvotes, self.comments, self.featured, self.github_stars, self.ai_summary,
                              self.ai_keywords, self.submitter, self.organization))


@dataclass(frozen=True, slots=True)
class Paper:
    """One paper, keyed by its version-less arXiv id.

    `links` holds only kinds from LINK_KINDS, in that order. `announced` is the day the paper
    first appeared in a source; it drives daily pages and feed order.
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
    huggingface: HuggingFace | None = None
    sources: tuple[str, ...] = ()
    hidden: bool = False

    def __reduce__(self):
        # Positional, not dataclasses' per-field getstate: 3x faster for the build cache.
        return (Paper, tuple(getattr(self, name) for name in _PAPER_FIELDS))

    @property
    def primary_category(self) -> str | None:
        return self.categories[0] if self.categories else None

    @property
    def last_changed(self) -> datetime:
        """When the newest known version appeared (feeds' item `updated`)."""
        return self.updated or self.published


_PAPER_FIELDS = tuple(Paper.__dataclass_fields__)

