"""arXiv's announcement calendar: on which days an empty RSS batch is normal.

arXiv announces at 20:00 US Eastern, Sunday to Thursday; the RSS feed is rebuilt at midnight
Eastern and carries the mailing dated the next morning. So a feed read on Monday to Friday
(Eastern) holds a batch, and one read on Saturday or Sunday is empty (the feed itself lists
both under <skipDays>). arXiv also skips announcements on some US holidays (arXiv's
"availability" help page lists them per year); the mailing that would have followed such an
evening is missing too.

Holidays follow the rules arXiv has used (New Year's Day, Martin Luther King Jr. Day,
Juneteenth, Independence Day, Labor Day, Thanksgiving, Christmas), plus dates arXiv
announced ad hoc. A holiday missing here costs little: fetch treats the empty batch as
unexpected and reads the listing pages instead, which are empty too.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

try:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    EASTERN: ZoneInfo | None
    try:
        EASTERN = ZoneInfo("America/New_York")
    except ZoneInfoNotFoundError:  # pragma: no cover - a system without tz data
        EASTERN = None
except ImportError:  # pragma: no cover
    EASTERN = None

# Announcement evenings arXiv skipped outside the rules below (from arXiv's own schedule).
EXTRA_HOLIDAYS: dict[date, str] = {
    date(2023, 6, 14): "arXiv holiday",
    date(2023, 12, 27): "arXiv holiday",
    date(2025, 7, 6): "Independence Day (observed)",
}
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def eastern_today(now: float | datetime) -> date:
    """The date in New York at `now` (epoch seconds or an aware datetime): the feed's day."""
    if not isinstance(now, datetime):
        now = datetime.fromtimestamp(now, UTC)
    if EASTERN is not None:
        return now.astimezone(EASTERN).date()
    # Without tz data, UTC-5 is wrong by one hour in summer, which only matters at midnight.
    return (now.astimezone(UTC) - timedelta(hours=5)).date()


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def holiday(evening: date) -> str | None:
    """The holiday's name if arXiv makes no announcement on the evening of `evening`."""
    if evening in EXTRA_HOLIDAYS:
        return EXTRA_HOLIDAYS[evening]
    y = evening.year
    rules = {
        date(y, 1, 1): "New Year's Day",
        _nth_weekday(y, 1, 0, 3): "Martin Luther King Jr. Day",
        date(y, 6, 19): "Juneteenth",
        date(y, 7, 4): "Independence Day",
        _nth_weekday(y, 9, 0, 1): "Labor Day",
        _nth_weekday(y, 11, 3, 4): "Thanksgiving",
        date(y, 12, 25): "Christmas Day",
    }
    return rules.get(evening)


def is_announcement_evening(evening: date) -> bool:
    """arXiv announces Sunday to Thursday evenings, holidays excepted."""
    return evening.weekday() in (6, 0, 1, 2, 3) and holiday(evening) is None


def no_batch_reason(day: date) -> str | None:
    """Why the RSS feed read on `day` (New York date) is rightly empty; None if it should not be."""
    if day.weekday() >= 5:
        return f"{_WEEKDAYS[day.weekday()]} {day}: arXiv does not announce on weekends"
    evening = day - timedelta(days=1)  # Monday's batch is Sunday evening's announcement
    name = holiday(evening)
    if name is not None:
        return f"{_WEEKDAYS[day.weekday()]} {day}: no arXiv announcement ({name}, {evening})"
    return None


def expects_batch(day: date) -> bool:
    return no_batch_reason(day) is None


def mailing_days(since: date, until: date) -> list[date]:
    """The days in [since, until] whose RSS feed carries a batch."""
    days, day = [], since
    while day <= until:
        if expects_batch(day):
            days.append(day)
        day += timedelta(days=1)
    return days
