"""The search index: Pagefind, run offline over the built paper pages by `sitegen build`.

Only paper pages are read (`--glob`), and on them only what `templates/paper.html` marks:
the article is `data-pagefind-body`, its facts, links and BibTeX are `data-pagefind-ignore`
(so title, authors and abstract are indexed) and its topic links are
`data-pagefind-filter="topic"`. The search page loads Pagefind's own UI from the bundle.

The bundle is built into a temporary folder and then synced into `output/pagefind/`: files
whose bytes did not change are not touched, stale ones are removed, and
`pagefind-entry.json` (which names the current index) is written last. Pagefind's output is
byte-stable for the same pages (fragment and index files are named by content hash), so a
rebuild that changed one paper rewrites only a few files of the bundle.

Search is an enhancement (pages and feeds are the product and work without it), so a
missing or failing Pagefind binary is a one-line warning and the site is built without
search, never a failed build; the search page then says search is unavailable.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

BUNDLE = "pagefind"
GLOB = "papers/*/index.html"  # paper pages only: nothing else is worth a search result
ENTRY = "pagefind-entry.json"
# Present while the bundle is being replaced; a bundle holding it is rebuilt next time even
# when no page changed (the build that wrote the pages was interrupted before indexing).
INCOMPLETE = ".sitegen-incomplete"
INSTALL_HINT = ("install it with `pip install 'pagefind[bin]'` (or point PAGEFIND_BINARY_PATH at a "
                "pagefind binary), or set `search = false` under [build] in sitegen.toml")


@dataclass(frozen=True)
class IndexResult:
    status: str  # "indexed", "skipped" (nothing changed) or "unavailable" (no working pagefind)
    written: int = 0
    removed: int = 0
    seconds: float = 0.0
    message: str = ""


def find_pagefind() -> Path | None:
    """The Pagefind executable: $PAGEFIND_BINARY_PATH, the pagefind_bin wheel, or PATH."""
    try:  # the `pagefind` package knows every place its binary may live
        from pagefind.service import get_executable
        exe = get_executable()
    except ImportError:
        exe = None
        try:
            from pagefind_bin import get_executable as bin_executable
            exe = bin_executable()
        except (ImportError, FileNotFoundError):
            found = shutil.which("pagefind_extended") or shutil.which("pagefind")
            exe = Path(found) if found else None
    return Path(exe) if exe else None


def index_site(out_dir: Path, changed: bool) -> IndexResult:
    """Build the Pagefind bundle in out_dir/pagefind/ when pages changed or it is missing."""
    out_dir = Path(out_dir)
    bundle = out_dir / BUNDLE
    if not changed and (bundle / ENTRY).is_file() and not (bundle / INCOMPLETE).exists():
        return IndexResult("skipped")
    start = time.perf_counter()
    exe = find_pagefind()
    if exe is None:
        return _unavailable(bundle, f"the Pagefind binary was not found; {INSTALL_HINT}")
    bundle.mkdir(parents=True, exist_ok=True)
    (bundle / INCOMPLETE).touch()
    with tempfile.TemporaryDirectory(prefix="sitegen-pagefind-") as tmp:
        fresh = Path(tmp) / BUNDLE
        cmd = [str(exe), "--site", str(out_dir), "--output-path", str(fresh), "--glob", GLOB, "--silent"]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, errors="replace",
                                  stdin=subprocess.DEVNULL)
        except OSError as exc:
            return _unavailable(bundle, f"cannot run Pagefind ({exe}: {exc.strerror or exc}); {INSTALL_HINT}")
        if proc.returncode != 0 or not (fresh / ENTRY).is_file():
            lines = [ln.strip() for ln in (proc.stderr + "\n" + proc.stdout).splitlines() if ln.strip()]
            why = lines[-1] if lines else f"exit status {proc.returncode}"
            return _unavailable(bundle, f"Pagefind failed ({exe}): {why}; {INSTALL_HINT}")
        written, removed = _sync(fresh, bundle)
    (bundle / INCOMPLETE).unlink(missing_ok=True)
    return IndexResult("indexed", written, removed, time.perf_counter() - start)


def _unavailable(bundle: Path, reason: str) -> IndexResult:
    """Warn in one line and leave the site without search (no stale or half-built bundle)."""
    message = f"sitegen: warning: search index not built: {reason}"
    print(message, file=sys.stderr)
    shutil.rmtree(bundle, ignore_errors=True)
    return IndexResult("unavailable", message=message)


def _files(folder: Path) -> dict[str, Path]:
    found = {}
    for dirpath, _, names in os.walk(folder):
        for name in names:
            path = Path(dirpath, name)
            found[path.relative_to(folder).as_posix()] = path
    return found


def _sync(fresh: Path, bundle: Path) -> tuple[int, int]:
    """Make bundle/ hold exactly fresh/'s files, writing only those whose bytes differ."""
    new, old = _files(fresh), _files(bundle)
    written = 0
    # The entry file points at the index files, so it is replaced after everything it names.
    for rel in sorted(new, key=lambda r: (r == ENTRY, r)):
        data = new[rel].read_bytes()
        target = bundle / rel
        if rel in old:
            try:
                if target.stat().st_size == len(data) and target.read_bytes() == data:
                    continue
            except OSError:
                pass
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".sitegen-tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)
        written += 1
    removed = 0
    for rel, path in old.items():
        if rel not in new and rel != INCOMPLETE:
            path.unlink(missing_ok=True)
            removed += 1
    for dirpath, dirnames, filenames in os.walk(bundle, topdown=False):
        if dirpath != str(bundle) and not dirnames and not filenames:
            try:
                os.rmdir(dirpath)
            except OSError:
                pass
    return written, removed
