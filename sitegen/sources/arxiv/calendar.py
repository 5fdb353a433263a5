"""arXiv's announcement calendar: the day a paper is announced, and the days an empty RSS
batch is normal.

arXiv cuts submissions off at 14:00 US Eastern, Monday to Friday, and announces at 20:00 the
same evening (Friday's cutoff: on Sunday evening). The RSS feed is rebuilt at midnight Eastern
and dates the batch the next morning (`<pubDate>Thu, 13 Aug 2026 00:00:00 -0400`, for
Wednesday evening's announcement); the listing pages head it the same (`<h3>Thu, 13 Aug
2026`). That date, the mailing date, is a paper's day on the site, whichever source brought
it: `announcement_day(submitted)` gives the one the RSS feed would have. Mailings are dated
Monday to Friday, never on a weekend.

arXiv is closed on its holidays (data/arxiv-schedule.json, from its availability page): no
cutoff and no announcement that day; a closed Friday also cancels Sunday's announcement. The
submissions wait for the next cutoff, and the mailing after the skipped evening is missing.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sitegen.sources.arxiv.schedule import WEEKDAYS, schedule

# tzdata is a dependency, so New York's rules (with their DST switches) are always there.
EASTERN = ZoneInfo(schedule().timezone)
# A holiday season never closes arXiv for weeks; past this many days something is wrong.
_MAX_DAYS = 60


def eastern_today(now: float | datetime) -> date:
    """The date in New York at `now` (epoch seconds or an aware datetime): the feed's day."""
    if not isinstance(now, datetime):
        now = datetime.fromtimestamp(now, UTC)
    return now.astimezone(EASTERN).date()


def holiday(day: date) -> str | None:
    """The holiday's name if arXiv is closed on `day` (no cutoff, no announcement)."""
    return schedule().holiday(day)


def evening_of(deadline: date) -> date:
    """The evening a cutoff on `deadline` (Monday to Friday) is announced on."""
    return deadline + timedelta(days=schedule().evening_after[deadline.weekday()])


def is_deadline(day: date) -> bool:
    """True when a cutoff falls on `day`: a weekday, arXiv open, its announcement evening too."""
    return day.weekday() < 5 and holiday(day) is None and holiday(evening_of(day)) is None


def deadline_for(evening: date) -> date | None:
    """The cutoff day whose submissions are announced on `evening` (Sunday: Friday's), if any."""
    for back in range(7):
        day = evening - timedelta(days=back)
        if day.weekday() < 5 and evening_of(day) == evening:
            return day
    return None


def is_announcement_evening(evening: date) -> bool:
    """arXiv announces Sunday to Thursday evenings, when that evening's cutoff took place."""
    deadline = deadline_for(evening)
    return deadline is not None and is_deadline(deadline)


def announcement_day(submitted: datetime) -> date:
    """The mailing date of the first announcement after `submitted` (an aware datetime): the
    day arXiv's RSS feed and listings give a paper submitted then.

    A submission at the cutoff's very second is in the next one (the page's table says
    "Monday 14:00 - Tuesday 14:00" for one window).
    """
    try:
        local = submitted.astimezone(EASTERN)
        day = local.date()
        if local.time() >= schedule().cutoff:
            day += timedelta(days=1)
        for _ in range(_MAX_DAYS):
            if is_deadline(day):
                return evening_of(day) + timedelta(days=1)
            day += timedelta(days=1)
    except OverflowError:  # a date at the calendar's very end (year 9999) has no next mailing
        return submitted.date()
    raise ValueError(f"no arXiv cutoff within {_MAX_DAYS} days after {submitted.isoformat()}; "
                     "check sitegen/data/arxiv-schedule.json")


def last_submission(mailing: date) -> datetime | None:
    """The last second a submission could be made and still be in the mailing dated `mailing`
    (its cutoff, less a second), in UTC; None when no mailing has that date.

    The RSS feed dates a replacement only by its mailing: this is the closest bound on when the
    new version was submitted, and `announcement_day` maps it back to that mailing (the
    mailing's own midnight would map to the next one)."""
    deadline = deadline_for(mailing - timedelta(days=1))
    if deadline is None or not is_deadline(deadline):
        return None
    cutoff = datetime.combine(deadline, schedule().cutoff, tzinfo=EASTERN)
    return (cutoff - timedelta(seconds=1)).astimezone(UTC)


def no_batch_reason(day: date) -> str | None:
    """Why the RSS feed read on `day` (New York date) is rightly empty; None if it should not be."""
    if day.weekday() >= 5:
        return f"{WEEKDAYS[day.weekday()]} {day}: arXiv does not announce on weekends"
    evening = day - timedelta(days=1)  # Monday's batch is Sunday evening's announcement
    deadline = deadline_for(evening)
    if deadline is None:
        return f"{WEEKDAYS[day.weekday()]} {day}: arXiv does not announce on {WEEKDAYS[evening.weekday()]} evenings"
    if is_deadline(deadline):
        return None
    closed = deadline if holiday(deadline) is not None else evening
    return f"{WEEKDAYS[day.weekday()]} {day}: no arXiv announcement ({holiday(closed)}, {closed})"


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
