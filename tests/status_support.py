"""Nightly records for tests: a night built from a few numbers, written with the real format.

The fetch tests (tests/test_status_fetch.py) make records with a real fetch through the replay
server; these make the ones a calendar test or a page test needs (a failing Monday, a quiet
holiday) without running one.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path

from sitegen.status.record import Failure, Night, Run, SourceRun, UpstreamCount, night_json


def arxiv_run(day: date, *, new: int = 0, updated: int = 0, unchanged: int = 0, announced: int | None = None,
              failed: str | None = None, backfill: bool = False, count_day: date | None = None,
              at: time = time(10, 37)) -> Run:
    """A fetch of arXiv (one API search and one RSS batch) and Hugging Face (one day)."""
    counts = () if announced is None else (
        UpstreamCount("rss", ("cs.CL",), count_day or day, announced, (("new", announced),)),)
    failures = (Failure.of("arxiv rss cs.CL", failed),) if failed else ()
    arxiv = SourceRun(asked=2, answered=2 - len(failures), failed=len(failures), failures=failures, new=new,
                      updated=updated, unchanged=unchanged, left_out=3, counts=counts)
    hf = SourceRun(asked=1, answered=1)
    return Run(finished=datetime.combine(day, at, UTC), since=day, until=day, backfill=backfill,
               sources=(("arxiv", arxiv), ("huggingface", hf)))


def night(day: date, *runs: Run, **kw) -> Night:
    return Night(day, runs or (arxiv_run(day, **kw),))


def write_nights(folder: Path, *nights: Night) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for n in nights:
        (folder / f"{n.day}.json").write_bytes(night_json(n))
