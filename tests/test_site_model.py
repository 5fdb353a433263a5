"""The site model: sorting, days with their neighbours, stable pagination, bibtex, feeds."""

from datetime import date, timedelta

import feedparser

from sitegen.config.load import parse_config
from sitegen.render.bibtex import bibtex_entry
from sitegen.render.outputs.feeds import FeedScope, render_feed
from sitegen.site.load import make_entry
from sitegen.site.model import OffPage, build_site, off_page, paginate, relative_root
from sitegen.sources.huggingface.record import HuggingFace
from tests.conftest import BASE_CONFIG, make_paper

CONFIG = parse_config(BASE_CONFIG.format(templates="/nonexistent"), "/x/sitegen.toml")


def entries(*papers):
    return [make_entry(p, f"content/papers/{p.id}.md", p.id, CONFIG.topics) for p in papers]


def test_sort_days_and_neighbours():
    site = build_site(CONFIG, entries(
        make_paper("2311.00001", announced=date(2023, 11, 3)),
        make_paper("2311.00003", announced=date(2023, 11, 6)),
        make_paper("2311.00002", announced=date(2023, 11, 6)),
        make_paper("2311.00004", announced=date(2023, 11, 7), hidden=True),
    ))
    assert [e.paper.id for e in site.entries] == ["2311.00003", "2311.00002", "2311.00001"]
    assert [d.date for d in site.days] == [date(2023, 11, 6), date(2023, 11, 3)]
    assert site.days[0].prev == date(2023, 11, 3) and site.days[0].next is None
    assert site.days[1].next == date(2023, 11, 6)


def test_most_upvoted_orders_by_upvotes_then_newest():
    site = build_site(CONFIG, entries(
        make_paper("2311.00001", extras={"huggingface": HuggingFace(upvotes=5)}),
        make_paper("2311.00002", extras={"huggingface": HuggingFace(upvotes=9)}),
        make_paper("2311.00003", extras={"huggingface": HuggingFace(upvotes=5)}),
        make_paper("2311.00004", extras={}),
    ))
    assert [e.paper.id for e in site.most_upvoted(7)] == ["2311.00002", "2311.00003", "2311.00001"]


def test_most_upvoted_counts_calendar_days_not_days_with_papers():
    """Issue 11: on a site whose newest day follows weeks without papers, the week's list
    held June papers under an August day. A window is calendar days ending on the newest day."""
    newest = date(2026, 8, 13)
    site = build_site(CONFIG, entries(
        make_paper("2608.00001", announced=newest, extras={"huggingface": HuggingFace(upvotes=1)}),
        make_paper("2608.00002", announced=newest - timedelta(days=6), extras={"huggingface": HuggingFace(upvotes=2)}),
        make_paper("2608.00003", announced=newest - timedelta(days=7), extras={"huggingface": HuggingFace(upvotes=50)}),
        make_paper("2607.00004", announced=newest - timedelta(days=29), extras={"huggingface": HuggingFace(upvotes=3)}),
        make_paper("2606.00005", announced=newest - timedelta(days=30),
                   extras={"huggingface": HuggingFace(upvotes=90)}),
    ))
    assert [e.paper.id for e in site.most_upvoted(7)] == ["2608.00002", "2608.00001"]
    assert [e.paper.id for e in site.most_upvoted(30)] == ["2608.00003", "2607.00004", "2608.00002", "2608.00001"]
    assert build_site(CONFIG, []).most_upvoted(7) == ()


def test_by_upvotes_is_stable_and_puts_unknown_last():
    from sitegen.site.model import by_upvotes, has_upvotes

    listed = entries(
        make_paper("2311.00001", extras={}),
        make_paper("2311.00002", extras={"huggingface": HuggingFace(upvotes=3)}),
        make_paper("2311.00003", extras={"huggingface": HuggingFace(upvotes=0)}),
        make_paper("2311.00004", extras={"huggingface": HuggingFace(upvotes=3)}),
    )
    assert [e.paper.id for e in by_upvotes(listed)] == ["2311.00002", "2311.00004", "2311.00001", "2311.00003"]
    assert has_upvotes(listed) and not has_upvotes(listed[:1] + listed[2:3])


def test_paginate_counts_archive_pages_from_the_oldest():
    listed = entries(*[make_paper(f"2311.{i:05d}") for i in range(7, 0, -1)])  # newest first
    pages = paginate(CONFIG.topics[0], listed, 2)
    # Full blocks of two from the oldest: (1,2) (3,4) (5,6); the newest block and paper 7
    # are on the front page, the older blocks on archive pages 1 and 2.
    assert [(p.number, [e.paper.id[-1] for e in p.entries], p.newer, p.older) for p in pages] == [
        (0, ["7", "6", "5"], None, 2), (1, ["2", "1"], 2, None), (2, ["4", "3"], 0, 1)]
    assert pages[0].total == 7 and pages[1].total is None and pages[0].first == 5
    assert [p.number for p in paginate(CONFIG.topics[0], listed[:3], 2)] == [0]  # fits on the front


def test_relative_root():
    assert relative_root("") == "./"
    assert relative_root("papers/x/") == "../../"
    assert relative_root("topics/a/page/2/") == "../../../../"


def test_bibtex_entry():
    text = bibtex_entry(make_paper(title="50% of A & B", journal_ref="J. #1"))
    assert text.startswith("@misc{yang2023paper,") or text.startswith("@misc{yang2023")
    assert "title={{50\\% of A \\& B}}" in text and "journal={J. \\#1}" in text
    assert "eprint={2311.02077}" in text and "archivePrefix={arXiv}" in text


def test_feed_dates_come_from_the_data():
    scope = FeedScope("", "T", "", tuple(entries(make_paper(announced=date(2023, 11, 6)))))
    feed = feedparser.parse(render_feed(scope, CONFIG, "atom"))
    assert feed.feed.updated == "2023-11-06T02:10:41+00:00" and feed.entries[0].id == "https://arxiv.org/abs/2311.02077"
    empty = feedparser.parse(render_feed(FeedScope("", "T", "", ()), CONFIG, "rss"))
    assert not empty.bozo and empty.feed.updated.startswith("Thu, 01 Jan 1970")


def test_off_page_counts_the_lists_other_papers_by_day_for_the_new_since_count():
    days = (date(2026, 8, 14), date(2026, 8, 13), date(2026, 7, 1))  # newest first
    listed = entries(*[make_paper(f"2608.{d.month}{d.day:02d}{i}", announced=d) for d in days for i in (2, 1)])
    newest = days[0]
    # The page shows the three newest: one of 13 Aug is off it, and the 1 July papers are
    # older than NEW_SINCE_DAYS (30) before the newest day: counted as "after 15 July" only.
    assert off_page(listed, listed[:3], newest) == OffPage("2026-08-13:1", "2026-07-15")
    assert off_page(listed[:4], listed[:1], newest) == OffPage("2026-08-14:1 2026-08-13:2", "")
    assert off_page(listed, listed, newest) == OffPage("", "")  # a list wholly on its page
    assert off_page(listed, listed[2:], newest) == OffPage("2026-08-14:2", "")  # the index: off among its days
