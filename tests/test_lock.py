"""The fetch lock: exclusive, removed at exit, stale locks from dead pids taken over."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from sitegen.fetch.lock import LOCK_NAME, FetchLock, LockedError, pid_alive


def dead_pid() -> int:
    """The pid of a process that has certainly exited."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


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
    # A live process other than us holds it: our parent (pytest's launcher) is alive.
    (tmp_path / LOCK_NAME).write_text(f"{os.getppid()}\n")
    with pytest.raises(LockedError) as err:
        FetchLock(tmp_path).acquire()
    message = str(err.value)
    assert f"pid {os.getppid()}" in message and LOCK_NAME in message and "\n" not in message
    assert (tmp_path / LOCK_NAME).read_text() == f"{os.getppid()}\n"  # untouched


def test_two_locks_in_one_process(tmp_path):
    with FetchLock(tmp_path, pid=os.getppid()), pytest.raises(LockedError):
        FetchLock(tmp_path).acquire()


def test_stale_lock_of_dead_pid_is_taken_over(tmp_path):
    pid = dead_pid()
    assert not pid_alive(pid)
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


def test_release_keeps_a_lock_someone_else_took_over(tmp_path):
    lock = FetchLock(tmp_path)
    lock.acquire()
    (tmp_path / LOCK_NAME).write_text("1\n")  # as if another fetch replaced it
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
