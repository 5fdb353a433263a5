"""topics/: every topic with its description, its number of papers, its newest day and its
feeds, and the site's feed of every paper beside them (linked from every page's header)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sitegen.config.settings import TopicConfig
from sitegen.render.outputs.base import NavLink, Output, Page, SitemapUrl, fingerprint
from sitegen.render.outputs.registry import register
from sitegen.site.model import Site

if TYPE_CHECKING:
    from sitegen.render.renderer import Renderer


@dataclass(frozen=True)
class TopicRow:
    topic: TopicConfig
    papers: int
    newest: date | None  # the announcement day of its newest paper
    linked: bool  # that day still has its page ([build] max_site_mb)


@register
class TopicList(Output[None]):
    name = "topic-list"
    templates = ("topics.html",)
    nav = (NavLink("Topics", "topics/", "header", 20),)
    sitemap_order = 30

    def plan(self, site: Site, renderer: Renderer) -> list[Page[None]]:
        # The topics' titles and descriptions are in the build-wide key (the config).
        return [Page("topics/index.html", self.name, None,
                     fingerprint([(r.topic.slug, r.papers, r.newest, r.linked) for r in topic_rows(site)]))]

    def render(self, page: Page[None], site: Site, renderer: Renderer) -> bytes:
        return renderer.render("topics.html", "topics/", rows=topic_rows(site), total=len(site.entries))

    def sitemap(self, site: Site, renderer: Renderer) -> Iterable[SitemapUrl]:
        return [("topics/", site.newest_day.date if site.newest_day else None)]


def topic_rows(site: Site) -> list[TopicRow]:
    """One row per topic, in the configuration's order (as the index lists them)."""
    pages = {d.date for d in site.days}
    rows = []
    for t in site.config.topics:
        listed = site.topics[t.slug]  # newest first
        newest = listed[0].paper.announced if listed else None
        rows.append(TopicRow(t, len(listed), newest, newest in pages))
    return rows
