"""Weeks and months of announcement days, and how a period's papers are ranked. Pure.

A paper belongs to the ISO week (Monday to Sunday, numbered as ISO 8601 numbers them: the
week holding a year's first Thursday is its week 1, so 31 Dec 2026 is in 2026-W53 and 1 Jan
2027 too) and to the calendar month of its `announced` day. arXiv announces Monday to
Friday, so a week's days are never split between two weeks.

The ranking (`period_order`), one score for pages, feeds and the weekly digest alike: a
paper's Hugging Face upvotes plus its Semantic Scholar citations, unknown counts as 0
(`score`). The two are added as they are: a week's papers are weighed mostly by the upvotes
they gather in their first days, an old month's by the citations they gathered since, which
is what "the period's best" means seen from either time. Ties keep the site's order (newest
announcement first, then newest id), and papers with neither signal come after every ranked
one, in the day pages' order (newest day first, newest id first): a site without Hugging
Face or Semantic Scholar data still lists a period's papers, newest first.

A period is *over* (`closed`) once a paper of a later period exists: from the data, never the
clock. The weekly feeds carry only weeks that are over, and the weekly digest sends a week
on the first run after one (sitegen.digest.weekly), so no reader gets a half week.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sitegen.sources.huggingface.record import upvotes_of
from sitegen.sources.semanticscholar.record import citations_of

if TYPE_CHECKING:
    from sitegen.site.load import Entry

WEEK, MONTH = "week", "month"
FOLDERS = {WEEK: "weeks", MONTH: "months"}
_WEEK_KEY = re.compile(r"(\d{4})-W(\d{2})")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


@dataclass(frozen=True, order=True)
class Period:
    """An ISO week or a calendar month; ordered by its first day (within a kind)."""

    first: date  # its first calendar day: the Monday, or the 1st
    kind: str  # WEEK or MONTH
    key: str  # "2026-W33", "2026-08": its URL name

    @property
    def last(self) -> date:
        """Its last calendar day: the Sunday, or the month's last day."""
        if self.kind == WEEK:
            return self.first + timedelta(days=6)
        return self.first.replace(day=calendar.monthrange(self.first.year, self.first.month)[1])

    @property
    def url(self) -> str:
        return f"{FOLDERS[self.kind]}/{self.key}/"

    @property
    def short(self) -> str:
        """"Week 33", "August": its name within its year."""
        if self.kind == WEEK:
            return f"Week {int(self.key[6:])}"
        return _MONTHS[self.first.month - 1]

    @property
    def title(self) -> str:
        """"Week 33 of 2026" (its ISO year: 2026-W53 holds 1 Jan 2027), "August 2026"."""
        return f"{self.short} of {self.key[:4]}" if self.kind == WEEK else f"{self.short} {self.key[:4]}"

    def holds(self, day: date) -> bool:
        return self.first <= day <= self.last


def week_of(day: date) -> Period:
    """The ISO week holding `day`."""
    iso = day.isocalendar()
    return Period(day - timedelta(days=iso.weekday - 1), WEEK, f"{iso.year}-W{iso.week:02d}")


def month_of(day: date) -> Period:
    return Period(day.replace(day=1), MONTH, f"{day.year}-{day.month:02d}")


PERIOD_OF = {WEEK: week_of, MONTH: month_of}


def parse_week(key: str) -> Period | None:
    """"2026-W33" -> its week; None when it is not an ISO week that exists (2026-W54, 2025-W53)."""
    match = _WEEK_KEY.fullmatch(key)
    if not match:
        return None
    try:
        monday = date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        return None
    return week_of(monday)


def score(entry: Entry) -> int:
    """Hugging Face upvotes plus Semantic Scholar citations (0 for what is unknown)."""
    return upvotes_of(entry.paper) + citations_of(entry.paper)


def period_order(entries: Iterable[Entry]) -> list[Entry]:
    """Ranked papers (score above 0) by score, then the rest; `entries` in the site's order
    (newest first), which a stable sort keeps for ties and for the unranked papers."""
    return sorted(entries, key=lambda e: -score(e))


@dataclass(frozen=True)
class Span:
    """One period and its papers, in the site's order (newest first)."""

    period: Period
    entries: tuple[Entry, ...]

    @property
    def days(self) -> tuple[date, ...]:
        """Its announcement days with papers, oldest first."""
        return tuple(sorted({e.paper.announced for e in self.entries}))


def spans(entries: Iterable[Entry], kind: str) -> list[Span]:
    """The periods of `kind` that hold papers, newest first, each with its papers; `entries`
    newest first (the site's order), which each span keeps."""
    period_of = PERIOD_OF[kind]
    found: dict[Period, list[Entry]] = {}
    for e in entries:
        found.setdefault(period_of(e.paper.announced), []).append(e)
    return [Span(p, tuple(found[p])) for p in sorted(found, reverse=True)]


def closed(period: Period, newest: date | None) -> bool:
    """Whether the period is over: a paper of a later period (the site's newest day after
    it) exists."""
    return newest is not None and newest > period.last
