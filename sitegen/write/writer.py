"""The only writer of output/: stays inside it, skips identical bytes, swaps files in
atomically, prunes what it wrote and no longer makes, keeps the ownership marker, and
remembers what it wrote.

Pages are first written to temp files beside their targets and only renamed into place once
every page rendered, so a failed build leaves output/ as it was; if a rename fails halfway,
the pages already swapped in are swapped back. Which files are sitegen's to replace or remove
is decided by sitegen.write.ownership, from the marker file this module writes (MARKER).

No symbolic link inside output/ is followed (sitegen.safe_fs): a temp file is created with
O_EXCL | O_NOFOLLOW, a page's folders are checked to be real folders (a link among them is
refused; ownership.clashes has refused one sitegen did not make before anything is written),
a rename replaces a link at the page's path itself, and pruning deletes through descriptors
opened with O_NOFOLLOW, so it removes a link itself and never anything inside its target.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path

from sitegen.atomic import same_bytes
from sitegen.atomic import write_if_changed as write_if_changed
from sitegen.errors import disk_error
from sitegen.safe_fs import UnsafeFile, make_folders, refused_link, remove_tree, rmdir_under, unlink_under, walk_files
from sitegen.stamps import Stamp, stamps

TMP_SUFFIX = ".sitegen-tmp"
MARKER = ".sitegen-output"  # the ownership marker (sitegen.write.marker): sitegen's own file
BACKUP_SUFFIX = ".sitegen-old"  # the previous bytes of a page while a build swaps pages in

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
    return Path(safe_path(str(out_dir), rel))


def safe_path(out_dir: str, rel: str) -> str:
    """safe_target as a string: staging and committing a page ask for two paths each, and
    pathlib's parsing of them was a measurable part of a cold build."""
    if not is_safe(rel):
        raise ValueError(f"refusing to write outside the output folder: {rel!r}")
    return os.path.join(out_dir, rel if os.sep == "/" else rel.replace("/", os.sep))


def is_published(rel: str) -> bool:
    """Whether GitHub Pages publishes this output path: upload-pages-artifact leaves hidden
    files and folders out (the ownership marker, the search records)."""
    return not (rel.startswith(".") or "/." in rel)


def is_safe(rel: str) -> bool:
    """A relative posix path that stays inside its folder."""
    parts = rel.split("/")
    return not (not rel or rel.startswith("/") or any(p in ("", ".", "..") for p in parts)
                or "\\" in rel or "\0" in rel)


def stage(out_dir: Path, rel: str, data: bytes, existing: dict[str, Stamp]) -> bool:
    """Write data to a temp file beside rel unless rel already holds these bytes.

    Returns True when a temp file was staged (the page changed)."""
    target = safe_path(str(out_dir), rel)
    stamp = existing.get(rel)
    if stamp is not None and stamp[1] == len(data) and same_bytes(target, data):
        return False
    tmp = target + TMP_SUFFIX
    try:
        _make_folder(str(out_dir), os.path.dirname(target))
        _write(tmp, data)
    except OSError as exc:
        raise disk_error(exc.filename or tmp, exc) from None
    return True


# The folders this build made or found to be real folders (not links): each is checked once
# a build, not once a page. Emptied by forget_folders() when a build starts: a folder found
# real by one build may be a link by the next (serve keeps this process between builds).
_REAL_FOLDERS: set[str] = set()


def forget_folders() -> None:
    _REAL_FOLDERS.clear()


def _make_folder(root: str, folder: str) -> None:
    """Make folder (below root) and the folders on the way; a link among them is refused,
    never made into or written through. One mkdir for the usual case (a page's own new
    folder, its parent checked already)."""
    if folder in _REAL_FOLDERS:
        return
    if folder == root:  # the output folder itself, as configured
        os.makedirs(root, exist_ok=True)
    else:
        parent = os.path.dirname(folder)
        if parent == folder:  # safe_path keeps every page below root: never reached
            raise ValueError(f"refusing to write outside the output folder: {folder!r}")
        _make_folder(root, parent)
        try:
            os.mkdir(folder)
        except FileExistsError:
            mode = os.lstat(folder).st_mode
            if stat.S_ISLNK(mode):
                raise refused_link(folder) from None
            if not stat.S_ISDIR(mode):
                raise
    _REAL_FOLDERS.add(folder)


def _write(path: str, data: bytes) -> None:
    # O_EXCL | O_NOFOLLOW: whatever stands at the temp name (a killed build's temp file, a
    # link or a hard link someone planted) loses its name and is never written through.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        fd = os.open(path, flags, 0o666)
    except FileExistsError:
        os.unlink(path)
        fd = os.open(path, flags, 0o666)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def commit(out_dir: Path, staged: list[str], existing: dict[str, Stamp]) -> None:
    """Move staged temp files into place (each rename is atomic). If one fails, the pages
    already moved are put back as they were, and the error is raised."""
    done: list[tuple[str, str, str | None]] = []  # (rel, target, its backup or None)
    try:
        root = str(out_dir)
        for rel in staged:
            target = safe_path(root, rel)
            backup = _backup(target) if rel in existing else None
            try:
                os.replace(target + TMP_SUFFIX, target)
            except OSError as exc:
                _remove(backup)
                raise disk_error(target, exc) from None
            done.append((rel, target, backup))
    except BaseException:
        _roll_back(done, existing)
        raise
    for _, _, backup in done:
        _remove(backup)


def _backup(target: str) -> str | None:
    """A hard link to target's current bytes, so a failed commit can restore them; None
    where the file system has no hard links (then that page cannot be restored)."""
    backup = target + BACKUP_SUFFIX
    try:
        os.link(target, backup, follow_symlinks=False)  # a link at target: the link, not its target
    except OSError:
        return None
    return backup


def _roll_back(done: list[tuple[str, str, str | None]], existing: dict[str, Stamp]) -> None:
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
        with contextlib.suppress(OSError):
            os.unlink(path)


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
        with contextlib.suppress(OSError):
            out_dir.rmdir()


def remove_emptied(out_dir: Path, paths: Iterable[str]) -> None:
    """Remove the folders on the way to these paths that are empty now, deepest first: those
    sitegen emptied or made, and no other (an empty folder of someone else's stays)."""
    folders: set[str] = set()
    for rel in paths:
        parts = rel.split("/")
        folders.update("/".join(parts[:i]) for i in range(1, len(parts)))
    for folder in sorted(folders, key=lambda f: f.count("/"), reverse=True):
        with contextlib.suppress(OSError, ValueError):  # as it should, unless the folder is empty
            rmdir_under(out_dir, folder)  # a link there or on the way: not followed, left alone


def prune(out_dir: Path, stale: Iterable[str]) -> tuple[int, set[str]]:
    """Delete the stale files (sitegen's, no longer made), then the folders that left empty.

    Returns how many went and the paths that could not be removed (to stay claimed)."""
    removed, failed = [], set()
    for rel in sorted(stale):
        try:
            safe_target(out_dir, rel)  # refuses a path that would leave out_dir
            unlink_under(out_dir, rel)  # a link at rel goes itself; nothing inside one is deleted
            removed.append(rel)
        except (FileNotFoundError, IsADirectoryError, UnsafeFile):
            pass  # gone, a folder now, or behind a link: not the file sitegen wrote, so not its to remove
        except (OSError, ValueError):
            failed.add(rel)
    remove_emptied(out_dir, removed)
    return len(removed), failed


def remove_empty_folders(folder: Path) -> None:
    """Remove every empty folder below folder (not folder itself), deepest first."""
    for dirpath, _, _ in os.walk(folder, topdown=False):
        if dirpath != str(folder):
            with contextlib.suppress(OSError):  # as it should, unless the folder is empty now
                os.rmdir(dirpath)


# --- folders another program fills (Pagefind's search index) ------------------------------------

def list_files(folder: Path) -> dict[str, Path]:
    """{relative posix path: path} of every file under folder, links as themselves (never
    descended into); nothing when folder itself is a link."""
    return walk_files(folder)


def sync_folder(fresh: Path, target: Path, wanted: Callable[[str], bool], last: str = "",
                spare: str = "") -> tuple[int, int]:
    """Make target/ hold the `wanted` files of fresh/, moving in only those whose bytes
    differ, and removing target's other files (except `spare`). fresh/ is on the same file
    system (a sibling folder), so a changed file is renamed into place, never copied; `last`
    is moved in after every other file (the one that names the rest). Returns (written, removed)."""
    new = {rel: p for rel, p in list_files(fresh).items() if wanted(rel)}
    old = list_files(target)
    removed = 0
    for rel, path in list(old.items()):
        if path.is_symlink():  # target is sitegen's whole, so a link in it is not: gone, as itself
            path.unlink()
            del old[rel]
            removed += 1
    written = 0
    for rel in sorted(new, key=lambda r: (r == last, r)):
        path = target / rel
        if rel in old and same_bytes(path, new[rel].read_bytes()):
            continue
        make_folders(target, Path(rel).parent)  # a link among them: refused, never written through
        os.replace(new[rel], path)
        written += 1
    for rel, path in old.items():
        if rel not in new and rel != spare:
            path.unlink(missing_ok=True)
            removed += 1
    remove_empty_folders(target)
    return written, removed


def remove_top_files(folder: Path, unwanted: Callable[[str], bool]) -> int:
    """Remove the files directly in folder whose names are `unwanted`; returns how many."""
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return 0
    for d in entries:
        if (d.is_symlink() or d.is_file(follow_symlinks=False)) and unwanted(d.name):
            os.unlink(d.path)
            removed += 1
    return removed


def remove_path(path: Path) -> int:
    """Delete a file, a link (itself) or a folder tree, following no link; returns how many
    files went."""
    return remove_tree(path)
