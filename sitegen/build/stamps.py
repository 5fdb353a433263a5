"""File stamps of a folder tree: how a build tells what changed without reading any file."""

from __future__ import annotations

import os
from pathlib import Path

Stamp = tuple[int, int, int]  # (mtime_ns, size, ctime_ns)


def stamp_of(st: os.stat_result) -> Stamp:
    return (st.st_mtime_ns, st.st_size, st.st_ctime_ns)


def stamps(folder: Path | str, suffix: str = "") -> dict[str, Stamp]:
    """{path: (mtime_ns, size, ctime_ns)} of every file under folder ending in suffix, at any depth.

    ctime is there because mtime can be set back (`cp -p`, `rsync -t`, `tar x`) or not move
    within one clock tick; no program can set ctime, and every write moves it.

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
                elif not suffix or (d.name.endswith(suffix) and not d.name.startswith(".")):
                    try:
                        st = d.stat()
                    except FileNotFoundError:  # a link to nothing: the link itself
                        st = d.stat(follow_symlinks=False)
                    found[d.path] = stamp_of(st)
    return found
