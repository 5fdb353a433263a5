"""sitemap.xml: every page for crawlers, split into sitemaps/N.xml under an index when large."""

from __future__ import annotations

from functools import lru_cache

from sitegen.render.outputs.base import Output, Page, fingerprint
from sitegen.render.outputs.feeds import item_updated
from sitegen.render.outputs.registry import register
from sitegen.site.model import Site, paper_url

CHUNK = 40000  # the sitemap protocol allows 50,000 URLs a file


@register
class Sitemap(Output):
    name = "sitemap"
    templates = ("sitemap.xml", "sitemap-index.xml")

    def plan(self, site, renderer):
        urls = sitemap_urls(site, tuple(renderer.extra_pages))
        chunks = [urls[i:i + CHUNK] for i in range(0, len(urls), CHUNK)] or [[]]
        if len(chunks) == 1:
            return [Page("sitemap.xml", self.name, ("chunk", 0), fingerprint(urls))]
        pages = [Page(f"sitemaps/{i + 1}.xml", self.name, ("chunk", i), fingerprint(c)) for i, c in enumerate(chunks)]
        pages.append(Page("sitemap.xml", self.name, ("index", len(chunks)), fingerprint(len(chunks), urls[0][1])))
        return pages

    def render(self, page, site, renderer):
        kind, number = page.key
        if kind == "index":  # sitemap.xml listing `number` chunks
            names = [f"sitemaps/{i + 1}.xml" for i in range(number)]
            lastmod = site.newest_day.date if site.newest_day else None
            return renderer.render("sitemap-index.xml", "sitemap.xml", names=names, lastmod=lastmod)
        urls = sitemap_urls(site, tuple(renderer.extra_pages))
        return renderer.render("sitemap.xml", "sitemap.xml", urls=urls[number * CHUNK:(number + 1) * CHUNK])


@lru_cache(maxsize=2)
def sitemap_urls(site: Site, extra: tuple = ()) -> list[tuple[str, object]]:
    """(URL, last change) of every page, in an order that only grows at the end."""
    newest = site.newest_day.date if site.newest_day else None
    urls: list[tuple[str, object]] = [("", newest), ("days/", newest), ("topics/", newest)]
    for page in site.topic_pages:
        urls.append((page.url, page.entries[0].paper.announced if page.entries else None))
    urls += [(p.url, None) for p in extra]
    # Days and papers oldest first: new ones are appended, so only the last sitemap chunk
    # (and the first, with the index) changes when papers are added.
    urls += [(d.url, d.date) for d in reversed(site.days)]
    urls += [(paper_url(e.slug), item_updated(e).date()) for _, e in reversed(site.with_pages())]
    return urls
