"""What the tests of a hostile disk share: files outside the project that must stay untouched,
and sitegen run in a child process that a hang or a runaway read cannot take down with it."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MEMORY_LIMIT = 1 << 30  # a build of the shipped site needs far less; reading /dev/zero needs it all
TIMEOUT = 120  # seconds: generous for a busy machine; a FIFO read without it never ends


def make_outside(folder: Path) -> Path:
    """A folder of someone's files, outside the project: a text file, a YAML file whose key
    names are secrets of their own, and a subfolder with an index.html."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "notes.txt").write_text("my own notes, not sitegen's\n")
    (folder / "settings.yml").write_text("aws_secret_access_key: hunter2\nprivate_token_name: x\n")
    (folder / "sub").mkdir(exist_ok=True)
    (folder / "sub" / "index.html").write_text("<p>outside page</p>\n")
    return folder


def state(folder: Path) -> dict[str, tuple]:
    """Every entry under folder (and folder itself) with its bytes and mtime: equal before and
    after means nothing was written, truncated, deleted or added there."""
    found: dict[str, tuple] = {".": (None, folder.stat().st_mtime_ns)}
    for path in sorted(folder.rglob("*")):
        data = path.read_bytes() if path.is_file() and not path.is_symlink() else None
        found[path.relative_to(folder).as_posix()] = (data, path.lstat().st_mtime_ns)
    return found


def run_sitegen(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """`python -m sitegen ARGS` in a child with a memory limit and a timeout (either is a
    test failure: a hang on a FIFO, a read of /dev/zero into memory)."""
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    return subprocess.run([sys.executable, "-m", "sitegen", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=TIMEOUT, preexec_fn=limit, stdin=subprocess.DEVNULL)
