"""What the search index reads of each paper: a small page per paper, in a hidden folder of
output/ that GitHub Pages does not publish (upload-pages-artifact leaves out dot folders).

Pagefind reads these (`--site output/.sitegen-search`, sitegen.search) as if they were
the paper pages themselves, at the same paths (papers/<id>/), so results link to the real
pages. The marks Pagefind needs (the indexed body, author and topic filters, the date, the
authors' weight) live here, not on the published pages: on those they cost ~0.37 KB a paper,
a twentieth of the site, and no reader or crawler used them. A record changes only when what
search shows of its paper does, so a paper page rewritten for another reason (a related
paper's link) leaves its search shard alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitegen.render.outputs.base import Output, Page, fingerprint
from sitegen.render.outputs.registry import register
from sitegen.search.index import RECORDS
from sitegen.site.model import Site, output_path, paper_url
from sitegen.site.size_model import Weight, text_bytes

if TYPE_CHECKING:
    from sitegen.render.renderer import Renderer

# The records are hidden (not published); what they weigh on the site is what Pagefind makes
# of them (sitegen.site.size_model): each paper's share of the index (fragments and word
# lists), which leaves with its day, and Pagefind's scripts, which stay.
SEARCH_BASE, SEARCH_PER_TEXT_BYTE = 100, 0.85
SEARCH_SCRIPTS = 700_000


@register
class SearchRecords(Output[int]):
    name = "search-records"
    templates = ("search-record.html",)

    def plan(self, site: Site, renderer: Renderer) -> list[Page[int]]:
        if not site.config.build.search:
            return []
        # Only papers with a page (none for a retired one: search must not lead to it), each
        # grouped with its page and day page, which render the same abstract just before.
        return [Page(f"{RECORDS}/{output_path(paper_url(e.slug))}", self.name, i,
                     fingerprint(e.digest, e.topics), group=e.paper.announced)
                for i, e in site.with_pages()]

    def render(self, page: Page[int], site: Site, renderer: Renderer) -> bytes:
        entry = site.entries[page.key]
        return renderer.render("search-record.html", paper_url(entry.slug), entry=entry, paper=entry.paper)

    def weight(self, site: Site) -> Weight:
        if not site.config.build.search:
            return Weight()
        return Weight(days={d.date: sum(SEARCH_BASE + SEARCH_PER_TEXT_BYTE * text_bytes(e) for e in d.entries)
                            for d in site.days}, rest=SEARCH_SCRIPTS)
