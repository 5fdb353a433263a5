"""The 125k-paper site with search on: cold build, no-change rebuild, a night's +500 papers, site size.

    .venv/bin/python benchmarks/scale.py [--papers 125000] [--new 500] [--dir /dev/shm/scale-bench]
                                         [--code DIR]

The site is benchmarks/build.py's deterministic synthetic site (its generator, imported), built
with its search config (`[build] search = true`, every other setting at its default). Each build
is a fresh process (build.py's run_build: wall, CPU of the build + workers + Pagefind, peak RSS
of the main process and of its largest child). Beside those, a sampler polls /proc every 100 ms
and records the peak of the whole process tree's PSS (proportional set size: pages forked
workers share with the main process are counted once), which is what the machine must hold.

Rows: cold build (no output/, no .sitegen-cache), no-change rebuild, +N new papers on a new
newest day (the nightly case; removed again afterwards) and the built site's size (every file
of output/ except hidden ones: what GitHub Pages publishes). Targets: peak memory < 1 GB (the
largest single process, and the tree's PSS), no-change < 2 s, +500 < 30 s. `--code DIR` runs
the builds with DIR first on PYTHONPATH (e.g. an exported older commit, for a before/after).
Table to stdout and benchmarks/results/scale-<N>.md.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import sys
import threading
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build as bench  # noqa: E402  (benchmarks/build.py: the generator and run_build)
from measure import tree_pss_mb  # noqa: E402  (benchmarks/measure.py: /proc per process)

REPO = bench.REPO
TARGET_MB, NOCHANGE_S, NIGHTLY_S = 1024, 2.0, 30.0


class TreeSampler:
    """Polls the PSS of every process under this one (the build and its children) in a thread."""

    def __init__(self, interval: float = 0.1):
        self.interval, self.peak_mb = interval, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.is_set():
            self.peak_mb = max(self.peak_mb, tree_pss_mb(me) - self._own_mb)
            self._stop.wait(self.interval)

    def __enter__(self) -> TreeSampler:
        self._own_mb = tree_pss_mb(os.getpid())  # this benchmark process itself is not the build
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def tree_hash(folder: Path) -> str:
    h = hashlib.sha1()
    for path in sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts):
        h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:10]


def timed_build(config: Path) -> dict:
    with TreeSampler() as sampler:
        run = bench.run_build(config, None)
    run["tree_mb"] = sampler.peak_mb
    return run


def nightly_papers(extra, count: int) -> list:
    """`count` papers on the weekday after the newest day, numbered on from build.py's extra paper
    (the next free id of the newest month), or from 00001 when that weekday opens a new month."""
    day = extra.announced + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    month, number = extra.id.split(".")
    first = int(number) if f"{day:%y%m}" == month else 1
    r = random.Random(bench.SEED * 7 + count)
    return [bench.make_paper(r, f"{day:%y%m}.{first + i:05d}", day) for i in range(count)]


def site_mb(out: Path) -> float:
    """What Pages would publish: every file under out except hidden ones (and hidden folders)."""
    total = 0
    for dirpath, dirs, names in os.walk(out):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        total += sum(os.path.getsize(os.path.join(dirpath, n)) for n in names if not n.startswith("."))
    return total / 1e6


def fmt(run: dict) -> str:
    return (f"{run['wall']:.1f} s wall, CPU {run['cpu']:.1f} s; peak RSS main {run['main_mb']:.0f} MB, "
            f"largest child {run['worker_mb']:.0f} MB, tree PSS {run['tree_mb']:.0f} MB; "
            f"{run['written']:,} of {run['files']:,} files written")


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def peak(run: dict) -> float:
    return max(run["main_mb"], run["worker_mb"], run["tree_mb"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--papers", default=125_000, type=int)
    ap.add_argument("--new", default=500, type=int, help="papers the nightly build adds")
    ap.add_argument("--dir", default="/dev/shm/scale-bench", type=Path)
    ap.add_argument("--code", type=Path, help="put this folder first on the builds' PYTHONPATH")
    args = ap.parse_args()
    if args.code:
        os.environ["PYTHONPATH"] = str(args.code.resolve())
    site, n = args.dir / f"site-{args.papers}", args.papers
    load, before = os.getloadavg()[0], bench.code_state()
    extra = bench.generate(site, n)
    config = site / "sitegen-search.toml"
    new = nightly_papers(extra, args.new)
    paths = [site / "content" / "papers" / bench.shard(p.id) / (bench.safe_name(p.id) + ".md") for p in new]
    for path in paths:
        path.unlink(missing_ok=True)
    shutil.rmtree(site / "output", ignore_errors=True)
    shutil.rmtree(site / ".sitegen-cache", ignore_errors=True)
    runs = {}
    try:
        runs["cold"] = timed_build(config)
        print(f"cold: {fmt(runs['cold'])}", file=sys.stderr, flush=True)
        runs["nochange"] = timed_build(config)
        print(f"no-change: {fmt(runs['nochange'])}", file=sys.stderr, flush=True)
        size = site_mb(site / "output")
        for paper in new:
            bench.write_paper(site / "content", paper)
        runs["nightly"] = timed_build(config)
        print(f"+{args.new}: {fmt(runs['nightly'])}", file=sys.stderr, flush=True)
    finally:
        for path in paths:
            path.unlink(missing_ok=True)
    worst = max(peak(r) for r in runs.values())
    rows = [
        ("cold build", fmt(runs["cold"]), "-", "-"),
        ("no-change rebuild", fmt(runs["nochange"]), f"< {NOCHANGE_S:.0f} s",
         verdict(runs["nochange"]["wall"] < NOCHANGE_S)),
        (f"+{args.new} papers, new newest day", fmt(runs["nightly"]), f"< {NIGHTLY_S:.0f} s",
         verdict(runs["nightly"]["wall"] < NIGHTLY_S)),
        ("peak memory, any build", f"{worst:.0f} MB (largest of main, child, tree PSS)", f"< {TARGET_MB} MB",
         verdict(worst < TARGET_MB)),
        ("site size", f"{size:.0f} MB (output/ without hidden files)", "-", "-"),
    ]
    after = bench.code_state()
    table = "\n".join(["| row | measured | target | result |", "|---|---|---|---|",
                       *(f"| {' | '.join(r)} |" for r in rows)])
    code = (f"- code: builds ran with PYTHONPATH={args.code} (sitegen/ hash {tree_hash(args.code / 'sitegen')}),"
            f" this checkout at HEAD {before[0]}" if args.code else
            f"- code: HEAD {before[0]}, sitegen/ + templates/ hash {before[1]}"
            + (f", CHANGED during the run to {after[1]}" if after[1] != before[1] else ""))
    notes = [code,
             f"- 1-min load average {load:.1f} before, {os.getloadavg()[0]:.1f} after, on {os.cpu_count()} cores"
             " (above the core count, wall times are inflated: compare CPU seconds)"]
    text = f"{table}\n\n" + "\n".join(notes) + "\n"
    print(f"\n{text}")
    results = REPO / "benchmarks" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / f"scale-{n}.md").write_text(f"# sitegen build, {n:,} papers, search on\n\n{text}\n"
                                           f"Output on {args.dir} (tmpfs); one fresh process per build.\n")


if __name__ == "__main__":
    main()
