"""robots.txt: where crawlers find the sitemap."""

from __future__ import annotations

from sitegen.render.outputs.base import Output, Page
from sitegen.render.outputs.registry import register


@register
class RobotsFile(Output):
    name = "robots"
    templates = ("robots.txt",)

    def plan(self, site, renderer):
        return [Page("robots.txt", self.name, None, "")]

    def render(self, page, site, renderer):
        return renderer.render("robots.txt", "robots.txt")
