"""robots.txt: where crawlers find the sitemap."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitegen.render.outputs.base import Output, Page
from sitegen.render.outputs.registry import register
from sitegen.site.model import Site

if TYPE_CHECKING:
    from sitegen.render.renderer import Renderer


@register
class RobotsFile(Output[None]):
    name = "robots"
    templates = ("robots.txt",)

    def plan(self, site: Site, renderer: Renderer) -> list[Page[None]]:
        return [Page("robots.txt", self.name, None, "")]

    def render(self, page: Page[None], site: Site, renderer: Renderer) -> bytes:
        return renderer.render("robots.txt", "robots.txt")
