"""One fetch at a time per content folder: a lock file holding the owner's pid.

Two fetches writing the same snapshots would each merge against what they read and the last
rename would win, silently dropping the other's data. The lock is created with O_EXCL (atomic
on every local file system), removed when the fetch ends, and a lock whose pid no longer
runs (a fetch killed with SIGKILL, a reboot) is taken over instead of blocking forever.
"""

from __future__ import annotations

import os
from pathlib import Path

from sitegen.errors import SitegenError

LOCK_NAME = ".sitegen-fetch.lock"


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


class FetchLock:
    """`with FetchLock(content_dir): ...` holds the lock for the block."""

    def __init__(self, folder: Path, pid: int | None = None):
        self.path = Path(folder) / LOCK_NAME
        self.pid = pid if pid is not None else os.getpid()
        self.took_over: int | None = None  # the dead pid whose stale lock we replaced
        self._held = False

    def acquire(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LockedError(f"cannot create the folder {self.path.parent}: {exc.strerror}; "
                              "check that the content folder is writable") from None
        for _ in range(3):  # create, or clear a stale lock and create again
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                owner = self._owner()
                if owner is not None and pid_alive(owner) and owner != self.pid:
                    raise LockedError(
                        f"another sitegen fetch (pid {owner}) is writing to {self.path.parent}; "
                        f"wait for it to finish, or delete {self.path} if that process is gone") from None
                self._remove_stale(owner)
                continue
            except OSError as exc:
                raise LockedError(f"cannot create the lock {self.path}: {exc.strerror}; "
                                  "check that the content folder is writable") from None
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                fh.write(f"{self.pid}\n")
            self._held = True
            return
        raise LockedError(f"could not take {self.path}: it keeps reappearing; is another fetch starting?")

    def _owner(self) -> int | None:
        try:
            text = self.path.read_text(encoding="ascii", errors="replace").strip()
        except OSError:
            return None
        return int(text) if text.isdigit() else None

    def _remove_stale(self, owner: int | None) -> None:
        # An empty or garbled lock (a crash between create and write) counts as stale too.
        self.took_over = owner
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass  # someone else cleared it first; the O_EXCL retry settles who wins
        except OSError as exc:
            raise LockedError(f"cannot remove the stale lock {self.path}: {exc.strerror}; delete it by hand") from None

    def release(self) -> None:
        if not self._held:
            return
        self._held = False
        try:
            if self._owner() == self.pid:  # never remove a lock someone else took over
                os.unlink(self.path)
        except OSError:
            pass

    def __enter__(self) -> FetchLock:
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()
