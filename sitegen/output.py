"""The only writer of output/: stays inside it, skips identical bytes, swaps files in
atomically, prunes what the build no longer makes, and remembers what it wrote.

Pages are first written to temp files beside their targets and only renamed into place once
every page rendered, so a failed build leaves output/ as it was.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

from sitegen.atomic import atomic_write
from sitegen.file_stamps import Stamp, stamps

TMP_SUFFIX = ".sitegen-tmp"


def scan_tree(folder: Path) -> dict[str, Stamp]:
    """{relative posix path: stamp} of every file under folder."""
    cut = len(str(folder)) + 1
    return {path[cut:].replace(os.sep, "/"): stamp for path, stamp in stamps(folder).items()}


def safe_target(out_dir: Path, rel: str) -> Path:
    """The file for a relative output path; refuses anything that would leave out_dir."""
    parts = rel.split("/")
    if not rel or rel.startswith("/") or any(p in ("", ".", "..") for p in parts) or "\\" in rel or "\0" in rel:
        raise ValueError(f"refusing to write outside the output folder: {rel!r}")
    return out_dir.joinpath(*parts)


def stage(out_dir: Path, rel: str, data: bytes, existing: dict[str, Stamp]) -> bool:
    """Write data to a temp file beside rel unless rel already holds these bytes.

    Returns True when a temp file was staged (the page changed)."""
    target = safe_target(out_dir, rel)
    stamp = existing.get(rel)
    if stamp is not None and stamp[1] == len(data):
        try:
            if target.read_bytes() == data:
                return False
        except OSError:
            pass
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(str(target) + TMP_SUFFIX, "wb") as f:
        f.write(data)
    return True


def commit(out_dir: Path, staged: list[str]) -> None:
    """Move staged temp files into place (each rename is atomic)."""
    for rel in staged:
        target = safe_target(out_dir, rel)
        os.replace(str(target) + TMP_SUFFIX, target)


def discard(out_dir: Path) -> None:
    """Remove temp files left by a failed or interrupted build."""
    for rel in scan_tree(out_dir):
        if rel.endswith(TMP_SUFFIX):
            try:
                os.unlink(out_dir / rel)
            except OSError:
                pass


def prune(out_dir: Path, existing: dict[str, Stamp], keep: set[str], owned_prefixes=()) -> int:
    """Delete files the build no longer makes (except under owned_prefixes), then empty folders."""
    removed = 0
    for rel in existing:
        if rel in keep or rel.startswith(tuple(owned_prefixes)):
            continue
        try:
            os.unlink(safe_target(out_dir, rel))
            removed += 1
        except (OSError, ValueError):
            pass
    if removed:
        remove_empty_folders(out_dir)
    return removed


def remove_empty_folders(folder: Path) -> None:
    """Remove every empty folder below folder (not folder itself), deepest first."""
    for dirpath, _, _ in os.walk(folder, topdown=False):
        if dirpath != str(folder):
            try:
                os.rmdir(dirpath)  # fails, as it should, unless the folder is empty now
            except OSError:
                pass


class Manifest:
    """What the last build wrote: {rel: (fingerprint, *stamp)} plus the build-wide key.

    A page whose inputs' fingerprint and file stamp both match is not rendered again."""

    def __init__(self, path: Path | None, build_key: str):
        self.path, self.build_key = path, build_key
        self.pages: dict[str, tuple[str, int, int]] = {}
        self.inputs = ""  # digest of the snapshots' stamps the last build read
        self.counts: tuple[int, int] = (0, 0)  # papers and topics the last build made
        if path is None:
            return
        try:
            with open(path, "rb") as f:
                key, pages, inputs, counts = pickle.load(f)
        except Exception:  # no or unreadable manifest: everything is rendered, nothing lost
            return
        if key == build_key:
            self.pages, self.inputs, self.counts = pages, inputs, counts

    def up_to_date(self, inputs: str, existing: dict[str, Stamp], owned_prefixes=()) -> bool:
        """True when the inputs are those of the last build and output/ is exactly what it
        wrote: then nothing needs loading, rendering or writing (the nightly no-op rebuild)."""
        if not self.pages or inputs != self.inputs:
            return False
        if any(existing.get(rel) != tuple(stamp) for rel, (_, *stamp) in self.pages.items()):
            return False
        extra = len(existing) - len(self.pages)
        return extra == 0 or extra == sum(1 for rel in existing if rel.startswith(tuple(owned_prefixes)))

    def is_current(self, rel: str, fingerprint: str, existing: dict[str, Stamp]) -> bool:
        entry = self.pages.get(rel)
        return entry is not None and entry[0] == fingerprint and existing.get(rel) == entry[1:]

    def save(self, out_dir: Path, fingerprints: dict[str, str], existing: dict[str, Stamp],
             written: set[str], inputs: str, counts: tuple[int, int]) -> None:
        """Record every page's fingerprint; only files written this build are stat'ed again."""
        if self.path is None:
            return
        stamps = {}
        for rel, fp in fingerprints.items():
            if rel in written or rel not in existing:
                st = os.stat(safe_target(out_dir, rel))
                stamps[rel] = (fp, st.st_mtime_ns, st.st_size, st.st_ctime_ns)
            else:
                stamps[rel] = (fp, *existing[rel])
        if stamps == self.pages and (inputs, counts) == (self.inputs, self.counts):
            return  # nothing changed: leave the manifest (and its mtime) alone
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(self.path, pickle.dumps((self.build_key, stamps, inputs, counts),
                                             protocol=pickle.HIGHEST_PROTOCOL))
