"""search/: the page that runs the Pagefind index (or says search is off)."""

from __future__ import annotations

from sitegen.render.outputs.base import Output, Page, fingerprint
from sitegen.render.outputs.registry import register


@register
class SearchPage(Output):
    name = "search"
    templates = ("search.html",)

    def plan(self, site, renderer):
        return [Page("search/index.html", self.name, None, fingerprint(site.config.build.search))]

    def render(self, page, site, renderer):
        # Without an index (build.search = false) the page says so instead of loading Pagefind.
        return renderer.render("search.html", "search/", search_enabled=site.config.build.search)
