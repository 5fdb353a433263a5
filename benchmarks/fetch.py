"""Benchmark fetch's local work: parse + merge + write of N records from recorded responses.

    .venv/bin/python benchmarks/fetch.py [--records 10000] [--dir /dev/shm] [--repeat 3]

The recorded 100-entry arXiv API page (tests/fixtures/arxiv-api/api2026-search-testing-100-
entries.xml) is replayed N/100 times with its entry ids rewritten to N distinct ids, so every
record is a real API entry (LaTeX, accents, DOIs, comments) and none merges with another.
No network: this measures what fetch costs on top of waiting for the sources.

Phases, each timed on its own and summed:
  parse      parse_api_feed on every page
  write new  SnapshotWriter.write into an empty content/ (merge + dump + atomic write)
  rewrite    the same records again: every snapshot read, merged, found byte-identical
             (the nightly case: most of a window is already known)
Target: parse + write new <= 2 s for 10k records. The temp dir is on tmpfs (/dev/shm) when it
exists: small-file writes on these machines' ext4 are slow and erratic and would measure the
disk, not sitegen. Table to stdout and benchmarks/results/fetch.md (git-ignored).
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # runs from a checkout, installed or not

from sitegen.fetch import write as fetch_write
from sitegen.fetch.write import Harvest, SnapshotWriter
from sitegen.sources.arxiv.api import parse_api_feed

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "arxiv-api" / "api2026-search-testing-100-entries.xml"
_ENTRY_ID = re.compile(rb"<id>https?://arxiv\.org/abs/[^<]+</id>")


def pages(records: int) -> list[bytes]:
    """ceil(records/100) copies of the recorded page, entry ids rewritten to distinct ones."""
    body = FIXTURE.read_bytes()
    per_page = len(_ENTRY_ID.findall(body))
    out, n = [], 0
    while n < records:
        def renumber(match: re.Match, start=n) -> bytes:
            nonlocal n
            # 2601.00000 ...: new-style ids, 1,000 per shard folder like real months.
            new = b"<id>http://arxiv.org/abs/%04d.%05dv1</id>" % (2601 + n // 100000, n % 100000)
            n += 1
            return new
        out.append(_ENTRY_ID.sub(renumber, body))
    assert n >= records and per_page == 100
    return out


def _time_store_writes() -> list[float]:
    """Wrap store.write_snapshot as fetch_write calls it, to show the store's share."""
    spent = [0.0]
    real = fetch_write.write_snapshot

    def timed(content_dir, paper):
        t0 = time.perf_counter()
        try:
            return real(content_dir, paper)
        finally:
            spent[0] += time.perf_counter() - t0

    timed.real = real
    fetch_write.write_snapshot = timed
    return spent


def _untime_store_writes() -> None:
    fetch_write.write_snapshot = fetch_write.write_snapshot.real


def run_once(bodies: list[bytes], records: int, root: Path) -> dict[str, float]:
    content = root / "content"
    timings = {}
    t0 = time.perf_counter()
    papers = [p for body in bodies for p in parse_api_feed(body).papers][:records]
    timings["parse"] = time.perf_counter() - t0
    assert len({p.id for p in papers}) == records, "ids must be distinct"

    warnings: list[str] = []
    spent = _time_store_writes()
    t0 = time.perf_counter()
    counts = SnapshotWriter(content, warn=warnings.append).write(Harvest(accepted=papers), keep=lambda p: True)
    timings["write new"] = time.perf_counter() - t0
    timings["  of which store.write_snapshot"] = spent[0]
    _untime_store_writes()
    assert counts.new == records and not warnings, (counts, warnings[:3])

    t0 = time.perf_counter()
    counts = SnapshotWriter(content, warn=warnings.append).write(Harvest(accepted=papers), keep=lambda p: True)
    timings["rewrite"] = time.perf_counter() - t0
    assert counts.unchanged == records, counts
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10000)
    parser.add_argument("--dir", type=Path, default=Path("/dev/shm") if Path("/dev/shm").is_dir() else None)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    bodies = pages(args.records)
    runs = []
    for _ in range(args.repeat):
        root = Path(tempfile.mkdtemp(prefix="sitegen-fetch-bench-", dir=args.dir))
        try:
            runs.append(run_once(bodies, args.records, root))
        finally:
            shutil.rmtree(root, ignore_errors=True)

    phases = list(runs[0])
    rows = [("phase", "median s", "min s", "records/s")]
    for phase in phases:
        values = [r[phase] for r in runs]
        med = statistics.median(values)
        rows.append((phase, f"{med:.3f}", f"{min(values):.3f}", f"{args.records / med:,.0f}"))
    total = statistics.median(r["parse"] + r["write new"] for r in runs)
    rows.append(("parse + write new", f"{total:.3f}", "", f"{args.records / total:,.0f}"))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    temp_dir = args.dir or tempfile.gettempdir()
    lines = [f"fetch benchmark: {args.records} records, {args.repeat} runs, temp dir {temp_dir}",
             "| " + " | ".join(c.ljust(w) for c, w in zip(rows[0], widths, strict=True)) + " |",
             "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    # Every row has the header's four cells, so strict zips: a missing cell would be a bug.
    lines += ["| " + " | ".join(c.ljust(w) if i == 0 else c.rjust(w)
                                for i, (c, w) in enumerate(zip(r, widths, strict=True))) + " |"
              for r in rows[1:]]
    verdict = "PASS" if total <= 2.0 else "OVER"
    lines.append(f"target parse + write new <= 2.0 s for 10k records: {verdict} ({total:.2f} s)")
    text = "\n".join(lines) + "\n"
    print(text, end="")
    results = REPO / "benchmarks" / "results"
    try:
        results.mkdir(parents=True, exist_ok=True)
        (results / "fetch.md").write_text(text, encoding="utf-8")
    except OSError:
        pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
