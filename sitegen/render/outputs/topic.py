"""A topic's front page and its archive pages (numbered from the oldest paper)."""

from __future__ import annotations

from sitegen.render.outputs.base import Output, Page, digests, fingerprint, retired_part
from sitegen.render.outputs.registry import register
from sitegen.site.model import off_page, output_path


@register
class TopicPages(Output):
    name = "topic"
    templates = ("topic.html",)

    def plan(self, site, renderer):
        return [Page(output_path(page.url), self.name, i,
                     fingerprint(page.topic.slug, page.number, page.newer, page.older, page.first, page.total,
                                 digests(page.entries), *retired_part(site, page.entries),
                                 *_leads(site, page), _more(site, page)))
                for i, page in enumerate(site.topic_pages)]

    def render(self, page, site, renderer):
        topic_page = site.topic_pages[page.key]
        return renderer.render("topic.html", topic_page.url, page=topic_page, topic=topic_page.topic,
                               full=site.full_abstract, more=_more(site, topic_page))


def _more(site, page):
    """The topic's papers not on its front page, for the count of papers new since a reader's
    last visit (site.off_page); None on archive pages, which never change, so they count
    their own papers only."""
    if page.number:
        return None
    return off_page(site.topics[page.topic.slug], page.entries, site.newest_day.date if site.days else None)


def _leads(site, page) -> tuple:
    """The part of a front page's fingerprint that says how many of its cards, the oldest,
    show only the abstract's first sentences (Site.full_abstract): empty while none does."""
    if page.number:
        return ()
    leads = sum(not site.full_abstract(e.paper.announced) for e in page.entries)
    return (("leads", leads),) if leads else ()
