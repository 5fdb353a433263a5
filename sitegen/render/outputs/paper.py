"""One page per paper: title, authors, dates, abstract with math, links, BibTeX, related papers."""

from __future__ import annotations

from sitegen.render.bibtex import bibtex_entry
from sitegen.render.outputs.base import Output, Page, fingerprint, retired_part
from sitegen.render.outputs.registry import register
from sitegen.site.model import output_path, paper_url


@register
class PaperPages(Output):
    name = "paper"
    templates = ("paper.html",)

    def plan(self, site, renderer):
        # The snapshot's digest, and what the page shows of its related (earlier) papers (a
        # retired one links to arXiv); grouped with its day page, which shows the same abstract
        # on its card. No page for a retired paper (sitegen.site.retention). Search reads the
        # page's record (sitegen.render.outputs.search_records), not the page.
        return [Page(output_path(paper_url(e.slug)), self.name, i, fingerprint(
                    e.digest, [(r.slug, r.title_html, r.paper.announced) for r in site.related.get(e.slug, ())],
                    *retired_part(site, site.related.get(e.slug, ()))), group=e.paper.announced)
                for i, e in site.with_pages()]

    def render(self, page, site, renderer):
        entry = site.entries[page.key]
        return renderer.render("paper.html", paper_url(entry.slug), entry=entry, paper=entry.paper,
                               bibtex=bibtex_entry(entry.paper), related=site.related.get(entry.slug, ()))
