"""Build the shipped content/ from the recorded responses in tests/fixtures, offline.

Parses every recorded arXiv API, RSS, listing and Hugging Face response with the real
parsers, merges by id with the real merge rule, and writes with the real store, exactly as
`sitegen fetch` would; then adds what the recorded Semantic Scholar answers say about papers
it knows, as its batch lookup would. Running it again changes no byte. Usage:

    .venv/bin/python scripts/snapshot_fixtures.py [--content DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # runs from a checkout, installed or not

from sitegen.errors import ParseError
from sitegen.model import Paper
from sitegen.snapshot.format import dump_paper, parse_snapshot
from sitegen.snapshot.merge import annotate, merge
from sitegen.snapshot.store import read_snapshot, snapshot_path, write_snapshot
from sitegen.sources.arxiv.api import parse_api_feed
from sitegen.sources.arxiv.listing import parse_listing
from sitegen.sources.arxiv.rss import parse_rss
from sitegen.sources.huggingface.daily import parse_daily, parse_paper
from sitegen.sources.semanticscholar.batch import arxiv_id_of, parse_paper_object
from sitegen.sources.semanticscholar.record import NAME as S2

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
    # Semantic Scholar annotates papers already known (a record for an unknown id makes none).
    for paper_id, record in semanticscholar_records():
        if paper_id in papers:
            papers[paper_id] = annotate(papers[paper_id], S2, S2, record)
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


# Recorded Semantic Scholar answers, oldest first (a later answer's values win, as on a fetch).
# Their paper objects are the batch answer's elements (tests/fixtures/SOURCES.md, semanticscholar/).
S2_ANSWERS = (
    "s2-search-match-arxiv-1706.03762-oa-null-oct2024.json",  # 23 Oct 2024
    "s2-search-match-arxiv-1706.03762-aug2025.json",  # 11 Aug 2025
    "s2-search-match-arxiv-2312.07559-venue-arxiv-sep2025.json",  # 11 Sep 2025 (its paper is not shipped)
    "s2-search-transformer-limit5-jun2026.json",  # 13 Jun 2026 (nor are these)
)


def semanticscholar_records() -> Iterator[tuple[str, object]]:
    """(arXiv id, record) for every paper object of the recorded answers that names its arXiv id."""
    for name in S2_ANSWERS:
        for element in json.loads((FIXTURES / "semanticscholar" / name).read_bytes())["data"]:
            paper_id, record = arxiv_id_of(element), parse_paper_object(element)
            if paper_id is not None and record is not None:
                yield paper_id, record


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
