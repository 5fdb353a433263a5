"""One fetch at a time per site: `.sitegen-cache/fetch.lock`, held with flock (sitegen.file_lock).

Two fetches writing the same snapshots would each merge against what they read and the last
rename would win, silently dropping the other's data. The lock is the kernel's flock alone: a
lock file a killed fetch left behind, whatever pid it names, never blocks the next fetch.

The file lives beside the fetch cache (`.sitegen-cache/fetch.lock` by default, git-ignored),
never in content/: a fetch killed with -9 cannot remove it, and a content commit must
never pick it up.
"""

from __future__ import annotations

from pathlib import Path

from sitegen.file_lock import FileLock, LockedError

__all__ = ["LOCK_NAME", "FetchLock", "LockedError"]

LOCK_NAME = "fetch.lock"


class FetchLock(FileLock):
    """`with FetchLock(folder): ...` holds `folder`/fetch.lock for the block; `took_over` is
    the pid a fetch that was killed (or lost its machine) left in the file."""

    def __init__(self, folder: Path, pid: int | None = None):
        super().__init__(Path(folder) / LOCK_NAME, self._busy, pid)

    @property
    def took_over(self) -> int | None:
        return self.previous

    def _busy(self, owner: int | None) -> str:
        who = f"pid {owner}" if owner is not None else "another process"
        return (f"another sitegen fetch ({who}) is running (it holds {self.path}); wait for it to finish, "
                "then fetch again")
