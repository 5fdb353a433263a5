"""A topic's front page and its archive pages (numbered from the oldest paper)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from sitegen.render.outputs.base import Output, Page, SitemapUrl, digests, fingerprint, retired_part
from sitegen.render.outputs.registry import register
from sitegen.site.model import OffPage, Site, TopicPage, off_page, output_path
from sitegen.site.size_model import Weight, card_bytes

if TYPE_CHECKING:
    from sitegen.render.renderer import Renderer

# What topic pages weigh (sitegen.site.size_model): each page's layout, every paper's lead card
# on each of its topics' archive pages (the card of an old day page) with the archive page's
# share per card (its pager, headings; rounded up), and the front pages' cards, whole or lead
# as on day pages. All of it stays when days are retired.
TOPIC_PAGE_BASE, ARCHIVE_CARD_EXTRA = 2500, 90


@register
class TopicPages(Output[int]):
    name = "topic"
    templates = ("topic.html",)
    sitemap_order = 40

    def plan(self, site: Site, renderer: Renderer) -> list[Page[int]]:
        return [Page(output_path(page.url), self.name, i,
                     fingerprint(page.topic.slug, page.number, page.newer, page.older, page.first, page.total,
                                 digests(page.entries), *retired_part(site, page.entries),
                                 *_leads(site, page), _more(site, page)))
                for i, page in enumerate(site.topic_pages)]

    def render(self, page: Page[int], site: Site, renderer: Renderer) -> bytes:
        topic_page = site.topic_pages[page.key]
        return renderer.render("topic.html", topic_page.url, page=topic_page, topic=topic_page.topic,
                               full=site.full_abstract, more=_more(site, topic_page))

    def sitemap(self, site: Site, renderer: Renderer) -> Iterable[SitemapUrl]:
        return [(page.url, page.entries[0].paper.announced if page.entries else None) for page in site.topic_pages]

    def weight(self, site: Site) -> Weight:
        total: float = TOPIC_PAGE_BASE * len(site.topic_pages)
        total += sum(len(e.topics) * (card_bytes(e, full=False) + ARCHIVE_CARD_EXTRA) for e in site.entries)
        per_front = 2 * site.config.site.per_page  # a front page shows up to twice per_page papers
        for listed in site.topics.values():
            total += sum(card_bytes(e, site.full_abstract(e.paper.announced)) for e in listed[:per_front])
        return Weight(rest=total)


def _more(site: Site, page: TopicPage) -> OffPage | None:
    """The topic's papers not on its front page, for the count of papers new since a reader's
    last visit (site.off_page); None on archive pages, which never change, so they count
    their own papers only."""
    if page.number:
        return None
    return off_page(site.topics[page.topic.slug], page.entries, site.newest_day.date if site.newest_day else None)


def _leads(site: Site, page: TopicPage) -> tuple[tuple[str, int], ...]:
    """The part of a front page's fingerprint that says how many of its cards, the oldest,
    show only the abstract's first sentences (Site.full_abstract): empty while none does."""
    if page.number:
        return ()
    leads = sum(not site.full_abstract(e.paper.announced) for e in page.entries)
    return (("leads", leads),) if leads else ()
