"""`[digest] cadence = "weekly"`: one digest a week, of the week's papers per topic, ranked as
the week's page ranks them (sitegen.site.periods: Hugging Face upvotes plus Semantic Scholar
citations, then the papers with neither, newest first). Pure.

When a week goes out: once it is over, that is once the site holds a paper of a later week
(sitegen.site.periods.closed), from the data alone. The nightly workflow runs on weekday
mornings after each arXiv announcement, so a week goes out on the first run that brings the
next week's first announcement: normally Monday's run (Sunday evening's announcement),
Tuesday's after a Monday holiday. By then the week's Friday papers have had the weekend to
gather upvotes, and no later paper can join the week.

Never twice: the state file's records (sitegen.digest.state) are keyed by the week's Monday
and the daily key behind `select.WEEKLY` ("weekly_combined"), so `--mark-sent` and `--resend`
act on a week as on a day, named by any of its days (`--day`), and a switch between cadences
never mistakes one record for another.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sitegen.config.settings import TopicConfig
from sitegen.digest.select import COMBINED, WEEKLY, Section, Selection, daily_key
from sitegen.site.load import Entry
from sitegen.site.model import sort_newest_first
from sitegen.site.periods import Period, closed, period_order, week_of

CATCH_UP = 4  # weeks sent at most by one run after runs that failed or did not run: a month


def weekly_keys(keys: Iterable[str]) -> list[str]:
    return [WEEKLY + key for key in keys]


def week_days(entries: Iterable[Entry], newest: date | None, over_only: bool = True) -> list[date]:
    """The record days (Mondays), oldest first, of the weeks of `entries` (in scope) that are
    over, given the site's newest announcement day; with `over_only` False, every week."""
    weeks = {week_of(e.paper.announced) for e in entries}
    return sorted(w.first for w in weeks if not over_only or closed(w, newest))


def newest_day(entries: Iterable[Entry]) -> date | None:
    """The site's newest announcement day: of its papers on a topic (what closes a week)."""
    return max((e.paper.announced for e in entries if e.topics and not e.paper.hidden), default=None)


def select_week(entries: list[Entry], monday: date, key: str, topics: tuple[TopicConfig, ...]) -> Selection | None:
    """The weekly digest `key` (WEEKLY + a daily key) of the week starting `monday`, from
    in-scope `entries`, or None when the week has no paper of its topics."""
    week: Period = week_of(monday)
    ranked = period_order(sort_newest_first(e for e in entries if week.holds(e.paper.announced)))
    base = daily_key(key)
    combined = base.startswith(COMBINED)
    chosen = topics if combined else tuple(t for t in topics if t.slug == base)
    sections = [Section(t, mine) for t in chosen if (mine := tuple(e for e in ranked if t.slug in e.topics))]
    if not sections:
        return None
    return Selection(week.first, key, tuple(sections), None if combined else chosen[0], week)
