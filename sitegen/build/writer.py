"""The only writer of output/: stays inside it, skips identical bytes, swaps files in
atomically, prunes what it wrote and no longer makes, keeps the ownership marker, and
remembers what it wrote.

Pages are first written to temp files beside their targets and only renamed into place once
every page rendered, so a failed build leaves output/ as it was; if a rename fails halfway,
the pages already swapped in are swapped back. Which files are sitegen's to replace or remove
is decided by sitegen.ownership, from the marker file this module writes (MARKER).
"""

from __future__ import annotations

import os
import pickle
import re
from pathlib import Path
from typing import Iterable

from sitegen.atomic import atomic_write
from sitegen.errors import disk_error
from sitegen.build.stamps import Stamp, stamps

TMP_SUFFIX = ".sitegen-tmp"
BACKUP_SUFFIX = ".sitegen-old"  # the previous bytes of a page while a build swaps pages in
MARKER = ".sitegen-output"
MARKER_FORMAT = "sitegen-output 1"
_MARKER_NOTE = ("# Files sitegen build wrote here (a line ending in / is a folder it owns whole): "
                "the next build replaces or removes them; it leaves any other file alone.")


class MarkerError(ValueError):
    """The marker exists but this sitegen cannot read it; the message says why."""


def scan_tree(folder: Path) -> dict[str, Stamp]:
    """{relative posix path: stamp} of every file under folder."""
    cut = len(str(folder)) + 1
    try:
        found = stamps(folder)
    except OSError as exc:
        raise disk_error(exc.filename or folder, exc, "read", "or choose another output folder") from None
    return {path[cut:].replace(os.sep, "/"): stamp for path, stamp in found.items()}


def is_leftover(rel: str) -> bool:
    """A temp file or backup of sitegen's own, left by a build that was killed."""
    if not rel.endswith((TMP_SUFFIX, BACKUP_SUFFIX, ".tmp")):  # one test for the usual case
        return False
    return not rel.endswith(".tmp") or (rel.startswith(MARKER + ".") and "/" not in rel)


def safe_target(out_dir: Path, rel: str) -> Path:
    """The file for a relative output path; refuses anything that would leave out_dir."""
    if not is_safe(rel):
        raise ValueError(f"refusing to write outside the output folder: {rel!r}")
    return out_dir.joinpath(*rel.split("/"))


def is_safe(rel: str) -> bool:
    """A relative posix path that stays inside its folder."""
    parts = rel.split("/")
    return not (not rel or rel.startswith("/") or any(p in ("", ".", "..") for p in parts)
                or "\\" in rel or "\0" in rel)


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
    tmp = str(target) + TMP_SUFFIX
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _write(tmp, data)
    except OSError as exc:
        raise disk_error(exc.filename or tmp, exc) from None
    return True


def _write(path: str, data: bytes) -> None:
    with open(path, "wb") as f:
        f.write(data)


def commit(out_dir: Path, staged: list[str], existing: dict[str, Stamp]) -> None:
    """Move staged temp files into place (each rename is atomic). If one fails, the pages
    already moved are put back as they were, and the error is raised."""
    done: list[tuple[str, Path, str | None]] = []  # (rel, target, its backup or None)
    try:
        for rel in staged:
            target = safe_target(out_dir, rel)
            backup = _backup(target) if rel in existing else None
            try:
                os.replace(str(target) + TMP_SUFFIX, target)
            except OSError as exc:
                _remove(backup)
                raise disk_error(target, exc) from None
            done.append((rel, target, backup))
    except BaseException:
        _roll_back(done, existing)
        raise
    for _, _, backup in done:
        _remove(backup)


def _backup(target: Path) -> str | None:
    """A hard link to target's current bytes, so a failed commit can restore them; None
    where the file system has no hard links (then that page cannot be restored)."""
    backup = str(target) + BACKUP_SUFFIX
    try:
        os.link(target, backup)
    except OSError:
        return None
    return backup


def _roll_back(done: list[tuple[str, Path, str | None]], existing: dict[str, Stamp]) -> None:
    for rel, target, backup in reversed(done):
        try:
            if backup is not None:
                os.replace(backup, target)
            elif rel not in existing:
                os.unlink(target)  # new this build: gone again
        except OSError:
            pass


def _remove(path: str | None) -> None:
    if path is not None:
        try:
            os.unlink(path)
        except OSError:
            pass


def discard(out_dir: Path, created: bool = False, attempted: Iterable[str] = ()) -> None:
    """Remove temp files and backups left by a failed or interrupted build, and the folders
    left empty on the way to the `attempted` paths; when the build created out_dir, it goes
    too, so a failed first build leaves nothing."""
    for rel in scan_tree(out_dir):
        if is_leftover(rel):
            _remove(str(out_dir / rel))
    remove_emptied(out_dir, attempted)  # folders staging made for new pages
    if created:
        remove_empty_folders(out_dir)
        try:
            out_dir.rmdir()
        except OSError:
            pass


def remove_emptied(out_dir: Path, paths: Iterable[str]) -> None:
    """Remove the folders on the way to these paths that are empty now, deepest first: those
    sitegen emptied or made, and no other (an empty folder of someone else's stays)."""
    folders = set()
    for rel in paths:
        parts = rel.split("/")
        folders.update("/".join(parts[:i]) for i in range(1, len(parts)))
    for folder in sorted(folders, key=lambda f: f.count("/"), reverse=True):
        try:
            os.rmdir(out_dir / folder)  # fails, as it should, unless the folder is empty
        except OSError:
            pass


def prune(out_dir: Path, stale: Iterable[str]) -> tuple[int, set[str]]:
    """Delete the stale files (sitegen's, no longer made), then the folders that left empty.

    Returns how many went and the paths that could not be removed (to stay claimed)."""
    removed, failed = [], set()
    for rel in sorted(stale):
        try:
            os.unlink(safe_target(out_dir, rel))
            removed.append(rel)
        except (FileNotFoundError, IsADirectoryError):
            pass  # gone, or a folder now: not the file sitegen wrote, so not its to remove
        except (OSError, ValueError):
            failed.add(rel)
    remove_emptied(out_dir, removed)
    return len(removed), failed


def remove_empty_folders(folder: Path) -> None:
    """Remove every empty folder below folder (not folder itself), deepest first."""
    for dirpath, _, _ in os.walk(folder, topdown=False):
        if dirpath != str(folder):
            try:
                os.rmdir(dirpath)  # fails, as it should, unless the folder is empty now
            except OSError:
                pass


# --- the ownership marker ----------------------------------------------------------------------

def read_marker(out_dir: Path) -> tuple[bytes, set[str], set[str]] | None:
    """(bytes, files, folders) the marker in out_dir lists, or None when there is none.

    Raises MarkerError when it exists but cannot be read. Lines that are no safe relative
    path, or that name the marker itself or a `.git`, are not claims and are skipped."""
    try:
        data = (out_dir / MARKER).read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise MarkerError(f"holds a {MARKER} that cannot be read ({exc.strerror or exc})") from None
    lines = data.decode("utf-8", "replace").split("\n")
    if lines[0] != MARKER_FORMAT:
        raise MarkerError(f"holds a {MARKER} this sitegen cannot read (it starts {lines[0][:40]!r}, "
                          f"not {MARKER_FORMAT!r}: written by another sitegen version?)")
    suspicious = _SUSPICIOUS.search(data.decode("utf-8", "replace"), len(lines[0]))
    files, folders = set(), set()
    for line in lines[1:]:
        if not line or line[0] == "#":
            continue
        rel = line.rstrip("/")
        if suspicious and (not is_safe(rel) or ".git" in rel.split("/")):
            continue  # checked line by line only when some line looks odd: 100k lines are common
        if line[-1] == "/":
            folders.add(rel + "/")
        else:
            files.add(rel)
    files.discard(MARKER)
    return data, files, folders


# Any line that is not a plain relative path below the folder, or that is in a .git.
_SUSPICIOUS = re.compile(r"^/|//|(?:^|/)(?:\.\.?|\.git)(?:/|$)|[\\\x00]", re.M)


def marker_bytes(files: Iterable[str], folders: Iterable[str]) -> bytes:
    """The marker listing these files and folders (folders end in "/"): sorted, one a line."""
    lines = [MARKER_FORMAT, _MARKER_NOTE, *sorted({*files, *folders})]
    return "\n".join(lines).encode() + b"\n"


def write_marker(out_dir: Path, data: bytes, current: bytes | None) -> bool:
    """Write the marker atomically unless it already holds these bytes; True when written."""
    if data == current:
        return False
    path = out_dir / MARKER
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        atomic_write(path, data)
    except OSError as exc:
        raise disk_error(path, exc) from None
    return True


def restore_marker(out_dir: Path, previous: bytes | None) -> None:
    """Put back the marker a failed build replaced (best effort: it only over-claims)."""
    try:
        if previous is None:
            (out_dir / MARKER).unlink(missing_ok=True)
        else:
            atomic_write(out_dir / MARKER, previous)
    except OSError:
        pass


# --- what the last build wrote -----------------------------------------------------------------

class Manifest:
    """What the last build wrote: {rel: (fingerprint, *stamp)} plus the build-wide key.

    A page whose inputs' fingerprint and file stamp both match is not rendered again."""

    def __init__(self, path: Path | None, build_key: str):
        self.path, self.build_key = path, build_key
        self.pages: dict[str, tuple[str, int, int, int]] = {}
        self.inputs = ""  # digest of the snapshots' stamps the last build read
        self.counts: tuple[int, int] = (0, 0)  # papers and topics the last build made
        self.marker: Stamp | None = None  # the marker's stamp, when it lists exactly the pages
        record = _load(path)
        if record is not None and len(record) == 5 and record[0] == build_key:
            _, self.pages, self.inputs, self.counts, self.marker = record

    def up_to_date(self, inputs: str, existing: dict[str, Stamp]) -> bool:
        """True when the inputs are those of the last build and its files and marker are as
        it left them: then nothing needs loading, rendering or writing (the nightly no-op
        rebuild). Files someone else put in output/ do not matter."""
        if not self.pages or inputs != self.inputs or self.marker is None:
            return False
        if existing.get(MARKER) != tuple(self.marker):
            return False
        return all(existing.get(rel) == tuple(stamp) for rel, (_, *stamp) in self.pages.items())

    def is_current(self, rel: str, fingerprint: str, existing: dict[str, Stamp]) -> bool:
        entry = self.pages.get(rel)
        return entry is not None and entry[0] == fingerprint and existing.get(rel) == entry[1:]

    def save(self, out_dir: Path, fingerprints: dict[str, str], existing: dict[str, Stamp],
             written: set[str], inputs: str, counts: tuple[int, int], marker_exact: bool = True) -> None:
        """Record every page's fingerprint; only files written this build are stat'ed again.

        `marker_exact`: the marker lists exactly these pages (nothing stale left to prune),
        so an unchanged marker lets the next build take the no-op path."""
        if self.path is None:
            return
        stamps = {}
        try:
            for rel, fp in fingerprints.items():
                if rel in written or rel not in existing:
                    st = os.stat(safe_target(out_dir, rel))
                    stamps[rel] = (fp, st.st_mtime_ns, st.st_size, st.st_ctime_ns)
                else:
                    stamps[rel] = (fp, *existing[rel])
            st = _stat(out_dir / MARKER) if marker_exact else None
        except OSError as exc:
            raise disk_error(exc.filename or out_dir, exc, "read", "or choose another output folder") from None
        marker = (st.st_mtime_ns, st.st_size, st.st_ctime_ns) if st else None
        if (stamps, inputs, counts, marker) == (self.pages, self.inputs, self.counts, self.marker):
            return  # nothing changed: leave the manifest (and its mtime) alone
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, pickle.dumps((self.build_key, stamps, inputs, counts, marker),
                                                 protocol=pickle.HIGHEST_PROTOCOL))
        except OSError as exc:
            raise disk_error(self.path, exc, elsewhere="or set build.cache to another folder") from None


def _stat(path: Path) -> os.stat_result | None:
    try:
        return os.stat(path)
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
        with open(path, "rb") as f:
            record = pickle.load(f)
    except Exception:  # no or unreadable manifest: everything is rendered, nothing lost
        return None
    return record if isinstance(record, tuple) else None
