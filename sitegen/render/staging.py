"""Rendering the pages a build must write, on every core, each staged beside its target.

Worker processes are forked with the site already in memory, so nothing big is pickled to
them; a task is a list of positions in the to-do list, each page group (Page.group) whole in
one task and its pages one after another. A template error names the page and the template
line.
"""

from __future__ import annotations

import gc
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import jinja2

from sitegen.errors import SitegenError
from sitegen.render.outputs.base import Page
from sitegen.render.outputs.registry import render_page
from sitegen.render.renderer import Renderer
from sitegen.site.model import Site
from sitegen.write import writer

FRESH_WORKER_PAPERS = 50_000  # from this many papers on, each render task gets a new worker
# ... of at most this many pages: a fresh worker's copy of the model grows with its task. At
# 125k papers, tasks of ~1,150 pages (a 128th of the to-do list once each paper also had a
# search record) held ~230 MB a worker and the build 1.14 GB; ~470-page tasks, ~90 MB.
FRESH_TASK_PAGES = 400
PARALLEL_MIN = 300  # fewer pages than this render faster in one process


class RenderError(SitegenError):
    """A template failed while rendering a page (the page and template line are named)."""


# What the forked workers render: set just before they start, read by _stage_pages.
_Work = tuple[list[Page], Site, Renderer, Path, dict]  # (to-do, site, renderer, out_dir, existing)
_FORKED_WORK: _Work | None = None


def render_and_stage(todo: list[Page], site: Site, renderer: Renderer, out_dir: Path,
                      existing: dict, workers: int) -> list[str]:
    """Render and stage the to-do pages; return the staged paths in to-do order."""
    global _FORKED_WORK
    _FORKED_WORK = (todo, site, renderer, out_dir, existing)
    writer.forget_folders()  # before the fork: each build checks output/'s folders afresh
    try:
        if len(todo) < PARALLEL_MIN or workers == 1:
            staged = _stage_pages([i for task in tasks(todo, len(todo)) for i in task])
        else:
            step = max(50, len(todo) // (workers * 8))
            # Frozen, the site's objects are left alone by the workers' garbage collections, which
            # would otherwise write to every one of them and so copy the whole model into each worker.
            gc.freeze()
            if len(site.entries) >= FRESH_WORKER_PAPERS:
                # Rendering still touches every object it reads (reference counts), so a
                # long-lived worker ends up with its own copy of most of the model: at 125k
                # papers two workers and the build process held 1.3 GB. A worker per task
                # copies only what its pages read, and gives it back when the task ends.
                # Smaller tasks than the long-lived workers get: what a worker copies grows
                # with the pages of its task.
                small = max(50, min(FRESH_TASK_PAGES, len(todo) // (workers * 64)))
                with multiprocessing.get_context("fork").Pool(workers, maxtasksperchild=1) as fresh:
                    chunks = fresh.map(_stage_pages, tasks(todo, small), chunksize=1)
            else:
                with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
                    chunks = list(pool.map(_stage_pages, tasks(todo, step)))
            staged = [rel for chunk in chunks for rel in chunk]
    finally:
        gc.unfreeze()
        _FORKED_WORK = None
    done = set(staged)  # tasks are not in to-do order, and what comes after (search) wants it
    return [s.path for s in todo if s.path in done]


def tasks(todo: list[Page], step: int) -> list[list[int]]:
    """Positions in `todo`, in tasks of at least `step` pages (the last may be smaller): each
    page group whole in one task, its pages together, groups in order of first appearance."""
    groups: dict[Any, list[int]] = {}
    for i, page in enumerate(todo):
        groups.setdefault(("page", i) if page.group is None else ("group", page.group), []).append(i)
    out: list[list[int]] = []
    for positions in groups.values():
        if not out or len(out[-1]) >= step:
            out.append([])
        out[-1] += positions
    return out


def _stage_pages(positions: list[int]) -> list[str]:
    if _FORKED_WORK is None:
        raise RuntimeError("_stage_pages runs only inside render_and_stage")
    todo, site, renderer, out_dir, existing = _FORKED_WORK
    staged = []
    for spec in (todo[i] for i in positions):
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
