"""One process at a time: an exclusive flock() on a lock file, which holds the owner's pid.

The lock is the flock alone. The kernel lets no two processes hold it and takes it back from
a process that dies however it dies, so a lock file left by a killed run, whatever pid it
names (that pid may belong to a new, unrelated process by now), never blocks anyone. The pid
is only written for the message of a run that finds the lock held.

The file is opened with O_NOFOLLOW | O_CREAT and without O_TRUNC, and is truncated only once
its lock is held: a link planted at its name is refused (its target is never truncated or
written), and a run that fails to take the lock changes nothing in the file. It is removed
when the lock is released, while still held, so no one locks a file that is gone, and so are
the folders made for it if they are empty then: a run refused early leaves no trace.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Self

from sitegen.errors import SitegenError
from sitegen.safe_fs import describe


class LockedError(SitegenError):
    """The lock is held by another run, or the lock file cannot be used."""

    exit_code = 1


def read_pid(fd: int) -> int | None:
    """The pid written in a lock file, or None (empty, garbled, or more than a pid's digits)."""
    text = os.pread(fd, 16, 0).decode("ascii", "replace").strip()
    return int(text) if text.isdigit() and len(text) <= 10 else None


class FileLock:
    """`with FileLock(path, busy): ...` holds path's flock for the block.

    `busy(pid or None)` words the one-line message when another run holds the lock."""

    def __init__(self, path: Path, busy: Callable[[int | None], str], pid: int | None = None):
        self.path = Path(path)
        self.busy = busy
        self.pid = pid if pid is not None else os.getpid()
        self.previous: int | None = None  # the pid a run that did not release the lock left
        self._fd = -1
        self._made: list[Path] = []  # folders made for the lock file, deepest first

    def acquire(self) -> None:
        for _ in range(5):  # the file may be removed by its last holder between open and flock
            self._make_folder()
            fd = self._open()
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                owner = read_pid(fd)
                os.close(fd)
                raise LockedError(self.busy(owner)) from None
            if not self._is_current(fd):
                os.close(fd)
                continue
            owner = read_pid(fd)
            self.previous = owner if owner != self.pid else None
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{self.pid}\n".encode("ascii"), 0)
            self._fd = fd
            return
        raise LockedError(f"could not take {self.path}: it keeps reappearing; is another run starting?")

    def _make_folder(self) -> None:
        missing = [p for p in (self.path.parent, *self.path.parent.parents) if not p.exists()]
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LockedError(f"cannot create the folder {self.path.parent}: {exc.strerror}; "
                              "check that it is writable") from None
        self._made += [p for p in missing if p not in self._made]

    def _open(self) -> int:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise LockedError(f"the lock file {self.path} is a symbolic link, which sitegen never writes "
                                  "through (it could lead anywhere); delete the link and run again") from None
            raise LockedError(f"cannot create the lock {self.path}: {exc.strerror}; "
                              f"check that {self.path.parent} is writable") from None
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_nlink > 1:
            os.close(fd)
            # A hard link shares its bytes with another file, which the pid would overwrite.
            what = describe(st.st_mode) if not stat.S_ISREG(st.st_mode) else "a hard link to another file"
            raise LockedError(f"the lock file {self.path} is {what}, not a file of its own; "
                              "delete it and run again")
        return fd

    def _is_current(self, fd: int) -> bool:
        """The locked file is still the one at the path (its last holder did not remove it)."""
        try:
            return os.lstat(self.path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            return False

    def release(self) -> None:
        if self._fd < 0:
            return
        fd, self._fd = self._fd, -1
        try:
            if self._is_current(fd):  # never a file someone put at the path since
                os.unlink(self.path)  # while still holding it, so no one locks a removed file
        except OSError:
            pass
        finally:
            os.close(fd)
        for folder in self._made:  # only while empty: a run that wrote there keeps them
            with contextlib.suppress(OSError):
                folder.rmdir()

    def __enter__(self) -> Self:
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()
