"""What Semantic Scholar adds to a paper: its record in `Paper.extras["semanticscholar"]`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sitegen.urls import encode_link

NAME = "semanticscholar"  # its key in Paper.extras and in the snapshot: the source's name

# Venue names that say "a preprint on arXiv", not where a paper was accepted: Semantic Scholar
# gives arXiv-only papers the venue "arXiv.org" (publicationVenue) or "ArXiv" (venue).
_NOT_VENUES = frozenset({"", "arxiv", "arxiv.org", "arxiv (cornell university)"})
VENUE_CHARS = 300  # the longest real venue names ("Proceedings of the ... Conference on ...") ~200
TLDR_CHARS = 2000  # a TLDR is one sentence; longer is not one


@dataclass(frozen=True, slots=True)
class SemanticScholar:
    """What Semantic Scholar knows of a paper; every field may be unknown."""

    citations: int | None = None  # citationCount
    influential_citations: int | None = None  # influentialCitationCount
    venue: str | None = None  # where it was published (publicationVenue's name, else venue)
    tldr: str | None = None  # its one-sentence machine summary (tldr.text)
    pdf: str | None = None  # an open-access PDF (openAccessPdf.url)
    paper_id: str | None = None  # Semantic Scholar's own id (40 hex digits): its page

    def __reduce__(self) -> tuple[type[SemanticScholar], tuple[object, ...]]:
        # Positional, as Paper's: the build cache pickles a record per paper.
        return (SemanticScholar, (self.citations, self.influential_citations, self.venue, self.tldr, self.pdf,
                                  self.paper_id))

    @property
    def accepted_at(self) -> str | None:
        """The venue, when it names one (not "arXiv.org": being on arXiv is no acceptance)."""
        return self.venue if is_venue(self.venue) else None

    @property
    def url(self) -> str | None:
        """Its page on Semantic Scholar."""
        return f"https://www.semanticscholar.org/paper/{self.paper_id}" if self.paper_id else None

    @property
    def open_pdf(self) -> str | None:
        """The open-access PDF as a valid link, unless it is arXiv's own (the page links that)."""
        link = encode_link(self.pdf) if self.pdf else None
        host = (urlsplit(link).hostname or "") if link else ""
        return None if not link or host == "arxiv.org" or host.endswith(".arxiv.org") else link


def is_venue(name: str | None) -> bool:
    return bool(name) and name.strip().lower() not in _NOT_VENUES  # type: ignore[union-attr]


def s2_of(paper: Any) -> SemanticScholar | None:
    """The paper's Semantic Scholar record, if it has one."""
    return paper.extras.get(NAME)


def citations_of(paper: Any) -> int:
    """Its citation count; 0 when unknown (a paper Semantic Scholar has not answered for)."""
    s2 = paper.extras.get(NAME)
    return s2.citations if s2 is not None and s2.citations else 0
