"""File stamps of a folder tree: how a build tells what changed without reading any file."""

from __future__ import annotations

import os
from pathlib import Path

Stamp = tuple[int, int, int]  # (mtime_ns, size, ctime_ns)


def stamp_of(st: os.stat_result) -> Stamp:
    return (st.st_mtime_ns, st.st_size, st.st_ctime_ns)


def stamps(folder: Path | str, suffix: str = "", every_link: bool = False) -> dict[str, Stamp]:
    """{path: (mtime_ns, size, ctime_ns)} of every file under folder ending in suffix, at any depth.

    ctime is there because mtime can be set back (`cp -p`, `rsync -t`, `tar x`) or not move
    within one clock tick; no program can set ctime, and every write moves it.

    A symbolic link is an entry of its own, stamped as the link (lstat), never followed into:
    a page or snapshot swapped for a link reads as changed. `every_link` lists every link that
    is not hidden whatever its name, for a caller that refuses them (content/).

    os.scandir gives each entry's type without a stat, so a 100k-file tree costs one stat a
    file. Hidden files (editor and temp files) are left out only when a suffix is asked for."""
    found: dict[str, Stamp] = {}
    stack = [str(folder)]
    while stack:
        try:
            it = os.scandir(stack.pop())
        except (FileNotFoundError, NotADirectoryError):
            continue
        with it:
            for d in it:
                if d.is_dir(follow_symlinks=False):
                    stack.append(d.path)
                elif not suffix or (not d.name.startswith(".")
                                    and (d.name.endswith(suffix) or (every_link and d.is_symlink()))):
                    found[d.path] = stamp_of(d.stat(follow_symlinks=False))
    return found
