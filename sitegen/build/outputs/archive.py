"""days/: every announcement day with its number of papers."""

from __future__ import annotations

from sitegen.build.outputs.base import Output, Page, fingerprint
from sitegen.build.outputs.registry import register


@register
class DayArchive(Output):
    name = "archive"
    templates = ("days.html",)

    def plan(self, site, renderer):
        return [Page("days/index.html", self.name, None, fingerprint(_days(site)))]

    def render(self, page, site, renderer):
        return renderer.render("days.html", "days/", days=_days(site))


def _days(site) -> list[tuple]:
    return [(d.date, len(d.entries)) for d in site.days]
