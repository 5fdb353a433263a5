"""`sitegen build`: content/ -> site model -> rendered pages -> output/, in that order.

Everything is loaded and checked before anything is written; pages whose inputs did not
change since the last build are not rendered again; rendering uses every core. Only a folder
sitegen owns is written, and in it only sitegen's own files are replaced or pruned
(sitegen.ownership); a failure while writing is one line and leaves output/ as it was.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import jinja2

from sitegen.build import writer as output

from sitegen.build import ownership

from sitegen.build.search import index as search
from sitegen.config.settings import Config
from sitegen.build.load import load_entries, scan_snapshots
from sitegen.errors import SitegenError, disk_error
from sitegen.build.outputs.plan import PageSpec, plan_pages, render_spec
from sitegen.build.render import Renderer
from sitegen.build.site import Site, build_site

_PARALLEL_MIN = 300  # fewer pages than this render faster in one process


class RenderError(SitegenError):
    """A template failed while rendering a page (the page and template line are named)."""


@dataclass(frozen=True)
class BuildResult:
    papers: int
    topics: int
    files: int
    written: int
    unchanged: int
    removed: int
    seconds: float

    def summary(self) -> str:
        return (f"Built {self.papers} papers in {self.topics} topics -> {self.files} files "
                f"({self.written} written, {self.unchanged} unchanged, {self.removed} removed) "
                f"in {self.seconds:.2f} s")


def build(config: Config, output_dir: Path | None = None, workers: int | None = None,
          force: bool = False) -> BuildResult:
    """Build the site into build.output (or output_dir). `force` lets sitegen take over an
    output folder holding files it did not write (sitegen.ownership says which never)."""
    start = time.perf_counter()
    origin = "build.output"
    if output_dir is not None:
        config = replace(config, build=replace(config.build, output=Path(output_dir)))
        origin = "--output"
    out_dir = config.build.output.resolve()
    workers = workers or os.cpu_count() or 1
    renderer = Renderer(config)  # template syntax errors surface here, before any work
    ownership.check_location(out_dir, config, origin)
    files = scan_snapshots(config)
    inputs = hashlib.sha1(repr(sorted(files.items())).encode()).hexdigest()
    existing = output.scan_tree(out_dir)
    manifest_path = _manifest_path(config, out_dir)
    manifest = output.Manifest(manifest_path, renderer.fingerprint)
    index_ok = not config.build.search or search.index_complete(out_dir)
    if index_ok and manifest.up_to_date(inputs, existing):
        # Same snapshots, templates and config as the last build, and its files and marker
        # as it left them: nothing to write, so nothing to decide about the folder either.
        papers, topics = manifest.counts
        return BuildResult(papers, topics, len(manifest.pages), 0, len(manifest.pages), 0,
                           time.perf_counter() - start)
    claim = ownership.claim(out_dir, existing, force=force, origin=origin, manifest=manifest_path,
                            aside=_caches_inside(config, out_dir))
    entries = load_entries(config, workers, files)  # every bad snapshot is reported here
    site = build_site(config, entries)
    specs = plan_pages(site, renderer)
    keep = {s.path for s in specs}
    folders = {search.BUNDLE + "/"} if config.build.search else set()
    claim = _settle_clashes(claim, keep, folders, force, out_dir, origin)
    created = not out_dir.exists()
    leftovers = {rel for rel in existing if output.is_leftover(rel)}
    if leftovers:
        output.discard(out_dir)  # left by an interrupted build
        existing = {rel: st for rel, st in existing.items() if rel not in leftovers}
    gone = _remove_blockers(out_dir, ownership.blockers(claim, keep), existing)
    claim = replace(claim, files=claim.files - gone)
    todo = [s for s in specs if not manifest.is_current(s.path, s.fingerprint, existing)]
    # Listed before any page moves in, so a build killed halfway still owns what it wrote.
    claimed = output.marker_bytes(claim.files | keep, claim.folders | folders)
    marked = False
    try:
        staged = _render_and_stage(todo, site, renderer, out_dir, existing, workers)
        marked = output.write_marker(out_dir, claimed, claim.marker)
        output.commit(out_dir, staged, existing)
    except BaseException:
        if marked:
            output.restore_marker(out_dir, claim.marker)
        output.discard(out_dir, created, [s.path for s in todo])
        raise
    bundle = search.BUNDLE + "/"
    stale = {rel for rel in claim.files if rel not in keep and not rel.startswith(tuple(folders))}
    removed, kept = output.prune(out_dir, stale)
    removed += len(gone)
    try:
        if config.build.search:  # after pruning, so a removed (hidden) paper leaves the index too
            search.index_site(out_dir, staged + sorted(stale))
        elif bundle in claim.folders:
            search.remove_index(out_dir)
    except OSError as exc:
        raise disk_error(exc.filename or out_dir / search.BUNDLE, exc) from None
    if bundle in claim.folders and (out_dir / search.BUNDLE).exists():
        folders.add(bundle)  # not (all) removed: still sitegen's
    output.write_marker(out_dir, output.marker_bytes(keep | kept, folders), claimed if marked else claim.marker)
    written = set(staged)
    # The next build may skip everything only if nothing is left over for it to remove.
    exact = not kept and (config.build.search or bundle not in folders)
    manifest.save(out_dir, {s.path: s.fingerprint for s in specs}, existing, written, inputs,
                  (len(site.entries), len(config.topics)), marker_exact=exact)
    return BuildResult(len(site.entries), len(config.topics), len(specs), len(written),
                       len(specs) - len(written), removed, time.perf_counter() - start)


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
    for rel in blockers:
        path = output.safe_target(out_dir, rel)
        try:
            if path.is_symlink() or not path.is_dir():  # a folder there now is not what sitegen wrote
                os.unlink(path)
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise disk_error(path, exc, "remove") from None
        existing.pop(rel, None)
    output.remove_emptied(out_dir, blockers)
    return set(blockers)


def _manifest_path(config: Config, out_dir: Path) -> Path | None:
    if config.build.cache is None:
        return None
    # One manifest per output folder, so `--output elsewhere` never trusts another's record.
    tag = hashlib.sha1(str(out_dir).encode()).hexdigest()[:12]
    return config.build.cache / f"manifest-{tag}.pickle"


# Worker processes are forked with the site already in memory; a task is a slice of the to-do
# list kept here, so nothing big is pickled to the workers.
_STATE: tuple | None = None


def _render_and_stage(todo: list[PageSpec], site: Site, renderer: Renderer, out_dir: Path,
                      existing: dict, workers: int) -> list[str]:
    global _STATE
    _STATE = (todo, site, renderer, out_dir, existing)
    try:
        if len(todo) < _PARALLEL_MIN or workers == 1:
            return _stage_range((0, len(todo)))
        step = max(50, len(todo) // (workers * 8))
        ranges = [(i, min(i + step, len(todo))) for i in range(0, len(todo), step)]
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            return [rel for chunk in pool.map(_stage_range, ranges) for rel in chunk]
    finally:
        _STATE = None


def _stage_range(bounds: tuple[int, int]) -> list[str]:
    todo, site, renderer, out_dir, existing = _STATE
    staged = []
    for spec in todo[bounds[0]:bounds[1]]:
        try:
            data = render_spec(spec, site, renderer)
        except jinja2.TemplateError as exc:
            where = f"{exc.filename}:{exc.lineno}" if getattr(exc, "lineno", None) else "template"
            raise RenderError(f"{spec.path}: {where}: {exc.message}; fix the template and build again") from None
        if output.stage(out_dir, spec.path, data, existing):
            staged.append(spec.path)
    return staged
