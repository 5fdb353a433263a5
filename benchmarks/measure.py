"""Run one command in a fresh process and measure it: wall and CPU seconds, peak memory per process.

CPU is user+sys of the process and every descendant it waited for (os.wait4, as /usr/bin/time
reports it), so worker processes and Pagefind count. Memory comes from two places:

- the exact peaks the kernel keeps: the process's own (the build prints its RUSAGE_SELF and
  RUSAGE_CHILDREN maxima on stderr as "@@rss SELF CHILDREN", see build.py's WRAPPER) and, for
  any command, the child's ru_maxrss from wait4;
- a sampler thread reading /proc every SAMPLE seconds while the command runs: the peak RSS of
  each descendant by kind (Python workers, Pagefind) and the peak of the whole tree's PSS at one
  instant (proportional set size: a page shared by forked workers counts once in all, so the
  sum is what the machine really holds; summed RSS would count it once per worker).

Sampling can miss a peak shorter than SAMPLE; the kernel's maxima cannot.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

SAMPLE = 0.05


@dataclass
class Peaks:
    kinds: dict[str, float] = field(default_factory=dict)  # "worker" / "pagefind" / ... -> MB
    tree_pss: float = 0.0  # MB, the whole tree at one instant
    tree_rss: float = 0.0


@dataclass
class Run:
    wall: float
    cpu: float
    returncode: int
    text: str  # stdout and stderr, interleaved
    maxrss_mb: float  # the child's own peak (wait4), its waited-for children included
    peaks: Peaks


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat", "rb") as f:
                    stat = f.read()
            except OSError:
                continue
            ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
            tree.setdefault(ppid, []).append(int(name))
    return tree


def _descendants(root: int) -> list[int]:
    tree, out, todo = _children(), [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += tree.get(pid, [])
    return out


def _memory(pid: int) -> tuple[str, float, float] | None:
    """(command name, RSS MB, PSS MB) of a live process, or None when it is gone."""
    try:
        with open(f"/proc/{pid}/comm") as f:
            comm = f.read().strip()
        with open(f"/proc/{pid}/smaps_rollup") as f:
            rollup = f.read()
    except OSError:
        return None
    values = {}
    for line in rollup.splitlines()[1:]:
        key, _, rest = line.partition(":")
        if key in ("Rss", "Pss"):
            values[key] = int(rest.split()[0]) / 1024
    return comm, values.get("Rss", 0.0), values.get("Pss", 0.0)


def tree_pss_mb(root: int) -> float:
    """PSS (MB) of root and all its descendants now (processes already gone count 0)."""
    return sum(found[2] for pid in _descendants(root) if (found := _memory(pid)) is not None)


def _kind(pid: int, root: int, comm: str) -> str:
    if pid == root:
        return "main"
    return "pagefind" if "pagefind" in comm else "worker" if comm.startswith("python") else comm


def _sample(root: int, peaks: Peaks, stop: threading.Event) -> None:
    while not stop.wait(SAMPLE):
        pss = rss = 0.0
        for pid in _descendants(root):
            found = _memory(pid)
            if found is None:
                continue
            comm, r, p = found
            kind = _kind(pid, root, comm)
            peaks.kinds[kind] = max(peaks.kinds.get(kind, 0.0), r)
            pss, rss = pss + p, rss + r
        peaks.tree_pss, peaks.tree_rss = max(peaks.tree_pss, pss), max(peaks.tree_rss, rss)


def run(cmd: list[str], cwd: Path, log: Path, env: dict[str, str] | None = None) -> Run:
    """Run cmd in cwd (output to log, then read back; `env`: its environment, default ours) and measure it."""
    peaks, stop = Peaks(), threading.Event()
    with open(log, "w+") as f:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=f, stderr=subprocess.STDOUT, cwd=cwd, env=env)
        sampler = threading.Thread(target=_sample, args=(proc.pid, peaks, stop), daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        stop.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        f.seek(0)
        text = f.read()
    return Run(wall, usage.ru_utime + usage.ru_stime, proc.returncode, text, usage.ru_maxrss / 1024, peaks)
