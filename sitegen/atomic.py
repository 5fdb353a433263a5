"""Atomic file replacement: a temp file in the same folder, then one rename.

A reader (or a crash) sees the old file or the new one, never half of either. Every writer
of sitegen's own files goes through here, except the build writer (sitegen.write.writer), which stages a whole build's
pages first and renames them only when every page rendered. A writer killed mid-write
(kill -9, power loss) leaves its temp file; `remove_leftovers` knows their names exactly.

No symbolic link is written through (sitegen.safe_fs): the temp file is created with
O_EXCL | O_NOFOLLOW (mkstemp's flags), so a link or a file planted at its name is never
opened; the rename replaces a link standing at the destination itself, never its target;
and with `root`, a link among the folders between root and the file is refused.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path

from sitegen.safe_fs import check_folders, read_regular_file


def atomic_write(path: Path, data: bytes, durable: bool = False, root: Path | None = None) -> None:
    """Replace path's bytes with data. `durable` also fsyncs the file and its folder, for
    content/ (the archive), not for caches that can be rebuilt. `root`: the folder the
    caller configured (content/, output/), below which no folder may be a link (UnsafeFile)."""
    path = Path(path)
    if root is not None:
        check_folders(root, path.parent.relative_to(root))
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), 0o644)  # mkstemp makes 0600; these are ordinary files
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    if durable:
        _fsync_dir(path.parent)


def same_bytes(path: Path | str, data: bytes) -> bool:
    """True when path is a regular file (not a link) holding exactly these bytes; never reads
    more than len(data) + 1 bytes, nor through a link or from a FIFO."""
    try:
        return read_regular_file(path, len(data)) == data
    except OSError:  # missing, a link, not a regular file, a size that differs
        return False


def write_if_changed(path: Path, data: bytes, durable: bool = False, root: Path | None = None) -> bool:
    """atomic_write unless path already holds these bytes (then its mtime stays); True when written."""
    if same_bytes(path, data):
        return False
    atomic_write(path, data, durable, root)
    return True


def _fsync_dir(folder: Path) -> None:
    # Makes the rename itself durable; not every platform can open a folder for this.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# --- what a killed writer leaves ------------------------------------------------------------

# mkstemp above names a temp file "." + the target's name + "." + 8 characters of tempfile's
# alphabet + ".tmp" (".2608.11232.md.k3x_9qzd.tmp"). A writer killed between mkstemp and
# os.replace leaves exactly such a file; nothing sitegen or a person would keep looks like it.
LEFTOVER = re.compile(r"\.(?P<target>.+)\.[a-z0-9_]{8}\.tmp")


def is_leftover(name: str) -> bool:
    """True for a file name atomic_write's temp files have, and only for those."""
    return LEFTOVER.fullmatch(name) is not None


def remove_leftovers(folder: Path) -> tuple[list[Path], list[str]]:
    """Delete the temp files killed writers left anywhere under `folder`.

    Returns (removed paths, one-line problems). Symlinks are neither followed nor removed.
    Call it only while holding the lock of whatever writes there, or a live writer's temp
    file could vanish under it.
    """
    removed: list[Path] = []
    problems: list[str] = []
    stack = [Path(folder)]
    while stack:
        current = stack.pop()
        try:
            entries = list(os.scandir(current))
        except FileNotFoundError:
            continue
        except OSError as exc:
            problems.append(f"cannot look for leftover temp files in {current}: {exc.strerror}")
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(Path(entry.path))
                elif is_leftover(entry.name) and entry.is_file(follow_symlinks=False):
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
            except FileNotFoundError:
                pass
            except OSError as exc:
                problems.append(f"cannot remove the leftover temp file {entry.path}: {exc.strerror}; delete it by hand")
    return sorted(removed), problems
