"""Cold builds of the same Markdown-rich papers: sitegen against Pelican 4.12.

    .venv/bin/python benchmarks/pelican_compare.py [--papers 10000] [--dir /dev/shm/sitegen-pelican]
        [--repeat 3] [--pelican-venv /dev/shm/sitegen-pelican-venv] [--sitegen-src DIR] [--jobs N]

The papers are corpus.py's "markdown" corpus (half the abstracts with strong emphasis,
emphasis, code spans, some links and lists; most with inline TeX). sitegen builds them from its
snapshots with the 20 topics of build.py; Pelican builds the same papers written as Pelican
Markdown articles (title, date, authors, the first category as category, all as tags, the
abstract as body) with its default theme, feeds and Markdown extensions, 20 articles a list
page (its default is one page listing every article), article pages under papers/{slug}/.
Pelican renders TeX as text: it needs a plugin and JavaScript for math, sitegen writes MathML.

Pelican is installed into its own venv, outside the repository, when missing. Each repeat
runs, in fresh processes with output on tmpfs: sitegen cold (no output/, no cache), sitegen
no-change (the same again), Pelican cold (no output/). Times are medians; CPU is user+sys of
the process and its children (sitegen's workers). The machine is shared: the ratio of CPU
seconds is the steadier one. `--sitegen-src` runs another checkout's sitegen package (e.g. a
`git archive` of main) with this venv's dependencies: before/after in one sitting.
Tables go to stdout and benchmarks/results/pelican-<N>.md.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

from corpus import REPO, generate, site_folder
from measure import Run, run

from sitegen.model import Paper
from sitegen.snapshot.format import parse_snapshot

PELICAN = "pelican==4.12.0"
STAMP = "pelican articles 2\n"  # bump when article() or PELICANCONF changes
PELICANCONF = """\
SITENAME = "Bench Feeds"
SITEURL = "https://example.org/bench"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = 20
ARTICLE_URL = "papers/{slug}/"
ARTICLE_SAVE_AS = "papers/{slug}/index.html"
"""


def pelican_venv(venv: Path) -> Path:
    """The pelican command of `venv`, which is made and filled first when it has none."""
    command = venv / "bin" / "pelican"
    if not command.exists():
        print(f"installing {PELICAN} into {venv}", file=sys.stderr, flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", PELICAN, "markdown"], check=True)
    return command


# Inline TeX as a Pelican author writes it in Markdown without a math plugin: `_` and `*`
# escaped, else Markdown reads them as emphasis across formulas (and python-markdown then
# leaves its placeholder control characters in two papers, which Pelican's feeds refuse).
_TEX = re.compile(r"\$[^$]+\$")


def article(paper: Paper) -> str:
    """The paper as a Pelican Markdown article: metadata lines, a blank line, the abstract."""
    body = _TEX.sub(lambda m: m[0].replace("_", "\\_").replace("*", "\\*"), paper.abstract)
    meta = {
        "Title": " ".join(paper.title.split()),
        "Date": f"{paper.published:%Y-%m-%d %H:%M}",
        "Authors": ", ".join(paper.authors),
        "Category": paper.categories[0],
        "Tags": ", ".join(paper.categories),
        "Slug": paper.id.replace("/", "-"),
    }
    return "".join(f"{key}: {value}\n" for key, value in meta.items()) + "\n" + body + "\n"


def write_pelican_site(site: Path, sitegen_site: Path) -> None:
    """Every snapshot of the sitegen site as an article under site/content, unless the stamp
    says they are there."""
    stamp, snapshots = site / ".bench-stamp", sitegen_site / "content" / "papers"
    wanted = STAMP + (sitegen_site / ".bench-stamp").read_text()
    if not (stamp.exists() and stamp.read_text() == wanted):
        shutil.rmtree(site, ignore_errors=True)
        for path in sorted(snapshots.rglob("*.md")):
            paper = parse_snapshot(path.read_text(encoding="utf-8"))
            target = site / "content" / path.parent.relative_to(snapshots) / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(article(paper), encoding="utf-8")
        stamp.write_text(wanted)
    (site / "pelicanconf.py").write_text(PELICANCONF)


def checked(result: Run, what: str, log: Path) -> Run:
    if result.returncode != 0:
        sys.exit(f"{what} failed (exit {result.returncode}), see {log}:\n{result.text[-2000:]}")
    return result


def sitegen_build(site: Path, src: Path | None, jobs: int | None) -> Run:
    env = dict(os.environ, PYTHONPATH=str(src)) if src else None
    cmd = [str(REPO / ".venv" / "bin" / "python"), "-m", "sitegen", "build", "--config", "sitegen.toml"]
    cmd += ["--jobs", str(jobs)] if jobs else []
    log = site / ".bench-log"
    return checked(run(cmd, site, log, env), "sitegen build", log)


def pelican_build(site: Path, pelican: Path) -> Run:
    shutil.rmtree(site / "output", ignore_errors=True)
    log = site / ".bench-log"
    cmd = [str(pelican), "content", "-s", "pelicanconf.py", "-o", "output"]
    return checked(run(cmd, site, log), "pelican", log)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--papers", type=int, default=10_000)
    ap.add_argument("--dir", type=Path, default=Path("/dev/shm/sitegen-pelican"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--pelican-venv", type=Path, default=Path("/dev/shm/sitegen-pelican-venv"))
    ap.add_argument("--sitegen-src", type=Path, help="folder holding the sitegen package to time (default: this one)")
    ap.add_argument("--jobs", type=int, help="pass --jobs N to sitegen (default: one worker per core)")
    args = ap.parse_args()
    pelican = pelican_venv(args.pelican_venv)
    site = site_folder(args.dir, args.papers, "markdown")
    generate(site, args.papers, "markdown")
    peli = args.dir / f"pelican-{args.papers}"
    write_pelican_site(peli, site)
    src = args.sitegen_src.resolve() if args.sitegen_src else None
    runs: dict[str, list[Run]] = {"cold": [], "nochange": [], "pelican": []}
    load = os.getloadavg()[0]
    for i in range(args.repeat):
        shutil.rmtree(site / "output", ignore_errors=True)
        shutil.rmtree(site / ".sitegen-cache", ignore_errors=True)
        runs["cold"].append(sitegen_build(site, src, args.jobs))
        runs["nochange"].append(sitegen_build(site, src, args.jobs))
        runs["pelican"].append(pelican_build(peli, pelican))
        print(f"repeat {i + 1}/{args.repeat} done", file=sys.stderr, flush=True)
    wall = {k: statistics.median(r.wall for r in v) for k, v in runs.items()}
    cpu = {k: statistics.median(r.cpu for r in v) for k, v in runs.items()}
    label = f"sitegen ({src})" if src else "sitegen"
    table = "\n".join([
        "| build | wall | CPU |", "|---|---|---|",
        f"| {label} cold | {wall['cold']:.2f} s | {cpu['cold']:.2f} s |",
        f"| Pelican 4.12 cold | {wall['pelican']:.2f} s | {cpu['pelican']:.2f} s |",
        f"| Pelican / sitegen | {wall['pelican'] / wall['cold']:.1f}x | {cpu['pelican'] / cpu['cold']:.1f}x |",
        f"| {label} no-change | {wall['nochange']:.2f} s | {cpu['nochange']:.2f} s |",
    ])
    notes = (f"{args.papers:,} papers (markdown corpus), median of {args.repeat}, {os.cpu_count()} cores, "
             f"1-min load {load:.1f} before and {os.getloadavg()[0]:.1f} after (above the core count, "
             "compare CPU seconds), output on tmpfs.")
    print(f"\n{table}\n\n{notes}")
    results = REPO / "benchmarks" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / f"pelican-{args.papers}.md").write_text(f"# sitegen and Pelican, cold\n\n{table}\n\n{notes}\n")


if __name__ == "__main__":
    main()
