"""The output folder as a build finds and leaves it: what is in it, which of it is sitegen's,
what stands in the way of the planned pages, and what it weighs as published.

Only files sitegen wrote are ever replaced or removed (sitegen.write.ownership decides which);
the build's stages (sitegen.build) call these between planning and writing.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass, replace
from pathlib import Path

from sitegen.config.settings import Config
from sitegen.errors import disk_error
from sitegen.safe_fs import UnsafeFile, lstat_under, unlink_under
from sitegen.stamps import Stamp, stamp_of
from sitegen.write import ownership, writer


@dataclass
class OutputFolder:
    """output/ as this build found it, and what sitegen may do there."""

    path: Path
    existing: dict[str, Stamp]  # every file in it, with its stamp (writer.scan_tree)
    claim: ownership.Claim
    created: bool = False  # the build makes the folder: a failed build removes it again


def read_folder(out_dir: Path, config: Config, origin: str, force: bool, manifest: Path | None) -> OutputFolder:
    """What is in output/ and which of it is sitegen's (refusing a folder it may not build in)."""
    existing = writer.scan_tree(out_dir)
    claim = ownership.claim(out_dir, existing, force=force, origin=origin, manifest=manifest,
                            aside=caches_inside(config, out_dir))
    return OutputFolder(out_dir, existing, claim)


def marker_stamp(out_dir: Path) -> Stamp | None:
    """The stamp of the marker (sitegen's list of its files), None when there is none."""
    try:
        return stamp_of(os.lstat(out_dir / writer.MARKER))
    except FileNotFoundError:
        return None


def published_bytes(out_dir: Path, config: Config) -> int:
    """What output/ weighs as published: every file but caches configured inside it and
    hidden ones (the search records, the marker), which upload-pages-artifact leaves out."""
    aside = tuple(f"{rel}/" for rel in caches_inside(config, out_dir))
    return sum(stamp[1] for rel, stamp in writer.scan_tree(out_dir).items()
               if not rel.startswith(aside) and writer.is_published(rel))


def caches_inside(config: Config, out_dir: Path) -> list[str]:
    """Cache folders configured inside the output folder: never output, never pruned."""
    inside = []
    for cache in (config.build.cache, config.fetch.cache):
        if cache is not None and cache.resolve().is_relative_to(out_dir) and cache.resolve() != out_dir:
            inside.append(cache.resolve().relative_to(out_dir).as_posix())
    return inside


def settle_clashes(claim: ownership.Claim, keep: set[str], folders: set[str], force: bool,
                   out_dir: Path, origin: str) -> ownership.Claim:
    """Refuse to write over a file sitegen did not write, unless --force says to replace it."""
    clash = ownership.clashes(claim, keep, folders)
    if clash and not force:
        raise ownership.refuse_clash(out_dir, origin, clash[0])
    return replace(claim, files=claim.files | set(clash), foreign=claim.foreign - set(clash))


def remove_blockers(out_dir: Path, blockers: list[str], existing: dict[str, Stamp]) -> set[str]:
    """Remove sitegen's files that stand where this build needs a folder (or a file)."""
    for rel in blockers:  # shallowest first: a link standing for a folder goes before what is below it
        path = writer.safe_target(out_dir, rel)
        try:
            if not stat.S_ISDIR(lstat_under(out_dir, rel).st_mode):  # a folder there now is not sitegen's
                unlink_under(out_dir, rel)  # the file or link itself, never through a linked folder
        except (FileNotFoundError, UnsafeFile):
            pass  # gone, or behind a link (which is not sitegen's): nothing of sitegen's to remove
        except OSError as exc:
            raise disk_error(path, exc, "remove") from None
        existing.pop(rel, None)
    writer.remove_emptied(out_dir, blockers)
    return set(blockers)


def manifest_path(config: Config, out_dir: Path) -> Path | None:
    """Where the record of the last build into `out_dir` is kept (sitegen.write.manifest)."""
    if config.build.cache is None:
        return None
    # One manifest per output folder, so `--output elsewhere` never trusts another's record.
    tag = hashlib.sha1(str(out_dir).encode()).hexdigest()[:12]
    return config.build.cache / f"manifest-{tag}.pickle"
