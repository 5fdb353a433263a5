"""What Hugging Face Daily Papers adds to a paper: its record in `Paper.extras["huggingface"]`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any


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

    def __reduce__(self) -> tuple[type[HuggingFace], tuple[object, ...]]:
        # Positional, not dataclasses' per-field getstate: the build cache pickles 100k of these.
        return (HuggingFace, (self.upvotes, self.comments, self.featured, self.github_stars, self.ai_summary,
                              self.ai_keywords, self.submitter, self.organization))


NAME = "huggingface"  # its key in Paper.extras and in the snapshot: the source's name


def hf_of(paper: Any) -> HuggingFace | None:
    """The paper's Hugging Face record, if it has one."""
    return paper.extras.get(NAME)


def upvotes_of(paper: Any) -> int:
    """The paper's Hugging Face upvotes; 0 when it has none or they are unknown."""
    hf = paper.extras.get(NAME)
    return hf.upvotes if hf is not None and hf.upvotes else 0
