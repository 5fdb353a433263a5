"""days/: every announcement day with its number of papers, and a note on the days whose
pages have left the site ([build] max_site_mb)."""

from __future__ import annotations

from types import SimpleNamespace

from sitegen.render.outputs.base import Output, Page, fingerprint
from sitegen.render.outputs.registry import register


@register
class DayArchive(Output):
    name = "archive"
    templates = ("days.html",)

    def plan(self, site, renderer):
        return [Page("days/index.html", self.name, None, fingerprint(_days(site), _retired(site)))]

    def render(self, page, site, renderer):
        return renderer.render("days.html", "days/", days=_days(site), retired=_retired(site))


def _days(site) -> list[tuple]:
    return [(d.date, len(d.entries)) for d in site.days]


def _retired(site) -> SimpleNamespace | None:
    """How many days have left the site, and the first and last of them."""
    gone = site.retired_days  # newest first
    return SimpleNamespace(days=len(gone), first=gone[-1].date, last=gone[0].date) if gone else None
