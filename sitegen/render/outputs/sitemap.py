"""sitemap.xml: every page for crawlers, split into sitemaps/N.xml under an index when large.

The URLs are every output unit's (`Output.sitemap`, by `sitemap_order`): a new page kind
lists its pages there, and nothing here names one.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from sitegen.render.outputs import registry
from sitegen.render.outputs.base import Output, Page, SitemapUrl, fingerprint
from sitegen.render.outputs.registry import register
from sitegen.site.model import Site
from sitegen.site.size_model import Weight

if TYPE_CHECKING:
    from sitegen.render.renderer import Renderer

CHUNK = 40000  # the sitemap protocol allows 50,000 URLs a file
# A page's <url> in the sitemap and its line in output/.sitegen-output (sitegen's list of the
# files it wrote): each paper page and day page (they leave with their day), each topic page.
LISTED_LINES = 140


@lru_cache(maxsize=2)
def sitemap_urls(site: Site, renderer: Renderer) -> list[SitemapUrl]:
    """(URL, last change) of every page, in an order that only grows at the end: once for the
    plan and every sitemap file."""
    return registry.sitemap_urls(site, renderer)


@register
class Sitemap(Output[tuple[str, int]]):
    name = "sitemap"
    templates = ("sitemap.xml", "sitemap-index.xml")
    caches = (sitemap_urls,)

    def plan(self, site: Site, renderer: Renderer) -> list[Page[tuple[str, int]]]:
        urls = sitemap_urls(site, renderer)
        chunks = [urls[i:i + CHUNK] for i in range(0, len(urls), CHUNK)] or [[]]
        if len(chunks) == 1:
            return [Page("sitemap.xml", self.name, ("chunk", 0), fingerprint(urls))]
        pages = [Page(f"sitemaps/{i + 1}.xml", self.name, ("chunk", i), fingerprint(c)) for i, c in enumerate(chunks)]
        pages.append(Page("sitemap.xml", self.name, ("index", len(chunks)), fingerprint(len(chunks), urls[0][1])))
        return pages

    def render(self, page: Page[tuple[str, int]], site: Site, renderer: Renderer) -> bytes:
        kind, number = page.key
        if kind == "index":  # sitemap.xml listing `number` chunks
            names = [f"sitemaps/{i + 1}.xml" for i in range(number)]
            lastmod = site.newest_day.date if site.newest_day else None
            return renderer.render("sitemap-index.xml", "sitemap.xml", names=names, lastmod=lastmod)
        urls = sitemap_urls(site, renderer)
        return renderer.render("sitemap.xml", "sitemap.xml", urls=urls[number * CHUNK:(number + 1) * CHUNK])

    def weight(self, site: Site) -> Weight:
        return Weight(days={d.date: LISTED_LINES * (1 + len(d.entries)) for d in site.days},
                      rest=LISTED_LINES * len(site.topic_pages))
