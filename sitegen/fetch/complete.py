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
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sitegen import arxiv_ids
from sitegen.snapshot.format import SnapshotError, parse_snapshot

MONTHS = 4  # id months searched: this one and the three before (HF features new papers)
MAX_IDS = 500  # per fetch: ten id_list requests of 50, half a minute at arXiv's 3 s
MAX_BYTES = 1_000_000  # a snapshot is a few KB
_HEAD = 4096
_UNKNOWN = b"\ncategories: []\n"


def id_months(today: date, months: int = MONTHS) -> list[str]:
    """The `yymm` shard folders of the `months` newest id months, newest first."""
    year, month, found = today.year, today.month, []
    for _ in range(months):
        found.append(f"{year % 100:02d}{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return found


def incomplete_ids(content: Path, today: date, limit: int = MAX_IDS,
                   known: Callable[[str], bool] = lambda paper_id: False) -> list[str]:
    """Ids of the snapshots without categories in the newest id months, newest first, at most
    `limit`. `known(id)`: True for a paper the caller knows has its categories (a file it
    just wrote), which is then not read. Never follows a symlink; a file that cannot be read
    or parsed is skipped (fetch and build name it elsewhere)."""
    found: list[str] = []
    for yymm in id_months(today):
        for path in sorted(_files(content / "papers" / yymm), reverse=True):
            if known(path.name.removesuffix(".md")):  # a new-style id is its file's name
                continue
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
    """The id of the snapshot at `path` if its categories are unknown. Reads the file's head
    only (its categories line comes before the 4 KB mark unless the author list is long):
    this runs over every snapshot of the newest months, ~0.5 s for 40k files, a quarter of
    reading each whole."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        head = os.read(fd, _HEAD)
        if b"\ncategories: " not in head and len(head) == _HEAD:
            head += os.read(fd, MAX_BYTES)
    except OSError:
        return None
    finally:
        os.close(fd)
    if _UNKNOWN not in head:
        return None
    try:
        paper = parse_snapshot(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, SnapshotError, ValueError):
        return None
    if paper.categories or not arxiv_ids.is_valid_id(paper.id):
        return None
    return paper.id
