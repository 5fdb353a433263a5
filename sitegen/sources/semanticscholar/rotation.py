"""Which papers to ask Semantic Scholar about tonight, and the memory of when each was asked.

A paper's citations move while it is new and hardly at all later, so every paper is not asked
about every night. In order, within the night's budget (`max_calls` batches of 500 ids):

1. papers never asked about (new to content/, or the memory was lost), newest first;
2. young papers (announced in the YOUNG_DAYS days up to today) not asked today, newest first;
3. older papers last asked `recheck_days` or more days ago, least recently asked first.

The defaults, 40 calls (20,000 papers) and 30 days: a fork following five busy categories
gains ~350 papers a weekday, ~7,700 young ones at a time (16 calls), and at ~125,000 papers a
year ~3,900 older ones are due a night (8 calls) to be asked once a month; the rest of the
budget catches up after a backfill or a lost memory. A paper's last day asked is kept here, in the fetch cache,
never in content/: a date in the snapshot would change it every time it is asked, and the
nightly commit would show thousands of changed files with no news in them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path

from sitegen import arxiv_ids
from sitegen.atomic import atomic_write
from sitegen.safe_fs import read_regular_file

STATE_NAME = "semanticscholar-asked.json"
YOUNG_DAYS = 30
MAX_BYTES = 64_000_000  # ~30 bytes a paper: two million papers; a bigger file is not sitegen's
_OLDEST = date(1991, 8, 14)  # arXiv's first day: no paper was asked about before it


def tonight(known: Iterable[tuple[str, date]], asked: dict[str, date], today: date, recheck_days: int,
            limit: int) -> list[str]:
    """The ids to ask about tonight, most urgent first, at most `limit` (see the module
    docstring). `known`: (id, announcement day) of every paper in content/."""
    young_since = today - timedelta(days=YOUNG_DAYS - 1)
    due_before = today - timedelta(days=recheck_days - 1)
    never: list[tuple[date, str]] = []
    young: list[tuple[date, str]] = []
    old: list[tuple[date, date, str]] = []
    for paper_id, announced in known:
        last = asked.get(paper_id)
        if last is None:
            never.append((announced, paper_id))
        elif announced >= young_since:
            if last < today:
                young.append((announced, paper_id))
        elif last < due_before:
            old.append((last, announced, paper_id))
    never.sort(reverse=True)
    young.sort(reverse=True)
    old.sort(key=lambda t: (t[0], -t[1].toordinal(), t[2]))
    order = [i for _, i in never] + [i for _, i in young] + [i for _, _, i in old]
    return order[:limit]


class AskedMemory:
    """{id: the last day Semantic Scholar answered about it}, in the fetch cache. Losing it
    costs a night or two of asking again, so a file that cannot be read is said once and
    then treated as empty."""

    def __init__(self, folder: Path | None, today: date):
        self.path = Path(folder) / STATE_NAME if folder is not None else None
        self.today = today
        self.problem: str | None = None
        self.asked: dict[str, date] = self._load()
        self._dirty = False

    def _load(self) -> dict[str, date]:
        if self.path is None:
            return {}
        try:
            data = json.loads(read_regular_file(self.path, MAX_BYTES, STATE_NAME))  # never through a link
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, RecursionError) as exc:
            self.problem = f"{self.path}: cannot read ({exc}); every paper counts as never asked"
            return {}
        entries = data.get("asked") if isinstance(data, dict) and data.get("version") == 1 else None
        if not isinstance(entries, dict):
            self.problem = f"{self.path}: not a record sitegen wrote; every paper counts as never asked"
            return {}
        asked = {}
        for paper_id, day in entries.items():
            when = _day(day)
            # Bounded: a real id, a day from arXiv's first to today (a clock set wrong later
            # must not keep a paper from being asked for years).
            if isinstance(paper_id, str) and arxiv_ids.is_valid_id(paper_id) and when and _OLDEST <= when <= self.today:
                asked[paper_id] = when
        return asked

    def answered(self, ids: Iterable[str]) -> None:
        for paper_id in ids:
            self.asked[paper_id] = self.today
        self._dirty = True

    def save(self, known: set[str]) -> None:
        """Write it (best effort), keeping only papers content/ still holds."""
        if self.path is None or not self._dirty:
            return
        kept = {i: d.isoformat() for i, d in sorted(self.asked.items()) if i in known}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, json.dumps({"version": 1, "asked": kept}, separators=(",", ":")).encode())
            self._dirty = False
        except OSError:
            pass


def _day(value: object) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        return None
