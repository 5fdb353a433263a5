"""The snapshot store on disk: where a paper's file lives, writing it safely, checking one.

Writes are atomic (temp file in the same folder, fsync, os.replace), skip identical bytes,
and never land outside content/, whatever id a source sent. `check_snapshot_file` is what
`sitegen check` (and through it scripts/commit-content.sh) asks of a file before it is
committed: it parses, and it is named after its id.

A snapshot is read only if it is a regular file, not a symbolic link, of at most MAX_BYTES
(sitegen.safe_fs): a link could publish any file on the machine, and a FIFO, a device or a
file of gigabytes would hang or exhaust the build. No folder below content/ on the way to a
snapshot may be a link either, for reading or writing.
"""

from __future__ import annotations

import os
from pathlib import Path

from sitegen import arxiv_ids
from sitegen.atomic import atomic_write, same_bytes
from sitegen.errors import ContentProblem
from sitegen.model import Paper
from sitegen.safe_fs import UnsafeFile, check_folders, make_folders, read_regular_file
from sitegen.snapshot.format import SnapshotError, check_paper, dump_paper, parse_snapshot

# The largest snapshot sitegen reads or writes. Real ones are 1-4 KB (the shipped 297: 3.1 KB
# at most); the longest real author lists (some 5,000 names on the LHC collaborations' papers)
# stay under 200 KB, and arXiv caps an abstract at 1,920 characters. 1 MB leaves room for any real
# paper, while /dev/zero or a 2 GB file is refused at once, before a byte of it is read.
MAX_BYTES = 1_000_000


def snapshot_path(content_dir: Path, paper_id: str) -> Path:
    """content/papers/<shard>/<safe name>.md; ValueError for anything that would leave content/."""
    name = arxiv_ids.safe_name(paper_id)  # ValueError for anything but a version-less id
    shard = arxiv_ids.shard(paper_id)
    # The two id schemes only allow letters, digits, '.', '-', '_' and one '/' ...
    if name.startswith(".") or any(part in ("", ".", "..") for part in shard.split("/")):
        raise ValueError(f"snapshot path for {paper_id!r} would leave {content_dir}")
    folder = Path(content_dir) / "papers" / shard
    # ... but a symlinked folder could still lead anywhere: none is followed. An lstat per
    # folder on the way, each folder checked once per run (once it exists), not once per paper.
    if folder not in _CHECKED:
        try:
            check_folders(content_dir, Path("papers") / shard)
        except UnsafeFile as exc:
            raise ValueError(f"snapshot path for {paper_id!r} would leave {content_dir} or follow a link: "
                             f"{exc}") from None
        if folder.is_dir():
            _CHECKED.add(folder)
    return folder / f"{name}.md"


_CHECKED: set[Path] = set()


def read_snapshot(path: Path) -> Paper:
    """Read and parse one snapshot; SnapshotError (with its line) if it is invalid, UnsafeFile
    if it is a link, not a regular file, or over MAX_BYTES."""
    return parse_snapshot(read_snapshot_bytes(path).decode("utf-8"))


def read_snapshot_bytes(path: Path | str) -> bytes:
    """A snapshot file's bytes: a regular file, not a link, of at most MAX_BYTES (UnsafeFile)."""
    return read_regular_file(path, MAX_BYTES, "a snapshot")


def check_snapshot_file(path: Path | str) -> ContentProblem | None:
    """None if `path` is a snapshot the build accepts, else the problem and its line."""
    path = Path(path)
    try:
        paper = read_snapshot(path)
    except SnapshotError as exc:
        return exc.problem(str(path))
    except UnsafeFile as exc:  # a link, a FIFO, a device, too big: never read, never followed
        return ContentProblem(str(path), 1, exc.reason)
    except UnicodeDecodeError as exc:
        return ContentProblem(str(path), 1, f"not UTF-8 text ({exc.reason}); save the file as UTF-8")
    except OSError as exc:
        return ContentProblem(str(path), 1, f"cannot read: {exc.strerror or exc}")
    except Exception as exc:  # noqa: BLE001  a checker must judge any bytes, never crash on them
        reason = (str(exc).splitlines() or [""])[0]
        return ContentProblem(str(path), 1, f"cannot parse ({type(exc).__name__}: {reason}); fix the front matter")
    expected = arxiv_ids.safe_name(paper.id) + ".md"
    if path.name != expected:
        return ContentProblem(str(path), 2, f"id {paper.id!r} belongs in a file named {expected}; "
                                            "rename the file or fix the id")
    return None


def write_snapshot(content_dir: Path, paper: Paper) -> str:
    """Write a paper's snapshot; return "new", "updated" or "unchanged".

    Identical bytes are not rewritten (the file and its mtime stay as they are). Otherwise
    the text goes to a temp file in the same folder, is fsynced, and replaces the old file in
    one step, so an interrupted write or a full disk leaves the old snapshot intact.
    """
    path = snapshot_path(content_dir, paper.id)
    text = dump_paper(paper)
    data = text.encode("utf-8")
    if same_bytes(path, data):
        return "unchanged"
    status = "updated" if os.path.lexists(path) else "new"
    try:
        check_paper(paper)  # never write a file the build would reject
    except SnapshotError as exc:
        raise ValueError(f"{paper.id}: refusing to write an invalid snapshot: {exc.message}") from None
    if len(data) > MAX_BYTES:  # nor one it would refuse to read
        raise ValueError(f"{paper.id}: refusing to write a snapshot of {len(data):,} bytes, over the "
                         f"{MAX_BYTES:,}-byte cap for a snapshot (no real paper comes near it)")
    papers = Path(content_dir)
    try:
        make_folders(papers, path.parent.relative_to(papers))
        atomic_write(path, data, durable=True, root=papers)
    except UnsafeFile as exc:  # a folder swapped for a link since snapshot_path looked
        raise ValueError(f"{paper.id}: not written: {exc}") from None
    return status
