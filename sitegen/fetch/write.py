"""Merging one source's records into content/ and writing the snapshots.

Records are collected in a `Harvest` per unit of work (one topic's API search, one RSS feed
with its listing fallback, one Hugging Face day with its id lookups) and a unit is written
only after every request of it succeeded, so a failed request changes nothing in content/
while what the healthy units gave is saved. Writing
goes through store.write_snapshot (atomic, byte-stable); nothing here ever deletes a file,
and a snapshot that cannot be read (a broken hand edit) is left alone rather than replaced.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sitegen import arxiv_ids
from sitegen.model import Paper
from sitegen.safe_fs import UnsafeFile
from sitegen.snapshot.format import SnapshotError
from sitegen.snapshot.merge import annotate, merge
from sitegen.snapshot.store import read_snapshot, snapshot_path, write_snapshot
from sitegen.sources.base import Annotation, Harvest


@dataclass
class WriteCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0  # off-topic candidates, updates of unknown papers


class WriteFailed(Exception):
    """The disk refused a write; what was written before it stays (each file is atomic)."""

    def __init__(self, path: Path, reason: str, counts: WriteCounts):
        super().__init__(f"cannot write {path}: {reason}; "
                         "free disk space or fix the folder's permissions, then fetch again")
        self.counts = counts


class SnapshotWriter:
    def __init__(self, content_dir: Path, warn: Callable[[str], None]):
        self.content_dir = Path(content_dir)
        self.warn = warn
        self._known: dict[str, Paper | None] = {}
        self._broken: set[str] = set()
        self._folders: dict[str, set[str]] = {}
        self._hint_ok = _layout_matches_store(self.content_dir)

    def existing(self, paper_id: str) -> Paper | None:
        """The paper as content/ has it now, or None. Unreadable snapshots count as absent
        to callers but are never overwritten (see `write`)."""
        if paper_id not in self._known:
            self._known[paper_id] = self._read(paper_id)
        return self._known[paper_id]

    def seen(self, paper_id: str) -> Paper | None:
        """The paper as this run last read or wrote it, without reading anything; None if it
        has not touched the paper (or found none)."""
        return self._known.get(paper_id)

    def _absent(self, paper_id: str) -> bool:
        """True when the paper's shard folder certainly holds no snapshot of it.

        One listing per shard folder instead of a path check per paper: most of a big fetch
        is new papers, and store.snapshot_path (which resolves symlinks) costs more than the
        write. Only a shortcut for "absent": anything else goes through the store's path.
        """
        if not self._hint_ok:
            return False
        try:
            folder, name = _hint(paper_id)
        except ValueError:
            return False
        names = self._folders.get(folder)
        if names is None:
            try:
                names = set(os.listdir(self.content_dir / folder))
            except FileNotFoundError:
                names = set()
            except OSError:
                return False
            self._folders[folder] = names
        return name not in names

    def _read(self, paper_id: str) -> Paper | None:
        if self._absent(paper_id):
            return None
        try:
            path = snapshot_path(self.content_dir, paper_id)
        except ValueError:
            return None
        try:
            return read_snapshot(path)
        except FileNotFoundError:
            return None
        except SnapshotError as exc:
            self._broken.add(paper_id)
            self.warn(f"{path}:{exc.line}: {exc.message}; left as it is (fix it and fetch again)")
        except UnsafeFile as exc:  # a link, a FIFO, too big: neither read nor replaced
            self._broken.add(paper_id)
            self.warn(f"{exc}; left as it is")
        except (OSError, UnicodeDecodeError) as exc:
            self._broken.add(paper_id)
            self.warn(f"{path}: cannot read ({exc}); left as it is")
        return None

    def write(self, harvest: Harvest, keep: Callable[[Paper], bool], source: str = "") -> WriteCounts:
        """Merge the harvest into content/ and write every paper it touches. `source` names
        who gave the annotations (it joins an annotated paper's `sources`).

        Raises WriteFailed on the first disk error; the files written before it are complete.
        """
        counts = WriteCounts()
        for paper_id, (base, records, updates, notes) in self._group(harvest).items():
            existing = self.existing(paper_id)
            if paper_id in self._broken:
                counts.skipped += 1
                continue
            paper = existing
            for record in base + records:
                paper = merge(paper, record)
            if paper is None or (existing is None and not base and not keep(paper)):
                counts.skipped += 1  # an update of an unknown paper, or off every topic
                continue
            for record in updates:
                if (record.version or 0) > (paper.version or 0):  # only a newer version counts
                    paper = merge(paper, record)
            for note in notes:  # a source's data on a paper known by now; never adds one
                paper = annotate(paper, source or note.key, note.key, note.record)
            if paper == existing:  # nothing new (or an old replacement): leave the file be
                counts.unchanged += 1
                continue
            try:
                status = write_snapshot(self.content_dir, paper)
            except ValueError as exc:  # an id or record the store refuses; never fatal
                self.warn(f"{paper_id}: not saved ({exc})")
                counts.skipped += 1
                continue
            except OSError as exc:
                raise WriteFailed(_where(self.content_dir, paper_id), exc.strerror or str(exc), counts) from None
            self._known[paper_id] = paper
            if status == "new" and self._hint_ok:
                folder, name = _hint(paper_id)
                self._folders.setdefault(folder, set()).add(name)
            setattr(counts, status, getattr(counts, status) + 1)
        return counts

    @staticmethod
    def _group(harvest: Harvest) -> dict[str, tuple[list[Paper], list[Paper], list[Paper], list[Annotation]]]:
        """id -> (accepted, candidates, updates, annotations), ids in first-seen order (deterministic)."""
        groups: dict[str, tuple[list[Paper], list[Paper], list[Paper], list[Annotation]]] = {}
        for slot, papers in enumerate((harvest.accepted, harvest.candidates, harvest.updates)):
            for paper in papers:
                lists: tuple[list[Paper], ...] = groups.setdefault(paper.id, ([], [], [], []))[:3]
                lists[slot].append(paper)
        for note in harvest.annotations:
            groups.setdefault(note.paper_id, ([], [], [], []))[3].append(note)
        return groups


def _hint(paper_id: str) -> tuple[str, str]:
    """(folder under content/, file name) where the store keeps `paper_id`."""
    return f"papers/{arxiv_ids.shard(paper_id)}", f"{arxiv_ids.safe_name(paper_id)}.md"


def _layout_matches_store(content_dir: Path) -> bool:
    # The listing shortcut must agree with the store's own layout, or a known paper could
    # be taken for new and its hand edits lost; if the store ever changes, fall back.
    for sample in ("2311.02077", "hep-th/9711200"):
        folder, name = _hint(sample)
        try:
            if snapshot_path(content_dir, sample) != content_dir / folder / name:
                return False
        except ValueError:  # a folder on the way is a link: every paper goes through the store's check
            return False
    return True


def _where(content_dir: Path, paper_id: str) -> Path:
    try:
        return snapshot_path(content_dir, paper_id)
    except ValueError:
        return Path(content_dir)
