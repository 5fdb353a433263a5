"""feeds.opml: every topic's feed, for a one-click import into a reader (the site's feed of
every paper only with [build] publish_unmatched: templates/feeds.opml says why)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitegen.render.outputs.base import NavLink, Output, Page, fingerprint
from sitegen.render.outputs.registry import register
from sitegen.site.model import Site

if TYPE_CHECKING:
    from sitegen.render.renderer import Renderer


@register
class FeedList(Output[None]):
    name = "opml"
    templates = ("feeds.opml",)
    nav = (NavLink("Topic feeds (OPML)", "feeds.opml", "feeds", 10),)

    def plan(self, site: Site, renderer: Renderer) -> list[Page[None]]:
        newest = site.newest_day
        return [Page("feeds.opml", self.name, None, fingerprint(newest.date if newest else None))]

    def render(self, page: Page[None], site: Site, renderer: Renderer) -> bytes:
        return renderer.render("feeds.opml", "feeds.opml", newest=site.newest_day,
                               unmatched=site.config.build.publish_unmatched)
