"""How many bytes of output/ a paper, an announcement day and the rest of the site cost:
an estimate from the snapshots alone, for `[build] max_site_mb` (sitegen.site.retention).

Why a model and not the rendered bytes: an incremental build renders only the pages whose
inputs changed, and a page that has left the site is not rendered at all, so "what the pages
weigh" would depend on what the last build left behind. The model reads only the site model
(titles, abstracts, authors, topics, feeds), so the same content and config always give the
same estimate, and the same cut, cold or incremental, with or without a cache.

The constants are least-squares fits of the pages the bundled templates render, measured on the
shipped content and on benchmarks/build.py's synthetic site (tests/test_retention.py checks the
estimate against a real build); they lean high (rounded up), so the cut errs toward a smaller
site. A fork whose templates render much heavier pages should leave more margin under 1 GB.
"""

from __future__ import annotations

from dataclasses import dataclass

from sitegen.render.outputs.feeds import feed_scopes
from sitegen.site.load import Entry
from sitegen.site.model import Day, Site

# A paper page: the layout, the facts and BibTeX, its related papers' titles, plus its own
# text several times over (title in <title>, Open Graph, citation meta, <h1>, BibTeX;
# authors in citation meta and BibTeX; the abstract as HTML and in the
# description), and a link per topic it is in.
PAGE_BASE, PAGE_PER_AUTHOR, PAGE_PER_TOPIC, PAGE_PER_TEXT_BYTE = 2300, 60, 75, 1.5
# Its card on its day page: on the newest FULL_ABSTRACT_DAYS days the whole abstract (folded),
# on older days its first sentences (at most LEAD_BYTES of it) and a link; and the day page's
# own layout.
CARD_BASE, CARD_PER_TEXT_BYTE = 280, 1.5
LEAD_CARD_BASE, LEAD_BYTES = 270, 300
DAY_BASE = 2100
# Its share of the Pagefind index (fragments and word lists), when search is on.
SEARCH_BASE, SEARCH_PER_TEXT_BYTE = 100, 0.85
# Its page's <url> in the sitemap and its line in output/.sitegen-output (sitegen's list of
# the files it wrote); the same again for each day page and topic page.
LISTED_LINES = 140
# The title and authors' names count PER_NAME_BYTE each on a lead card. The parts that stay:
# its lead card on each of its topics' archive pages (the card of an old day page) ...
PER_NAME_BYTE = 1.4
ARCHIVE_CARD_EXTRA = 90  # the archive page's share per card (its pager, headings), rounded up
# ... each feed item (RSS and Atom carry the abstract), and pages, assets and Pagefind's
# scripts that do not grow with the papers.
FEED_ITEM_BASE, FEED_ITEM_PER_TEXT_BYTE = 800, 1.1
SITE_BASE, TOPIC_PAGE_BASE = 100_000, 2500
SEARCH_SCRIPTS = 700_000
# The fixed part is fitted less well than the per-day part (it grows with papers x topics).
# Refit after the search markup left the pages and lead cards got shorter, it runs 11-14% high
# on its own (2k and 10k papers in 20 topics, five categories at 22.6k): no margin needed; kept
# as the knob a refit turns when it runs short (it fell 6% short once, hence a 1.15 margin then).
FIXED_MARGIN = 1.0


@dataclass(frozen=True)
class DayCost:
    """What leaves output/ when a day's paper pages and day page are retired."""

    day: Day
    bytes: int


def text_bytes(entry: Entry) -> int:
    """The UTF-8 bytes of what a paper's pages repeat: title, abstract, authors, comment and
    Hugging Face's summary."""
    paper = entry.paper
    parts = [paper.title, paper.abstract, paper.comment or "", *paper.authors]
    hf = paper.huggingface
    if hf is not None:
        parts += [hf.ai_summary or "", *(hf.ai_keywords or ())]
    return sum(len(part.encode("utf-8")) for part in parts)


def name_bytes(entry: Entry) -> int:
    """The UTF-8 bytes of a paper's title and authors: what every card of it shows."""
    return len(entry.paper.title.encode("utf-8")) + sum(len(a.encode("utf-8")) for a in entry.paper.authors)


def card_bytes(entry: Entry, full: bool) -> float:
    """Its card on a day or topic front page: the whole abstract folded, or its first lines."""
    if full:
        return CARD_BASE + CARD_PER_TEXT_BYTE * text_bytes(entry)
    return (LEAD_CARD_BASE + PER_NAME_BYTE * name_bytes(entry)
            + min(len(entry.paper.abstract.encode("utf-8")), LEAD_BYTES))


def paper_bytes(entry: Entry, search: bool, full: bool = True) -> int:
    """A paper's page, its card on its day page (`full`: the whole abstract), its sitemap line
    and its search share."""
    text = text_bytes(entry)
    page = (PAGE_BASE + PAGE_PER_AUTHOR * len(entry.paper.authors) + PAGE_PER_TOPIC * len(entry.topics)
            + PAGE_PER_TEXT_BYTE * text)
    index = SEARCH_BASE + SEARCH_PER_TEXT_BYTE * text if search else 0
    return round(page + card_bytes(entry, full) + index + LISTED_LINES)


def day_costs(site: Site) -> list[DayCost]:
    """Each announcement day's cost, newest day first (as site.days)."""
    search = site.config.build.search
    return [DayCost(day, DAY_BASE + LISTED_LINES
                    + sum(paper_bytes(e, search, site.full_abstract(day.date)) for e in day.entries))
            for day in site.days]


def fixed_bytes(site: Site) -> int:
    """What stays whatever is retired: topic pages (every paper keeps its archive cards),
    feeds, the index, the days list, static files and search scripts."""
    total: float = SITE_BASE + (TOPIC_PAGE_BASE + LISTED_LINES) * len(site.topic_pages)
    total += SEARCH_SCRIPTS if site.config.build.search else 0
    for entry in site.entries:
        total += len(entry.topics) * (card_bytes(entry, full=False) + ARCHIVE_CARD_EXTRA)
    # Topic front pages show their newest papers as day pages do (whole or lead abstracts).
    per_front = 2 * site.config.site.per_page
    for listed in site.topics.values():
        total += sum(card_bytes(e, site.full_abstract(e.paper.announced)) for e in listed[:per_front])
    for scope in feed_scopes(site).values():  # two files (RSS and Atom) per scope
        total += 2 * sum(FEED_ITEM_BASE + FEED_ITEM_PER_TEXT_BYTE * text_bytes(e) for e in scope.entries)
    return round(total * FIXED_MARGIN)
