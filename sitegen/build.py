"""`sitegen build`: content/ -> site model -> rendered pages -> output/, in that order.

Everything is loaded and checked before anything is written; pages whose inputs did not
change since the last build are not rendered again; rendering uses every core. Only a folder
sitegen owns is written, and in it only sitegen's own files are replaced or pruned
(sitegen.write.ownership); a failure while writing is one line and leaves output/ as it was.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from dataclasses import dataclass, replace
from pathlib import Path

from sitegen.config.settings import Config
from sitegen.errors import disk_error
from sitegen.file_lock import FileLock
from sitegen.render.memory import release_site_memory
from sitegen.render.outputs.registry import plan_pages
from sitegen.render.renderer import Renderer
from sitegen.render.staging import render_and_stage
from sitegen.safe_fs import UnsafeFile, lstat_under, unlink_under
from sitegen.search import index as search_index
from sitegen.site import retention
from sitegen.site.checks import build_warnings
from sitegen.site.load import load_entries, scan_snapshots
from sitegen.site.model import build_site
from sitegen.site.related import related_papers
from sitegen.stamps import Stamp, stamp_of
from sitegen.write import marker, ownership, writer
from sitegen.write.lock import build_lock
from sitegen.write.manifest import Counts, Manifest


@dataclass(frozen=True)
class BuildResult:
    papers: int
    topics: int
    files: int
    written: int
    unchanged: int
    removed: int
    seconds: float
    warnings: tuple[str, ...] = ()  # one line each, for stderr (sitegen.site.checks)
    unmatched: int = 0
    hidden: int = 0

    def summary(self) -> str:
        return (f"Built {self._papers()} -> {self.files} files "
                f"({self.written} written, {self.unchanged} unchanged, {self.removed} removed) "
                f"in {self.seconds:.2f} s")

    def _papers(self) -> str:
        """"212 papers in 5 topics", or, when snapshots were left off the site, how many and
        why: "212 of 297 papers in 5 topics (78 match no topic: see [build] publish_unmatched;
        7 hidden)"."""
        left = self.unmatched + self.hidden
        if not left:
            return f"{self.papers} papers in {self.topics} topics"
        why = ([f"{self.unmatched} match no topic: see [build] publish_unmatched"] if self.unmatched else []) + (
            [f"{self.hidden} hidden"] if self.hidden else [])
        return f"{self.papers} of {self.papers + left} papers in {self.topics} topics ({'; '.join(why)})"


def build(config: Config, output_dir: Path | None = None, workers: int | None = None,
          force: bool = False) -> BuildResult:
    """Build the site into build.output (or output_dir). `force` lets sitegen take over an
    output folder holding files it did not write (sitegen.write.ownership says which never)."""
    start = time.perf_counter()
    origin = "build.output"
    if output_dir is not None:
        config = replace(config, build=replace(config.build, output=Path(output_dir)))
        origin = "--output"
    out_dir = config.build.output.resolve()
    workers = workers or os.cpu_count() or 1
    renderer = Renderer(config, check=False)  # templates read and fingerprinted, compiled below
    ownership.check_location(out_dir, config, origin)
    lock = build_lock(config, out_dir)  # one build at a time per output folder, serve's rebuilds too
    try:
        return _build(config, out_dir, origin, renderer, workers, force, start, lock)
    finally:
        lock.release()


def _build(config: Config, out_dir: Path, origin: str, renderer: Renderer, workers: int, force: bool,
           start: float, lock: FileLock) -> BuildResult:
    files = scan_snapshots(config)
    # The size limit decides which pages exist (sitegen.site.retention), so a new limit is a
    # new input even when no snapshot changed; each page's own fingerprint covers the rest.
    inputs = hashlib.sha1(repr((sorted(files.items()), config.build.max_site_mb)).encode()).hexdigest()
    manifest_path = _manifest_path(config, out_dir)
    manifest = Manifest(manifest_path, renderer.fingerprint)
    index_ok = not config.build.search or search_index.index_complete(out_dir)
    if index_ok and manifest.up_to_date(inputs, out_dir):
        # Same snapshots, templates and config as the last build, and its files and marker
        # as it left them: nothing to write, so nothing to decide about the folder either.
        counts = manifest.counts
        return BuildResult(counts.papers, counts.topics, len(manifest.pages), 0, len(manifest.pages), 0,
                           time.perf_counter() - start, manifest.warnings, counts.unmatched, counts.hidden)
    renderer.check_templates()  # a template syntax error stops the build here, before any work
    existing = writer.scan_tree(out_dir)
    claim = ownership.claim(out_dir, existing, force=force, origin=origin, manifest=manifest_path,
                            aside=_caches_inside(config, out_dir))
    # Taken here, before the first write (the parse cache, then output/): a build refused above
    # leaves no trace, not even the lock's folder. A build that ended since the scan above
    # rewrote the marker if it changed which files are sitegen's: then output/ is read again.
    lock.acquire()
    if _marker_stamp(out_dir) != existing.get(writer.MARKER):
        existing = writer.scan_tree(out_dir)
        claim = ownership.claim(out_dir, existing, force=force, origin=origin, manifest=manifest_path,
                                aside=_caches_inside(config, out_dir))
    entries = load_entries(config, workers, files)  # every bad snapshot is reported here
    site = build_site(config, entries)
    site = replace(site, related=related_papers(site.entries, config.build.cache))
    site = retention.retire_oldest_days(site)  # [build] max_site_mb: the cut, from the input alone
    renderer.retired = site.retired
    specs = plan_pages(site, renderer)
    keep = {s.path for s in specs}
    folders = {search_index.BUNDLE + "/"} if config.build.search else set()
    claim = _settle_clashes(claim, keep, folders, force, out_dir, origin)
    created = not out_dir.exists()
    leftovers = {rel for rel in existing if writer.is_leftover(rel)}
    if leftovers:
        writer.discard(out_dir)  # left by an interrupted build
        existing = {rel: st for rel, st in existing.items() if rel not in leftovers}
    gone = _remove_blockers(out_dir, ownership.blockers(claim, keep), existing)
    claim = replace(claim, files=claim.files - gone)
    todo = [s for s in specs if not manifest.is_current(s.path, s.fingerprint, existing)]
    # Listed before any page moves in, so a build killed halfway still owns what it wrote.
    claimed = marker.marker_bytes(claim.files | keep, claim.folders | folders)
    marked = False
    try:
        staged = render_and_stage(todo, site, renderer, out_dir, existing, workers)
        marked = marker.write_marker(out_dir, claimed, claim.marker)
        writer.commit(out_dir, staged, existing)
    except BaseException:
        if marked:
            marker.restore_marker(out_dir, claim.marker)
        writer.discard(out_dir, created, [s.path for s in todo])
        raise
    bundle = search_index.BUNDLE + "/"
    stale = {rel for rel in claim.files if rel not in keep and not rel.startswith(tuple(folders))}
    removed, kept = writer.prune(out_dir, stale)
    warnings, counts = build_warnings(site), Counts.of(config, entries, len(site.entries))
    size = retention.size_facts(site)
    fingerprints = {s.path: s.fingerprint for s in specs}
    del entries, site, specs, todo  # the pages are written: Pagefind runs without the site in memory
    release_site_memory()
    removed += len(gone)
    try:
        if config.build.search:  # after pruning, so a removed (hidden) paper leaves the index too
            search_index.index_site(out_dir, staged + sorted(stale))
        elif bundle in claim.folders:
            search_index.remove_index(out_dir)
    except OSError as exc:
        raise disk_error(exc.filename or out_dir / search_index.BUNDLE, exc) from None
    if bundle in claim.folders and (out_dir / search_index.BUNDLE).exists():
        folders.add(bundle)  # not (all) removed: still sitegen's
    marker.write_marker(out_dir, marker.marker_bytes(keep | kept, folders), claimed if marked else claim.marker)
    written = set(staged)
    # The next build may skip everything only if nothing is left over for it to remove.
    exact = not kept and (config.build.search or bundle not in folders)
    if size.worth_measuring:
        warnings += retention.size_warnings(size, _published_bytes(out_dir, config))
    manifest.save(out_dir, fingerprints, existing, written, inputs, counts, marker_exact=exact, warnings=warnings)
    return BuildResult(counts.papers, counts.topics, len(fingerprints), len(written), len(fingerprints) - len(written),
                       removed, time.perf_counter() - start, warnings, counts.unmatched, counts.hidden)


def _marker_stamp(out_dir: Path) -> Stamp | None:
    try:
        return stamp_of(os.lstat(out_dir / writer.MARKER))
    except FileNotFoundError:
        return None


def _published_bytes(out_dir: Path, config: Config) -> int:
    """What output/ weighs as published: every file but caches configured inside it and
    hidden ones (the search records, the marker), which upload-pages-artifact leaves out."""
    aside = tuple(f"{rel}/" for rel in _caches_inside(config, out_dir))
    return sum(stamp[1] for rel, stamp in writer.scan_tree(out_dir).items()
               if not rel.startswith(aside) and writer.is_published(rel))


def _caches_inside(config: Config, out_dir: Path) -> list[str]:
    """Cache folders configured inside the output folder: never output, never pruned."""
    inside = []
    for cache in (config.build.cache, config.fetch.cache):
        if cache is not None and cache.resolve().is_relative_to(out_dir) and cache.resolve() != out_dir:
            inside.append(cache.resolve().relative_to(out_dir).as_posix())
    return inside


def _settle_clashes(claim: ownership.Claim, keep: set[str], folders: set[str], force: bool,
                    out_dir: Path, origin: str) -> ownership.Claim:
    """Refuse to write over a file sitegen did not write, unless --force says to replace it."""
    clash = ownership.clashes(claim, keep, folders)
    if clash and not force:
        raise ownership.refuse_clash(out_dir, origin, clash[0])
    return replace(claim, files=claim.files | set(clash), foreign=claim.foreign - set(clash))


def _remove_blockers(out_dir: Path, blockers: list[str], existing: dict) -> set[str]:
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


def _manifest_path(config: Config, out_dir: Path) -> Path | None:
    if config.build.cache is None:
        return None
    # One manifest per output folder, so `--output elsewhere` never trusts another's record.
    tag = hashlib.sha1(str(out_dir).encode()).hexdigest()[:12]
    return config.build.cache / f"manifest-{tag}.pickle"
