"""status/: the feed's health page and README badge, made from the nightly records alone.

The records (`[fetch] status`, one JSON file per night: sitegen.status) say what each fetch
asked and got; the page adds the site's newest day and arXiv's calendar. Nothing here reads
the clock: the same records and content give the same bytes. The page is not in the sitemap
(it is for the site's owner and curious readers, not for search engines); the index and the
days page link to it.
"""

from __future__ import annotations

from collections.abc import Iterable

from sitegen.render.outputs.base import Output, Page, fingerprint
from sitegen.render.outputs.registry import register
from sitegen.render.renderer import Renderer
from sitegen.site.model import Site
from sitegen.status.badge import badge_of, badge_svg
from sitegen.status.read import load_nights
from sitegen.status.view import NIGHTS_SHOWN, StatusView, status_view

PAGE, BADGE = "status/index.html", "status/badge.svg"


@register
class StatusPage(Output[StatusView]):
    """No nav link and no sitemap URL: the index and the days page link it where a reader
    wonders why a day is missing (a link on every page would cost every page its bytes)."""

    name = "status"
    templates = ("status.html",)

    def plan(self, site: Site, renderer: Renderer) -> Iterable[Page[StatusView]]:
        view = site_status(site)
        mark = fingerprint(view)
        return [Page(PAGE, self.name, view, mark), Page(BADGE, self.name, view, mark)]

    def render(self, page: Page[StatusView], site: Site, renderer: Renderer) -> bytes:
        if page.path == BADGE:
            return badge_svg(badge_of(page.key))
        return renderer.render("status.html", "status/", view=page.key, badge=badge_of(page.key))


def site_status(site: Site) -> StatusView:
    """The status page's view: the newest NIGHTS_SHOWN records and the site's newest day."""
    folder = site.config.fetch.status
    nights, skipped = load_nights(folder, NIGHTS_SHOWN) if folder is not None else ([], [])
    newest = site.newest_day
    return status_view(nights, newest.date if newest else None, len(newest.entries) if newest else 0, skipped)
