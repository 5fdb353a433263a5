"""feeds.opml: every topic's feed, for a one-click import into a reader (the site's feed of
every paper only with [build] publish_unmatched: templates/feeds.opml says why)."""

from __future__ import annotations

from sitegen.render.outputs.base import Output, Page, fingerprint
from sitegen.render.outputs.registry import register


@register
class FeedList(Output):
    name = "opml"
    templates = ("feeds.opml",)

    def plan(self, site, renderer):
        newest = site.newest_day
        return [Page("feeds.opml", self.name, None, fingerprint(newest.date if newest else None))]

    def render(self, page, site, renderer):
        return renderer.render("feeds.opml", "feeds.opml", newest=site.newest_day,
                               unmatched=site.config.build.publish_unmatched)
