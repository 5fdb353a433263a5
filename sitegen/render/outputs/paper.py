"""One page per paper: title, authors, dates, abstract with math, links, BibTeX, related papers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from sitegen.render.bibtex import bibtex_entry
from sitegen.render.outputs.base import Output, Page, SitemapUrl, fingerprint, retired_part
from sitegen.render.outputs.feeds import item_updated
from sitegen.render.outputs.registry import register
from sitegen.site.follows import follows
from sitegen.site.load import Entry
from sitegen.site.model import Site, output_path, paper_url
from sitegen.site.size_model import Weight, text_bytes
from sitegen.venues.of_paper import venue_of

if TYPE_CHECKING:
    from sitegen.render.renderer import Renderer

# What a paper page weighs (sitegen.site.size_model): the layout, the facts and BibTeX, its
# related papers' titles, plus its own text several times over (title in <title>, Open Graph,
# citation meta, <h1>, BibTeX; authors in citation meta and BibTeX; the abstract as HTML and
# in the description), and a link per topic it is in.
PAGE_BASE, PAGE_PER_AUTHOR, PAGE_PER_TOPIC, PAGE_PER_TEXT_BYTE = 2300, 60, 75, 1.5


@register
class PaperPages(Output[int]):
    name = "paper"
    templates = ("paper.html",)
    sitemap_order = 90  # grows with the site: oldest first, last

    def plan(self, site: Site, renderer: Renderer) -> list[Page[int]]:
        # The snapshot's digest, and what the page shows of its related (earlier) papers (a
        # retired one links to arXiv); grouped with its day page, which shows the same abstract
        # on its card. No page for a retired paper (sitegen.site.retention). Search reads the
        # page's record (sitegen.render.outputs.search_records), not the page. Its venue mark
        # links the venue's page once the venue has one (sitegen.site.follows).
        venues = follows(site)
        return [Page(output_path(paper_url(e.slug)), self.name, i, fingerprint(
                    e.digest, [(r.slug, r.title_html, r.paper.announced) for r in site.related.get(e.slug, ())],
                    *retired_part(site, site.related.get(e.slug, ())),
                    *_venue_part(venues.venue_url(venue_of(e.paper)))), group=e.paper.announced)
                for i, e in site.with_pages()]

    def render(self, page: Page[int], site: Site, renderer: Renderer) -> bytes:
        entry = site.entries[page.key]
        return renderer.render("paper.html", paper_url(entry.slug), entry=entry, paper=entry.paper,
                               bibtex=bibtex_entry(entry.paper), related=site.related.get(entry.slug, ()),
                               venue_page=follows(site).venue_url(venue_of(entry.paper)))

    def sitemap(self, site: Site, renderer: Renderer) -> Iterable[SitemapUrl]:
        return [(paper_url(e.slug), item_updated(e).date()) for _, e in reversed(site.with_pages())]

    def weight(self, site: Site) -> Weight:
        return Weight(days={d.date: sum(page_bytes(e) for e in d.entries) for d in site.days})


def _venue_part(url: str | None) -> tuple[str, ...]:
    """The venue page's URL in the fingerprint, only when there is one: a paper without one
    keeps the fingerprint it had."""
    return (url,) if url else ()


def page_bytes(entry: Entry) -> float:
    return (PAGE_BASE + PAGE_PER_AUTHOR * len(entry.paper.authors) + PAGE_PER_TOPIC * len(entry.topics)
            + PAGE_PER_TEXT_BYTE * text_bytes(entry))
