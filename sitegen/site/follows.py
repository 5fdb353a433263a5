"""Follows: a page and a pair of feeds for every author rule and every venue the site's papers
were accepted at, beside the topics.

- An **author follow** for each entry of a topic's `authors` (sitegen.authors reads it), once
  however many topics list it: every published paper one of whose authors it names, in any
  topic. Always made, even before its first paper, so its feed can be subscribed to at once.
- A **venue follow** for each venue (sitegen.venues.of_paper: a known venue, from Semantic
  Scholar or the arXiv comment, or a venue Semantic Scholar names) with at least
  VENUE_MIN_PAPERS published papers: a venue with fewer is still named on its papers' pages
  and cards, but gets no page (no page of two papers for every workshop and journal
  Semantic Scholar knows, and no feed that would never speak).

Slugs are made of a-z, 0-9 and "-" only, never empty, at most SLUG_CHARS long, so a name
(untrusted: a venue's name comes from Semantic Scholar) can never lead a path out of
authors/ or venues/. A known venue's slug is the table's (venues/neurips/), so its URL never
moves; another venue's comes from its own key alone (the significant words its papers share):
those words when they are plain a-z, else their start and a digest (venue_follows), so no
venue's URL depends on which other venues the site has. An author rule's slug comes from its
name, "-2", "-3"... for a later rule of the same slug, in the order the topics list them.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from sitegen.authors import AuthorRule, Reading, ascii_fold, read_entry
from sitegen.site.load import Entry
from sitegen.site.model import Site
from sitegen.sources.text import clean_line
from sitegen.venues.names import VENUES
from sitegen.venues.of_paper import Venue, venue_of

VENUE_MIN_PAPERS = 5  # published papers a venue needs for its own page and feeds
SLUG_CHARS = 60
DIGITS = 12  # of a hashed slug: two of 10k venues alike in one site of 20,000 (then parted)
KNOWN_SLUGS = frozenset(v.slug for v in VENUES)
AUTHORS, VENUES_FOLDER, INDEX = "authors/", "venues/", "follows/"


@dataclass(frozen=True)
class Follow:
    """One author rule's or one venue's papers, newest first (as the site lists them)."""

    kind: str  # "author" or "venue"
    slug: str
    name: str  # "Daniel Khashabi" (the rule as first written), "ICLR", a venue's name
    entries: tuple[Entry, ...]
    topics: tuple[str, ...] = ()  # an author rule: the slugs of the topics that list it
    known: bool = False  # a venue of sitegen.venues.names

    @property
    def url(self) -> str:
        return f"{AUTHORS if self.kind == 'author' else VENUES_FOLDER}{self.slug}/"


@dataclass(frozen=True)
class Follows:
    authors: tuple[Follow, ...]  # in the order the topics list them
    venues: tuple[Follow, ...]  # by name
    venue_urls: dict[str, str] = field(default_factory=dict)  # Venue.key -> its page, for venues with one

    @property
    def every(self) -> tuple[Follow, ...]:
        return self.authors + self.venues

    def venue_url(self, venue: Venue | None) -> str | None:
        """The page of the venue a paper was accepted at, if it has one."""
        return self.venue_urls.get(venue.key) if venue is not None else None


@lru_cache(maxsize=2)
def follows(site: Site) -> Follows:
    """The site's follows, found once per site (by identity: Site hashes so)."""
    venues = venue_follows(site.entries)
    return Follows(author_follows(site), tuple(f for f, _ in venues), {key: f.url for f, key in venues})


def author_follows(site: Site) -> tuple[Follow, ...]:
    """One follow per distinct author entry of the topics (entries read alike are one)."""
    rules: dict[Reading, tuple[str, list[str]]] = {}  # reading -> (name as first written, topic slugs)
    for topic in site.config.topics:
        for text in topic.authors:
            reading = read_entry(text)
            name = clean_line(text)  # as a fetched name is: no control character in a feed's title
            if reading.surname and name:
                name, topics = rules.setdefault(reading, (name, []))
                if topic.slug not in topics:
                    topics.append(topic.slug)
    if not rules:
        return ()
    grouped: dict[str, list[Reading]] = {}
    for reading in rules:
        grouped.setdefault(reading.surname, []).append(reading)
    rule = AuthorRule({k: tuple(v) for k, v in grouped.items()})
    papers: dict[Reading, list[Entry]] = {reading: [] for reading in rules}
    for entry in site.entries:
        for reading in rule.matched(entry.paper.authors):
            papers[reading].append(entry)
    taken: set[str] = set()
    made = []
    for reading, (name, topics) in rules.items():
        slug = unique(slugify(display_name(name)) or "author", taken)
        made.append(Follow("author", slug, name, tuple(papers[reading]), tuple(topics)))
    return tuple(made)


def _grouped(entries: tuple[Entry, ...]) -> tuple[tuple[str, Venue, tuple[Entry, ...], str], ...]:
    """(key, a venue, its papers newest first, its name) of every venue with enough papers,
    by key. An unknown venue is named as Semantic Scholar writes it most often (ties: the
    first in sorted order), so the name does not depend on which paper came first."""
    papers: dict[str, list[Entry]] = {}
    venues: dict[str, Venue] = {}
    spellings: dict[str, Counter[str]] = {}
    for entry in entries:
        venue = venue_of(entry.paper)
        if venue is None:
            continue
        papers.setdefault(venue.key, []).append(entry)
        venues.setdefault(venue.key, venue)
        spellings.setdefault(venue.key, Counter())[venue.name] += 1
    out = []
    for key in sorted(papers):
        if len(papers[key]) >= VENUE_MIN_PAPERS:
            name = min(spellings[key].items(), key=lambda kv: (-kv[1], kv[0]))[0]
            out.append((key, venues[key], tuple(papers[key]), name))
    return tuple(out)


def venue_follows(entries: tuple[Entry, ...]) -> list[tuple[Follow, str]]:
    """Every venue follow with its Venue.key, by name.

    A slug must never move when another venue comes or goes, and two venues must never share
    one. So a venue's slug depends on its own key alone: its words joined by "-" when they are
    plain a-z words (those slugs are one-to-one with their keys and hold no digit), otherwise
    (accents or other scripts folded away, no word at all, too long, or a known venue's slug)
    their start and a digest of the key in decimal digits, which no plain slug has."""
    out: list[tuple[Follow, str]] = []
    taken: set[str] = set()
    for key, venue, listed, name in _grouped(entries):
        if venue.known is not None:
            slug = venue.known.slug
        else:
            words = key.partition(":")[2]
            base = slugify(words)
            plain = (base.replace("-", " ") == words and base.replace("-", "").isalpha()
                     and len(base) <= SLUG_CHARS and base not in KNOWN_SLUGS)
            slug = base if plain else hashed_slug(base, key)
            n = 1
            while slug in taken:  # two digests alike: never seen, but never two venues in one folder
                n += 1
                slug = hashed_slug(base, f"{key}#{n}")
        taken.add(slug)
        out.append((Follow("venue", slug, name, listed, known=venue.known is not None), key))
    out.sort(key=lambda pair: (pair[0].name.casefold(), pair[0].slug))
    return out


def display_name(entry: str) -> str:
    """"Khashabi, Daniel" as "Daniel Khashabi": the order a slug and a reader expect."""
    head, comma, tail = entry.partition(",")
    return f"{tail.strip()} {head.strip()}" if comma and tail.strip() else entry


def slugify(text: str) -> str:
    """Letters and digits of the text, ASCII-folded and lower-cased, words joined by "-":
    "José García-Pérez" -> "jose-garcia-perez"; "" when none is left."""
    out: list[str] = []
    dash = False
    for ch in ascii_fold(text).lower():
        if "a" <= ch <= "z" or "0" <= ch <= "9":
            if dash and out:
                out.append("-")
            out.append(ch)
            dash = False
        else:
            dash = True
    return "".join(out)


def hashed_slug(base: str, key: str) -> str:
    """The name's start and 12 decimal digits of a digest of its key ("venue-" for a name with
    no Latin letter): digits, so it is never a plain slug (letters only, venue_follows)."""
    digest = int.from_bytes(hashlib.sha256(key.encode("utf-8", "surrogatepass")).digest()[:8]) % 10**DIGITS
    return f"{(base[:SLUG_CHARS - DIGITS - 1].rstrip('-') or 'venue')}-{digest:0{DIGITS}d}"


def unique(slug: str, taken: set[str]) -> str:
    """The slug, cut to SLUG_CHARS, with "-2", "-3"... when an earlier follow has it."""
    slug = slug[:SLUG_CHARS].rstrip("-") or "author"
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        candidate = f"{slug[:SLUG_CHARS - len(str(n)) - 1].rstrip('-')}-{n}"
    taken.add(candidate)
    return candidate
