"""days/: every announcement day with its number of papers, and a note on the days whose
pages have left the site ([build] max_site_mb)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from types import SimpleNamespace
from typing import TYPE_CHECKING

from sitegen.render.outputs.base import NavLink, Output, Page, SitemapUrl, fingerprint
from sitegen.render.outputs.registry import register
from sitegen.site.model import Site

if TYPE_CHECKING:
    from sitegen.render.renderer import Renderer


@register
class DayArchive(Output[None]):
    name = "archive"
    templates = ("days.html",)
    nav = (NavLink("Days", "days/", "header", 10),)
    sitemap_order = 20

    def plan(self, site: Site, renderer: Renderer) -> list[Page[None]]:
        return [Page("days/index.html", self.name, None, fingerprint(_days(site), _retired(site)))]

    def render(self, page: Page[None], site: Site, renderer: Renderer) -> bytes:
        return renderer.render("days.html", "days/", days=_days(site), retired=_retired(site))

    def sitemap(self, site: Site, renderer: Renderer) -> Iterable[SitemapUrl]:
        return [("days/", site.newest_day.date if site.newest_day else None)]


def _days(site: Site) -> list[tuple[date, int]]:
    return [(d.date, len(d.entries)) for d in site.days]


def _retired(site: Site) -> SimpleNamespace | None:
    """How many days have left the site, and the first and last of them."""
    gone = site.retired_days  # newest first
    return SimpleNamespace(days=len(gone), first=gone[-1].date, last=gone[0].date) if gone else None
