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
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # runs from a checkout, installed or not

from sitegen.errors import ParseError
from sitegen.model import Paper
from sitegen.snapshot.format import dump_paper, parse_snapshot
from sitegen.snapshot.merge import merge
from sitegen.snapshot.store import read_snapshot, snapshot_path, write_snapshot
from sitegen.sources.arxiv.api import parse_api_feed
from sitegen.sources.arxiv.listing import parse_listing
from sitegen.sources.arxiv.rss import parse_rss
from sitegen.sources.huggingface.daily import parse_daily, parse_paper

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
T = TypeVar("T")


def collect_papers() -> dict[str, Paper]:
    """Every paper the fixtures describe, merged by id, in a fixed order (API, RSS, listings, HF)."""
    papers: dict[str, Paper] = {}

    def add(paper: Paper) -> None:
        papers[paper.id] = merge(papers.get(paper.id), paper)

    for paper in api_papers():
        add(paper)
    for paper in rss_papers():
        add(paper)
    # Listing records have no abstract: they only complete papers the API or RSS gave.
    for paper in listing_papers():
        if paper.id in papers:
            add(paper)
    for paper in huggingface_papers():
        add(paper)
    return papers


def api_papers() -> Iterator[Paper]:
    for path in sorted((FIXTURES / "arxiv-api").glob("*.xml")):
        page = _parse_or_skip(path, parse_api_feed)  # skips the recorded error feeds
        if page is not None:
            yield from page.papers


def rss_papers() -> Iterator[Paper]:
    for path in sorted((FIXTURES / "arxiv-rss").glob("*.xml")):
        for item in parse_rss(path.read_bytes()).items:
            yield item.paper


def listing_papers() -> Iterator[Paper]:
    for path in sorted((FIXTURES / "arxiv-html").glob("list-*")):
        listing = _parse_or_skip(path, parse_listing)  # skips the recorded "Rate exceeded." body
        if listing is not None:
            yield from listing.papers


def huggingface_papers() -> Iterator[Paper]:
    for path in sorted((FIXTURES / "hf-daily-papers").glob("daily_papers-*.json")):
        yield from parse_daily(path.read_bytes())
    for path in sorted((FIXTURES / "hf-daily-papers").glob("api-papers-*.json")):
        yield parse_paper(path.read_bytes())


def _parse_or_skip(path: Path, parse: Callable[[bytes], T]) -> T | None:
    """What `parse` makes of the file, or None (said on stdout) for a recorded error response."""
    try:
        return parse(path.read_bytes())
    except ParseError as exc:
        print(f"  skip {path.name}: {exc}")
        return None


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
