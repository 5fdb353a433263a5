"""The search index: Pagefind, run offline over each paper's search record by `sitegen build`.

Pagefind reads output/.sitegen-search/ (RECORDS) as the site: one record per paper page, at
the page's own path (papers/<id>/index.html), holding what search shows of the paper and the
marks Pagefind reads (templates/search-record.html, written by
sitegen.render.outputs.search_records). The folder is hidden, so GitHub Pages does not publish
it, and the published pages carry no search markup.

The index is split into shards by the year-month of the arXiv id (shards; a month of more than
shards.SPLIT_PAGES pages by blocks of 1000 ids): each shard is its own Pagefind bundle in
`output/pagefind/<YYMM>/`, and `output/pagefind/shards.json` lists them newest first. Pagefind
cannot update an index, and its time and memory grow with the pages it reads (measured:
benchmarks/README.md, Measurements behind the code), so one bundle for the whole site would be
rebuilt from scratch, in one ever larger process, for every new paper; shards bound both, and
only the shards whose paper pages this build wrote or removed (or whose bundle is missing or
incomplete) are indexed again. The search page (templates/static/search.js) loads Pagefind's
UI from the newest bundle, which alone keeps Pagefind's scripts, and merges the others
(`mergeIndex`), whose bundles keep only their index files.

Each shard is built into a work folder beside the bundles and then synced into place: files
whose bytes did not change are not touched, stale ones are removed, and `pagefind-entry.json`
(which names the current index) goes last. Pagefind's output is byte-stable for the same pages
(fragment and index files are named by content hash; filter files once stable_filters has put
them in order), so re-indexing a shard for one changed paper rewrites only a few of its files.
A shard whose indexing was interrupted keeps a marker and is indexed again by the next build; a
month with no papers left loses its shard.

Search is an enhancement (pages and feeds are the product and work without it), so a missing
or failing Pagefind binary is a one-line warning and the site is built without search, never a
failed build; the search page then says search is unavailable.

pagefind/ is sitegen's whole (the marker lists it as a folder), so a symbolic link in it, or
in its place, is not sitegen's: it is removed as a link before anything is indexed, written or
pruned there, and nothing is ever written or deleted through it (sitegen.safe_fs).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from sitegen import safe_fs
from sitegen.search import shards, stable_filters
from sitegen.search.shards import ENTRY, INCOMPLETE, UI_MARK
from sitegen.write import writer

BUNDLE = "pagefind"
RECORDS = ".sitegen-search"  # the folder in output/ that Pagefind reads as the site
SHARDS = "shards.json"
WORK = ".sitegen-work"  # fresh bundles are built here: inside output/, so moving them in is a rename
# Up to two Pagefind processes at once (the build machines have two cores), and never more
# pages at once than PAGE_BUDGET: a process's memory grows with its pages, so shards that big run
# one at a time and Pagefind stays under ~1 GB in all. Pagefind itself keeps more than one core
# busy, so two at once gain little on two cores (measured: benchmarks/README.md, Measurements behind the code).
WORKERS = 2
PAGE_BUDGET = 10_000
INSTALL_HINT = ("install it with `pip install 'pagefind[bin]'` (or point PAGEFIND_BINARY_PATH at a "
                "pagefind binary), or set `search = false` under [build] in sitegen.toml")


@dataclass(frozen=True)
class IndexResult:
    status: str  # "indexed", "skipped" (nothing changed) or "unavailable" (no working pagefind)
    written: int = 0
    removed: int = 0
    seconds: float = 0.0
    message: str = ""
    shards: tuple[str, ...] = ()  # the shards Pagefind indexed


class _Failed(Exception):
    """Pagefind could not index a shard; the message is the reason for the warning."""


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


def index_site(out_dir: Path, changed: Iterable[str] = ()) -> IndexResult:
    """Bring out_dir/pagefind/ up to date with the search records in out_dir/RECORDS/papers/.

    `changed` holds the output paths (relative, posix) this build wrote or removed; the
    shards of the records among them are indexed again, as is any shard whose bundle is
    missing, incomplete or from another Pagefind version."""
    out_dir = Path(out_dir)
    root = out_dir / BUNDLE
    prefix = RECORDS + "/"
    touched = {name for rel in changed if rel.startswith(prefix) and (name := shards.paper_folder(rel[len(prefix):]))}
    if not touched and _complete(root):
        return IndexResult("skipped")
    start = time.perf_counter()
    removed = safe_fs.remove_links(root)  # before the plan reads it: every later step meets real folders
    written = 0
    try:  # every shard Pagefind reads has its pages checked for links first (count_pages)
        counts, order, dirty, groups, folders = _plan(out_dir, root, touched)
        newest = order[0] if order else None
        if dirty:
            exe = find_pagefind()
            if exe is None:
                return _unavailable(root, f"the Pagefind binary was not found; {INSTALL_HINT}")
            written, r = _index(exe, out_dir, root, dirty, counts, newest, groups)
            removed += r
            # Merged bundles must come from the Pagefind that wrote the primary one.
            version = _version(root / dirty[0])
            behind = [s for s in order if s not in dirty and _version(root / s) != version]
            if behind:
                for s in behind:
                    shards.count_pages(out_dir / RECORDS, folders[s])
                w, r = _index(exe, out_dir, root, behind, counts, newest, groups)
                written, removed, dirty = written + w, removed + r, dirty + behind
    except (_Failed, shards.LinkedPage) as exc:
        return _unavailable(root, str(exc))
    root.mkdir(parents=True, exist_ok=True)
    for s in order[1:]:  # a bundle that was the newest until this build lends its UI no more
        removed += writer.remove_top_files(root / s, _is_ui_file)
    listing = json.dumps({"shards": order, "months": {g: groups[g] for g in order}}, indent=1).encode() + b"\n"
    written += writer.write_if_changed(root / SHARDS, listing)
    # Last, once shards.json no longer names them: months with no papers left, leftovers of an
    # interrupted build and the single bundle of sitegen versions before shards.
    for path in sorted(root.iterdir()):
        if path.name != SHARDS and path.name not in counts:
            removed += writer.remove_path(path)
    return IndexResult("indexed", written, removed, time.perf_counter() - start, shards=tuple(sorted(dirty)))


def remove_index(out_dir: Path) -> None:
    """`search = false`: no pagefind/ folder at all (not even an empty one)."""
    writer.remove_path(Path(out_dir) / BUNDLE)


def _plan(out_dir: Path, root: Path, pages: set[str]):
    """({shard: pages}, shards newest first, shards to index, {shard: units}, {shard: paper
    folders}): the shards holding a paper page this build wrote or removed (`pages`: their
    folder names), those whose units (months, or blocks of a big month) changed, and those whose
    bundle is missing, incomplete or (the newest) without Pagefind's UI."""
    months = shards.scan_pages(out_dir / RECORDS)
    split = shards.big_months(months)
    units = shards.units(months)
    groups = shards.coalesce({u: len(names) for u, names in units.items()})
    folders = {g: [n for u in us for n in units[u]] for g, us in groups.items()}
    before = _listed_months(root)
    touched = {shards.unit_of(name, m, split) for name in pages if (m := shards.folder_shard(name))}
    touched = {g for g, us in groups.items() if touched.intersection(us) or before.get(g) != us}
    counts = {s: len(names) for s, names in folders.items()}
    checked: set[str] = set()
    while True:
        order = shards.newest_first(counts)
        dirty = [s for s in order if s in touched or not _bundle_ok(root / s, s == order[0])]
        unchecked = [s for s in dirty if s not in checked]
        if not unchecked:
            return counts, order, dirty, groups, folders
        for s in unchecked:  # only shards to index are counted page by page
            checked.add(s)
            counts[s] = shards.count_pages(out_dir / RECORDS, folders[s])
            if not counts[s]:  # folders without their page (not left so by a build)
                del counts[s]


def index_complete(out_dir: Path) -> bool:
    """The bundles shards.json lists are all there and complete: a build with nothing to
    render can return without indexing."""
    return _complete(Path(out_dir) / BUNDLE)


# shards.json lists every month with papers (~5 bytes each) and Pagefind's entry file names
# its chunks: both are a few KB. Read no more than this of either (and not through a link).
_JSON_CAP = 10_000_000


def _read_json(path: Path):
    return json.loads(safe_fs.read_regular_file(path, _JSON_CAP, path.name))


def _listed_months(root: Path) -> dict[str, list[str]]:
    """{shard: months} as the last build wrote them to shards.json."""
    try:
        listed = _read_json(root / SHARDS).get("months", {})
    except (OSError, ValueError, AttributeError):
        return {}
    return listed if isinstance(listed, dict) else {}


def _complete(root: Path) -> bool:
    """The bundles shards.json lists are all there and complete (checked without a scan of papers/).
    A link in the way (pagefind/ itself, a bundle, its entry) makes it incomplete: indexed again."""
    if safe_fs.is_link(root):
        return False
    try:
        listed = _read_json(root / SHARDS)["shards"]
    except (OSError, ValueError, KeyError, TypeError):
        return False
    if os.path.lexists(root / WORK) or not isinstance(listed, list):
        return False
    return all(isinstance(s, str) and shards.is_shard(s) and _bundle_ok(root / s, i == 0)
               for i, s in enumerate(listed))


def _bundle_ok(bundle: Path, primary: bool) -> bool:
    is_file = safe_fs.is_regular  # a link to a file is no file of the bundle's
    return (not safe_fs.is_link(bundle) and is_file(bundle / ENTRY) and not os.path.lexists(bundle / INCOMPLETE)
            and (not primary or is_file(bundle / UI_MARK)))


def _version(bundle: Path) -> str | None:
    try:
        return _read_json(bundle / ENTRY).get("version")
    except (OSError, ValueError, AttributeError):
        return None


def _index(exe: Path, out_dir: Path, root: Path, todo: list[str], counts: dict[str, int],
           newest: str | None, groups: dict[str, list[str]]) -> tuple[int, int]:
    """Index the shards in todo, up to WORKERS at once within PAGE_BUDGET; raise _Failed."""
    pending = sorted(todo, key=lambda s: (-counts[s], s))  # biggest first: the best packing
    running: dict = {}
    written = removed = 0
    failure: _Failed | None = None
    with ThreadPoolExecutor(WORKERS) as pool:
        while running or (pending and failure is None):
            for s in list(pending):
                if failure is not None or len(running) >= WORKERS:
                    break
                if running and sum(running.values()) + counts[s] > PAGE_BUDGET:
                    continue
                pending.remove(s)
                running[pool.submit(_index_shard, exe, out_dir, root, s, groups[s], s == newest)] = counts[s]
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                del running[future]
                try:
                    w, r = future.result()
                    written, removed = written + w, removed + r
                except _Failed as exc:
                    failure = failure or exc
    if failure is not None:
        raise failure
    return written, removed


# Why the CLI with one --glob per shard and not the Python API (`pagefind.index.PagefindIndex`,
# add_html_file): the API's service round trips made it two orders of magnitude slower on one
# month's pages (measured: benchmarks/README.md, Measurements behind the code); the glob also means sitegen
# never reads the pages itself.
def _index_shard(exe: Path, out_dir: Path, root: Path, shard: str, months: list[str],
                 primary: bool) -> tuple[int, int]:
    bundle, fresh = root / shard, root / WORK / shard
    safe_fs.make_folders(root.parent, Path(BUNDLE, shard))  # a link on the way: refused, not followed
    safe_fs.make_folders(root.parent, Path(BUNDLE, WORK))
    os.close(safe_fs.open_nofollow(bundle / INCOMPLETE, os.O_WRONLY | os.O_CREAT))
    writer.remove_path(fresh)
    cmd = [str(exe), "--site", str(out_dir / RECORDS), "--output-path", str(fresh), "--glob", shards.glob(months),
           "--silent"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, errors="replace", stdin=subprocess.DEVNULL)
    except OSError as exc:
        raise _Failed(f"cannot run Pagefind ({exe}: {exc.strerror or exc}); {INSTALL_HINT}") from None
    if proc.returncode != 0 or not (fresh / ENTRY).is_file():
        # Pagefind is installed and ran: "install it" would send the user the wrong way.
        raise _Failed(f"Pagefind failed on the pages of shard {shard} ({exe}, exit status {proc.returncode}): "
                      f"{_reason(proc.stderr + chr(10) + proc.stdout)}; the site is built without search. Fix "
                      "what it names and build again; if it names nothing of yours, report it to sitegen")
    stable_filters.stabilise(fresh)
    written, removed = writer.sync_folder(fresh, bundle, lambda rel: primary or shards.is_index_file(rel),
                                         last=ENTRY, spare=INCOMPLETE)
    writer.remove_path(fresh)
    (bundle / INCOMPLETE).unlink(missing_ok=True)
    return written, removed


def _reason(output: str) -> str:
    """The line of Pagefind's output that says what failed, cut to one short line: its error
    or panic line (a panic ends with a note about RUST_BACKTRACE, which says nothing), else
    its last line."""
    lines = [" ".join(ln.split()) for ln in output.splitlines() if ln.strip()]
    named = [ln for ln in lines if "panicked" in ln or ln.lower().startswith(("error", "thread"))]
    why = (named or lines or ["no message"])[0 if named else -1]
    return why if len(why) <= 300 else why[:300] + "…"


def _unavailable(root: Path, reason: str) -> IndexResult:
    """Warn in one line and leave the site without search (no stale or half-built bundle)."""
    message = f"sitegen: warning: search index not built: {reason}"
    print(message, file=sys.stderr)
    writer.remove_path(root)
    return IndexResult("unavailable", message=message)


def _is_ui_file(name: str) -> bool:
    """Pagefind's scripts and styles: only the newest (primary) bundle keeps them."""
    return name != INCOMPLETE and not shards.is_index_file(name)
