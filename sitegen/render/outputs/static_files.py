"""static/: the stylesheet, scripts and icons, copied as bytes (the overrides' winning)."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from sitegen.render.outputs.base import Output, Page
from sitegen.render.outputs.registry import register
from sitegen.site.model import Site

if TYPE_CHECKING:
    from sitegen.render.renderer import Renderer


@register
class StaticFiles(Output[str]):
    name = "static"

    def plan(self, site: Site, renderer: Renderer) -> list[Page[str]]:
        return [Page(name, self.name, name, hashlib.sha1(data).hexdigest()) for name, data in renderer.static.items()]

    def render(self, page: Page[str], site: Site, renderer: Renderer) -> bytes:
        return renderer.static[page.key]
