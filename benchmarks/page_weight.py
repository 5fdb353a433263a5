"""Page weight: what a busy announcement day costs in bytes, page by page and per paper.

    .venv/bin/python benchmarks/page_weight.py [--papers 150] [--days 20] [--dir /dev/shm/sitegen-weight]

Builds a deterministic synthetic site (benchmarks/build.py's papers: ~1.2 KB abstracts with
inline TeX, 5 authors, its 20 topics) of `--days` announcement days of `--papers` papers each,
where a quarter of the papers carry Hugging Face data as the daily-papers API gives it (upvotes,
comments, stars, an AI summary and keywords), and prints the bytes of the newest day page, the
index, a topic's front page, the median paper page, and the whole site (search off) per paper:
the number a size budget per paper is about.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import random
import shutil
import statistics
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import build as bench  # noqa: E402  (benchmarks/build.py: the synthetic papers)

from sitegen.config.load import load_config  # noqa: E402
from sitegen.sources.huggingface.record import HuggingFace  # noqa: E402

KEYWORDS = ("zero-shot annotation", "LLM-as-a-judge", "mixture-of-experts", "toxicity detection",
            "rescue rate", "BERTScore", "3D Gaussian avatars", "feed-forward framework", "FLAME parameters",
            "multi-view fine-tuning", "diffusion transformer", "reward model", "chain-of-thought")


def hf_data(r: random.Random, day: date) -> HuggingFace:
    """Hugging Face's record of a paper, with every field this sitegen's model knows."""
    known = {f.name for f in dataclasses.fields(HuggingFace)}
    values = dict(upvotes=r.randint(0, 120), comments=r.randint(0, 6), featured=day,
                  github_stars=r.choice((None, None, r.randint(1, 3000))),
                  ai_summary=" ".join(bench.sentence(r) for _ in range(2))[:240],
                  ai_keywords=tuple(r.sample(KEYWORDS, r.randint(5, 12))),
                  submitter="taesiri", organization="California Institute of Technology")
    return HuggingFace(**{k: v for k, v in values.items() if k in known})


def generate(site: Path, papers: int, days: int) -> None:
    r = random.Random(20260813)
    shutil.rmtree(site, ignore_errors=True)
    first = date(2026, 7, 1)
    weekdays = [d for d in (first + timedelta(i) for i in range(days * 2)) if d.weekday() < 5][:days]
    for n, day in enumerate(weekdays):
        for i in range(1, papers + 1):
            paper = bench.make_paper(r, f"{day:%y%m}.{n * 1000 + i:05d}", day)
            if r.random() < 0.25:
                hf = hf_data(r, day)
                paper = dataclasses.replace(paper, extras={"huggingface": hf}, sources=("arxiv", "huggingface"))
            bench.write_paper(site / "content", paper)
    shutil.copytree(bench.REPO / "templates", site / "templates")
    (site / "sitegen.toml").write_text(bench.config_text(False))


def sizes(out: Path, rel: str) -> str:
    data = (out / rel).read_bytes()
    return f"{len(data) / 1024:7.1f} KB ({len(gzip.compress(data, 9)) / 1024:5.1f} KB gzipped)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=150, help="papers a day (default 150)")
    parser.add_argument("--days", type=int, default=20, help="announcement days (default 20)")
    parser.add_argument("--dir", type=Path, default=Path("/dev/shm/sitegen-weight"))
    args = parser.parse_args()
    from sitegen.build import build

    site = args.dir / f"site-{args.papers}x{args.days}"
    generate(site, args.papers, args.days)
    config = load_config(site / "sitegen.toml")
    build(config)
    out = config.build.output
    newest = sorted((out / "days").glob("20*"))[-1].name
    topic = max((p for p in (out / "topics").iterdir()), key=lambda p: (p / "index.html").stat().st_size).name
    pages = sorted((out / "papers").glob("*/index.html"), key=lambda p: p.stat().st_size)
    total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file() and "static" not in p.parts)
    n = len(pages)
    print(f"{n} papers, {args.papers} a day on {args.days} days")
    print(f"day page ({args.papers} papers)  {sizes(out, f'days/{newest}/index.html')}")
    print(f"index                   {sizes(out, 'index.html')}")
    print(f"largest topic front     {sizes(out, f'topics/{topic}/index.html')}")
    print(f"median paper page       {sizes(out, str(pages[n // 2].relative_to(out)))}")
    print(f"paper pages, mean       {statistics.mean(p.stat().st_size for p in pages) / 1024:7.1f} KB")
    print(f"whole site per paper    {total / n / 1024:7.1f} KB (all pages and feeds, no static/ or search)")


if __name__ == "__main__":
    main()
