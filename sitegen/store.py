"""The snapshot store on disk: where a paper's file lives, and writing it safely.

Writes are atomic (temp file in the same folder, fsync, os.replace), skip identical bytes,
and never land outside content/, whatever id a source sent.
"""

from __future__ import annotations

from pathlib import Path

from sitegen import arxiv_ids
from sitegen.atomic import atomic_write
from sitegen.model import Paper
from sitegen.snapshot import SnapshotError, check_paper, dump_paper, parse_snapshot


def snapshot_path(content_dir: Path, paper_id: str) -> Path:
    """content/papers/<shard>/<safe name>.md; ValueError for anything that would leave content/."""
    name = arxiv_ids.safe_name(paper_id)  # ValueError for anything but a version-less id
    shard = arxiv_ids.shard(paper_id)
    # The two id schemes only allow letters, digits, '.', '-', '_' and one '/' ...
    if name.startswith(".") or any(part in ("", ".", "..") for part in shard.split("/")):
        raise ValueError(f"snapshot path for {paper_id!r} would leave {content_dir}")
    folder = Path(content_dir) / "papers" / shard
    # ... but a symlinked folder could still lead out. resolve() costs a syscall per path
    # component, so each folder is checked once per run, not once per paper.
    if folder not in _CHECKED:
        if not folder.resolve().is_relative_to(Path(content_dir).resolve()):
            raise ValueError(f"snapshot path for {paper_id!r} would leave {content_dir}")
        _CHECKED.add(folder)
    return folder / f"{name}.md"


_CHECKED: set[Path] = set()


def read_snapshot(path: Path) -> Paper:
    """Read and parse one snapshot; SnapshotError (with its line) if it is invalid."""
    return parse_snapshot(Path(path).read_text(encoding="utf-8"))


def write_snapshot(content_dir: Path, paper: Paper) -> str:
    """Write a paper's snapshot; return "new", "updated" or "unchanged".

    Identical bytes are not rewritten (the file and its mtime stay as they are). Otherwise
    the text goes to a temp file in the same folder, is fsynced, and replaces the old file in
    one step, so an interrupted write or a full disk leaves the old snapshot intact.
    """
    path = snapshot_path(content_dir, paper.id)
    text = dump_paper(paper)
    data = text.encode("utf-8")
    try:
        if path.read_bytes() == data:
            return "unchanged"
        status = "updated"
    except FileNotFoundError:
        status = "new"
    try:
        check_paper(paper)  # never write a file the build would reject
    except SnapshotError as exc:
        raise ValueError(f"{paper.id}: refusing to write an invalid snapshot: {exc.message}") from None
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, data, durable=True)
    return status
