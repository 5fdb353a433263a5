"""How close sitegen.site.size_model's estimate is to what a build writes: run it after a
template change that makes pages lighter or heavier, and refit the model's constants when a
part drifts (the cut under [build] max_site_mb is made from the estimate).

    .venv/bin/python benchmarks/size_model.py [--papers 2000] [--dir /dev/shm/sitegen-size]
                                              [--topics stress|five-categories]

Builds benchmarks/build.py's synthetic site of N papers with search on (no limit; build.py's 20
topics, or site_bytes.py's five category topics), then prints,
per part, the estimate, the bytes written and their ratio: paper and day pages with their
search share and sitemap lines (what retention removes), the rest (topic pages, feeds, index,
assets, Pagefind's scripts: what stays), and the whole site. The estimate should lean high
(ratio a little above 1) and stay near it.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import build as bench  # noqa: E402  (benchmarks/build.py: the synthetic papers)
import site_bytes  # noqa: E402  (its five-category configuration)

from sitegen.config.load import load_config  # noqa: E402
from sitegen.render.outputs import registry as outputs  # noqa: E402
from sitegen.render.outputs.search_records import SEARCH_SCRIPTS  # noqa: E402
from sitegen.site import size_model  # noqa: E402
from sitegen.site.load import load_entries, scan_snapshots  # noqa: E402
from sitegen.site.model import build_site  # noqa: E402

# Day pages live in days/YYYY-MM-DD/; the sitemap's lines leave with their pages.
RETIRABLE = ("papers/", "days/2", "pagefind/", "sitemap")


def written(output: Path) -> tuple[int, int]:
    """Published bytes of output/ that retention can remove, and of the rest."""
    retirable = rest = 0
    for path in output.rglob("*"):
        rel = path.relative_to(output).as_posix()
        if rel.startswith(".") or "/." in rel:
            continue  # not published (upload-pages-artifact leaves hidden files out): the search records
        if path.is_file():
            size = path.stat().st_size
            if rel.startswith(RETIRABLE):
                retirable += size
            else:
                rest += size
    return retirable, rest


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--papers", default=2000, type=int)
    ap.add_argument("--dir", default="/dev/shm/sitegen-size", type=Path)
    ap.add_argument("--topics", choices=("stress", "five-categories"), default="stress")
    args = ap.parse_args()
    site_dir = args.dir / f"site-{args.papers}"
    bench.generate(site_dir, args.papers)
    config_path = site_dir / "sitegen-search.toml"
    if args.topics == "five-categories":
        config_path = site_dir / "sitegen-five.toml"
        config_path.write_text(site_bytes.five_categories_config())
    subprocess.run([sys.executable, "-m", "sitegen", "build", "--config", str(config_path)], check=True)
    config = load_config(config_path)
    site = build_site(config, load_entries(config, 1, scan_snapshots(config)))
    estimate = size_model.estimate(site, outputs.weigh(site))
    days, fixed = estimate.total - estimate.fixed, estimate.fixed
    retirable, rest = written(config.build.output)
    # Pagefind's scripts sit in the newest shard's folder but stay: count them with the rest.
    retirable, rest = retirable - SEARCH_SCRIPTS, rest + SEARCH_SCRIPTS
    print(f"{len(site.entries)} papers, {len(site.days)} days, {len(config.topics)} topics")
    print(f"{'part':<34}{'estimate':>14}{'written':>14}{'ratio':>8}")
    for name, estimate, real in (("paper + day pages, search share", days, retirable),
                                 ("the rest (topics, feeds, assets)", fixed, rest),
                                 ("whole site", days + fixed, retirable + rest)):
        print(f"{name:<34}{estimate:>14,}{real:>14,}{estimate / real:>8.3f}")


if __name__ == "__main__":
    main()
