"""weeks/YYYY-Www/ and months/YYYY-MM/: a period's best papers per topic, and weeks/, the list
of every week and month (linked from the index, days/ and each day page).

A period page lists, per topic, its PICKS highest-ranked papers (sitegen.site.periods: Hugging
Face upvotes plus Semantic Scholar citations; papers with neither after them, newest first) as
title links with their counts, and how many more the topic has, which the period's day pages
(linked at the top) list in full. Titles, not cards: a paper is in a week and a month once
per topic it is in, and a card there cost more than the byte budget allows (README, Size and
retention); the title, its counts and the day pages one click away are what a reader who
reads once a week scans.

Stable: a page's bytes depend only on its own papers, its neighbours (the previous and next
period with papers) and whether it is over, so a new paper rewrites its week's and month's
pages and, once, when a new period begins, the page before it (its "next" link; it is over).
Retired papers ([build] max_site_mb) link to arXiv, retired days are named without a link.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from sitegen.config.settings import TopicConfig
from sitegen.render.outputs.base import Output, Page, SitemapUrl, digests, fingerprint, retired_part
from sitegen.render.outputs.registry import register
from sitegen.site.load import Entry
from sitegen.site.model import Site, output_path
from sitegen.site.periods import MONTH, WEEK, Period, Span, closed, month_of, score, spans, week_of
from sitegen.site.size_model import Weight

if TYPE_CHECKING:
    from sitegen.render.renderer import Renderer

PICKS = 10  # papers a topic's section lists by title; "N more" for the rest
# What a period page weighs (sitegen.site.size_model): its layout, a link per day, each topic's
# section, and each listed paper's line and title (HTML, MathML included). Fitted to the pages
# of benchmarks/site_bytes.py at 22.6k papers, with and without Semantic Scholar's counts
# (the fit's worst page 6% over it); these lean 15-20% above the fit.
PERIOD_BASE, DAY_LINK, SECTION_BYTES, PICK_BASE, PICK_PER_TITLE_BYTE = 3500, 150, 250, 90, 1.5
LIST_LINE = 200  # a period's part of weeks/ and its sitemap line


@dataclass(frozen=True)
class Picks:
    """One topic's part of a period page."""

    topic: TopicConfig
    total: int  # the topic's papers in the period
    shown: tuple[Entry, ...]  # its first PICKS, ranked
    ranked: int  # how many of `shown` have a score (upvotes or citations)

    @property
    def more(self) -> int:
        return self.total - len(self.shown)


@dataclass(frozen=True)
class PeriodView:
    """Everything a period page shows."""

    period: Period
    total: int  # distinct papers
    days: tuple[tuple[date, int, bool], ...]  # (day, papers, has its page), oldest first
    sections: tuple[Picks, ...]  # topics with papers in the period, in config order
    prev: Period | None  # the previous period with papers
    next: Period | None
    over: bool  # a later period has papers (sitegen.site.periods.closed)
    related: tuple[Period, ...]  # a week's months, a month's weeks

    @property
    def last_day(self) -> date:
        return self.days[-1][0]


def picks_of(span: Span, topics: Iterable[TopicConfig], limit: int = PICKS) -> tuple[Picks, ...]:
    """Each topic's ranked papers of the span (topics without any left out): period_order's
    first `limit`, found without sorting each topic's papers (a busy month holds thousands,
    every build ranks every period), each paper scored once and visited once per topic."""
    scores = {e.slug: score(e) for e in span.entries}
    mine: dict[str, list[Entry]] = {}
    for e in span.entries:  # the site's order, which nsmallest keeps for ties, as sorted() would
        for slug in e.topics:
            mine.setdefault(slug, []).append(e)
    found = []
    for t in topics:
        papers = mine.get(t.slug)
        if papers:
            shown = tuple(heapq.nsmallest(limit, papers, key=lambda e: -scores[e.slug]))
            found.append(Picks(t, len(papers), shown, sum(1 for e in shown if scores[e.slug])))
    return tuple(found)


@lru_cache(maxsize=2)
def period_views(site: Site) -> dict[str, tuple[PeriodView, ...]]:
    """{WEEK: views newest first, MONTH: ...} of every period with papers, retired ones too
    (their papers are listed, linking to arXiv)."""
    kept = {d.date for d in site.days}
    newest = site.entries[0].paper.announced if site.entries else None
    every = {kind: spans(site.entries, kind) for kind in (WEEK, MONTH)}
    views: dict[str, tuple[PeriodView, ...]] = {}
    for kind, found in every.items():
        other = MONTH if kind == WEEK else WEEK
        others = {s.period for s in every[other]}
        made = []
        for i, span in enumerate(found):
            counts: dict[date, int] = {}
            for e in span.entries:
                counts[e.paper.announced] = counts.get(e.paper.announced, 0) + 1
            days = tuple((d, counts[d], d in kept) for d in sorted(counts))
            related = sorted({(month_of if kind == WEEK else week_of)(d) for d in counts} & others)
            made.append(PeriodView(span.period, len(span.entries), days, picks_of(span, site.config.topics),
                                   found[i + 1].period if i + 1 < len(found) else None,
                                   found[i - 1].period if i else None, closed(span.period, newest), tuple(related)))
        views[kind] = tuple(made)
    return views


def view_fingerprint(site: Site, view: PeriodView) -> str:
    shown = [e for s in view.sections for e in s.shown]
    return fingerprint(view.period, view.days, view.prev, view.next, view.over, view.related,
                       [(s.topic.slug, s.total, digests(s.shown)) for s in view.sections],
                       *retired_part(site, shown))


@register
class PeriodPages(Output[tuple[str, int]]):
    name = "periods"
    templates = ("period.html",)
    caches = (period_views,)
    sitemap_order = 70  # grows with the site, by a page a week: before day and paper pages

    def plan(self, site: Site, renderer: Renderer) -> list[Page[tuple[str, int]]]:
        return [Page(output_path(view.period.url), self.name, (kind, i), view_fingerprint(site, view))
                for kind, views in period_views(site).items() for i, view in enumerate(views)]

    def render(self, page: Page[tuple[str, int]], site: Site, renderer: Renderer) -> bytes:
        kind, i = page.key
        view = period_views(site)[kind][i]
        return renderer.render("period.html", view.period.url, view=view)

    def sitemap(self, site: Site, renderer: Renderer) -> Iterable[SitemapUrl]:
        return [(v.period.url, v.last_day) for views in period_views(site).values() for v in reversed(views)]

    def weight(self, site: Site) -> Weight:
        total: float = 0
        for views in period_views(site).values():
            for v in views:
                total += PERIOD_BASE + LIST_LINE + DAY_LINK * len(v.days) + SECTION_BYTES * len(v.sections) + sum(
                    PICK_BASE + PICK_PER_TITLE_BYTE * len(e.title_html.encode()) for s in v.sections for e in s.shown)
        return Weight(rest=total)


@register
class PeriodList(Output[None]):
    """weeks/: every month with its weeks, newest first."""

    name = "period-list"
    templates = ("periods.html",)
    sitemap_order = 25

    def plan(self, site: Site, renderer: Renderer) -> list[Page[None]]:
        return [Page("weeks/index.html", self.name, None, fingerprint(_rows(site)))]

    def render(self, page: Page[None], site: Site, renderer: Renderer) -> bytes:
        return renderer.render("periods.html", "weeks/", rows=_rows(site))

    def sitemap(self, site: Site, renderer: Renderer) -> Iterable[SitemapUrl]:
        return [("weeks/", site.entries[0].paper.announced if site.entries else None)]


def _rows(site: Site) -> list[tuple[Period, int, tuple[Period, ...]]]:
    """(month, its papers, its weeks oldest first) of every month, newest first."""
    return [(v.period, v.total, v.related) for v in period_views(site)[MONTH]]
