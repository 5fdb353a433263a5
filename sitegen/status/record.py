"""The nightly record's format: what one night's fetches asked each source and what came back.

    {
      "day": "2026-08-13",          arXiv's day (New York) when the fetch ran: the file's name
      "runs": [                     every fetch of that day, oldest first (at most MAX_RUNS)
        {
          "backfill": false,        an explicit --since window rather than the nightly look-back
          "finished": "2026-08-13T06:41:12Z",
          "since": "2026-08-10", "until": "2026-08-13",
          "sources": {
            "arxiv": {
              "asked": 2, "answered": 2, "failed": 0,    units of work (a search, a feed, a day)
              "failures": [{"unit": "arxiv rss cs.CL", "reason": "one line"}],   the first MAX_FAILURES
              "new": 3, "updated": 2, "unchanged": 40, "left_out": 94,           snapshots
              "counts": [{"feed": "rss", "categories": ["cs.CL"], "day": "2026-08-13",
                          "announced": 92, "types": {"cross": 36, "new": 56, ...}}]
            }
          }
        }
      ],
      "version": 1
    }

`counts` are arXiv's own: how many papers (new submissions and cross-lists) its RSS feed or
listing page announced for the categories, whatever the topics kept. Written with sorted keys
and two-space indents, so the same fetch results give the same bytes and a nightly commit
shows one night's lines. Pure: no I/O here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime

from sitegen.echo import cut, one_line

VERSION = 1
MAX_RUNS = 8  # fetches kept for one night: the nightly one, and a few re-runs by hand
MAX_FAILURES = 10  # failure lines kept per source and run; `failed` still counts them all
MAX_COUNTS = 200  # arXiv counts kept per source and run (one per topic category set, at most)
REASON_CHARS = 600  # a failure's line: what happened, the URL, what to do
LABEL_CHARS = 300  # a unit's label ("arxiv api <slug>"; slugs are short)
# The RSS feed's announce types, counted apiece; any other word a feed sends is "other", and
# items sitegen could not read are "unreadable".
TYPES = ("new", "cross", "replace", "replace-cross", "other", "unreadable")


@dataclass(frozen=True)
class UpstreamCount:
    """arXiv's own count of one announcement for a set of categories: `announced` new
    submissions and cross-lists (what a listing page's day heading counts), dated `day`,
    and for an RSS feed its items by announce type."""

    feed: str  # "rss" or "listing"
    categories: tuple[str, ...]
    day: date | None
    announced: int
    types: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Failure:
    unit: str
    reason: str

    @classmethod
    def of(cls, unit: str, reason: str) -> Failure:
        """A failure fit for the record: each part one line, cut to its bound."""
        return cls(cut(one_line(unit), LABEL_CHARS), cut(one_line(reason), REASON_CHARS))


@dataclass(frozen=True)
class SourceRun:
    """One source in one fetch."""

    asked: int = 0
    answered: int = 0
    failed: int = 0
    failures: tuple[Failure, ...] = ()
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    left_out: int = 0  # off every topic, or a new version of a paper not in content/
    counts: tuple[UpstreamCount, ...] = ()


@dataclass(frozen=True)
class Run:
    """One `sitegen fetch`."""

    finished: datetime  # UTC
    since: date
    until: date
    backfill: bool
    sources: tuple[tuple[str, SourceRun], ...]  # in the order they ran


@dataclass(frozen=True)
class Night:
    day: date
    runs: tuple[Run, ...] = field(default_factory=tuple)


def night_json(night: Night) -> bytes:
    """The night's file, byte for byte: sorted keys, two-space indents, a final newline."""
    data = {"day": night.day.isoformat(), "runs": [_run(r) for r in night.runs], "version": VERSION}
    return (json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _run(run: Run) -> dict:
    return {
        "backfill": run.backfill,
        "finished": run.finished.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "since": run.since.isoformat(),
        "until": run.until.isoformat(),
        "sources": {name: _source(s) for name, s in run.sources},
    }


def _source(s: SourceRun) -> dict:
    return {
        "asked": s.asked, "answered": s.answered, "failed": s.failed,
        "failures": [{"unit": f.unit, "reason": f.reason} for f in s.failures[:MAX_FAILURES]],
        "new": s.new, "updated": s.updated, "unchanged": s.unchanged, "left_out": s.left_out,
        "counts": [_count(c) for c in s.counts[:MAX_COUNTS]],
    }


def _count(c: UpstreamCount) -> dict:
    return {"feed": c.feed, "categories": list(c.categories), "day": c.day.isoformat() if c.day else None,
            "announced": c.announced, "types": dict(c.types)}
