"""Reading and changing files on a disk sitegen does not trust: no symbolic link is followed.

sitegen never makes a symbolic link, so one inside content/, output/ or a cache folder is
someone else's, and following it could publish, overwrite or delete a file anywhere. The
folders you configure (build.content, build.output, the caches, the digest state's folder)
are taken as they are, links included: that is your choice. Below them:

- a read (`read_regular_file`) opens with O_NOFOLLOW | O_NONBLOCK and takes only a regular
  file, up to a cap, with one bounded read: a link, a FIFO, a device or /dev/zero is a
  one-line error naming the file, never a hang or a MemoryError;
- a write refuses a link among the folders below the root (`make_folders`, `check_folders`)
  and replaces a link standing at the destination itself (a rename never follows it);
- a delete (`unlink_under`, `rmdir_under`, `remove_tree`) opens each folder on the way with
  O_NOFOLLOW relative to its parent, so it acts on a link itself and never inside its target,
  even if a folder is swapped for a link while it runs.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from sitegen.errors import SitegenError

LINK_REASON = ("is a symbolic link, which sitegen never follows (it could lead anywhere): put what it "
               "points to there instead, or remove it")
_FOLDER_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC


class UnsafeFile(SitegenError, OSError):
    """A file sitegen will not read or write through: a link, not a regular file, or too big.

    An OSError too, so code that already treats an unreadable file as "cannot read" (a cache
    miss, a changed page) does so for these; the message is one line naming the file."""

    exit_code = 1

    def __init__(self, path: Path | str, reason: str, code: int = errno.EINVAL, short: str | None = None):
        # strerror is the short form, for messages that add their own advice (errors.disk_error).
        OSError.__init__(self, code, short or reason, str(path))
        self.path, self.reason = str(path), reason

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def refused_link(path: Path | str) -> UnsafeFile:
    return UnsafeFile(path, LINK_REASON, errno.ELOOP, short="a symbolic link")


def open_nofollow(path: Path | str, flags: int, mode: int = 0o644, *, dir_fd: int | None = None,
                  shown: Path | str | None = None) -> int:
    """os.open that refuses a symbolic link as the last component (UnsafeFile); `shown` is the
    path named in the message when `path` is relative to dir_fd."""
    try:
        return os.open(path, flags | os.O_NOFOLLOW | os.O_CLOEXEC, mode, dir_fd=dir_fd)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise refused_link(shown or path) from None
        raise


def read_regular_file(path: Path | str, cap: int, what: str = "this file", *, dir_fd: int | None = None,
                      shown: Path | str | None = None) -> bytes:
    """The bytes of a regular file that is not a link, at most `cap` of them.

    Raises UnsafeFile naming the file for a link, anything but a regular file, or a file over
    the cap (`what` names what the cap is for: "a snapshot"); other OSErrors (missing, no
    permission) pass through. O_NONBLOCK: opening a FIFO would otherwise wait for a writer."""
    shown = shown or path
    fd = open_nofollow(path, os.O_RDONLY | os.O_NONBLOCK, dir_fd=dir_fd, shown=shown)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise UnsafeFile(shown, f"is {describe(st.st_mode)}, not a regular file; sitegen reads only "
                                    "regular files here: remove it", short="not a regular file")
        if st.st_size > cap:
            raise _too_big(shown, f"{st.st_size:,} bytes", cap, what)
        chunks, total, want = [], 0, min(st.st_size, cap) + 1  # one read for a file as stat'ed
        while total <= cap:
            chunk = os.read(fd, min(want, cap + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            want = 1 << 16
        if total > cap:  # it grew while being read
            raise _too_big(shown, f"more than {cap:,} bytes (it grew while being read)", cap, what)
        return b"".join(chunks)
    finally:
        os.close(fd)


def open_regular(path: Path | str) -> BinaryIO:
    """A regular file that is not a link, opened to read (a cache's pickle, read as it goes);
    UnsafeFile for anything else, never a wait on a FIFO."""
    fd = open_nofollow(path, os.O_RDONLY | os.O_NONBLOCK)
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise UnsafeFile(path, f"is {describe(mode)}, not a regular file")
    return os.fdopen(fd, "rb")


def _too_big(path: Path | str, size: str, cap: int, what: str) -> UnsafeFile:
    return UnsafeFile(path, f"is {size}, over the {cap:,}-byte cap for {what}; sitegen does not read it "
                            f"(is it really {what}?)", errno.EFBIG, short=f"over the {cap:,}-byte cap")


def describe(mode: int) -> str:
    """What a non-regular file is, for a message."""
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISLNK, "a symbolic link")):
        if test(mode):
            return name
    return "a special file"


def is_link(path: Path | str) -> bool:
    try:
        return stat.S_ISLNK(os.lstat(path).st_mode)
    except OSError:
        return False


def is_regular(path: Path | str) -> bool:
    """A regular file, not a link to one (os.path.isfile follows links)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


# --- folders below a root: made, checked and walked without following a link ------------------

def _parts(rel: str | Path) -> list[str]:
    parts = [p for p in Path(rel).parts if p not in ("", ".")]
    if any(p == ".." or os.sep in p for p in parts) or Path(rel).is_absolute():
        raise ValueError(f"not a path inside its folder: {rel}")
    return parts


def make_folders(root: Path | str, rel: str | Path) -> None:
    """`mkdir -p root/rel`, refusing (UnsafeFile) a link among the folders below root, which
    mkdir -p would follow; a file where a folder should be is NotADirectoryError. root itself
    is made as configured, if it is missing."""
    current = str(root)
    os.makedirs(current, exist_ok=True)
    for part in _parts(rel):
        current = os.path.join(current, part)
        try:
            os.mkdir(current)  # made here: a real folder
        except FileExistsError:
            mode = os.lstat(current).st_mode
            if stat.S_ISLNK(mode):
                raise refused_link(current) from None
            if not stat.S_ISDIR(mode):
                raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), current) from None


def check_folders(root: Path | str, rel: str | Path) -> None:
    """Raise UnsafeFile if a folder of root/rel below root is a link; missing ones are fine."""
    current = str(root)
    for part in _parts(rel):
        current = os.path.join(current, part)
        try:
            mode = os.lstat(current).st_mode
        except FileNotFoundError:
            return
        if stat.S_ISLNK(mode):
            raise refused_link(current)


@contextlib.contextmanager
def folder_fd(root: Path | str, rel: str | Path) -> Iterator[int]:
    """A descriptor of the folder root/rel, each folder below root opened with O_NOFOLLOW
    relative to the one before: what is done through it never lands inside a link's target."""
    fd = os.open(root, _FOLDER_FLAGS)
    shown = str(root)
    try:
        for part in _parts(rel):
            shown = os.path.join(shown, part)
            try:
                inner = os.open(part, _FOLDER_FLAGS | os.O_NOFOLLOW, dir_fd=fd)
            except OSError as exc:
                # O_DIRECTORY | O_NOFOLLOW on a link fails with ENOTDIR on Linux, ELOOP elsewhere.
                if exc.errno in (errno.ELOOP, errno.ENOTDIR) and _is_link_at(part, fd):
                    raise refused_link(shown) from None
                raise
            os.close(fd)
            fd = inner
        yield fd
    finally:
        os.close(fd)


def _is_link_at(name: str, dir_fd: int) -> bool:
    try:
        return stat.S_ISLNK(os.stat(name, dir_fd=dir_fd, follow_symlinks=False).st_mode)
    except OSError:
        return False


def _split(rel: str) -> tuple[str, str]:
    folder, _, name = rel.rpartition("/")
    if not name:
        raise ValueError(f"not a file path: {rel!r}")
    return folder, name


def unlink_under(root: Path | str, rel: str) -> None:
    """Delete root/rel (a posix relative path); a link there goes itself, and a link among
    its folders is UnsafeFile: nothing inside a link's target is ever deleted."""
    folder, name = _split(rel)
    with folder_fd(root, folder) as fd:
        os.unlink(name, dir_fd=fd)


def rmdir_under(root: Path | str, rel: str) -> None:
    """Remove the empty folder root/rel, as unlink_under does a file (a link there: ENOTDIR)."""
    folder, name = _split(rel)
    with folder_fd(root, folder) as fd:
        os.rmdir(name, dir_fd=fd)


def lstat_under(root: Path | str, rel: str) -> os.stat_result:
    """The lstat of root/rel, reached without following a link among its folders."""
    folder, name = _split(rel)
    with folder_fd(root, folder) as fd:
        return os.stat(name, dir_fd=fd, follow_symlinks=False)


def read_under(root: Path | str, rel: str, cap: int, what: str = "this file") -> bytes:
    """read_regular_file of root/rel, with no link followed anywhere below root."""
    folder, name = _split(rel)
    with folder_fd(root, folder) as fd:
        return read_regular_file(name, cap, what, dir_fd=fd, shown=os.path.join(root, rel))


def walk_files(folder: Path | str) -> dict[str, Path]:
    """{relative posix path: path} of every entry under folder that is not a real folder:
    files, and links (to anything) as themselves, never descended into."""
    found: dict[str, Path] = {}
    root = Path(folder)
    if not root.is_dir() or is_link(root):
        return found
    stack = [root]
    while stack:
        current = stack.pop()
        try:
            entries = list(os.scandir(current))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            path = Path(entry.path)
            if entry.is_dir(follow_symlinks=False):
                stack.append(path)
            else:
                found[path.relative_to(root).as_posix()] = path
    return found


def remove_links(folder: Path | str) -> int:
    """Delete every link under folder (the links themselves) and folder itself if it is one;
    for a folder sitegen owns whole, where no link is ever its own. Returns how many went."""
    if is_link(folder):
        os.unlink(folder)
        return 1
    removed, stack = 0, [str(folder)]
    while stack:  # scandir knows each entry's type: no stat, no Path per file (pagefind/ holds ~1 a paper)
        try:
            entries = list(os.scandir(stack.pop()))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            if entry.is_symlink():
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(entry.path)
                    removed += 1
            elif entry.is_dir(follow_symlinks=False):
                stack.append(entry.path)
    return removed


def remove_tree(path: Path | str) -> int:
    """Delete a file, a link (itself) or a folder with all it holds; returns how many files
    went. A folder goes by shutil.rmtree, which on this platform works through descriptors
    (`rmtree.avoids_symlink_attacks`) and removes the links inside it as links."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return 0
    if not stat.S_ISDIR(mode):
        os.unlink(path)
        return 1
    count = len(walk_files(path))
    shutil.rmtree(path, ignore_errors=True)
    return count
