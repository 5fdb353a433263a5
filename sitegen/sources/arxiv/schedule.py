"""arXiv's announcement schedule as shipped data (data/arxiv-schedule.json, with its source):
the cutoff, which evening each cutoff is announced on, and the days arXiv is closed.

The holidays are arXiv's own lists, year by year, as its availability page gives them; a day
no list covers falls back to the recurring holidays those lists share (a rule of sitegen's,
said so in the data). sitegen.sources.arxiv.calendar does the date arithmetic.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[2] / "data" / "arxiv-schedule.json"
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Rule:
    """A recurring holiday: a fixed day of a month, or the nth weekday of a month."""

    name: str
    month: int
    day: int | None = None
    weekday: int | None = None
    nth: int | None = None
    since: int = 0

    def on(self, year: int) -> date | None:
        if year < self.since:
            return None
        if self.day is not None:
            when = date(year, self.month, self.day)
            # Saturday is kept on the Friday before, as arXiv did with 2026-07-03; a Sunday
            # is not moved (2023 lists nothing for Sunday 1 January).
            return when - timedelta(days=1) if when.weekday() == 5 else when
        assert self.weekday is not None and self.nth is not None
        first = date(year, self.month, 1)
        return first + timedelta(days=(self.weekday - first.weekday()) % 7 + 7 * (self.nth - 1))


@dataclass(frozen=True)
class Schedule:
    timezone: str
    cutoff: time
    evening_after: tuple[int, ...]  # by deadline weekday (Mon=0..Fri=4): days until its announcement
    listed: dict[date, str]  # arXiv's own holiday lists
    covered: tuple[tuple[date, date], ...]  # the spans those lists cover
    rules: tuple[Rule, ...]

    def holiday(self, day: date) -> str | None:
        """The holiday's name if arXiv is closed on `day`, from its list or, outside every
        list, from the recurring rules."""
        if any(first <= day <= last for first, last in self.covered):
            return self.listed.get(day)
        for rule in self.rules:
            if rule.on(day.year) == day:
                return rule.name
        return None


@lru_cache(maxsize=1)
def schedule() -> Schedule:
    return parse_schedule(json.loads(DATA.read_text(encoding="utf-8")))


def parse_schedule(data: dict[str, Any]) -> Schedule:
    """The schedule from the JSON data; ValueError naming the key for anything malformed."""
    def fail(key: str, what: str) -> ValueError:
        return ValueError(f"{DATA.name}: {key}: {what}")

    try:
        hours, minutes = (int(part) for part in str(data["cutoff"]).split(":"))
        cutoff = time(hours, minutes)
    except (KeyError, ValueError):
        raise fail("cutoff", "must be a time such as 14:00") from None
    table = data.get("schedule", {})
    evening_after = []
    for deadline in WEEKDAYS[:5]:
        evening = table.get(deadline)
        if evening not in WEEKDAYS:
            raise fail(f"schedule.{deadline}", "must name the weekday of its announcement evening")
        evening_after.append((WEEKDAYS.index(evening) - WEEKDAYS.index(deadline)) % 7)
    listed: dict[date, str] = {}
    covered = []
    for year, entry in data.get("holidays", {}).items():
        if year == "about":
            continue
        try:
            first, last = date(int(year), 1, 1), date.fromisoformat(entry["through"])
            days = {date.fromisoformat(k): str(v) for k, v in entry["days"].items()}
        except (KeyError, TypeError, ValueError):
            raise fail(f"holidays.{year}", "needs 'through' (a date) and 'days' (date: name)") from None
        if last.year != first.year or any(not first <= d <= last for d in days):
            raise fail(f"holidays.{year}", "every day must lie in the year, up to 'through'")
        covered.append((first, last))
        listed.update(days)
    rules = tuple(_rule(item, fail) for item in data.get("recurring", {}).get("days", []))
    return Schedule(timezone=str(data.get("timezone", "America/New_York")), cutoff=cutoff,
                    evening_after=tuple(evening_after), listed=listed, covered=tuple(covered), rules=rules)


def _rule(item: dict[str, Any], fail: Callable[[str, str], ValueError]) -> Rule:
    try:
        weekday = WEEKDAYS.index(item["weekday"]) if "weekday" in item else None
        rule = Rule(name=str(item["name"]), month=int(item["month"]), day=item.get("day"), weekday=weekday,
                    nth=item.get("nth"), since=int(item.get("since", 0)))
        if (rule.day is None) == (rule.weekday is None) or (rule.weekday is not None and not rule.nth):
            raise ValueError
        rule.on(2000)  # a day that does not exist (31 June) fails here, not on first use
    except (KeyError, TypeError, ValueError):
        raise fail("recurring.days", f"{item!r} needs a name, a month and a day or a weekday with nth") from None
    return rule
