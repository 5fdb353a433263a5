"""How many bytes of output/ an announcement day and the rest of the site cost: an estimate
from the snapshots alone, for `[build] max_site_mb` (sitegen.site.retention).

Why a model and not the rendered bytes: an incremental build renders only the pages whose
inputs changed, and a page that has left the site is not rendered at all, so "what the pages
weigh" would depend on what the last build left behind. The model reads only the site model
(titles, abstracts, authors, topics, feeds), so the same content and config always give the
same estimate, and the same cut, cold or incremental, with or without a cache.

Each output unit weighs its own files (`Output.weight`: the paper pages in
sitegen.render.outputs.paper, the feeds in .feeds, ...), as a Weight: bytes per announcement
day, which leave with the day's pages, and the rest, which stay. This module adds them up and
holds what several units share (a card's bytes, the text a paper repeats).

The constants are least-squares fits of the pages the bundled templates render, measured on the
shipped content and on benchmarks/build.py's synthetic site (tests/test_retention.py checks the
estimate against a real build); they lean high (rounded up), so the cut errs toward a smaller
site. A fork whose templates render much heavier pages should leave more margin under 1 GB.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from sitegen.sources.huggingface.record import hf_of
from sitegen.sources.semanticscholar.record import s2_of

if TYPE_CHECKING:
    from sitegen.site.load import Entry
    from sitegen.site.model import Day, Site

# A card on a day page or a topic front page: on the newest FULL_ABSTRACT_DAYS days the whole
# abstract (folded), on older days its first sentences (at most LEAD_BYTES of it) and a link.
# The title and authors' names count PER_NAME_BYTE each on a lead card.
CARD_BASE, CARD_PER_TEXT_BYTE = 280, 1.5
LEAD_CARD_BASE, LEAD_BYTES = 270, 300
PER_NAME_BYTE = 1.4
# The pages, assets and scripts that no unit weighs, because they do not grow with the papers:
# the index, the lists of days and topics, static/, 404.html, robots.txt.
SITE_BASE = 100_000
# The fixed part is fitted less well than the per-day part (it grows with papers x topics).
# Refit after the search markup left the pages and lead cards got shorter, it runs 11-14% high
# on its own (2k and 10k papers in 20 topics, five categories at 22.6k): no margin needed; kept
# as the knob a refit turns when it runs short (it fell 6% short once, hence a 1.15 margin then).
FIXED_MARGIN = 1.0


@dataclass(frozen=True)
class Weight:
    """What one output unit's files weigh, estimated: bytes per announcement day (those leave
    the site with the day's paper and day pages) and the rest (those stay)."""

    days: Mapping[date, float] = field(default_factory=dict)
    rest: float = 0


@dataclass(frozen=True)
class DayCost:
    """What leaves output/ when a day's paper pages and day page are retired."""

    day: Day
    bytes: int


@dataclass(frozen=True)
class Estimate:
    """The site's estimated bytes: each day's, newest first (as site.days), and the rest."""

    days: list[DayCost]
    fixed: int

    @property
    def total(self) -> int:
        return self.fixed + sum(cost.bytes for cost in self.days)


def estimate(site: Site, weights: Iterable[Weight]) -> Estimate:
    """Every unit's weight added up, by day and for the rest."""
    weights = list(weights)
    days = [DayCost(day, round(sum(w.days.get(day.date, 0) for w in weights))) for day in site.days]
    return Estimate(days, round((SITE_BASE + sum(w.rest for w in weights)) * FIXED_MARGIN))


def text_bytes(entry: Entry) -> int:
    """The UTF-8 bytes of what a paper's pages repeat: title, abstract, authors, comment,
    Hugging Face's summary and Semantic Scholar's TLDR and venue."""
    paper = entry.paper
    parts = [paper.title, paper.abstract, paper.comment or "", *paper.authors]
    hf = hf_of(paper)
    if hf is not None:
        parts += [hf.ai_summary or "", *(hf.ai_keywords or ())]
    s2 = s2_of(paper)
    if s2 is not None:  # its TLDR and venue (counted even where HF's summary stands in: leans high)
        parts += [s2.tldr or "", s2.venue or ""]
    return sum(len(part.encode("utf-8")) for part in parts)


def name_bytes(entry: Entry) -> int:
    """The UTF-8 bytes of a paper's title and authors: what every card of it shows."""
    return len(entry.paper.title.encode("utf-8")) + sum(len(a.encode("utf-8")) for a in entry.paper.authors)


def card_bytes(entry: Entry, full: bool) -> float:
    """Its card on a day or topic front page: the whole abstract folded, or its first lines."""
    if full:
        return CARD_BASE + CARD_PER_TEXT_BYTE * text_bytes(entry)
    return (LEAD_CARD_BASE + PER_NAME_BYTE * name_bytes(entry)
            + min(len(entry.paper.abstract.encode("utf-8")), LEAD_BYTES))
