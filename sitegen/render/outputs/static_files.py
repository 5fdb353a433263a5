"""static/: the stylesheet, scripts and icons, copied as bytes (the overrides' winning)."""

from __future__ import annotations

import hashlib

from sitegen.render.outputs.base import Output, Page
from sitegen.render.outputs.registry import register


@register
class StaticFiles(Output):
    name = "static"

    def plan(self, site, renderer):
        return [Page(name, self.name, name, hashlib.sha1(data).hexdigest()) for name, data in renderer.static.items()]

    def render(self, page, site, renderer):
        return renderer.static[page.key]
