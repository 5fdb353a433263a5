"""A page for every follow (sitegen.site.follows), authors/<slug>/ and venues/<slug>/: every
paper's title, newest first, by the month it was announced, each linking to the paper's page
(or arXiv, once the page has left the site); and follows/, the list of them all with their
feeds (linked from the footer of list pages, beside the feeds, and from the topics page).

Titles only: the paper's page, one click away, has the rest (~130 bytes a paper; README,
Size). A follow of 2 x PAGE_TITLES papers or more (a big venue: NeurIPS has thousands a
year) is cut into pages as a topic is (sitegen.site.model.paginate): archive page N
(<follow>/page/N/) holds its papers (N-1) x PAGE_TITLES + 1 to N x PAGE_TITLES counted from
the oldest, so it never changes once full, and the front page the rest, the newest. A page
changes only when its papers or their titles do (a paper's new citation count leaves it
alone).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from sitegen.render.outputs.base import NavLink, Output, Page, SitemapUrl, fingerprint, retired_part
from sitegen.render.outputs.registry import register
from sitegen.site.follows import INDEX, VENUE_MIN_PAPERS, Follow, follows
from sitegen.site.load import Entry
from sitegen.site.model import Site, output_path
from sitegen.site.size_model import Weight

if TYPE_CHECKING:
    from sitegen.render.renderer import Renderer

# Titles an archive page lists, and the front page 500 to 999: ~70 to 140 KB of HTML (a topic
# front page of 25 to 49 whole cards is ~80 to 150 KB).
PAGE_TITLES = 500
# What the pages weigh (sitegen.site.size_model), fitted to the bundled templates: a page's
# frame and heading, a title's line (its link, the title twice over when it holds math), and
# a row of the index.
PAGE_BASE, PER_TITLE_BYTE, PER_ITEM, INDEX_ROW = 2900, 1.2, 65, 120


@dataclass(frozen=True)
class Month:
    label: str  # "August 2026"
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class FollowPage:
    """A follow's front page (number 0) or one of its archive pages."""

    follow: Follow
    number: int
    entries: tuple[Entry, ...]  # newest first
    newer: int | None  # the newer neighbour's number (0: the front page), None if none
    older: int | None

    @property
    def url(self) -> str:
        return page_url(self.follow, self.number)


def page_url(follow: Follow, number: int) -> str:
    return follow.url if number == 0 else f"{follow.url}page/{number}/"


def follow_pages(follow: Follow) -> list[FollowPage]:
    """The follow's pages: archive page N holds the Nth block of PAGE_TITLES from the oldest,
    the front page every paper not on one (all of them below 2 x PAGE_TITLES)."""
    per_page = PAGE_TITLES
    listed = follow.entries
    total = len(listed)
    archived = max(total // per_page - 1, 0)
    pages = [FollowPage(follow, 0, listed[:total - archived * per_page], None, archived or None)]
    for n in range(1, archived + 1):
        end = total - (n - 1) * per_page
        pages.append(FollowPage(follow, n, listed[end - per_page:end], n + 1 if n < archived else 0,
                                n - 1 if n > 1 else None))
    return pages


def months(entries: tuple[Entry, ...]) -> list[Month]:
    """The papers (newest first) in runs by the month they were announced."""
    runs: list[tuple[date, list[Entry]]] = []
    for e in entries:
        day = e.paper.announced
        if runs and (runs[-1][0].year, runs[-1][0].month) == (day.year, day.month):
            runs[-1][1].append(e)
        else:
            runs.append((day, [e]))
    return [Month(f"{first:%B %Y}", tuple(listed)) for first, listed in runs]


@lru_cache(maxsize=2)
def _pages(site: Site) -> dict[str, FollowPage]:
    """{URL: page} of every follow's pages."""
    return {page.url: page for f in follows(site).every for page in follow_pages(f)}


@register
class FollowPages(Output[str]):
    name = "follow-pages"
    templates = ("follow.html", "follows.html")
    nav = (NavLink("Authors and venues", INDEX, "feeds", 15),)
    caches = (_pages, follows)
    sitemap_order = 60

    def plan(self, site: Site, renderer: Renderer) -> list[Page[str]]:
        pages = [Page(output_path(url), self.name, url,
                      fingerprint(p.follow.name, p.follow.topics, len(p.follow.entries) if p.number == 0 else None,
                                  p.newer, p.older,
                                  [(e.slug, e.paper.title, e.paper.announced) for e in p.entries],
                                  *retired_part(site, p.entries)))
                 for url, p in _pages(site).items()]
        rows = [(f.url, f.name, f.topics, len(f.entries), _newest(f)) for f in follows(site).every]
        return [*pages, Page(output_path(INDEX), self.name, INDEX, fingerprint(rows))]

    def render(self, page: Page[str], site: Site, renderer: Renderer) -> bytes:
        if page.key == INDEX:
            found = follows(site)
            return renderer.render("follows.html", INDEX, authors=found.authors, venues=found.venues,
                                   min_papers=VENUE_MIN_PAPERS, newest=_newest)
        shown = _pages(site)[page.key]
        return renderer.render("follow.html", shown.url, page=shown, follow=shown.follow,
                               months=months(shown.entries), page_url=page_url)

    def sitemap(self, site: Site, renderer: Renderer) -> Iterable[SitemapUrl]:
        newest = site.newest_day.date if site.newest_day else None
        return [(INDEX, newest), *((url, p.entries[0].paper.announced if p.entries else None)
                                   for url, p in _pages(site).items())]

    def weight(self, site: Site) -> Weight:
        every = follows(site).every
        total: float = PAGE_BASE * (len(_pages(site)) + 1) + INDEX_ROW * len(every)
        total += sum(PER_ITEM + PER_TITLE_BYTE * len(e.title_html.encode("utf-8")) for f in every for e in f.entries)
        return Weight(rest=total)


def _newest(follow: Follow) -> date | None:
    return follow.entries[0].paper.announced if follow.entries else None
