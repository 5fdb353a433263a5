"""The merge rule: one paper per version-less arXiv id, whatever sources and snapshots say.

`merge(existing, incoming)` is deterministic and idempotent, so re-fetching what is already
known rewrites no byte. `first_of_each` is the rule for one response that lists an id more
than once: the first record wins whole, before anything is merged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime
from typing import TypeVar

from sitegen import arxiv_ids
from sitegen.model import LINK_KINDS, Paper
from sitegen.snapshot import extras

T = TypeVar("T")

_ARXIV_LINKS = ("abs", "pdf", "html")
_ADDED_LINKS = ("code", "project")  # what Hugging Face (or a hand edit) adds


def first_of_each(records: Iterable[T], key: Callable[[T], str]) -> tuple[list[T], list[str]]:
    """One record per id from a single response: the first in response order wins whole.

    Two records of one id in one answer (a Hugging Face day, an API page, an RSS batch, a
    listing page) are two accounts of one paper at one moment, with nothing to say which is
    right; merging them field by field would make a record neither of them is (one's title,
    the other's upvotes). So the later ones are dropped. Returns (kept records in order,
    the ids that came more than once, in order) so the caller can warn.
    """
    kept: list[T] = []
    seen: set[str] = set()
    repeated: dict[str, None] = {}
    for record in records:
        ident = key(record)
        if ident in seen:
            repeated.setdefault(ident, None)
            continue
        seen.add(ident)
        kept.append(record)
    return kept, list(repeated)


def merge(existing: Paper | None, incoming: Paper) -> Paper:
    """The paper as known after `incoming` arrives on top of `existing` (None if new).

    - arXiv metadata (title, abstract, authors, categories, version, dates, doi, journal_ref,
      comment, abs/pdf/html links) comes from the record with the newest version: higher
      `version`, or the same version with a newer `updated`; on a tie `existing` stays, so a
      hand edit survives re-fetching the same version. An arXiv record always beats a
      non-arXiv one (Hugging Face, a hand-written snapshot) here.
    - Every value the winner lacks is filled from the other record, so hand-added keys the
      source does not provide (links.code, doi, ...) survive.
    - What sources add (`extras`: Hugging Face's stats and AI summary, Semantic Scholar's
      citations) is merged by each source's own rule (sitegen.snapshot.extras); code/project
      links: the incoming value where it has one. They sit beside arXiv's metadata and never
      replace it (an AI summary is not the abstract).
    - `announced` is the earliest day any source showed the paper; `published` the earliest
      time two arXiv records give (RSS and listings only know an upper bound); `updated`
      the newer version's date, for two records of one version the earlier (the API's exact
      time beats the RSS feed's bound), else the latest; `sources` the sorted union;
      `hidden` survives.
    - `comment` belongs to its version (authors write "v3: camera-ready"): an arXiv record of
      a newer version brings its own, or none, never the older version's. (The RSS feed
      gives no comment; fetch asks the API for the new version's.)
    """
    if existing is None:
        return _normal(incoming)
    if existing.id != incoming.id:
        raise ValueError(f"cannot merge {incoming.id!r} into {existing.id!r}")
    winner, other = (incoming, existing) if _wins(incoming, existing) else (existing, incoming)
    both_arxiv = _is_arxiv(existing) and _is_arxiv(incoming)
    newer_version = both_arxiv and _newer_version(winner, other)
    if both_arxiv:
        published = min(existing.published, incoming.published)
        updated: datetime | None
        if newer_version and winner.updated is not None:
            updated = winner.updated  # the date of the version the record describes
        else:
            same = existing.version is not None and existing.version == incoming.version
            updated = (_earliest if same else _latest)(existing.updated, incoming.updated)
    else:
        published = winner.published
        updated = winner.updated if winner.updated is not None else other.updated
    links: dict[str, str | None] = {k: winner.links.get(k) or other.links.get(k) for k in _ARXIV_LINKS}
    links.update({k: incoming.links.get(k) or existing.links.get(k) for k in _ADDED_LINKS})
    links["abs"] = arxiv_ids.abs_url(existing.id)
    return Paper(
        id=existing.id,
        version=winner.version if winner.version is not None else other.version,
        title=winner.title or other.title,
        authors=winner.authors or other.authors,
        published=published,
        updated=updated,
        announced=min(existing.announced, incoming.announced),
        categories=winner.categories or other.categories,
        abstract=winner.abstract or other.abstract,
        links={k: link for k in LINK_KINDS if (link := links.get(k))},
        doi=extras.known(winner.doi, other.doi),
        journal_ref=extras.known(winner.journal_ref, other.journal_ref),
        comment=winner.comment if newer_version else extras.known(winner.comment, other.comment),
        extras=extras.merge_all(existing.extras, incoming.extras),
        sources=tuple(sorted(set(existing.sources) | set(incoming.sources))),
        hidden=existing.hidden or incoming.hidden,
    )


def annotate(paper: Paper, source: str, key: str, record) -> Paper:
    """The paper once `source`'s record under `key` (what it knows of a paper it did not
    give: Semantic Scholar's citations) is merged in by that key's rule; the source joins
    `sources`. Nothing else changes, so an annotation that says nothing new changes no byte."""
    merged = extras.merge_all(paper.extras, {key: record})
    return replace(paper, extras=merged, sources=tuple(sorted({*paper.sources, source})))


def _is_arxiv(paper: Paper) -> bool:
    return "arxiv" in paper.sources


def _wins(incoming: Paper, existing: Paper) -> bool:
    """True when `incoming` carries newer arXiv metadata than `existing`."""
    if _is_arxiv(incoming) != _is_arxiv(existing):
        return _is_arxiv(incoming)
    new_v, old_v = incoming.version or 0, existing.version or 0
    if new_v != old_v:
        return new_v > old_v
    return incoming.updated is not None and (existing.updated is None or incoming.updated > existing.updated)


def _newer_version(winner: Paper, other: Paper) -> bool:
    """True when both versions are known and the winner's is the higher."""
    return winner.version is not None and other.version is not None and winner.version > other.version


def _latest(a, b):
    if a is None or b is None:
        return a if b is None else b
    return max(a, b)


def _earliest(a, b):
    if a is None or b is None:
        return a if b is None else b
    return min(a, b)


def _normal(paper: Paper) -> Paper:
    """The canonical form merge returns: sorted unique sources, links in LINK_KINDS order."""
    links = {**paper.links, "abs": arxiv_ids.abs_url(paper.id)}
    return replace(
        paper,
        sources=tuple(sorted(set(paper.sources))),
        links={k: links[k] for k in LINK_KINDS if links.get(k)},
    )
