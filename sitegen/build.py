"""`sitegen build`: content/ -> site model -> rendered pages -> output/, in that order.

`build` runs the stages one after the other, as Zola's `Site::build` reads: scan content/
(and stop there when nothing changed), claim the output folder, load content, make the model,
plan the pages, render them, write them, index them for search, report. Each stage is a
function named for what it does; this module is the only place they are chained.

Everything is loaded and checked before anything is written; pages whose inputs did not
change since the last build are not rendered again; rendering uses every core. Only a folder
sitegen owns is written, and in it only sitegen's own files are replaced or pruned
(sitegen.write.ownership); a failure while writing is one line and leaves output/ as it was.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sitegen.config.settings import Config
from sitegen.errors import disk_error
from sitegen.file_lock import FileLock
from sitegen.render.memory import release_site_memory
from sitegen.render.outputs import registry as outputs
from sitegen.render.outputs.base import Page
from sitegen.render.renderer import Renderer
from sitegen.render.staging import render_and_stage
from sitegen.search import index as search_index
from sitegen.site import retention
from sitegen.site.checks import build_warnings
from sitegen.site.load import Entry, load_entries, scan_snapshots
from sitegen.site.model import Site, build_site
from sitegen.site.related import related_papers
from sitegen.stamps import Stamp, stamps
from sitegen.write import marker, ownership, writer
from sitegen.write.lock import build_lock
from sitegen.write.manifest import Counts, Manifest
from sitegen.write.output_folder import (
    OutputFolder,
    manifest_path,
    marker_stamp,
    published_bytes,
    read_folder,
    remove_blockers,
    settle_clashes,
)


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
        topics = f"{self.topics} topic{'' if self.topics == 1 else 's'}"
        if not left:
            return f"{self.papers} paper{'' if self.papers == 1 else 's'} in {topics}"
        why = ([f"{self.unmatched} match no topic: see [build] publish_unmatched"] if self.unmatched else []) + (
            [f"{self.hidden} hidden"] if self.hidden else [])
        return f"{self.papers} of {self.papers + left} papers in {topics} ({'; '.join(why)})"


def build(config: Config, output_dir: Path | None = None, workers: int | None = None,
          force: bool = False) -> BuildResult:
    """Build the site into build.output (or output_dir). `force` lets sitegen take over an
    output folder holding files it did not write (sitegen.write.ownership says which never)."""
    run = start_build(config, output_dir, workers, force)
    try:
        scan = scan_content(run)
        unchanged = unchanged_result(run, scan)
        if unchanged is not None:
            return unchanged
        folder = claim_output(run, scan)
        entries = load_content(run, scan)
        site, estimate = make_model(run, entries)
        plan = plan_pages(run, scan, site, folder)
        try:
            staged = render_pages(run, site, folder, plan)
            marked = write_pages(run, folder, plan, staged)
        except BaseException:
            writer.discard(run.out_dir, plan.created, [page.path for page in plan.todo])
            raise
        written = prune_pages(run, folder, plan, staged, marked)
        facts = SiteFacts.of(run.config, entries, site, estimate, plan)
        del entries, site  # the pages are written: Pagefind runs without the site in memory
        plan.forget_pages()
        release_site_memory()
        index_search(run, folder, plan, written)
        return report(run, scan, folder, plan, written, facts)
    finally:
        run.lock.release()


@dataclass(frozen=True)
class BuildRun:
    """What every stage of one build knows."""

    config: Config
    out_dir: Path
    origin: str  # where the output folder was named: "build.output" or "--output"
    renderer: Renderer
    workers: int
    force: bool
    start: float  # time.perf_counter() at the start
    lock: FileLock


def start_build(config: Config, output_dir: Path | None, workers: int | None, force: bool) -> BuildRun:
    """Read and fingerprint the templates, refuse an output folder sitegen may never build in,
    and make the lock (taken once the build knows it will write)."""
    start = time.perf_counter()
    origin = "build.output"
    if output_dir is not None:
        config = replace(config, build=replace(config.build, output=Path(output_dir)))
        origin = "--output"
    out_dir = config.build.output.resolve()
    renderer = Renderer(config, check=False)  # templates read and fingerprinted, compiled when needed
    ownership.check_location(out_dir, config, origin)
    lock = build_lock(config, out_dir)  # one build at a time per output folder, serve's rebuilds too
    return BuildRun(config, out_dir, origin, renderer, workers or os.cpu_count() or 1, force, start, lock)


# --- scan content/: what changed since the last build --------------------------------------------

@dataclass(frozen=True)
class ContentScan:
    """content/ as this build finds it, and the record of the last build into this folder."""

    files: dict[str, Stamp]  # every snapshot's stamp
    inputs: str  # a digest of those stamps and of what else decides which pages exist
    manifest: Manifest
    manifest_path: Path | None


def scan_content(run: BuildRun) -> ContentScan:
    """The stamps of content/ (no snapshot is read) and the last build's record."""
    files = scan_snapshots(run.config)
    # The size limit decides which pages exist (sitegen.site.retention), so a new limit is a
    # new input even when no snapshot changed; each page's own fingerprint covers the rest.
    # The nightly records (the status page's input) change on nights that bring no paper.
    status = run.config.fetch.status
    records = sorted(stamps(status, ".json").items()) if status else []
    inputs = hashlib.sha1(repr((sorted(files.items()), run.config.build.max_site_mb, records)).encode()).hexdigest()
    path = manifest_path(run.config, run.out_dir)
    return ContentScan(files, inputs, Manifest(path, run.renderer.fingerprint), path)


def unchanged_result(run: BuildRun, scan: ContentScan) -> BuildResult | None:
    """The last build's result when the same snapshots, templates and config meet its files and
    marker as it left them: nothing to write, so nothing to decide about the folder either."""
    index_ok = not run.config.build.search or search_index.index_complete(run.out_dir)
    if not (index_ok and scan.manifest.up_to_date(scan.inputs, run.out_dir)):
        return None
    counts, pages = scan.manifest.counts, len(scan.manifest.pages)
    return BuildResult(counts.papers, counts.topics, pages, 0, pages, 0, time.perf_counter() - run.start,
                       scan.manifest.warnings, counts.unmatched, counts.hidden)


# --- claim the output folder --------------------------------------------------------------------

def claim_output(run: BuildRun, scan: ContentScan) -> OutputFolder:
    """Compile the templates, read output/ and which of it is sitegen's, and take the lock."""
    run.renderer.check_templates()  # a template syntax error stops the build here, before any work
    folder = read_folder(run.out_dir, run.config, run.origin, run.force, scan.manifest_path)
    # Taken here, before the first write (the parse cache, then output/): a build refused above
    # leaves no trace, not even the lock's folder. A build that ended since the folder was read
    # rewrote the marker if it changed which files are sitegen's: then output/ is read again.
    run.lock.acquire()
    if marker_stamp(run.out_dir) != folder.existing.get(writer.MARKER):
        folder = read_folder(run.out_dir, run.config, run.origin, run.force, scan.manifest_path)
    return folder


# --- load content and make the model ------------------------------------------------------------

def load_content(run: BuildRun, scan: ContentScan) -> list[Entry]:
    """Every snapshot parsed and matched to topics; every bad one is reported here, at once."""
    return load_entries(run.config, run.workers, scan.files)


def make_model(run: BuildRun, entries: list[Entry]) -> tuple[Site, int]:
    """The site model: days, topics and pages, related papers, and the oldest days retired
    under [build] max_site_mb (the cut is made from the input alone); with the bytes the size
    model expects the kept site to weigh."""
    site = build_site(run.config, entries)
    site = replace(site, related=related_papers(site.entries, run.config.build.cache))
    site, estimate = retention.retire_oldest_days(site, outputs.weigh)
    run.renderer.retired = site.retired
    return site, estimate


# --- plan the pages -----------------------------------------------------------------------------

@dataclass
class PagePlan:
    """Every page of the site, the ones to render, and what the folder must look like first."""

    pages: list[Page[Any]]  # every page, in the registry's order
    todo: list[Page[Any]]  # those whose inputs or file changed since the last build
    keep: set[str]  # every page's path
    folders: set[str]  # folders sitegen owns whole ("pagefind/" with search on)
    claimed: bytes  # the marker that lists what this build may have written, written before any page
    created: bool  # output/ did not exist: a failed build removes it again
    removed: set[str]  # sitegen's files removed because a planned page's folder stood there

    def forget_pages(self) -> None:
        """Drop the page lists (the paths stay in `keep`): they hold the whole site's keys."""
        self.pages, self.todo = [], []


def plan_pages(run: BuildRun, scan: ContentScan, site: Site, folder: OutputFolder) -> PagePlan:
    """Every registered output's pages; refuses to write over files sitegen did not write
    (unless --force), clears what stands in their way and leaves out pages still as written."""
    pages = outputs.plan_pages(site, run.renderer)
    keep = {page.path for page in pages}
    folders = {search_index.BUNDLE + "/"} if run.config.build.search else set()
    folder.claim = settle_clashes(folder.claim, keep, folders, run.force, run.out_dir, run.origin)
    created = not run.out_dir.exists()
    leftovers = {rel for rel in folder.existing if writer.is_leftover(rel)}
    if leftovers:
        writer.discard(run.out_dir)  # left by an interrupted build
        folder.existing = {rel: st for rel, st in folder.existing.items() if rel not in leftovers}
    gone = remove_blockers(run.out_dir, ownership.blockers(folder.claim, keep), folder.existing)
    folder.claim = replace(folder.claim, files=folder.claim.files - gone)
    todo = [page for page in pages if not scan.manifest.is_current(page.path, page.fingerprint, folder.existing)]
    # Listed before any page moves in, so a build killed halfway still owns what it wrote.
    claimed = marker.marker_bytes(folder.claim.files | keep, folder.claim.folders | folders)
    return PagePlan(pages, todo, keep, folders, claimed, created, gone)


# --- render and write ---------------------------------------------------------------------------

def render_pages(run: BuildRun, site: Site, folder: OutputFolder, plan: PagePlan) -> list[str]:
    """Render the to-do pages on every core, each staged beside its target; the staged paths,
    in to-do order."""
    return render_and_stage(plan.todo, site, run.renderer, run.out_dir, folder.existing, run.workers)


@dataclass(frozen=True)
class Written:
    """What the write stage did to output/."""

    staged: list[str]  # pages moved into place (their bytes changed), in to-do order
    marked: bool  # the marker was rewritten to list this build's files
    stale: set[str]  # sitegen's files this build no longer makes
    removed: int  # files removed: stale ones and those standing where a folder is planned
    kept: set[str]  # stale files that could not be removed (still sitegen's)


def write_pages(run: BuildRun, folder: OutputFolder, plan: PagePlan, staged: list[str]) -> bool:
    """Move the staged pages into place, the marker listing them first; whether the marker
    was rewritten. Should moving fail, the marker is put back (the caller discards what was
    staged)."""
    marked = marker.write_marker(run.out_dir, plan.claimed, folder.claim.marker)
    try:
        writer.commit(run.out_dir, staged, folder.existing)
    except BaseException:
        if marked:
            marker.restore_marker(run.out_dir, folder.claim.marker)
        raise
    return marked


def prune_pages(run: BuildRun, folder: OutputFolder, plan: PagePlan, staged: list[str], marked: bool) -> Written:
    """Remove the files sitegen wrote before and no longer makes."""
    stale = {rel for rel in folder.claim.files if rel not in plan.keep and not rel.startswith(tuple(plan.folders))}
    removed, kept = writer.prune(run.out_dir, stale)
    return Written(staged, marked, stale, removed + len(plan.removed), kept)


@dataclass(frozen=True)
class SiteFacts:
    """What the report needs of the site, taken before the model is let go."""

    warnings: tuple[str, ...]
    counts: Counts
    size: retention.SizeFacts
    fingerprints: dict[str, str]  # every page's path and fingerprint, for the manifest

    @classmethod
    def of(cls, config: Config, entries: list[Entry], site: Site, estimate: int, plan: PagePlan) -> SiteFacts:
        return cls(build_warnings(site), Counts.of(config, entries, len(site.entries)),
                   retention.size_facts(site, estimate),
                   {page.path: page.fingerprint for page in plan.pages})


# --- index for search ---------------------------------------------------------------------------

def index_search(run: BuildRun, folder: OutputFolder, plan: PagePlan, written: Written) -> None:
    """Index the changed pages with Pagefind (after pruning, so a removed paper leaves the index
    too), or remove the index a build with search on left."""
    bundle = search_index.BUNDLE + "/"
    try:
        if run.config.build.search:
            search_index.index_site(run.out_dir, written.staged + sorted(written.stale))
        elif bundle in folder.claim.folders:
            search_index.remove_index(run.out_dir)
    except OSError as exc:
        raise disk_error(exc.filename or run.out_dir / search_index.BUNDLE, exc) from None
    if bundle in folder.claim.folders and (run.out_dir / search_index.BUNDLE).exists():
        plan.folders.add(bundle)  # not (all) removed: still sitegen's


# --- report -------------------------------------------------------------------------------------

def report(run: BuildRun, scan: ContentScan, folder: OutputFolder, plan: PagePlan, written: Written,
           facts: SiteFacts) -> BuildResult:
    """Record what this build wrote (the marker and the manifest the next build starts from)
    and say what it did, with its warnings."""
    bundle = search_index.BUNDLE + "/"
    previous = plan.claimed if written.marked else folder.claim.marker
    marker.write_marker(run.out_dir, marker.marker_bytes(plan.keep | written.kept, plan.folders), previous)
    # The next build may skip everything only if nothing is left over for it to remove.
    exact = not written.kept and (run.config.build.search or bundle not in plan.folders)
    warnings = facts.warnings
    if facts.size.worth_measuring:
        warnings += retention.size_warnings(facts.size, published_bytes(run.out_dir, run.config))
    scan.manifest.save(run.out_dir, facts.fingerprints, folder.existing, set(written.staged), scan.inputs,
                       facts.counts, marker_exact=exact, warnings=warnings)
    counts, files, changed = facts.counts, len(facts.fingerprints), len(set(written.staged))
    return BuildResult(counts.papers, counts.topics, files, changed, files - changed, written.removed,
                       time.perf_counter() - run.start, warnings, counts.unmatched, counts.hidden)
