"""What one paper at sitegen's caps costs a build: the most authors a snapshot may hold, and a
paper in every one of the most topics a config may have (sitegen/limits.py).

    .venv/bin/python benchmarks/extremes.py [--dir /dev/shm/sitegen-extremes]

Builds two small sites (two papers each, search off) in fresh folders and prints, per site, the
cold build's wall seconds, the output's bytes and files, and the largest pages. The numbers the
README's "Limits" section quotes come from here: before the caps, 30,000 authors took a minute
(feedgen added them in quadratic time) and 500 topics on every card made 30 MB of output.
"""

from __future__ import annotations

import argparse
import shutil
import time
from datetime import UTC, date, datetime
from pathlib import Path

from sitegen.arxiv_ids import safe_name, shard
from sitegen.build import build
from sitegen.config.load import load_config
from sitegen.limits import MAX_AUTHORS, MAX_TOPICS
from sitegen.model import Paper
from sitegen.snapshot.format import dump_paper

REPO = Path(__file__).resolve().parent.parent


def site(root: Path, topics: int, authors: tuple[str, ...]) -> Path:
    """A project of two cs.CV papers, the first with `authors`; its sitegen.toml."""
    config = root / "sitegen.toml"
    root.mkdir(parents=True)
    config.write_text(f'[site]\ntitle = "Extremes"\nbase_url = "https://owner.github.io/repo/"\n[build]\n'
                      f'templates = "{REPO / "templates"}"\nsearch = false\n'
                      + "".join(f'\n[[topics]]\nslug = "t{i}"\ntitle = "Topic number {i}"\ncategories = ["cs.CV"]\n'
                                for i in range(topics)))
    for paper_id, names in (("2311.02077", authors), ("2311.02078", ("Ada Lovelace", "Alan Turing"))):
        paper = Paper(id=paper_id, title=f"A paper, {paper_id}", authors=names, categories=("cs.CV",),
                      published=datetime(2023, 11, 3, 17, 59, 55, tzinfo=UTC), announced=date(2023, 11, 6),
                      abstract="We present a method with $\\alpha > 0$. It works.", sources=("arxiv",))
        path = root / "content" / "papers" / shard(paper_id) / f"{safe_name(paper_id)}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump_paper(paper))
    return config


def measure(name: str, config: Path) -> None:
    start = time.perf_counter()
    build(load_config(config))
    seconds = time.perf_counter() - start
    output = config.parent / "output"
    files = [p for p in output.rglob("*") if p.is_file()]
    largest = sorted(files, key=lambda p: p.stat().st_size, reverse=True)[:3]
    print(f"{name}: {seconds:.2f} s, {sum(p.stat().st_size for p in files):,} bytes in {len(files)} files; largest: "
          + ", ".join(f"{p.relative_to(output)} {p.stat().st_size:,}" for p in largest))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", default="/dev/shm/sitegen-extremes", type=Path)
    args = parser.parse_args()
    shutil.rmtree(args.dir, ignore_errors=True)

    many = tuple(f"Author{i} Surname{i}" for i in range(MAX_AUTHORS))
    measure(f"a paper of {MAX_AUTHORS:,} authors", site(args.dir / "authors", 3, many))
    measure(f"two papers in {MAX_TOPICS} topics", site(args.dir / "topics", MAX_TOPICS, ("Ada Lovelace",)))


if __name__ == "__main__":
    main()
