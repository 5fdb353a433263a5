"""Build the shipped content/ from the recorded responses in tests/fixtures, offline.

Parses every recorded arXiv API, RSS, listing and Hugging Face response with the real
parsers, merges by id with the real merge rule, and writes with the real store, exactly as
`sitegen fetch` would. Running it again changes no byte. Usage:

    .venv/bin/python scripts/snapshot_fixtures.py [--content DIR]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sitegen.errors import ParseError  # noqa: E402
from sitegen.snapshot.merge import merge  # noqa: E402
from sitegen.model import Paper  # noqa: E402
from sitegen.snapshot.format import dump_paper, parse_snapshot  # noqa: E402
from sitegen.sources.arxiv.api import parse_api_feed  # noqa: E402
from sitegen.sources.arxiv.listing import parse_listing  # noqa: E402
from sitegen.sources.arxiv.rss import parse_rss  # noqa: E402
from sitegen.sources.huggingface.daily import parse_daily, parse_paper  # noqa: E402
from sitegen.snapshot.store import read_snapshot, snapshot_path, write_snapshot  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"


def collect_papers() -> dict[str, Paper]:
    """Every paper the fixtures describe, merged by id, in a fixed order (API, RSS, listings, HF)."""
    papers: dict[str, Paper] = {}

    def add(paper: Paper) -> None:
        papers[paper.id] = merge(papers.get(paper.id), paper)

    for path in sorted((FIXTURES / "arxiv-api").glob("*.xml")):
        try:
            page = parse_api_feed(path.read_bytes())
        except ParseError as exc:  # the recorded error feeds
            print(f"  skip {path.name}: {exc}")
            continue
        for paper in page.papers:
            add(paper)
    for path in sorted((FIXTURES / "arxiv-rss").glob("*.xml")):
        for item in parse_rss(path.read_bytes()).items:
            add(item.paper)
    # Listing records have no abstract: they only complete papers the API or RSS gave.
    for path in sorted((FIXTURES / "arxiv-html").glob("list-*")):
        try:
            listing = parse_listing(path.read_bytes())
        except ParseError as exc:  # the recorded "Rate exceeded." body
            print(f"  skip {path.name}: {exc}")
            continue
        for paper in listing.papers:
            if paper.id in papers:
                add(paper)
    for path in sorted((FIXTURES / "hf-daily-papers").glob("daily_papers-*.json")):
        for paper in parse_daily(path.read_bytes()):
            add(paper)
    for path in sorted((FIXTURES / "hf-daily-papers").glob("api-papers-*.json")):
        add(parse_paper(path.read_bytes()))
    return papers


def write_all(content: Path, papers: dict[str, Paper]) -> Counter:
    """Merge each paper into its snapshot on disk (keeping hand edits) and write it."""
    counts: Counter = Counter()
    for paper_id in sorted(papers):
        path = snapshot_path(content, paper_id)
        existing = read_snapshot(path) if path.exists() else None
        counts[write_snapshot(content, merge(existing, papers[paper_id]))] += 1
    return counts


def check_round_trip(content: Path) -> tuple[int, set]:
    """Every snapshot re-dumps to its own bytes and lives where its id says; return (files, days)."""
    files, days = 0, set()
    for path in sorted((content / "papers").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        paper = parse_snapshot(text)
        if dump_paper(paper) != text:
            raise SystemExit(f"{path}: does not round-trip through dump_paper(parse_snapshot(text))")
        if snapshot_path(content, paper.id) != path:
            raise SystemExit(f"{path}: id {paper.id!r} belongs at {snapshot_path(content, paper.id)}")
        files += 1
        days.add(paper.announced)
    return files, days


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=ROOT / "content", help="content folder (default: content/)")
    args = parser.parse_args(argv)
    papers = collect_papers()
    counts = write_all(args.content, papers)
    files, days = check_round_trip(args.content)
    print(f"{len(papers)} papers from fixtures: {counts['new']} new, {counts['updated']} updated, "
          f"{counts['unchanged']} unchanged; {files} snapshots on {len(days)} announcement days, all round-trip")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
