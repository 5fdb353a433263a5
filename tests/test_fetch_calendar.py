"""arXiv's announcement calendar, the fetch window, and the RSS batch memory."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from sitegen.config.load import parse_config
from sitegen.errors import UsageError
from sitegen.fetch.plan import make_plan
from sitegen.sources.arxiv.calendar import eastern_today, expects_batch, holiday, mailing_days, no_batch_reason
from sitegen.sources.arxiv.rss import parse_rss
from sitegen.sources.arxiv.rss_memory import RssMemory
from tests.fetch_fixtures import RSS_FILE, empty_rss, fixture_bytes


@pytest.mark.parametrize("day, expected", [
    (date(2026, 8, 13), None),  # Thursday
    (date(2026, 8, 14), None),  # Friday: Thursday evening's announcement
    (date(2026, 8, 17), None),  # Monday: Sunday evening's announcement
    (date(2026, 8, 15), "Saturday 2026-08-15: arXiv does not announce on weekends"),
    (date(2026, 8, 16), "Sunday 2026-08-16: arXiv does not announce on weekends"),
])
def test_weekends(day, expected):
    assert no_batch_reason(day) == expected


@pytest.mark.parametrize("evening, name", [
    (date(2025, 1, 1), "New Year's Day"),
    (date(2025, 1, 20), "Martin Luther King Jr. Day"),
    (date(2025, 6, 19), "Juneteenth"),
    (date(2025, 7, 6), "Independence Day (observed)"),
    (date(2025, 9, 1), "Labor Day"),
    (date(2025, 11, 27), "Thanksgiving"),
    (date(2023, 11, 23), "Thanksgiving"),
    (date(2023, 1, 16), "Martin Luther King Jr. Day"),
    (date(2023, 12, 27), "arXiv holiday"),
    (date(2026, 12, 25), "Christmas Day"),
])
def test_holidays_from_arxivs_schedule(evening, name):
    """The 2023 and 2025 lists on arXiv's availability page, by rule or by date."""
    assert holiday(evening) == name


def test_no_batch_the_morning_after_a_holiday():
    assert "Thanksgiving" in no_batch_reason(date(2025, 11, 28))
    assert "Martin Luther King" in no_batch_reason(date(2025, 1, 21))
    assert "observed" in no_batch_reason(date(2025, 7, 7))  # Sunday evening skipped: no Monday batch
    assert expects_batch(date(2025, 11, 27))  # Thanksgiving morning still has Wednesday's batch
    assert holiday(date(2025, 11, 26)) is None


def test_mailing_days():
    assert mailing_days(date(2026, 8, 13), date(2026, 8, 18)) == [
        date(2026, 8, 13), date(2026, 8, 14), date(2026, 8, 17), date(2026, 8, 18)]


def test_eastern_today_follows_new_york():
    # 02:30 UTC on the 14th is still the evening of the 13th in New York.
    assert eastern_today(datetime(2026, 8, 14, 2, 30, tzinfo=UTC)) == date(2026, 8, 13)
    assert eastern_today(datetime(2026, 8, 14, 5, 0, tzinfo=UTC)) == date(2026, 8, 14)
    assert eastern_today(datetime(2026, 8, 14, 5, 0, tzinfo=UTC).timestamp()) == date(2026, 8, 14)


# --- the window -------------------------------------------------------------------------------

CONFIG = """
[site]
title = "T"
base_url = "https://example.org/"
[fetch]
days = 3
sources = ["arxiv"]
[[topics]]
slug = "a"
title = "A"
categories = ["cs.CL"]
[[topics]]
slug = "b"
title = "B"
keywords = ["x"]
"""


def test_plan_defaults():
    plan = make_plan(parse_config(CONFIG), today=date(2026, 8, 13))
    assert (plan.since, plan.until) == (date(2026, 8, 10), date(2026, 8, 13))
    assert [t.slug for t in plan.topics] == ["a", "b"] and plan.sources == ("arxiv",)
    assert len(plan.days()) == 4 and not plan.backfill


def test_plan_since_until_and_choices():
    plan = make_plan(parse_config(CONFIG), today=date(2026, 8, 13), since=date(2026, 1, 1),
                     topics=["b", "a", "b"], sources=["huggingface", "arxiv"])
    assert (plan.since, plan.until) == (date(2026, 1, 1), date(2026, 8, 13)) and plan.backfill
    assert [t.slug for t in plan.topics] == ["a", "b"]  # config order, once each
    assert plan.sources == ("arxiv", "huggingface")


def test_plan_rejects_unknown_topic_naming_the_known_ones():
    with pytest.raises(UsageError) as err:
        make_plan(parse_config(CONFIG), today=date(2026, 8, 13), topics=["c"])
    assert "unknown topic 'c'" in str(err.value) and "a, b" in str(err.value)


# --- RSS batch memory -------------------------------------------------------------------------

def test_memory_reports_a_batch_seen_on_an_earlier_day(tmp_path):
    batch = parse_rss(fixture_bytes(RSS_FILE))
    memory = RssMemory(tmp_path)
    assert memory.check("u", batch, date(2026, 8, 13)) is None
    memory.save()
    again = RssMemory(tmp_path)
    assert again.check("u", batch, date(2026, 8, 13)) is None  # same day: fine
    stale = again.check("u", batch, date(2026, 8, 14))
    assert stale is not None and stale.first_seen == date(2026, 8, 13)
    assert stale.build_date == "Thu, 13 Aug 2026 04:00:13 +0000"
    assert again.check("u", parse_rss(empty_rss()), date(2026, 8, 15)) is None  # a new batch
    assert again.check("other", batch, date(2026, 8, 14)) is None  # per feed


def test_memory_survives_a_corrupt_file(tmp_path):
    (tmp_path / "rss-batches.json").write_text("{not json")
    memory = RssMemory(tmp_path)
    assert memory.check("u", parse_rss(fixture_bytes(RSS_FILE)), date(2026, 8, 13)) is None
    memory.save()
    assert RssMemory(tmp_path).check("u", parse_rss(fixture_bytes(RSS_FILE)), date(2026, 8, 14)) is not None
