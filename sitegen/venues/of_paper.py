"""A paper's venue mark ("accepted at ICLR 2027") from its two sources, named one way.

- Semantic Scholar's venue (publicationVenue's name, else its venue string: `s2.accepted_at`,
  never "arXiv.org"): a venue of sitegen.venues.names when its significant words are exactly
  one of that venue's long names or acronyms ("Neural Information Processing Systems",
  "International Conference on Learning Representations (ICLR)"), else the name as Semantic
  Scholar gives it, which Semantic Scholar normalises ("Technological forecasting & social
  change").
- The arXiv comment (sitegen.venues.comment): a known venue and its year.

Semantic Scholar's record wins where both name a venue: it describes the published paper,
while a comment was written when a version was posted; a comment naming the same venue
gives it its year. A comment's venue serves where Semantic Scholar names none, or only a
venue the table does not know.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sitegen.sources.semanticscholar.record import s2_of
from sitegen.sources.text import clean_line
from sitegen.venues.comment import EARLIEST_YEAR, LATEST_YEAR, accepted_at
from sitegen.venues.names import VENUES, KnownVenue, significant
from sitegen.venues.tokens import tokens


@dataclass(frozen=True, slots=True)
class Venue:
    """Where a paper was accepted, as the site names it."""

    name: str  # the follow's name: "ICLR", or Semantic Scholar's venue as it wrote it
    key: str  # what papers of one venue share: "known:ICLR", or "s2:" + the name's significant words
    year: int | None = None  # the year a comment or Semantic Scholar gave, if any
    known: KnownVenue | None = None

    @property
    def label(self) -> str:
        """What the venue mark says: "ICLR 2027", "ICLR", "Technological forecasting & social change"."""
        return f"{self.name} {self.year}" if self.year else self.name


_BY_KEY = {key: v for v in VENUES for key in v.keys}
# Acronyms of one word, lower-cased, as Semantic Scholar's names may hold them: "(ICLR)".
_ACRONYM_WORDS: dict[str, KnownVenue] = {}
for _v in VENUES:
    for _a in _v.acronyms:
        _words = significant(_a)
        if len(_words) == 1:
            _ACRONYM_WORDS.setdefault(_words[0], _v)


def known_venue(name: str) -> tuple[KnownVenue | None, int | None]:
    """The table's venue that a venue name (Semantic Scholar's) is, and a year it holds, or
    (None, None): its significant words are one of the venue's long names, or that name with
    the venue's acronym, or the acronym alone ("ICLR 2023")."""
    words = significant(name)
    venue = _BY_KEY.get(words)
    if venue is None:
        acronyms = {_ACRONYM_WORDS[w] for w in words if w in _ACRONYM_WORDS}
        rest = tuple(w for w in words if w not in _ACRONYM_WORDS)
        if len(acronyms) == 1:
            (candidate,) = acronyms
            if not rest or _BY_KEY.get(rest) is candidate or _BY_KEY.get(words) is candidate:
                venue = candidate
    if venue is None:
        return None, None
    years = [int(t) for t in tokens(name) if len(t) == 4 and t.isascii() and t.isdigit()
             and EARLIEST_YEAR <= int(t) <= LATEST_YEAR]
    return venue, years[0] if len(set(years)) == 1 else None


def venue_of(paper: Any) -> Venue | None:
    """The paper's venue mark, or None (see the module docstring)."""
    s2 = s2_of(paper)
    return _venue(s2.accepted_at if s2 is not None else None, paper.comment)


@lru_cache(maxsize=1 << 16)
def _venue(s2_name: str | None, comment: str | None) -> Venue | None:
    # Memoised by the two strings: a card, the paper page and the follows ask for each paper.
    said = accepted_at(comment)
    # The snapshot is read from disk, which may hold what no fetch wrote (a control
    # character lxml refuses in a feed's title): cleaned as a fetched name is.
    s2_name = clean_line(s2_name)
    if s2_name:
        known, year = known_venue(s2_name)
        if known is not None:
            if year is None and said is not None and said.venue is known:
                year = said.year
            return _of_known(known, year)
        if said is None:
            return Venue(s2_name, "s2:" + " ".join(significant(s2_name) or (s2_name.casefold(),)))
    return _of_known(said.venue, said.year) if said is not None else None


def _of_known(venue: KnownVenue, year: int | None) -> Venue:
    return Venue(venue.short, "known:" + venue.short, year, venue)
