"""Returning the heap's free pages to the system (glibc's malloc_trim).

Freed memory normally stays with the process: glibc keeps freed heap pages for later, and
numpy's temporaries of a few MB to tens of MB come from the heap once glibc has raised its
mmap threshold. After a phase that makes and drops hundreds of MB (related papers on a big
site; the site model before Pagefind runs), asking glibc to give the free pages back lowers
what the build holds from then on, and what its forked workers inherit (measured:
benchmarks/README.md, Measurements behind the code).
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import lru_cache


def trim_heap() -> None:
    """Give the heap's free pages back to the system; nothing where libc is not glibc."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@lru_cache(maxsize=1)
def _malloc_trim():
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):  # not glibc: no such function
        return None
