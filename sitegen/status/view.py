"""What the status page shows, made from the nightly records, the site's newest day and arXiv's
calendar: the verdict, why the newest papers are as old as they are, and per source a row for
each fetch of the last nights. Pure: the records and the calendar, never the clock, so the
same records give the same page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sitegen.status.record import Failure, Night, SourceRun
from sitegen.status.verdict import (
    NightSummary,
    Verdict,
    day_off,
    judge,
    missing_mailings_after,
    summarise,
)

NIGHTS_SHOWN = 30  # records read and shown: a month of nights
DAYS_EXPLAINED = 21  # days listed between the newest paper and the last fetch
FAILURES_SHOWN = 40


@dataclass(frozen=True)
class CountCell:
    categories: str  # "cs.CL+cs.LG"
    announced: int
    day: date | None
    stale: bool  # dated before the night: the feed had not moved on
    feed: str


@dataclass(frozen=True)
class Row:
    """One source in one fetch."""

    day: date
    run: str  # "" for a night's only run; else which it was: its time ("14:02 UTC"), or "backfill"
    source: SourceRun
    counts: tuple[CountCell, ...]
    state: str  # "ok", "failed" (some units failed), "nothing" (an announcement day without papers), "off"


@dataclass(frozen=True)
class SourceTable:
    name: str
    rows: tuple[Row, ...]
    has_counts: bool


@dataclass(frozen=True)
class DayNote:
    day: date
    kind: str  # "off" (weekend, holiday), "papers", "nothing", "failed", "missing" (no fetch that night)
    text: str


@dataclass(frozen=True)
class StatusView:
    state: str  # "ok", "warn", "bad", "none"
    headline: str
    verdict: Verdict
    newest_paper: date | None
    newest_count: int
    last_night: date | None
    days: tuple[DayNote, ...]  # after the newest paper's day, up to the last fetch, newest first
    more_days: int  # such days left out of `days`
    upcoming: tuple[tuple[date, str], ...]  # the next weekdays without a mailing
    tables: tuple[SourceTable, ...]
    failures: tuple[tuple[date, str, Failure], ...]  # newest first
    more_failures: int
    skipped: tuple[str, ...]  # records that could not be read
    failing_nights: int  # the newest nights in a row with a failed source


def status_view(nights: Sequence[Night], newest_paper: date | None, newest_count: int,
                skipped: Sequence[str] = ()) -> StatusView:
    nights = sorted(nights, key=lambda n: n.day)[-NIGHTS_SHOWN:]
    verdict = judge(nights)
    summaries = {n.day: summarise(n) for n in nights}
    last = nights[-1].day if nights else None
    failing = 0
    for night in reversed(nights):
        if not summaries[night.day].failed:
            break
        failing += 1
    if not nights:
        state, headline = "none", "No nightly record yet"
    elif not verdict.ok:
        state, headline = "bad", f"No new papers on {len(verdict.streak)} announcement days in a row"
    elif failing:
        state = "warn"
        headline = ("A source failed on the last night" if failing == 1
                    else f"A source failed on each of the last {failing} nights")
    else:
        state, headline = "ok", "Healthy"
    days, more = _days_since(newest_paper, last, summaries)
    failures = [(n.day, name, f) for n in reversed(nights) for r in reversed(n.runs)
                for name, s in r.sources for f in s.failures]
    hidden = sum(max(0, s.failed - len(s.failures)) for n in nights for r in n.runs for _, s in r.sources)
    return StatusView(
        state=state, headline=headline, verdict=verdict, newest_paper=newest_paper, newest_count=newest_count,
        last_night=last, days=tuple(days), more_days=more,
        upcoming=tuple(missing_mailings_after(last)) if last else (),
        tables=_tables(nights, summaries), failures=tuple(failures[:FAILURES_SHOWN]),
        more_failures=max(0, len(failures) - FAILURES_SHOWN) + hidden, skipped=tuple(skipped),
        failing_nights=failing,
    )


def _days_since(newest: date | None, last: date | None,
                summaries: dict[date, NightSummary]) -> tuple[list[DayNote], int]:
    """Each day after the newest paper's, up to the last fetch, newest first: why it brought
    no paper (a weekend, a holiday, a night that failed or brought nothing, no fetch)."""
    if newest is None or last is None or last <= newest:
        return [], 0
    span = (last - newest).days
    notes = []
    for i in range(min(span, DAYS_EXPLAINED)):
        day = last - timedelta(days=i)
        off = day_off(day)
        summary = summaries.get(day)
        if off is not None:
            notes.append(DayNote(day, "off", off))
        elif summary is None or not summary.nightly:
            notes.append(DayNote(day, "missing", "an announcement day, but no nightly fetch ran (or it left no "
                                                 "record)"))
        elif summary.failed and summary.new == 0:
            notes.append(DayNote(day, "failed", f"an announcement day; {', '.join(summary.failed)} failed"))
        elif summary.announced:
            notes.append(DayNote(day, "papers", f"arXiv announced {summary.announced} in the topics' categories; "
                                                "none matched a topic"))
        else:
            notes.append(DayNote(day, "nothing", "an announcement day, but no source brought a paper and arXiv's "
                                                 "feed counted nothing"))
    return notes, max(0, span - DAYS_EXPLAINED)


def _tables(nights: Sequence[Night], summaries: dict[date, NightSummary]) -> tuple[SourceTable, ...]:
    rows: dict[str, list[Row]] = {}
    for night in reversed(nights):
        summary = summaries[night.day]
        for run in reversed(night.runs):
            label = ("backfill" if run.backfill
                     else f"{run.finished:%H:%M} UTC" if len(night.runs) > 1
                     else "")
            for name, source in run.sources:
                counts = tuple(CountCell("+".join(c.categories), c.announced, c.day,
                                         c.day is not None and c.day < night.day, c.feed) for c in source.counts)
                if source.failed:
                    state = "failed"
                elif summary.brought_nothing:
                    state = "nothing"
                elif not summary.expected:
                    state = "off"
                else:
                    state = "ok"
                rows.setdefault(name, []).append(Row(night.day, label, source, counts, state))
    return tuple(SourceTable(name, tuple(r), any(row.counts for row in r)) for name, r in rows.items())
