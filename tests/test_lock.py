"""The fetch lock: exclusive (flock alone), removed at exit; a lock file left behind never
blocks, whatever pid it names; a link at its name is refused, never written through."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sitegen.fetch.lock import LOCK_NAME, FetchLock, LockedError

REPO = Path(__file__).resolve().parent.parent
_HOLD = """import sys
from pathlib import Path
from sitegen.fetch.lock import FetchLock
with FetchLock(Path(sys.argv[1])):
    print("held", flush=True)
    sys.stdin.read()
"""


def dead_pid() -> int:
    """The pid of a process that has certainly exited."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@contextlib.contextmanager
def held_by_another_process(folder: Path):
    """Another process holding the fetch lock in folder until the block ends; yields its pid."""
    child = subprocess.Popen([sys.executable, "-c", _HOLD, str(folder)], cwd=REPO, stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "held"
        yield child.pid
    finally:
        child.stdin.close()
        child.wait(timeout=30)


def test_lock_holds_pid_and_is_removed(tmp_path):
    with FetchLock(tmp_path / "content") as lock:
        assert (tmp_path / "content" / LOCK_NAME).read_text() == f"{os.getpid()}\n"
        assert lock.took_over is None
    assert not (tmp_path / "content" / LOCK_NAME).exists()


def test_lock_removed_when_block_raises(tmp_path):
    with pytest.raises(RuntimeError), FetchLock(tmp_path):
        raise RuntimeError("boom")
    assert not (tmp_path / LOCK_NAME).exists()


def test_second_lock_is_refused_with_one_line_message(tmp_path):
    with held_by_another_process(tmp_path) as pid:
        with pytest.raises(LockedError) as err:
            FetchLock(tmp_path).acquire()
        message = str(err.value)
        assert f"another sitegen fetch (pid {pid}) is running" in message
        assert LOCK_NAME in message and "\n" not in message
        assert (tmp_path / LOCK_NAME).read_text() == f"{pid}\n"  # untouched
    assert not (tmp_path / LOCK_NAME).exists()  # its holder removed it


def test_a_stale_lock_naming_a_live_process_does_not_block(tmp_path):
    # A lock file no one holds, naming a process that runs (our parent): a fetch killed long
    # ago whose pid was reused. The flock is free, so the lock is free.
    (tmp_path / LOCK_NAME).write_text(f"{os.getppid()}\n")
    with FetchLock(tmp_path) as lock:
        assert lock.took_over == os.getppid()
        assert (tmp_path / LOCK_NAME).read_text() == f"{os.getpid()}\n"
    assert not (tmp_path / LOCK_NAME).exists()


def test_a_link_at_the_lock_is_refused_and_its_target_untouched(tmp_path):
    outside = tmp_path / "elsewhere" / "notes.txt"
    outside.parent.mkdir()
    outside.write_text("my notes\n")
    before = outside.stat()
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / LOCK_NAME).symlink_to(outside)
    with pytest.raises(LockedError) as err:
        FetchLock(folder).acquire()
    message = str(err.value)
    assert f"the lock file {folder / LOCK_NAME} is a symbolic link" in message and "\n" not in message
    assert outside.read_text() == "my notes\n" and outside.stat().st_mtime_ns == before.st_mtime_ns
    assert (folder / LOCK_NAME).is_symlink()


@pytest.mark.parametrize("kind", ["fifo", "hard link"])
def test_a_lock_file_that_is_no_file_of_its_own_is_refused(tmp_path, kind):
    outside = tmp_path / "notes.txt"
    outside.write_text("my notes\n")
    folder = tmp_path / "cache"
    folder.mkdir()
    if kind == "fifo":
        os.mkfifo(folder / LOCK_NAME)
    else:
        os.link(outside, folder / LOCK_NAME)
    with pytest.raises(LockedError, match="not a file of its own; delete it and run again"):
        FetchLock(folder).acquire()
    assert outside.read_text() == "my notes\n"


def test_two_locks_in_one_process(tmp_path):
    with FetchLock(tmp_path, pid=os.getppid()), pytest.raises(LockedError):
        FetchLock(tmp_path).acquire()


def test_stale_lock_of_dead_pid_is_taken_over(tmp_path):
    pid = dead_pid()
    (tmp_path / LOCK_NAME).write_text(f"{pid}\n")
    with FetchLock(tmp_path) as lock:
        assert lock.took_over == pid
        assert (tmp_path / LOCK_NAME).read_text() == f"{os.getpid()}\n"
    assert not (tmp_path / LOCK_NAME).exists()


def test_garbled_lock_is_taken_over(tmp_path):
    (tmp_path / LOCK_NAME).write_text("")
    with FetchLock(tmp_path):
        pass
    assert not (tmp_path / LOCK_NAME).exists()


def test_release_keeps_a_file_someone_put_at_the_lock_since(tmp_path):
    lock = FetchLock(tmp_path)
    lock.acquire()
    (tmp_path / LOCK_NAME).unlink()
    (tmp_path / LOCK_NAME).write_text("1\n")  # a new file, not the one locked
    lock.release()
    assert (tmp_path / LOCK_NAME).read_text() == "1\n"


def test_unusable_folder_is_a_clear_error(tmp_path):
    (tmp_path / "content").write_text("a file where the content folder should be")
    with pytest.raises(LockedError) as err:
        FetchLock(tmp_path / "content").acquire()
    assert "writable" in str(err.value) and "\n" not in str(err.value)


def test_a_lock_held_before_its_pid_is_written_is_refused(tmp_path):
    import fcntl

    # Fetch A has created and locked the file but not yet written its pid.
    fd = os.open(tmp_path / LOCK_NAME, os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        with pytest.raises(LockedError, match="another process"):
            FetchLock(tmp_path).acquire()
        assert (tmp_path / LOCK_NAME).exists()
    finally:
        os.close(fd)
