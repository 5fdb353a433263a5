"""Rendering the pages a build must write, on every core, each staged beside its target.

Worker processes are forked with the site already in memory, so nothing big is pickled to
them; a task is a slice of the to-do list. A template error names the page and the
template line.
"""

from __future__ import annotations

import gc
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import jinja2

from sitegen.build import writer
from sitegen.build.outputs.base import Page
from sitegen.build.outputs.registry import render_page
from sitegen.build.render import Renderer
from sitegen.build.site import Site
from sitegen.errors import SitegenError

PARALLEL_MIN = 300  # fewer pages than this render faster in one process


class RenderError(SitegenError):
    """A template failed while rendering a page (the page and template line are named)."""


# What the forked workers render: set just before they start, read by _stage_range.
_Work = tuple[list[Page], Site, Renderer, Path, dict]  # (to-do, site, renderer, out_dir, existing)
_FORKED_WORK: _Work | None = None


def render_and_stage(todo: list[Page], site: Site, renderer: Renderer, out_dir: Path,
                      existing: dict, workers: int) -> list[str]:
    global _FORKED_WORK
    _FORKED_WORK = (todo, site, renderer, out_dir, existing)
    try:
        if len(todo) < PARALLEL_MIN or workers == 1:
            return _stage_range((0, len(todo)))
        step = max(50, len(todo) // (workers * 8))
        ranges = [(i, min(i + step, len(todo))) for i in range(0, len(todo), step)]
        # Frozen, the site's objects are left alone by the workers' garbage collections, which
        # would otherwise write to every one of them and so copy the whole model into each worker.
        gc.freeze()
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            return [rel for chunk in pool.map(_stage_range, ranges) for rel in chunk]
    finally:
        gc.unfreeze()
        _FORKED_WORK = None


def _stage_range(bounds: tuple[int, int]) -> list[str]:
    if _FORKED_WORK is None:
        raise RuntimeError("_stage_range runs only inside render_and_stage")
    todo, site, renderer, out_dir, existing = _FORKED_WORK
    staged = []
    for spec in todo[bounds[0]:bounds[1]]:
        try:
            data = render_page(spec, site, renderer)
        except jinja2.TemplateError as exc:
            # Only syntax errors carry a template file and line; runtime errors name neither.
            lineno = getattr(exc, "lineno", None)
            where = f"{getattr(exc, 'filename', None)}:{lineno}" if lineno else "template"
            raise RenderError(f"{spec.path}: {where}: {exc.message}; fix the template and build again") from None
        if writer.stage(out_dir, spec.path, data, existing):
            staged.append(spec.path)
    return staged
