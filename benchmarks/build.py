"""Benchmark `sitegen build` on deterministic synthetic sites of N papers.

    .venv/bin/python benchmarks/build.py [--sizes 1000,10000,100000] [--dir /dev/shm/sitegen-bench]
                                         [--repeat 3] [--jobs N] [--search] [--code DIR]

Per N: seeded-random snapshots written with `dump_paper` (~1.2 KB abstracts with varied inline
TeX, 5 authors, some accented, 1-3 of 20 categories, a year of weekdays, YYMM.NNNNN ids, versions
1-3, some upvotes), a sitegen.toml with 20 topics (category, keyword, exclude and author rules;
search off) and a copy of templates/, under <dir>/site-N (reused while .bench-stamp matches).

Measured --repeat times, each build a fresh process so imports, worker start-up and memory count:
cold full build (no output/, no .sitegen-cache: CI on a fresh checkout), no-change rebuild (the
same again) and one-new-paper rebuild (one more snapshot on the newest day: the nightly case).
Wall and CPU seconds (user+sys of the build, its workers and Pagefind, via os.wait4 as
/usr/bin/time does), peak RSS of the main process (RUSAGE_SELF) and of its largest child
(RUSAGE_CHILDREN), and files written. To read RSS per process the child runs `python -c WRAPPER
build --config FILE`, WRAPPER being what .venv/bin/sitegen runs plus a print of its rusage.
Times are medians, RSS the max over runs. --search repeats the three builds with search = true.

--code DIR times another checkout on the same papers: its sitegen/ first on the builds'
PYTHONPATH and its templates/ in the site (`git archive <rev> sitegen templates | tar -x -C DIR`).
Run it alternately with and without --code for a before/after on this shared, noisy machine.

Output goes to tmpfs (/dev/shm) on purpose: writing many small files to ext4 on these machines is
slow and erratic (0.4-4.4 s for the bare 10k-file floor, /work/shared/PERFORMANCE.md) and would
swamp what sitegen itself costs. Tables go to stdout and benchmarks/results/build-<N>.md.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from corpus import (  # the synthetic papers and site; re-exported for the other benchmarks
    REPO,
    SEED,
    config_text,
    make_paper,
    schedule,
    sentence,
    toml_value,
    write_paper,
)
from corpus import generate as generate_corpus

from sitegen.arxiv_ids import safe_name, shard
from sitegen.model import Paper

PYTHON = REPO / ".venv" / "bin" / "python"
__all__ = ["REPO", "SEED", "config_text", "generate", "make_paper", "run_build", "safe_name", "sentence", "shard",
           "toml_value", "write_paper"]


def generate(site: Path, n: int, templates: Path = REPO / "templates") -> Paper:
    """Write the site for N papers (unless already there); return the paper the nightly step adds:
    one more on the newest day, numbered on in its month."""
    generate_corpus(site, n, templates=templates)
    ids, days, _ = schedule(n)
    month = ids[-1][:4]
    extra_id = f"{month}.{sum(i.startswith(month + '.') for i in ids) + 1:05d}"
    return make_paper(random.Random(SEED + n), extra_id, days[-1], last=days[-1])


# Exactly what .venv/bin/sitegen does, plus reporting this process's and its workers' peak RSS.
WRAPPER = """import resource, sys
from sitegen.cli import main
try:
    rc = main(sys.argv[1:])
finally:
    print("@@rss", *(resource.getrusage(w).ru_maxrss for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)),
          file=sys.stderr)
sys.exit(rc)
"""
SUMMARY = re.compile(r"-> (\d+) files \((\d+) written, (\d+) unchanged, (\d+) removed\)")


def run_build(config: Path, jobs: int | None) -> dict:
    cmd = [str(PYTHON), "-c", WRAPPER, "build", "--config", str(config)] + (["--jobs", str(jobs)] if jobs else [])
    log = config.parent / ".bench-log"
    with open(log, "w+") as f:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=f, stderr=subprocess.STDOUT, cwd=config.parent)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        f.seek(0)
        text = f.read()
    summary, rss = SUMMARY.search(text), re.search(r"@@rss (\d+) (\d+)", text)
    if proc.returncode != 0 or not summary:
        shown = " ".join(cmd[:1] + ["-c", "WRAPPER"] + cmd[3:])
        sys.exit(f"build failed (exit {proc.returncode}): cd {config.parent} && {shown}\n{text}")
    files, written, unchanged, _ = map(int, summary.groups())
    return dict(wall=wall, cpu=usage.ru_utime + usage.ru_stime, main_mb=int(rss[1]) / 1024,
                worker_mb=int(rss[2]) / 1024, files=files, written=written, unchanged=unchanged)


def measure(config: Path, extra: Paper, repeat: int, jobs: int | None) -> dict[str, list[dict]]:
    site = config.parent
    runs: dict[str, list[dict]] = {"cold": [], "nochange": [], "onenew": []}
    extra_path = site / "content" / "papers" / shard(extra.id) / (safe_name(extra.id) + ".md")
    for _ in range(repeat):
        extra_path.unlink(missing_ok=True)
        shutil.rmtree(site / "output", ignore_errors=True)
        shutil.rmtree(site / ".sitegen-cache", ignore_errors=True)
        runs["cold"].append(run_build(config, jobs))
        runs["nochange"].append(run_build(config, jobs))
        write_paper(site / "content", extra)
        runs["onenew"].append(run_build(config, jobs))
    extra_path.unlink(missing_ok=True)
    return runs


def code_state(root: Path = REPO) -> tuple[str, str]:
    """(HEAD, a hash of sitegen/ and templates/ as they are now) of the code timed (`--code`
    or this checkout): others edit these trees."""
    head = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    h = hashlib.sha1()
    for path in sorted(p for d in ("sitegen", "templates") for p in (root / d).rglob("*") if p.is_file()):
        if "__pycache__" not in path.parts:
            h.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return head.stdout.strip() or "?", h.hexdigest()[:10]


def med(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


HEADER = "| N | cold full | no-change rebuild | one new paper | peak RSS | files |\n|---|---|---|---|---|---|"


def cell(runs: list[dict]) -> str:
    return f"{med(runs, 'wall'):.2f} s (CPU {med(runs, 'cpu'):.2f} s)"


def row(n: int, runs: dict[str, list[dict]], label: str = "") -> str:
    main_mb = "/".join(f"{max(r['main_mb'] for r in runs[k]):.0f}" for k in ("cold", "nochange", "onenew"))
    worker = max(r["worker_mb"] for rs in runs.values() for r in rs)
    rss = f"main {main_mb} MB, " + (f"child {worker:.0f} MB" if worker else "no children")
    files = (f"{runs['cold'][0]['files']:,} (rebuilds write {med(runs['nochange'], 'written'):.0f}"
             f" / {med(runs['onenew'], 'written'):.0f})")
    cells = " | ".join(cell(runs[k]) for k in ("cold", "nochange", "onenew"))
    return f"| {n:,}{label} | {cells} | {rss} | {files} |"


def targets(n: int, runs: dict[str, list[dict]]) -> list[str]:
    if n == 100_000:
        peak = max(max(r["main_mb"], r["worker_mb"]) for rs in runs.values() for r in rs)
        return [f"- 100k peak RSS < 1 GB: {peak:.0f} MB in one process: {'PASS' if peak < 1024 else 'FAIL'}"]
    wanted = [("cold", "cold", 5.0), ("nochange", "no-change", 0.5), ("onenew", "one new paper", 1.0)]
    if n != 10_000:
        return []
    lines = []
    for k, label, limit in wanted:
        wall = med(runs[k], "wall")
        lines.append(f"- 10k {label} <= {limit} s: {wall:.2f} s: {'PASS' if wall <= limit else 'FAIL'}")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--dir", default="/dev/shm/sitegen-bench", type=Path)
    ap.add_argument("--repeat", default=3, type=int)
    ap.add_argument("--jobs", type=int, help="pass --jobs N to sitegen (default: one worker per core)")
    ap.add_argument("--search", action="store_true", help="also time cold builds with [build] search = true")
    ap.add_argument("--code", type=Path, help="time this checkout's sitegen/ and templates/ instead")
    args = ap.parse_args()
    templates = REPO / "templates"
    if args.code:
        os.environ["PYTHONPATH"] = str(args.code.resolve())
        templates = args.code / "templates"
    results = REPO / "benchmarks" / "results"
    results.mkdir(parents=True, exist_ok=True)
    rows, notes = [], []
    for n in (int(s) for s in args.sizes.split(",")):
        site, before, load = args.dir / f"site-{n}", code_state(args.code or REPO), os.getloadavg()[0]
        extra = generate(site, n, templates)
        runs = measure(site / "sitegen.toml", extra, args.repeat, args.jobs)
        mine = [row(n, runs)]
        if args.search:  # the same three builds with the Pagefind index on
            mine.append(row(n, measure(site / "sitegen-search.toml", extra, args.repeat, args.jobs), " with search"))
        after = code_state(args.code or REPO)
        code = f"- code: {args.code}, " if args.code else "- code: "
        lines = targets(n, runs) + [
            f"{code}HEAD {before[0]}, sitegen/ + templates/ hash {before[1]}"
            + (f", CHANGED during the run to {after[1]} (HEAD {after[0]})" if after[1] != before[1] else ""),
            f"- 1-min load average {load:.1f} before, {os.getloadavg()[0]:.1f} after, on {os.cpu_count()} cores"
            " (above the core count, wall times are inflated: compare CPU seconds)"]
        rows, notes = rows + mine, notes + lines
        body = "\n".join([HEADER, *mine, "", "Peak RSS: main process in the cold/no-change/one-new builds; "
                                                 "child: largest worker or Pagefind.", *lines])
        (results / f"build-{n}.md").write_text(f"# sitegen build, {n:,} papers\n\n{body}\n\n{os.cpu_count()} cores, "
                                               f"median of {args.repeat}, output on {args.dir}\n")
        print(f"{n:,} papers: done", file=sys.stderr, flush=True)
    print(f"\n{HEADER}\n" + "\n".join(rows) + "\n")
    print("Peak RSS: main process in the cold/no-change/one-new builds; child: largest worker or Pagefind.")
    print("Targets: 10k cold <= 5 s, no-change <= 0.5 s, one new paper <= 1 s; 100k peak < 1 GB.")
    print("\n".join(notes))
    print(f"\n{os.cpu_count()} cores; wall times are medians of {args.repeat} fresh processes; "
          f"peak RSS is the max over all runs; output on {args.dir} (tmpfs).")


if __name__ == "__main__":
    main()
