"""Giving the site model's memory back to the system once the pages are written.

On a big site the entries, the site model and the page plan are most of the build process's
memory, and what runs after the pages are written (Pagefind, one or two processes of its own)
needs none of it (measured: benchmarks/README.md, Measurements behind the code). Dropping the
last references is not enough for the memory to leave the process: the per-site caches of the
output units hold the site too (each unit names its own: `Output.caches`), and glibc keeps
freed heap pages unless asked to return them (sitegen.site.heap).
"""

from __future__ import annotations

import gc

from sitegen.render.outputs.registry import clear_caches
from sitegen.site.heap import trim_heap


def release_site_memory() -> None:
    """Forget the caches that hold a site, collect, and return free heap pages to the system.
    Call it after the caller dropped its own references to the site."""
    clear_caches()
    gc.collect()
    trim_heap()
