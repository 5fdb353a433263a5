"""What the last build wrote (kept in .sitegen-cache/): each page's fingerprint and file stamp,
so a rebuild renders only pages whose inputs changed, and a build with nothing changed
returns after a scan of the snapshots and a stat of each file it wrote.
"""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass
from pathlib import Path

from sitegen.atomic import atomic_write
from sitegen.config.settings import Config
from sitegen.errors import disk_error
from sitegen.safe_fs import open_regular
from sitegen.stamps import Stamp, stamp_of
from sitegen.write.writer import MARKER, is_published, safe_path


@dataclass(frozen=True)
class Counts:
    """What a build made of content/: papers published, topics, and the snapshots left off the
    site, why (summary line)."""

    papers: int  # published: on a page, feed and search
    topics: int
    unmatched: int = 0  # on no topic, while [build] publish_unmatched is off
    hidden: int = 0  # `hidden: true`

    @classmethod
    def of(cls, config: Config, entries: list, published: int) -> Counts:
        hidden = sum(e.paper.hidden for e in entries)
        return cls(published, len(config.topics), len(entries) - published - hidden, hidden)


class Manifest:
    """What the last build wrote: {rel: (fingerprint, *stamp)} plus the build-wide key.

    A page whose inputs' fingerprint and file stamp both match is not rendered again."""

    def __init__(self, path: Path | None, build_key: str):
        self.path, self.build_key = path, build_key
        self.pages: dict[str, tuple[str, int, int, int]] = {}
        self.inputs = ""  # digest of the snapshots' stamps the last build read
        self.counts = Counts(0, 0)  # papers and topics the last build made (the summary line)
        self.marker: Stamp | None = None  # the marker's stamp, when it lists exactly the pages
        self.warnings: tuple[str, ...] = ()  # the last build's, repeated by a build that skips all
        record = _load(path)
        if record is not None and len(record) == 6 and record[0] == build_key and isinstance(record[3], Counts):
            _, self.pages, self.inputs, self.counts, self.marker, self.warnings = record

    def up_to_date(self, inputs: str, out_dir: Path) -> bool:
        """True when the inputs are those of the last build and its files and marker are as
        it left them: then nothing needs loading, rendering or writing (the nightly no-op
        rebuild). Files someone else put in output/ do not matter.

        A stat of each recorded file, not a walk of output/: at 125k papers the walk opens
        every paper's folder (143k folders, twice the system calls) and the search bundle's
        as many files again, for a decision that needs only the recorded files."""
        if not self.pages or inputs != self.inputs or self.marker is None:
            return False
        prefix = str(out_dir) + os.sep
        stat = os.lstat  # a page swapped for a link is not the page this build's predecessor wrote
        try:
            if _stamp(prefix + MARKER) != tuple(self.marker):
                return False
            # Only published files: the unpublished ones are the search records, read only by
            # a build that indexes a shard, and such a build renders any record gone missing
            # first (its full path compares every page with output/). Skipping them takes a
            # third off this check on a big site.
            for rel, (_, mtime, size, ctime) in self.pages.items():
                if not is_published(rel):
                    continue
                st = stat(prefix + rel)
                if st.st_mtime_ns != mtime or st.st_size != size or st.st_ctime_ns != ctime:
                    return False
            return True
        except OSError:  # a file gone (or unreadable): the build goes on and finds out which
            return False

    def is_current(self, rel: str, fingerprint: str, existing: dict[str, Stamp]) -> bool:
        entry = self.pages.get(rel)
        if entry is None or entry[0] != fingerprint:
            return False
        found = existing.get(rel)
        # mtime to the nanosecond and size as recorded: the file this build's predecessor wrote.
        # ctime is not asked here: restoring output/ from a cache (the publish workflow's
        # actions/cache, `tar x`) keeps mtimes but gives every file a new ctime, and a page
        # is only ever replaced by a write, which moves its mtime.
        return found is not None and found[:2] == entry[1:3]

    def save(self, out_dir: Path, fingerprints: dict[str, str], existing: dict[str, Stamp],
             written: set[str], inputs: str, counts: Counts, marker_exact: bool = True,
             warnings: tuple[str, ...] = ()) -> None:
        """Record every page's fingerprint; only files written this build are stat'ed again.

        `marker_exact`: the marker lists exactly these pages (nothing stale left to prune),
        so an unchanged marker lets the next build take the no-op path."""
        if self.path is None:
            return
        stamps = {}
        root = str(out_dir)
        try:
            for rel, fp in fingerprints.items():
                if rel in written or rel not in existing:
                    st = os.lstat(safe_path(root, rel))
                    stamps[rel] = (fp, *stamp_of(st))
                else:
                    stamps[rel] = (fp, *existing[rel])
            marker_st = _stat(out_dir / MARKER) if marker_exact else None
        except OSError as exc:
            raise disk_error(exc.filename or out_dir, exc, "read", "or choose another output folder") from None
        marker = stamp_of(marker_st) if marker_st else None
        if (stamps, inputs, counts, marker, warnings) == (
                self.pages, self.inputs, self.counts, self.marker, self.warnings):
            return  # nothing changed: leave the manifest (and its mtime) alone
        record = (self.build_key, stamps, inputs, counts, marker, warnings)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError as exc:
            raise disk_error(self.path, exc, elsewhere="or set build.cache to another folder") from None


def _stamp(path: str) -> Stamp:
    return stamp_of(os.lstat(path))  # a link as itself, as the scan of output/ has it (sitegen.stamps)


def _stat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None


def recorded_pages(path: Path | None) -> set[str]:
    """The files a manifest says its build wrote, whichever sitegen version wrote it: how an
    output folder built before the marker existed is recognised as sitegen's."""
    record = _load(path)
    try:
        return set(record[1]) if record else set()
    except (TypeError, IndexError):
        return set()


def _load(path: Path | None):
    if path is None:
        return None
    try:
        with open_regular(path) as f:  # not through a link, nor a FIFO's endless wait
            record = pickle.load(f)
    except Exception:  # no or unreadable manifest: everything is rendered, nothing lost
        return None
    return record if isinstance(record, tuple) else None
