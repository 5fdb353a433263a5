"""`sitegen build`: content/ -> site model -> rendered pages -> output/, in that order.

Everything is loaded and checked before anything is written; pages whose inputs did not
change since the last build are not rendered again; rendering uses every core.
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

from sitegen import output, search
from sitegen.config import Config
from sitegen.content import load_entries, scan_snapshots
from sitegen.errors import SitegenError
from sitegen.pages import PageSpec, plan_pages, render_spec
from sitegen.render import Renderer
from sitegen.site import Site, build_site

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


def build(config: Config, output_dir: Path | None = None, workers: int | None = None) -> BuildResult:
    start = time.perf_counter()
    if output_dir is not None:
        config = replace(config, build=replace(config.build, output=Path(output_dir)))
    out_dir = config.build.output.resolve()
    workers = workers or os.cpu_count() or 1
    renderer = Renderer(config)  # template syntax errors surface here, before any work
    files = scan_snapshots(config)
    inputs = hashlib.sha1(repr(sorted(files.items())).encode()).hexdigest()
    existing = output.scan_tree(out_dir)
    manifest = output.Manifest(_manifest_path(config, out_dir), renderer.fingerprint)
    owned = (search.BUNDLE + "/",) if config.build.search else ()
    index_ok = not config.build.search or search.index_complete(out_dir)
    if index_ok and manifest.up_to_date(inputs, existing, owned):
        # Same snapshots, templates and config as the last build, and output/ as it left it.
        papers, topics = manifest.counts
        return BuildResult(papers, topics, len(manifest.pages), 0, len(manifest.pages), 0,
                           time.perf_counter() - start)
    entries = load_entries(config, workers, files)  # every bad snapshot is reported here
    site = build_site(config, entries)
    specs = plan_pages(site, renderer)
    todo = [s for s in specs if not manifest.is_current(s.path, s.fingerprint, existing)]
    if any(p.endswith(output.TMP_SUFFIX) for p in existing):
        output.discard(out_dir)  # left by an interrupted build
    try:
        staged = _render_and_stage(todo, site, renderer, out_dir, existing, workers)
    except BaseException:
        output.discard(out_dir)
        raise
    output.commit(out_dir, staged)
    keep = {s.path for s in specs}
    removed = output.prune(out_dir, existing, keep, owned)
    if config.build.search:  # after pruning, so a removed (hidden) paper leaves the index too
        search.index_site(out_dir, staged + [rel for rel in existing if rel not in keep])
    else:
        search.remove_index(out_dir)
    written = set(staged)
    manifest.save(out_dir, {s.path: s.fingerprint for s in specs}, existing, written, inputs,
                  (len(site.entries), len(config.topics)))
    return BuildResult(len(site.entries), len(config.topics), len(specs), len(written),
                       len(specs) - len(written), removed, time.perf_counter() - start)


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
