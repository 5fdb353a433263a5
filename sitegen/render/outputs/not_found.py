"""404.html: what GitHub Pages serves at any missing path."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from sitegen.render.outputs.base import Output, Page
from sitegen.render.outputs.registry import register
from sitegen.site.model import Site

if TYPE_CHECKING:
    from sitegen.render.renderer import Renderer


@register
class NotFoundPage(Output[None]):
    name = "404"
    templates = ("404.html",)

    def plan(self, site: Site, renderer: Renderer) -> list[Page[None]]:
        return [Page("404.html", self.name, None, "")]  # the build-wide key covers all it shows

    def render(self, page: Page[None], site: Site, renderer: Renderer) -> bytes:
        # Served at any missing path, so links start from the site's own path, not "../".
        return renderer.render("404.html", "404.html", root=urlsplit(site.config.site.base_url).path)
