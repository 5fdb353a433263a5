"""The snapshot store on disk: where a paper's file lives, writing it safely, checking one.

Writes are atomic (temp file in the same folder, fsync, os.replace), skip identical bytes,
and never land outside content/, whatever id a source sent. `check_snapshot_file` is what
`sitegen check` (and through it scripts/commit-content.sh) asks of a file before it is
committed: it parses, and it is named after its id.
"""

from __future__ import annotations

from pathlib import Path

from sitegen import arxiv_ids
from sitegen.atomic import atomic_write, same_bytes
from sitegen.errors import ContentProblem
from sitegen.model import Paper
from sitegen.snapshot.format import SnapshotError, check_paper, dump_paper, parse_snapshot


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


def check_snapshot_file(path: Path | str) -> ContentProblem | None:
    """None if `path` is a snapshot the build accepts, else the problem and its line."""
    path = Path(path)
    try:
        paper = read_snapshot(path)
    except SnapshotError as exc:
        return exc.problem(str(path))
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
    status = "updated" if path.exists() else "new"
    try:
        check_paper(paper)  # never write a file the build would reject
    except SnapshotError as exc:
        raise ValueError(f"{paper.id}: refusing to write an invalid snapshot: {exc.message}") from None
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, data, durable=True)
    return status
