"""Papers content/ only half knows: snapshots whose categories are unknown (`categories: []`,
what Hugging Face gives), to be looked up by id on every fetch until arXiv answers.

A Hugging Face day completes its papers from arXiv's id_list in its own unit, but only while
that day is in the fetch window: a paper arXiv's API did not return yet (new ids can lag
behind the announcement), or one written by a tool that never asked (the shipped content/ is
made offline), would otherwise keep `categories: []` for good. So each fetch also asks for
the ids of such snapshots in the newest id months, a bounded number, newest first.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from sitegen import arxiv_ids
from sitegen.snapshot.format import SnapshotError, parse_snapshot

MONTHS = 4  # id months searched: this one and the three before (HF features new papers)
MAX_IDS = 500  # per fetch: ten id_list requests of 50, half a minute at arXiv's 3 s
MAX_BYTES = 1_000_000  # a snapshot is a few KB
_UNKNOWN = "\ncategories: []\n"


def id_months(today: date, months: int = MONTHS) -> list[str]:
    """The `yymm` shard folders of the `months` newest id months, newest first."""
    year, month, found = today.year, today.month, []
    for _ in range(months):
        found.append(f"{year % 100:02d}{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return found


def incomplete_ids(content: Path, today: date, limit: int = MAX_IDS) -> list[str]:
    """Ids of the snapshots without categories in the newest id months, newest first, at most
    `limit`. Never follows a symlink; a file that cannot be read or parsed is skipped (fetch
    and build name it elsewhere)."""
    found: list[str] = []
    for yymm in id_months(today):
        for path in sorted(_files(content / "papers" / yymm), reverse=True):
            paper_id = _unknown_categories(path)
            if paper_id is not None:
                found.append(paper_id)
                if len(found) >= limit:
                    return found
    return found


def _files(folder: Path) -> list[Path]:
    files: list[Path] = []
    try:
        shards = [e for e in os.scandir(folder) if e.is_dir(follow_symlinks=False)]
    except OSError:
        return files
    for shard in shards:
        try:
            files += [Path(e.path) for e in os.scandir(shard.path)
                      if e.name.endswith(".md") and not e.name.startswith(".") and e.is_file(follow_symlinks=False)]
        except OSError:
            continue
    return files


def _unknown_categories(path: Path) -> str | None:
    try:
        if path.stat(follow_symlinks=False).st_size > MAX_BYTES:
            return None
        text = path.read_text(encoding="utf-8")
        if _UNKNOWN not in text:  # most files: no YAML parsed
            return None
        paper = parse_snapshot(text)
    except (OSError, UnicodeDecodeError, SnapshotError, ValueError):
        return None
    if paper.categories or not arxiv_ids.is_valid_id(paper.id):
        return None
    return paper.id
