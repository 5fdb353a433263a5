"""One page per announcement day, like Hugging Face's daily page: most upvoted first when the
day has upvotes (the reader may switch to arXiv's order; site.js remembers the choice). Days of
the newest 30 carry each whole abstract, folded; older days the first sentences and a link to
the rest (Site.full_abstract): a day page is rewritten once, when it leaves the 30 days."""

from __future__ import annotations

from sitegen.render.outputs.base import Output, Page, digests, fingerprint
from sitegen.render.outputs.registry import register
from sitegen.site.model import day_order, has_upvotes, output_path


@register
class DayPages(Output):
    name = "day"
    templates = ("day.html",)

    def plan(self, site, renderer):
        return [Page(output_path(day.url), self.name, i,
                     fingerprint(day.date, day.prev, day.next, digests(day.entries),
                                 *(() if site.full_abstract(day.date) else ("lead",))), group=day.date)
                for i, day in enumerate(site.days)]

    def render(self, page, site, renderer):
        day = site.days[page.key]
        voted = has_upvotes(day.entries)
        return renderer.render("day.html", day.url, day=day, voted=voted, full=site.full_abstract(day.date),
                               entries=day_order(day.entries))
