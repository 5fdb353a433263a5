"""A digest of sitegen's own source, so caches written by other code are never trusted.

The version string alone is not enough: a `git pull` of sitegen that changes how a page is
rendered, without a release, must still re-render every page."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from sitegen import __version__


@lru_cache(maxsize=1)
def code_digest() -> str:
    h = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()
