"""search/: the page that runs the Pagefind index (or says search is off)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitegen.render.outputs.base import Output, Page, fingerprint
from sitegen.render.outputs.registry import register
from sitegen.site.model import Site

if TYPE_CHECKING:
    from sitegen.render.renderer import Renderer


@register
class SearchPage(Output[None]):
    name = "search"
    templates = ("search.html",)

    def plan(self, site: Site, renderer: Renderer) -> list[Page[None]]:
        return [Page("search/index.html", self.name, None, fingerprint(site.config.build.search))]

    def render(self, page: Page[None], site: Site, renderer: Renderer) -> bytes:
        # Without an index (build.search = false) the page says so instead of loading Pagefind.
        return renderer.render("search.html", "search/", search_enabled=site.config.build.search)
