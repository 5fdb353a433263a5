"""One page per paper: title, authors, dates, abstract with math, links, BibTeX."""

from __future__ import annotations

from sitegen.build.bibtex import bibtex_entry
from sitegen.build.outputs.base import Output, Page
from sitegen.build.outputs.registry import register
from sitegen.build.site import output_path, paper_url


@register
class PaperPages(Output):
    name = "paper"
    templates = ("paper.html",)

    def plan(self, site, renderer):
        # The snapshot's digest is the whole input: nothing else shapes a paper's page.
        return [Page(output_path(paper_url(e.slug)), self.name, i, e.digest) for i, e in enumerate(site.entries)]

    def render(self, page, site, renderer):
        entry = site.entries[page.key]
        return renderer.render("paper.html", paper_url(entry.slug), entry=entry, paper=entry.paper,
                               bibtex=bibtex_entry(entry.paper))
