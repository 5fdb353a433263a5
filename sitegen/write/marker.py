"""The ownership marker in output/ (MARKER): which files sitegen wrote there.

First line `sitegen-output 1`, a comment, then every file sitegen wrote, sorted, one a line
(a line ending in "/" is a folder it owns whole). sitegen.write.ownership decides from it
what a build may replace or prune; it lives in output/ itself, so ownership survives a lost
.sitegen-cache/. Hidden, so GitHub Pages' artifact upload leaves it out of the site.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from sitegen.atomic import atomic_write
from sitegen.errors import disk_error
from sitegen.safe_fs import UnsafeFile, read_regular_file
from sitegen.write.writer import MARKER, is_safe

MARKER_FORMAT = "sitegen-output 1"
# One line per file sitegen wrote: a site of 125k papers lists some 260k files in ~10 MB.
# 256 MB is 25 times that: more files than GitHub Pages' 1 GB could hold.
MAX_BYTES = 256_000_000
_MARKER_NOTE = ("# Files sitegen build wrote here (a line ending in / is a folder it owns whole): "
                "the next build replaces or removes them; it leaves any other file alone.")


class MarkerError(ValueError):
    """The marker exists but this sitegen cannot read it; the message says why."""


def read_marker(out_dir: Path) -> tuple[bytes, set[str], set[str]] | None:
    """(bytes, files, folders) the marker in out_dir lists, or None when there is none.

    Raises MarkerError when it exists but cannot be read. Lines that are no safe relative
    path, or that name the marker itself or a `.git`, are not claims and are skipped."""
    try:
        data = read_regular_file(out_dir / MARKER, MAX_BYTES, "the ownership marker")
    except FileNotFoundError:
        return None
    except UnsafeFile as exc:  # a link could claim another file's lines; a FIFO would hang
        raise MarkerError(f"holds a {MARKER} that sitegen does not read: it {exc.reason}") from None
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
