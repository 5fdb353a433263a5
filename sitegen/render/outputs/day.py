"""One page per announcement day, like Hugging Face's daily page: most upvoted first when the
day has upvotes (the reader may switch to arXiv's order; site.js remembers the choice). Days of
the newest 30 carry each whole abstract, folded; older days the first sentences and a link to
the rest (Site.full_abstract): a day page is rewritten once, when it leaves the 30 days."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from sitegen.render.outputs.base import Output, Page, SitemapUrl, digests, fingerprint
from sitegen.render.outputs.registry import register
from sitegen.site.model import Site, day_order, has_upvotes, output_path
from sitegen.site.size_model import Weight, card_bytes

if TYPE_CHECKING:
    from sitegen.render.renderer import Renderer

# What a day page weighs (sitegen.site.size_model): its layout, and each paper's card (the
# whole abstract on the newest days, its first sentences on older ones).
DAY_BASE = 2100


@register
class DayPages(Output[int]):
    name = "day"
    templates = ("day.html",)
    sitemap_order = 80  # grows with the site: oldest first, after the pages that do not

    def plan(self, site: Site, renderer: Renderer) -> list[Page[int]]:
        return [Page(output_path(day.url), self.name, i,
                     fingerprint(day.date, day.prev, day.next, digests(day.entries),
                                 *(() if site.full_abstract(day.date) else ("lead",))), group=day.date)
                for i, day in enumerate(site.days)]

    def render(self, page: Page[int], site: Site, renderer: Renderer) -> bytes:
        day = site.days[page.key]
        voted = has_upvotes(day.entries)
        return renderer.render("day.html", day.url, day=day, voted=voted, full=site.full_abstract(day.date),
                               entries=day_order(day.entries))

    def sitemap(self, site: Site, renderer: Renderer) -> Iterable[SitemapUrl]:
        return [(d.url, d.date) for d in reversed(site.days)]

    def weight(self, site: Site) -> Weight:
        return Weight(days={d.date: DAY_BASE + sum(card_bytes(e, site.full_abstract(d.date)) for e in d.entries)
                            for d in site.days})
