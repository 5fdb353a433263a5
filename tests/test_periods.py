"""Weeks and months (sitegen.site.periods): ISO week boundaries, the ranking, spans, and when a
period is over. Pure: no site is built here (tests/test_period_pages.py builds them)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from sitegen.site.load import Entry
from sitegen.site.periods import (
    MONTH,
    WEEK,
    closed,
    month_of,
    parse_week,
    period_order,
    score,
    spans,
    week_of,
)
from sitegen.sources.huggingface.record import HuggingFace
from sitegen.sources.semanticscholar.record import SemanticScholar
from tests.conftest import make_paper


def entry(paper_id: str, day: date, upvotes: int | None = None, citations: int | None = None,
          topics: tuple[str, ...] = ("vision",)) -> Entry:
    extras: dict[str, object] = {}
    if upvotes is not None:
        extras["huggingface"] = HuggingFace(upvotes=upvotes)
    if citations is not None:
        extras["semanticscholar"] = SemanticScholar(citations=citations)
    paper = make_paper(paper_id, announced=day, extras=extras)
    return Entry(paper, f"{paper_id}.md", paper_id, paper_id, topics, paper.title)


@pytest.mark.parametrize(("day", "key", "monday"), [
    (date(2026, 8, 13), "2026-W33", date(2026, 8, 10)),  # a Thursday
    (date(2026, 8, 10), "2026-W33", date(2026, 8, 10)),  # its Monday
    (date(2026, 8, 16), "2026-W33", date(2026, 8, 10)),  # its Sunday
    (date(2026, 8, 17), "2026-W34", date(2026, 8, 17)),  # the next Monday
    # 2026 starts on a Thursday, so it has 53 weeks; the 53rd runs into 2027.
    (date(2026, 12, 31), "2026-W53", date(2026, 12, 28)),
    (date(2027, 1, 1), "2026-W53", date(2026, 12, 28)),
    (date(2027, 1, 3), "2026-W53", date(2026, 12, 28)),
    (date(2027, 1, 4), "2027-W01", date(2027, 1, 4)),
    # 1 Jan 2026 is a Thursday: the week of 29 Dec 2025 is 2026's first.
    (date(2025, 12, 29), "2026-W01", date(2025, 12, 29)),
    (date(2025, 12, 28), "2025-W52", date(2025, 12, 22)),
    (date(2021, 1, 1), "2020-W53", date(2020, 12, 28)),  # a leap year that starts on a Wednesday
    (date(1991, 8, 14), "1991-W33", date(1991, 8, 12)),  # arXiv's first day
])
def test_a_day_is_in_its_iso_week(day, key, monday):
    week = week_of(day)
    assert (week.key, week.first, week.last, week.kind) == (key, monday, monday + timedelta(days=6), WEEK)
    assert week.holds(day) and week.holds(week.last) and not week.holds(week.last + timedelta(days=1))
    assert not week.holds(week.first - timedelta(days=1))
    assert week.url == f"weeks/{key}/"
    assert parse_week(key) == week


def test_week_titles_name_the_iso_year():
    assert week_of(date(2027, 1, 1)).title == "Week 53 of 2026"
    assert week_of(date(2025, 12, 30)).title == "Week 1 of 2026"
    assert week_of(date(2026, 8, 13)).short == "Week 33"


@pytest.mark.parametrize("key", ["2025-W53", "2026-W54", "2026-W00", "2026-W1", "2026W33", "26-W33", "2026-w33", ""])
def test_weeks_that_do_not_exist_are_not_parsed(key):
    assert parse_week(key) is None


@pytest.mark.parametrize(("day", "key", "first", "last", "title"), [
    (date(2026, 8, 13), "2026-08", date(2026, 8, 1), date(2026, 8, 31), "August 2026"),
    (date(2024, 2, 29), "2024-02", date(2024, 2, 1), date(2024, 2, 29), "February 2024"),  # leap year
    (date(2026, 2, 2), "2026-02", date(2026, 2, 1), date(2026, 2, 28), "February 2026"),
    (date(2026, 12, 31), "2026-12", date(2026, 12, 1), date(2026, 12, 31), "December 2026"),
])
def test_a_day_is_in_its_month(day, key, first, last, title):
    month = month_of(day)
    assert (month.key, month.first, month.last, month.title, month.url) == (key, first, last, title, f"months/{key}/")


def test_the_score_adds_upvotes_and_citations_and_unknown_counts_nothing():
    day = date(2026, 8, 13)
    assert score(entry("2608.00001", day, upvotes=12, citations=30)) == 42
    assert score(entry("2608.00002", day, upvotes=12)) == 12
    assert score(entry("2608.00003", day, citations=5)) == 5
    assert score(entry("2608.00004", day)) == 0


def test_ranked_papers_first_ties_in_the_sites_order_then_the_rest_newest_first():
    thu, wed = date(2026, 8, 13), date(2026, 8, 12)
    site_order = [  # newest first, as Site lists them
        entry("2608.00009", thu),  # no signal
        entry("2608.00008", thu, upvotes=5),
        entry("2608.00007", thu, upvotes=0, citations=0),  # known, but zero: no signal
        entry("2608.00006", wed, citations=5),  # ties with 00008: the site's order keeps 00008 first
        entry("2608.00005", wed, upvotes=40, citations=2),
        entry("2608.00004", wed),
    ]
    ranked = [e.paper.id for e in period_order(site_order)]
    assert ranked == ["2608.00005", "2608.00008", "2608.00006", "2608.00009", "2608.00007", "2608.00004"]
    assert period_order(list(reversed(site_order)))[0].paper.id == "2608.00005"  # deterministic by score


def test_spans_group_papers_newest_period_first_and_keep_the_sites_order():
    days = [date(2027, 1, 4), date(2027, 1, 1), date(2026, 12, 31), date(2026, 12, 28), date(2026, 12, 24)]
    entries = [entry(f"2612.{i:05d}", d) for i, d in enumerate(days)]
    weeks = spans(entries, WEEK)
    assert [(s.period.key, [e.paper.announced for e in s.entries]) for s in weeks] == [
        ("2027-W01", [date(2027, 1, 4)]),
        ("2026-W53", [date(2027, 1, 1), date(2026, 12, 31), date(2026, 12, 28)]),
        ("2026-W52", [date(2026, 12, 24)]),
    ]
    assert weeks[1].days == (date(2026, 12, 28), date(2026, 12, 31), date(2027, 1, 1))
    assert [s.period.key for s in spans(entries, MONTH)] == ["2027-01", "2026-12"]


def test_a_period_is_over_once_a_later_period_has_papers():
    week = week_of(date(2026, 8, 13))
    assert not closed(week, None)
    assert not closed(week, date(2026, 8, 14))  # Friday: the week's last announcement, still open
    assert not closed(week, date(2026, 8, 16))  # its Sunday (no announcement, but still the week)
    assert closed(week, date(2026, 8, 17))  # Monday's papers: the week is over
    assert not closed(month_of(date(2026, 8, 31)), date(2026, 8, 31))
    assert closed(month_of(date(2026, 8, 31)), date(2026, 9, 1))


def test_a_period_pages_picks_are_period_orders_first_ten_of_each_topic():
    """picks_of finds each topic's first PICKS without sorting all its papers: the same papers,
    in the same order, as ranking the topic's papers of the period and taking the first ten."""
    from sitegen.config.settings import TopicConfig
    from sitegen.render.outputs.periods import PICKS, picks_of
    from sitegen.site.periods import Span, week_of

    monday = date(2026, 8, 10)
    papers = [entry(f"2608.{i:05d}", monday + timedelta(days=i % 5), upvotes=(i * 7) % 5 or None,
                    citations=(i * 3) % 4 or None, topics=("vision", "llm")[: 1 + i % 2]) for i in range(60)]
    papers.sort(key=lambda e: (e.paper.announced, e.paper.id), reverse=True)  # the site's order
    topics = [TopicConfig(slug=s, title=s.title()) for s in ("llm", "vision", "empty")]
    picks = picks_of(Span(week_of(monday), tuple(papers)), topics)
    assert [p.topic.slug for p in picks] == ["llm", "vision"]  # a topic without papers is left out
    for p in picks:
        mine = [e for e in papers if p.topic.slug in e.topics]
        assert p.total == len(mine) and p.shown == tuple(period_order(mine)[:PICKS])
        assert p.ranked == sum(1 for e in p.shown if score(e))
