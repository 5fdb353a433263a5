"""A digest of sitegen's own source and of the libraries that shape its output, so caches
written by other code are never trusted.

The version string alone is not enough: a `git pull` of sitegen that changes how a page is
rendered, without a release, or an upgraded latex2mathml or nh3, must re-render every page."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from sitegen import __version__


@lru_cache(maxsize=1)
def code_digest() -> str:
    h = hashlib.sha256(__version__.encode())
    # All of sitegen, not only the build: topic rules (sitegen/topics.py, the taxonomy data)
    # decide which pages exist, and parsed entries keep the topics they were matched to.
    package = Path(__file__).resolve().parent
    for path in sorted([*package.rglob("*.py"), *package.glob("data/*.json")]):
        h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    for name in OUTPUT_LIBRARIES:
        try:
            h.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name}=none".encode())
    return h.hexdigest()


# Libraries whose output ends up in pages or feeds.
OUTPUT_LIBRARIES = ("jinja2", "markupsafe", "markdown", "nh3", "latex2mathml", "feedgen", "pyyaml")
