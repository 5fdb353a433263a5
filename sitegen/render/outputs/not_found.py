"""404.html: what GitHub Pages serves at any missing path."""

from __future__ import annotations

from urllib.parse import urlsplit

from sitegen.render.outputs.base import Output, Page
from sitegen.render.outputs.registry import register


@register
class NotFoundPage(Output):
    name = "404"
    templates = ("404.html",)

    def plan(self, site, renderer):
        return [Page("404.html", self.name, None, "")]  # the build-wide key covers all it shows

    def render(self, page, site, renderer):
        # Served at any missing path, so links start from the site's own path, not "../".
        return renderer.render("404.html", "404.html", root=urlsplit(site.config.site.base_url).path)
