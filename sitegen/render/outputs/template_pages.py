"""Pages made from templates alone: each `templates/pages/<name>.html` (in build.templates or
build.overrides) becomes `<name>/index.html`, with the site's usual context. An About page
needs no Python: add `pages/about.html` extending base.html. Every such page is linked from
the footer and listed in the sitemap (templates may also loop over `extra_pages`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from sitegen.render.outputs.base import NavLink, Output, Page, SitemapUrl
from sitegen.render.outputs.registry import register
from sitegen.render.template_files import ExtraPage
from sitegen.site.model import Site, output_path

if TYPE_CHECKING:
    from sitegen.render.renderer import Renderer


@register
class TemplatePages(Output[ExtraPage]):
    name = "template-page"

    def plan(self, site: Site, renderer: Renderer) -> list[Page[ExtraPage]]:
        # The template's bytes are in the build-wide key, so nothing page-specific is needed.
        return [Page(output_path(page.url), self.name, page, "") for page in renderer.extra_pages]

    def render(self, page: Page[ExtraPage], site: Site, renderer: Renderer) -> bytes:
        return renderer.render(page.key.template, page.key.url)

    def nav_links(self, renderer: Renderer) -> Iterable[NavLink]:
        return [NavLink(page.title, page.url, "footer") for page in renderer.extra_pages]

    def sitemap(self, site: Site, renderer: Renderer) -> Iterable[SitemapUrl]:
        return [(page.url, None) for page in renderer.extra_pages]
