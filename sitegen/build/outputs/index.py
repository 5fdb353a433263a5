"""The front page: the newest day, the most upvoted papers, recent days and every topic."""

from __future__ import annotations

from sitegen.build.outputs.base import Output, Page, digests, fingerprint
from sitegen.build.outputs.registry import register
from sitegen.build.site import INDEX_DAYS


@register
class IndexPage(Output):
    name = "index"
    templates = ("index.html",)

    def plan(self, site, renderer):
        newest = site.newest_day
        counts = tuple(len(v) for v in site.topics.values())
        return [Page("index.html", self.name, None, fingerprint(
            digests(newest.entries) if newest else (), digests(site.top_recent()), counts, len(site.entries),
            tuple((d.date, len(d.entries)) for d in site.days[:INDEX_DAYS])))]

    def render(self, page, site, renderer):
        counts = {slug: len(entries) for slug, entries in site.topics.items()}
        return renderer.render("index.html", "", newest=site.newest_day, top=site.top_recent(),
                               recent_days=site.days[:INDEX_DAYS], counts=counts, total=len(site.entries))
