"""One page per announcement day, like Hugging Face's daily page."""

from __future__ import annotations

from sitegen.build.outputs.base import Output, Page, digests, fingerprint
from sitegen.build.outputs.registry import register
from sitegen.build.site import output_path


@register
class DayPages(Output):
    name = "day"
    templates = ("day.html",)

    def plan(self, site, renderer):
        return [Page(output_path(day.url), self.name, i,
                     fingerprint(day.date, day.prev, day.next, digests(day.entries)))
                for i, day in enumerate(site.days)]

    def render(self, page, site, renderer):
        day = site.days[page.key]
        return renderer.render("day.html", day.url, day=day)
