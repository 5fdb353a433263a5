"""Pagefind's filter files in a fixed order, so the same pages give the same index bytes.

Pagefind (1.x) keeps filters in Rust HashMaps, whose order is seeded per process: the values
inside each `filter/*.pf_filter` file and the list of filter files in the `*.pf_meta` file come
out in a different order on every run, and the files are named by a hash of those bytes. Two
builds of the same pages then differ in every shard's filter files, meta file and
`pagefind-entry.json` (and a rebuild of a shard rewrites them for nothing). This puts them in
sorted order and names them by a hash of the sorted bytes, before the shard is synced into
output/.

The files are gzip-compressed CBOR behind a 12-byte signature, as Pagefind PAGEFIND_VERSION
writes them: pyproject.toml pins the `pagefind` and `pagefind-bin` packages to that version,
and a bundle another Pagefind wrote (its pagefind-entry.json names the version: another
binary on PATH or PAGEFIND_BINARY_PATH) is left exactly as Pagefind wrote it, with one warning
saying what to install: order is a nicety, search working is not.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import sys
from pathlib import Path

import cbor2

from sitegen.search.shards import ENTRY

PAGEFIND_VERSION = "1.5.2"  # the Pagefind whose files this reads; pyproject.toml pins it too
SIGNATURE = b"pagefind_dcd"
_warned: set[str] = set()  # versions already warned about in this process: one line a build
_FILTERS = 3  # the pf_meta field listing [filter name, file hash] pairs


def stabilise(bundle: Path) -> None:
    """Rewrite the filter and meta files of a freshly built bundle in sorted order.

    Everything is read and re-encoded first and only then written, so a bundle this cannot
    read is left whole, never half renamed."""
    try:
        entry = json.loads((bundle / ENTRY).read_text(encoding="utf-8"))
        if not _known_version(entry.get("version")):
            return
        writes: list[tuple[Path, Path, bytes]] = []
        for language in entry["languages"].values():
            language["hash"] = _plan_language(bundle, language["hash"], writes)
    except (OSError, ValueError, KeyError, TypeError, IndexError, cbor2.CBORError):
        return  # not the layout this knows: Pagefind's own bytes stay
    for old, new, data in writes:
        new.write_bytes(data)
        if new != old:
            old.unlink()
    (bundle / ENTRY).write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _known_version(version: object) -> bool:
    """Whether the bundle comes from the Pagefind this reads; warns (once) when it does not."""
    if version == PAGEFIND_VERSION:
        return True
    shown = str(version)[:40]
    if shown not in _warned:
        _warned.add(shown)
        print(f"sitegen: warning: the search index was written by Pagefind {shown}, and sitegen puts in order "
              f"the files of Pagefind {PAGEFIND_VERSION}: search works, but its filter files change on every "
              f"build; install pagefind[bin]=={PAGEFIND_VERSION} (`pip install -e .` does) or point "
              "PAGEFIND_BINARY_PATH at that version", file=sys.stderr)
    return False


def _plan_language(bundle: Path, meta_hash: str, writes: list[tuple[Path, Path, bytes]]) -> str:
    """Sort one language's filters into writes; return the new hash of its meta file."""
    meta_path = bundle / f"pagefind.{meta_hash}.pf_meta"
    meta = _read(meta_path)
    renamed: list[list] = []
    for name, file_hash in meta[_FILTERS]:
        old = bundle / "filter" / f"{file_hash}.pf_filter"
        filter_name, values = _read(old)
        data = _encode([filter_name, sorted(([v, sorted(pages)] for v, pages in values), key=lambda x: x[0])])
        new_hash = _name(file_hash, data, 7)
        writes.append((old, bundle / "filter" / f"{new_hash}.pf_filter", data))
        renamed.append([name, new_hash])
    meta[_FILTERS] = sorted(renamed, key=lambda x: x[0])
    data = _encode(meta)
    new_meta = _name(meta_hash, data, 10)
    writes.append((meta_path, bundle / f"pagefind.{new_meta}.pf_meta", data))
    return new_meta


def _read(path: Path):
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE):
        raise ValueError(f"{path.name}: not a Pagefind data file")
    return cbor2.loads(raw[len(SIGNATURE):])


def _encode(value) -> bytes:
    # mtime=0: gzip's header would otherwise carry the time of the build.
    return gzip.compress(SIGNATURE + cbor2.dumps(value), compresslevel=9, mtime=0)


def _name(old_hash: str, data: bytes, digits: int) -> str:
    """Pagefind's naming (language prefix, hex digits), from the sorted bytes."""
    prefix = old_hash.rsplit("_", 1)[0] if "_" in old_hash else ""
    digest = hashlib.sha256(data).hexdigest()[:digits]
    return f"{prefix}_{digest}" if prefix else digest

