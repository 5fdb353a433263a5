"""The search index: Pagefind, run over the built HTML by `sitegen build`.

Placeholder kept deliberately small until the search issue lands: the bundle folder is owned
by Pagefind and never pruned by the writer.
"""

from __future__ import annotations

from pathlib import Path

BUNDLE = "pagefind"


def index_site(out_dir: Path, changed: bool) -> None:
    """Build the Pagefind bundle when pages changed or it is missing."""
    return None
