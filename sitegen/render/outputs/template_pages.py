"""Pages made from templates alone: each `templates/pages/<name>.html` (in build.templates or
build.overrides) becomes `<name>/index.html`, with the site's usual context. An About page
needs no Python: add `pages/about.html` extending base.html. Every such page is linked from
the footer (`extra_pages`) and listed in the sitemap.
"""

from __future__ import annotations

from sitegen.render.outputs.base import Output, Page
from sitegen.render.outputs.registry import register
from sitegen.site.model import output_path


@register
class TemplatePages(Output):
    name = "template-page"

    def plan(self, site, renderer):
        # The template's bytes are in the build-wide key, so nothing page-specific is needed.
        return [Page(output_path(page.url), self.name, page, "") for page in renderer.extra_pages]

    def render(self, page, site, renderer):
        return renderer.render(page.key.template, page.key.url)
