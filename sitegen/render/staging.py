"""Rendering the pages a build must write, on every core, each staged beside its target.

Worker processes are forked with the site already in memory, so nothing big is pickled to
them; a task is a list of positions in the to-do list, each page group (Page.group) whole in
one task and its pages one after another. A template error names the page and the template
line.

Workers live one of two ways, chosen by one rule (`worker_plan`), because neither serves
every size of site:
- below FRESH_WORKER_PAPERS papers, long-lived workers (a ProcessPoolExecutor), each taking
  about an eighth of its share at a time and keeping its per-process caches (cards,
  abstracts) from task to task;
- from FRESH_WORKER_PAPERS on, a fresh worker per small task (a Pool with
  maxtasksperchild=1): rendering touches every object it reads (reference counts), so a
  long-lived worker ends up with its own copy of most of the model, while a worker per task
  copies only what its pages read and gives it back when the task ends.
Fresh workers for every site cost a 10k-paper cold build 1.8 times its CPU (each re-faults
the model's pages and renders again the cards its predecessors had cached); long-lived ones at
125k papers held 1.3 GB with the build process (benchmarks/README.md, Measurements behind the
code). Fewer than PARALLEL_MIN pages, or one worker, render in the build process itself.
"""

from __future__ import annotations

import gc
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from sitegen.errors import SitegenError
from sitegen.render.outputs.base import Page
from sitegen.render.outputs.registry import render_page
from sitegen.render.renderer import Renderer
from sitegen.site.model import Site
from sitegen.stamps import Stamp
from sitegen.write import writer

FRESH_WORKER_PAPERS = 50_000  # from this many papers on, each render task gets a new worker
# ... of at most this many pages: a fresh worker's copy of the model grows with its task.
FRESH_TASK_PAGES = 400
PARALLEL_MIN = 300  # fewer pages than this render faster in one process


class RenderError(SitegenError):
    """A template failed while rendering a page (the page and template line are named)."""


# What the forked workers render: set just before they start, read by _stage_pages.
_Work = tuple[list[Page[Any]], Site, Renderer, Path, dict[str, Stamp]]  # (to-do, site, renderer, out_dir, existing)
_FORKED_WORK: _Work | None = None


def render_and_stage(todo: list[Page[Any]], site: Site, renderer: Renderer, out_dir: Path,
                      existing: dict[str, Stamp], workers: int) -> list[str]:
    """Render and stage the to-do pages; return the staged paths in to-do order."""
    global _FORKED_WORK
    _FORKED_WORK = (todo, site, renderer, out_dir, existing)
    writer.forget_folders()  # before the fork: each build checks output/'s folders afresh
    try:
        if len(todo) < PARALLEL_MIN or workers == 1:
            staged = _stage_pages([i for task in tasks(todo, len(todo)) for i in task])
        else:
            # Frozen, the site's objects are left alone by the workers' garbage collections, which
            # would otherwise write to every one of them and so copy the whole model into each worker.
            gc.freeze()
            chunks = _render_in_workers(todo, workers, worker_plan(len(todo), len(site.entries), workers))
            staged = [rel for chunk in chunks for rel in chunk]
    finally:
        gc.unfreeze()
        _FORKED_WORK = None
    done = set(staged)  # tasks are not in to-do order, and what comes after (search) wants it
    return [s.path for s in todo if s.path in done]


@dataclass(frozen=True)
class WorkerPlan:
    fresh: bool  # a new worker for every task
    task_pages: int  # pages a task holds at least (a page group is never split)


def worker_plan(pages: int, papers: int, workers: int) -> WorkerPlan:
    """How the workers live and how much each task holds (the module docstring says why)."""
    if papers >= FRESH_WORKER_PAPERS:
        # Smaller tasks than long-lived workers get: what a fresh worker copies grows with them.
        return WorkerPlan(True, max(50, min(FRESH_TASK_PAGES, pages // (workers * 64))))
    return WorkerPlan(False, max(50, pages // (workers * 8)))


def _render_in_workers(todo: list[Page[Any]], workers: int, plan: WorkerPlan) -> list[list[str]]:
    fork = multiprocessing.get_context("fork")
    if plan.fresh:
        with fork.Pool(workers, maxtasksperchild=1) as pool:
            return pool.map(_stage_pages, tasks(todo, plan.task_pages), chunksize=1)
    with ProcessPoolExecutor(workers, mp_context=fork) as pool:
        return list(pool.map(_stage_pages, tasks(todo, plan.task_pages)))


def tasks(todo: list[Page[Any]], step: int) -> list[list[int]]:
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
