"""The front page: the newest day, the most upvoted papers of the week and month, the most
cited of the month, recent days and every topic."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from sitegen.render.outputs.base import Output, Page, SitemapUrl, digests, fingerprint
from sitegen.render.outputs.registry import register
from sitegen.site.load import Entry
from sitegen.site.model import INDEX_DAYS, TOP_WINDOWS, OffPage, Site, by_upvotes, off_page

if TYPE_CHECKING:
    from sitegen.render.renderer import Renderer

NEWEST_CARDS = 20  # cards of the newest day on the index; the day page has them all


@register
class IndexPage(Output[None]):
    name = "index"
    templates = ("index.html",)
    sitemap_order = 10

    def plan(self, site: Site, renderer: Renderer) -> list[Page[None]]:
        newest = site.newest_day
        counts = tuple(len(v) for v in site.topics.values())
        return [Page("index.html", self.name, None, fingerprint(
            digests(newest.entries) if newest else (), [digests(site.most_upvoted(n)) for n in TOP_WINDOWS],
            digests(site.most_cited()),
            counts, len(site.entries), tuple((d.date, len(d.entries)) for d in site.days[:INDEX_DAYS]),
            _more(site, _cards(site))))]

    def render(self, page: Page[None], site: Site, renderer: Renderer) -> bytes:
        counts = {slug: len(entries) for slug, entries in site.topics.items()}
        newest = site.newest_day
        cards = _cards(site)
        top = [(n, site.most_upvoted(n)) for n in TOP_WINDOWS]
        top = top if any(entries for _, entries in top) else []
        return renderer.render("index.html", "", newest=newest, cards=cards, top=top, cited=site.most_cited(),
                               recent_days=site.days[:INDEX_DAYS], counts=counts, total=len(site.entries),
                               more=_more(site, cards))

    def sitemap(self, site: Site, renderer: Renderer) -> Iterable[SitemapUrl]:
        return [("", site.newest_day.date if site.newest_day else None)]


def _cards(site: Site) -> list[Entry]:
    """The newest day's most upvoted first, as on its own page."""
    return by_upvotes(site.newest_day.entries)[:NEWEST_CARDS] if site.newest_day else []


def _more(site: Site, cards: list[Entry]) -> OffPage:
    """The site's papers not among the cards, for the count of papers new since a reader's
    last visit (site.off_page): the rest of the newest day, and the days before."""
    return off_page(site.entries, cards, site.newest_day.date if site.newest_day else None)
