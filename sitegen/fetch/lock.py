"""One fetch at a time per site: a lock file holding the owner's pid.

Two fetches writing the same snapshots would each merge against what they read and the last
rename would win, silently dropping the other's data. Exclusion is the kernel's: the file is
held with flock(), which no two processes can hold at once and which a killed fetch loses
(no window between creating the file and writing the pid, no race between two takeovers of
a stale file). The pid inside names the owner in the message; a file naming a live process
that is not us is respected too. The file is removed when the fetch ends.

The file lives beside the fetch cache (`.sitegen-cache/fetch.lock` by default, git-ignored),
never in content/: a fetch killed with -9 cannot remove it, and a content commit must
never pick it up.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from sitegen.errors import SitegenError

LOCK_NAME = "fetch.lock"


class LockedError(SitegenError):
    """Another fetch holds the lock."""

    exit_code = 1


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)  # signal 0: "does it exist?", sends nothing
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, it is just someone else's
    return True


def _read_pid(fd: int) -> int | None:
    text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    return int(text) if text.isdigit() else None


class FetchLock:
    """`with FetchLock(folder): ...` holds `folder`/fetch.lock for the block."""

    def __init__(self, folder: Path, pid: int | None = None):
        self.path = Path(folder) / LOCK_NAME
        self.pid = pid if pid is not None else os.getpid()
        self.took_over: int | None = None  # the dead pid whose stale lock we replaced
        self._held = False
        self._fd = -1

    def acquire(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LockedError(f"cannot create the folder {self.path.parent}: {exc.strerror}; "
                              "check that it is writable") from None
        for _ in range(5):  # the file may be removed by its last holder between open and flock
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as exc:
                raise LockedError(f"cannot create the lock {self.path}: {exc.strerror}; "
                                  f"check that {self.path.parent} is writable") from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                owner = _read_pid(fd)
                os.close(fd)
                raise self._busy(owner) from None
            try:
                current = os.stat(self.path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                current = False
            if not current:
                os.close(fd)
                continue
            owner = _read_pid(fd)
            if owner is not None and owner != self.pid and pid_alive(owner):
                os.close(fd)  # a lock written without flock by a process still running
                raise self._busy(owner)
            self.took_over = owner if owner != self.pid else None
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{self.pid}\n".encode("ascii"), 0)
            self._fd, self._held = fd, True
            return
        raise LockedError(f"could not take {self.path}: it keeps reappearing; is another fetch starting?")

    def _busy(self, owner: int | None) -> LockedError:
        who = f"pid {owner}" if owner is not None else "another process"
        return LockedError(f"another sitegen fetch ({who}) is running (it holds {self.path}); "
                           f"wait for it to finish, or delete {self.path} if that process is gone")

    def _owner(self) -> int | None:
        try:
            text = self.path.read_text(encoding="ascii", errors="replace").strip()
        except OSError:
            return None
        return int(text) if text.isdigit() else None

    def release(self) -> None:
        if not self._held:
            return
        self._held = False
        try:
            if self._owner() == self.pid:  # never remove a lock someone else took over
                os.unlink(self.path)  # while still holding it, so no one locks a removed file
        except OSError:
            pass
        finally:
            os.close(self._fd)

    def __enter__(self) -> FetchLock:
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()
