"""follows.opml: every follow's feed (sitegen.site.follows), authors and venues in a folder
each, for a one-click import. A file of its own, not part of feeds.opml: templates/follows.opml
and README (Feeds) say why."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitegen.render.outputs.base import Output, Page, fingerprint
from sitegen.render.outputs.registry import register
from sitegen.site.follows import follows
from sitegen.site.model import Site

if TYPE_CHECKING:
    from sitegen.render.renderer import Renderer


@register
class FollowList(Output[None]):
    name = "follow-opml"
    templates = ("follows.opml",)

    def plan(self, site: Site, renderer: Renderer) -> list[Page[None]]:
        found = follows(site)
        newest = site.newest_day
        return [Page("follows.opml", self.name, None,
                     fingerprint(newest.date if newest else None, [(f.url, f.name) for f in found.every]))]

    def render(self, page: Page[None], site: Site, renderer: Renderer) -> bytes:
        found = follows(site)
        return renderer.render("follows.opml", "follows.opml", newest=site.newest_day, authors=found.authors,
                               venues=found.venues)
