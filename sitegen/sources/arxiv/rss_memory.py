"""Memory of the last RSS batch per feed, to notice a feed that stopped updating.

arXiv's RSS is rebuilt every announcement day; if a weekday's batch is the very batch a
run on an earlier day saw, the feed is stale (arXiv late, a cache in between) and the user
should hear about it. The record lives in the fetch cache folder (outside content/) and is
best effort: losing it only means one missed warning.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sitegen.atomic import atomic_write
from sitegen.safe_fs import read_regular_file
from sitegen.sources.arxiv.rss import RssBatch

STATE_NAME = "rss-batches.json"
MAX_BYTES = 10_000_000  # ~150 bytes a feed followed: a bigger file is no record of sitegen's


def batch_hash(batch: RssBatch) -> str:
    """A fingerprint of the batch's content: its day and every (id, version, type)."""
    lines = sorted(f"{a.paper.id} v{a.paper.version or 0} {a.announce_type}" for a in batch.items)
    text = f"{batch.announced}\n" + "\n".join(lines)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Stale:
    first_seen: date
    build_date: str | None


class RssMemory:
    def __init__(self, folder: Path | None):
        self.path = Path(folder) / STATE_NAME if folder is not None else None
        self._data: dict[str, dict] = self._load()
        self._dirty = False

    def _load(self) -> dict[str, dict]:
        if self.path is None:
            return {}
        try:
            data = json.loads(read_regular_file(self.path, MAX_BYTES, STATE_NAME))  # never through a link
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def check(self, url: str, batch: RssBatch, today: date) -> Stale | None:
        """Remember this batch; return Stale if an earlier day already saw the same one."""
        digest = batch_hash(batch)
        seen = self._data.get(url)
        if isinstance(seen, dict) and seen.get("hash") == digest:
            try:
                first = date.fromisoformat(seen.get("first_seen", ""))
            except (TypeError, ValueError):
                first = today
            # Keep the first day it was seen, so a feed stuck for days keeps being reported.
            return Stale(first, seen.get("build_date")) if first < today else None
        self._data[url] = {"hash": digest, "first_seen": today.isoformat(), "build_date": batch.build_date}
        self._dirty = True
        return None

    def save(self) -> None:
        if self.path is None or not self._dirty:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            data = json.dumps(self._data, indent=1, sort_keys=True).encode("utf-8")
            atomic_write(self.path, data)  # best effort (see the module docstring)
            self._dirty = False
        except OSError:
            pass
