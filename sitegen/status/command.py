"""`sitegen status`: the last nights' records as a table, and the verdict on the last line.

`--check` turns a failing verdict (two announcement days in a row that brought nothing:
sitegen.status.verdict) into exit 1, for the nightly workflow, which shows the last line as
the run's error. That line is sitegen's own words only (days, source names, counts), never a
server's, since it becomes a workflow annotation. Records that cannot be read are one
warning each on stderr, and the verdict is made from the others.
"""

from __future__ import annotations

from typing import TextIO

from sitegen.config.settings import Config
from sitegen.status.read import load_nights
from sitegen.status.verdict import judge, short_day
from sitegen.status.view import NIGHTS_SHOWN

NIGHTS_PRINTED = 7


def run_status(config: Config, check: bool, out: TextIO, err: TextIO) -> int:
    folder = config.fetch.status
    assert folder is not None  # the config always has one
    nights, problems = load_nights(folder, NIGHTS_SHOWN)
    for problem in problems:
        print(f"sitegen status: warning: {problem}", file=err)
    rows = [("night", "source", "answered", "new", "updated", "unchanged", "left out", "arXiv announced")]
    for night in nights[-NIGHTS_PRINTED:]:
        for number, run in enumerate(night.runs, 1):
            when = short_day(night.day) + (f" #{number}" if len(night.runs) > 1 else "")
            when += " (backfill)" if run.backfill else ""
            for name, s in run.sources:
                counts = ", ".join(f"{c.announced} {'+'.join(c.categories)}" for c in s.counts) or "-"
                rows.append((when, name, f"{s.answered} of {s.asked}", str(s.new), str(s.updated),
                             str(s.unchanged), str(s.left_out), counts))
    if len(rows) > 1:
        print(f"sitegen status: {folder} ({len(nights)} newest nights read)", file=out)
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        for row in rows:
            print("  " + "  ".join(c.ljust(w) if i < 2 or i == 7 else c.rjust(w)
                                   for i, (c, w) in enumerate(zip(row, widths, strict=True))).rstrip(), file=out)
    verdict = judge(nights)
    print(f"{'ok' if verdict.ok else 'failing'}: {verdict.line}", file=out)
    return 1 if check and not verdict.ok else 0
