"""A paper's day from arXiv's calendar: the mailing its submission falls in, as the RSS feed
and the listing pages date it, on real boundary cases and over every possible submission time."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.errors import ParseError
from sitegen.sources.arxiv.api import parse_api_feed
from sitegen.sources.arxiv.calendar import (
    announcement_day,
    deadline_for,
    expects_batch,
    holiday,
    is_announcement_evening,
    is_deadline,
    no_batch_reason,
)
from sitegen.sources.arxiv.listing import parse_listing
from sitegen.sources.arxiv.rss import parse_rss
from sitegen.sources.arxiv.schedule import DATA, parse_schedule, schedule

ET = ZoneInfo("America/New_York")
FIXTURES = Path(__file__).parent / "fixtures"


def et(*args) -> datetime:
    return datetime(*args, tzinfo=ET)


# --- what the RSS feed and the listing pages call the day ---------------------------------

def test_the_rss_batch_is_dated_the_morning_after_the_announcement():
    """The recorded feed: pubDate Thursday 00:00 New York, built 00:00:13, for Wednesday
    evening's announcement; its new papers were cut off at Wednesday 14:00."""
    body = (FIXTURES / "arxiv-rss" / "rss-cs.CL-2026-08-14.xml").read_bytes()
    batch = parse_rss(body)
    assert batch.announced == date(2026, 8, 13)
    assert batch.build_date == "Thu, 13 Aug 2026 04:00:13 +0000"
    assert all(item.paper.announced == date(2026, 8, 13) for item in batch.items)
    # What the calendar gives the window that batch announced (Tue 14:00 .. Wed 14:00):
    assert announcement_day(et(2026, 8, 11, 14, 0)) == batch.announced
    assert announcement_day(et(2026, 8, 12, 13, 59, 59)) == batch.announced
    assert announcement_day(et(2026, 8, 12, 14, 0)) == date(2026, 8, 14)


def test_the_listing_heads_the_same_day():
    page = FIXTURES / "arxiv-html" / "list-cs.CL-recent-skip0-show50-2026-08-14.html"
    assert b"<h3>Thu, 13 Aug 2026" in page.read_bytes()
    listing = parse_listing(page.read_bytes())
    rss = {i.paper.id for i in parse_rss((FIXTURES / "arxiv-rss" / "rss-cs.CL-2026-08-14.xml").read_bytes()).items}
    assert listing.announced == date(2026, 8, 13) and {p.id for p in listing.papers} <= rss


def test_real_submissions_are_dated_in_the_month_their_id_names():
    """arXiv gives an id in the month of the evening that announced it: six recorded papers
    submitted at a month's end (2503.23466 on Sunday 30 March, 2406.19956 on Friday 28 June)
    keep their month's id and are dated the 1st of the next, as the calendar says."""
    crossing = set()
    for path in sorted((FIXTURES / "arxiv-api").glob("*.xml")):
        try:
            papers = parse_api_feed(path.read_bytes()).papers
        except ParseError:  # the recorded error feeds
            continue
        for paper in papers:
            evening = paper.announced - timedelta(days=1)
            id_month = paper.id.split("/")[-1][:4]
            assert f"{evening:%y%m}" == id_month, paper.id
            if paper.announced.month != paper.published.month:
                crossing.add(paper.id)
    assert {"2503.23466", "2406.19956", "2301.13615", "1207.7214"} <= crossing


# --- boundary cases -----------------------------------------------------------------------

@pytest.mark.parametrize("submitted, day, why", [
    # Friday's cutoff: announced Sunday evening, dated Monday; a minute late waits for Monday's.
    (et(2026, 8, 14, 13, 59), date(2026, 8, 17), "Friday before the cutoff"),
    (et(2026, 8, 14, 14, 1), date(2026, 8, 18), "Friday after the cutoff"),
    (et(2026, 8, 14, 14, 0, 0), date(2026, 8, 18), "at the cutoff's second: the next window"),
    (et(2026, 8, 15, 9, 0), date(2026, 8, 18), "Saturday"),
    (et(2026, 8, 16, 22, 0), date(2026, 8, 18), "Sunday night"),
    (et(2026, 8, 13, 14, 30), date(2026, 8, 17), "Thursday after the cutoff: Sunday evening"),
    # Real: 2606.13677 was submitted 11 s before Thursday's cutoff and is dated Friday.
    (datetime(2026, 6, 11, 17, 59, 49, tzinfo=UTC), date(2026, 6, 12), "2606.13677"),
    # DST starts Sunday 8 March 2026: Monday's 14:00 is 18:00 UTC, the Friday before 19:00 UTC.
    (datetime(2026, 3, 6, 18, 59, tzinfo=UTC), date(2026, 3, 9), "Friday 13:59 EST"),
    (datetime(2026, 3, 6, 19, 1, tzinfo=UTC), date(2026, 3, 10), "Friday 14:01 EST"),
    (datetime(2026, 3, 9, 17, 59, tzinfo=UTC), date(2026, 3, 10), "Monday 13:59 EDT"),
    (datetime(2026, 3, 9, 18, 30, tzinfo=UTC), date(2026, 3, 11), "Monday 14:30 EDT (13:30 in EST)"),
    # DST ends Sunday 1 November 2026: Monday's 14:00 is 19:00 UTC again.
    (datetime(2026, 11, 2, 18, 30, tzinfo=UTC), date(2026, 11, 3), "Monday 13:30 EST (14:30 in EDT)"),
    (datetime(2026, 11, 2, 19, 1, tzinfo=UTC), date(2026, 11, 4), "Monday 14:01 EST"),
    # Thanksgiving, Thursday 26 November 2026 (listed): no cutoff, no announcement that day.
    (et(2026, 11, 25, 13, 0), date(2026, 11, 26), "Wednesday's announcement, dated Thanksgiving"),
    (et(2026, 11, 25, 15, 0), date(2026, 11, 30), "past Wednesday's cutoff: Friday's, then Monday"),
    (et(2026, 11, 26, 10, 0), date(2026, 11, 30), "on Thanksgiving itself"),
    # Juneteenth on Friday 19 June 2026 (listed): Friday's cutoff and Sunday's announcement go.
    (et(2026, 6, 18, 15, 0), date(2026, 6, 23), "Thursday after the cutoff, before Juneteenth"),
    # 4 July 2025 was a Friday; arXiv listed Sunday 6 July: the same cancelled announcement.
    (et(2025, 7, 3, 15, 0), date(2025, 7, 8), "Thursday 3 July 2025 after the cutoff"),
    # Christmas week 2026 (listed: Fri 25, Tue 29, Thu 31) and the year's end.
    (et(2026, 12, 24, 13, 0), date(2026, 12, 25), "Christmas Eve's announcement, dated Christmas"),
    (et(2026, 12, 24, 15, 0), date(2026, 12, 29), "Friday 25 closed: Monday 28's cutoff"),
    (et(2026, 12, 28, 15, 0), date(2026, 12, 31), "Tuesday 29 closed: Wednesday 30's cutoff"),
    (et(2026, 12, 30, 15, 0), date(2027, 1, 5), "Thu 31 listed, Fri 1 Jan 2027 by rule: Monday 4's"),
    (et(2025, 12, 31, 15, 0), date(2026, 1, 5), "New Year's Day 2026 listed: Friday 2 January's"),
    # December 2025 is not listed yet on the page: Christmas (Thursday) by the recurring rule.
    (et(2025, 12, 24, 15, 0), date(2025, 12, 29), "Thursday 25 December 2025 by rule"),
    # Ad hoc closures only a list knows: Wednesday 14 June 2023, Wednesday 27 December 2023.
    (et(2023, 6, 13, 15, 0), date(2023, 6, 16), "past Tuesday's cutoff, Wednesday closed"),
    (et(2023, 12, 22, 15, 0), date(2023, 12, 27), "Monday 25 closed: Tuesday 26's cutoff"),
    (et(2023, 12, 26, 15, 0), date(2023, 12, 29), "Wednesday 27 closed: Thursday 28's cutoff"),
])
def test_boundary_cases(submitted, day, why):
    assert announcement_day(submitted) == day, why


def test_the_far_end_of_the_calendar_does_not_crash():
    assert announcement_day(datetime(9999, 12, 31, 23, 0, tzinfo=UTC)) == date(9999, 12, 31)


# --- properties ---------------------------------------------------------------------------

@pytest.mark.slow
@settings(max_examples=3000, deadline=None)
@given(st.datetimes(min_value=datetime(1991, 8, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC)))
def test_no_day_is_a_weekend_or_the_morning_after_a_skipped_announcement(submitted):
    day = announcement_day(submitted)
    assert day.weekday() < 5
    # The mailing is the morning after an evening arXiv announced on: never the morning after
    # a holiday or a closed Friday (a holiday itself can be a mailing date: Monday 19 January
    # 2026, Martin Luther King Jr. Day, carries Sunday evening's announcement).
    assert is_announcement_evening(day - timedelta(days=1))
    assert expects_batch(day), no_batch_reason(day)
    local = submitted.astimezone(ET)
    assert local.date() < day <= local.date() + timedelta(days=14)
    # The cutoff that fed it came after the submission, and no cutoff came in between.
    deadline = deadline_for(day - timedelta(days=1))
    assert deadline is not None and submitted < datetime.combine(deadline, schedule().cutoff, tzinfo=ET)
    earlier = local.date()
    while earlier < deadline:
        assert not (is_deadline(earlier) and submitted < datetime.combine(earlier, schedule().cutoff, tzinfo=ET))
        earlier += timedelta(days=1)


@settings(max_examples=500, deadline=None)
@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC)),
       st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=20)))
def test_a_later_submission_is_never_dated_earlier(submitted, later):
    assert announcement_day(submitted) <= announcement_day(submitted + later)


def test_no_listed_holiday_evening_announces():
    for day in schedule().listed:
        assert holiday(day) is not None
        assert not is_announcement_evening(day)
        # No batch the next morning; for a closed Friday, none on Monday (no Sunday announcement).
        morning = day + timedelta(days=3 if day.weekday() == 4 else 1)
        assert not expects_batch(morning), morning
    assert holiday(date(2023, 1, 1)) is None  # a listed year is the list: Sunday 1 January 2023 was a normal evening
    assert holiday(date(2024, 11, 28)) == "Thanksgiving"  # an unlisted year: the recurring rule


# --- the data file ------------------------------------------------------------------------

def test_the_shipped_schedule_names_its_source():
    data = json.loads(DATA.read_text(encoding="utf-8"))
    assert data["source"] == "https://info.arxiv.org/help/availability.html"
    assert set(data["source_files"]) == {y for y in data["holidays"] if y != "about"}
    assert data["not_covered"]
    s = schedule()
    assert (s.cutoff.hour, s.cutoff.minute) == (14, 0)
    assert s.evening_after == (0, 0, 0, 0, 2)  # Friday's cutoff is announced on Sunday


@pytest.mark.parametrize("change, key", [
    (lambda d: d.update(cutoff="2pm"), "cutoff"),
    (lambda d: d["schedule"].update(Friday="Caturday"), "schedule.Friday"),
    (lambda d: d["holidays"]["2026"]["days"].update({"2027-01-01": "x"}), "holidays.2026"),
    (lambda d: d["holidays"]["2023"].pop("through"), "holidays.2023"),
    (lambda d: d["recurring"]["days"].append({"name": "x", "month": 6, "day": 31}), "recurring.days"),
])
def test_a_broken_schedule_names_its_key(change, key):
    data = json.loads(DATA.read_text(encoding="utf-8"))
    change(data)
    with pytest.raises(ValueError, match=f"arxiv-schedule.json: {key.replace('.', '[.]')}"):
        parse_schedule(data)
