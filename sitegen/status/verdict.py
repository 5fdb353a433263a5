"""Judging the nightly records against arXiv's calendar: did a night bring what it should?

A night *brought nothing* when it is an announcement day (arXiv's RSS feed carries a mailing
that morning: sitegen.sources.arxiv.calendar), its nightly fetches (backfills aside) wrote no
new snapshot, and no arXiv count shows a mailing of that day for the topics' categories. A
count above zero means arXiv announced and the topics matched nothing: a quiet topic, not a
broken feed. Weekends and arXiv's holidays never count, either way. Two announcement days in
a row that brought nothing fail `sitegen status --check`, which the nightly workflow runs.
Pure: the records and the calendar, never the clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sitegen.sources.arxiv.calendar import deadline_for, expects_batch, holiday, is_deadline
from sitegen.status.record import Night, Run

FAIL_AFTER = 2  # announcement days in a row that brought nothing


@dataclass(frozen=True)
class NightSummary:
    day: date
    expected: bool  # an announcement day: arXiv's feed carries a mailing that morning
    nightly: bool  # at least one fetch that was not a backfill
    new: int  # new snapshots, from every run of the night
    announced: int  # arXiv's own counts of that day's mailing (per category set, added up)
    failed: tuple[str, ...]  # sources whose last run that night had a failure

    @property
    def brought_nothing(self) -> bool:
        return self.expected and self.nightly and self.new == 0 and self.announced == 0


def summarise(night: Night) -> NightSummary:
    nightly = [r for r in night.runs if not r.backfill]
    new = sum(s.new for r in nightly for _, s in r.sources)
    announced = max((_announced(r, night.day) for r in nightly), default=0)
    last: dict[str, bool] = {}
    for run in night.runs:
        for name, source in run.sources:
            last[name] = source.failed > 0
    return NightSummary(night.day, expects_batch(night.day), bool(nightly), new, announced,
                        tuple(name for name, failed in last.items() if failed))


def _announced(run: Run, day: date) -> int:
    return sum(c.announced for _, s in run.sources for c in s.counts if c.day == day)


@dataclass(frozen=True)
class Verdict:
    ok: bool
    line: str  # one line, sitegen's own words: no server's text (it may become a CI annotation)
    streak: tuple[NightSummary, ...] = ()  # the announcement days in a row that brought nothing


def judge(nights: Sequence[Night]) -> Verdict:
    """The verdict on the newest nights (oldest first)."""
    summaries = [summarise(n) for n in sorted(nights, key=lambda n: n.day)]
    if not summaries:
        return Verdict(True, "no nightly record yet: `sitegen fetch` writes one each night")
    judged = [s for s in summaries if s.expected and s.nightly]
    streak: list[NightSummary] = []
    for summary in reversed(judged):
        if not summary.brought_nothing:
            break
        streak.insert(0, summary)
    if len(streak) >= FAIL_AFTER:
        days = ", ".join(short_day(s.day) for s in streak)
        return Verdict(False, f"no new papers and no arXiv announcement counted on {len(streak)} announcement "
                              f"days in a row ({days}): {_why(streak)}", tuple(streak))
    newest = summaries[-1]
    if not newest.expected:
        tail = f"; {short_day(streak[0].day)} brought nothing" if streak else ""
        return Verdict(True, f"{short_day(newest.day)}: {day_off(newest.day)}, so nothing was due{tail}",
                       tuple(streak))
    if streak:
        return Verdict(True, f"{short_day(streak[0].day)} brought no new paper and no arXiv count; one such "
                             f"announcement day, not {FAIL_AFTER} in a row", tuple(streak))
    last = judged[-1] if judged else newest
    return Verdict(True, f"{short_day(last.day)}: {last.new} new paper{'s' if last.new != 1 else ''}"
                         f"{f', arXiv announced {last.announced}' if last.announced else ''}")


def _why(streak: Sequence[NightSummary]) -> str:
    failing = sorted(set.intersection(*(set(s.failed) for s in streak)))
    if failing:
        return (f"{' and '.join(failing)} failed every one of these nights; read the failures in the fetch log "
                "or on the status page")
    return ("every source answered but brought nothing: check the source URLs and topics in sitegen.toml, and "
            "whether arXiv's feed is stale (the fetch log warns)")


def short_day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


# --- what the calendar says about a day --------------------------------------------------

def day_off(day: date) -> str | None:
    """Why `day` brings no arXiv mailing (weekend, holiday), or None on an announcement day."""
    if expects_batch(day):
        return None
    if day.weekday() >= 5:
        return "a weekend day, when arXiv announces nothing"
    return f"no arXiv announcement ({closure(day) or 'no announcement the evening before'})"


def closure(day: date) -> str | None:
    """The holiday that takes the mailing of `day` away, and when it is ("Labor Day, Mon 7
    Sep"), or None."""
    evening = day - timedelta(days=1)
    deadline = deadline_for(evening)
    if deadline is None or is_deadline(deadline):
        return None
    closed = deadline if holiday(deadline) is not None else evening
    return f"{holiday(closed)}, {closed:%a} {closed.day} {closed:%b}"


def missing_mailings_after(day: date, span: int = 60, most: int = 3) -> list[tuple[date, str]]:
    """The next weekdays after `day` (within `span` days) that bring no arXiv mailing, and the
    holiday that takes it away."""
    found = []
    for i in range(1, span + 1):
        d = day + timedelta(days=i)
        why = closure(d) if d.weekday() < 5 else None
        if why is not None:
            found.append((d, why))
            if len(found) == most:
                break
    return found
