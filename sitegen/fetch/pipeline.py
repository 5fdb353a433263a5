"""`sitegen fetch`: ask every source for the window's papers and snapshot them into content/.

The order of work: take the fetch lock; remove the temp files a killed fetch left in
content/; then for each chosen source, in registration order (arXiv, then Hugging Face),
run the units it plans (sitegen.sources.base) and write what they gave. Each unit (a topic's
search, a feed, a day) is all-or-nothing, and one failing unit never stops the others. A
unit that holds papers no one can place yet asks a source that can look papers up (arXiv's
id_list) to complete them, and a fetch that asks that source anyway also asks it about the
snapshots content/ still holds without categories (sitegen.fetch.complete). This module
never names a source. The whole fetch has a deadline (`[fetch] deadline`): once it has
passed the remaining units are skipped and reported as failed, and what finished is written.
Last, still under the lock, the run is added to the night's record in `[fetch] status`
(sitegen.status): what each source was asked, what answered and failed, the snapshots it
changed and arXiv's own counts. `run_fetch` prints the summary and returns the exit code: 0
every source answered, 1 any failed, 2 usage error. A best-effort source (one that only adds
to papers already known, as Semantic Scholar does) failing is reported but is not the fetch's
failure, unless the run asked only best-effort sources (`--source semanticscholar`): then it
is all the run was for.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TextIO

from sitegen.atomic import remove_leftovers
from sitegen.config.settings import Config
from sitegen.errors import SourceError, UsageError
from sitegen.fetch.complete import incomplete_ids
from sitegen.fetch.http.client import HttpClient
from sitegen.fetch.lock import FetchLock, LockedError
from sitegen.fetch.plan import FetchPlan, make_plan
from sitegen.fetch.report import Progress, Report
from sitegen.fetch.write import SnapshotWriter, WriteFailed
from sitegen.model import Paper
from sitegen.safe_fs import UnsafeFile
from sitegen.sources import registry
from sitegen.sources.arxiv.calendar import eastern_today
from sitegen.sources.base import FetchContext, Harvest, Source, Unit
from sitegen.status.store import record_run
from sitegen.topics import matches


def run_fetch(config: Config, *, days: int | None = None, since: date | None = None, until: date | None = None,
              topics: list[str] | tuple[str, ...] = (), sources: list[str] | tuple[str, ...] = (),
              clock: Callable[[], float] = time.time, sleep: Callable[[float], None] = time.sleep,
              progress: bool | None = None, out: TextIO = sys.stderr) -> int:
    """Fetch, write snapshots, print the summary to `out`; return the exit code (0, 1 or 2).

    `clock` (epoch seconds) and `sleep` are injectable so tests never wait for real.
    `progress=None` shows the live display only when `out` is a terminal.
    """
    try:
        plan = make_plan(config, today=eastern_today(clock()), days=days, since=since, until=until,
                         topics=topics, sources=sources)
    except UsageError as exc:
        print(f"sitegen fetch: {exc}", file=out)
        return 2
    report = Report(window=_describe(plan))
    try:
        with FetchLock(lock_folder(config)) as lock:
            if lock.took_over is not None:
                report.note(f"took over a stale lock left by pid {lock.took_over}, a fetch that did not finish")
            _clean_up_after_a_crash(config, report)
            with Progress(out, progress) as display:
                client = HttpClient(contact=config.fetch.contact, cache_dir=config.fetch.cache,
                                    clock=clock, sleep=sleep, notify=display.log, warn=report.warn,
                                    host_failures=config.fetch.host_failures, deadline=config.fetch.deadline)
                with client:
                    FetchRun(config, plan, client, display, report).run()
            _record_night(config, plan, report, datetime.fromtimestamp(clock(), UTC))
    except LockedError as exc:
        print(f"sitegen fetch: {exc}", file=out)
        return 1
    out.write(report.render())
    out.flush()
    return report.exit_code


def lock_folder(config: Config) -> Path:
    """Where the fetch lock lives: the fetch cache's parent (`.sitegen-cache/` by default)."""
    cache = config.fetch.cache if config.fetch.cache is not None else config.root / ".sitegen-cache" / "http"
    return Path(cache).parent


def _record_night(config: Config, plan: FetchPlan, report: Report, finished: datetime) -> None:
    """Add this run to the night's record; a record that cannot be written is a warning (the
    snapshots are saved; the next run writes its own)."""
    if config.fetch.status is None:
        return
    run = report.run_record(plan.since, plan.until, plan.backfill, finished)
    try:
        _, warnings = record_run(config.fetch.status, plan.today, run)
    except OSError as exc:
        why = str(exc) if isinstance(exc, UnsafeFile) else f"{config.fetch.status}: {exc.strerror or exc}"
        report.warn(f"{why}; the nightly record of {plan.today} was not written ([fetch] status)")
        return
    for warning in warnings:
        report.warn(warning)


def _clean_up_after_a_crash(config: Config, report: Report) -> None:
    """Remove the temp files a fetch killed mid-write left (under the lock: none is live)."""
    removed, problems = remove_leftovers(config.build.content)
    if removed:
        names = ", ".join(str(p.relative_to(config.build.content)) for p in removed[:3])
        more = f" and {len(removed) - 3} more" if len(removed) > 3 else ""
        report.note(f"removed {len(removed)} temp file{'s' if len(removed) != 1 else ''} an interrupted "
                    f"fetch left in {config.build.content}: {names}{more}")
    for problem in problems:
        report.warn(problem)
    if config.fetch.cache is not None:
        remove_leftovers(config.fetch.cache)  # the HTTP cache's own, silently: it is rebuildable
    if config.fetch.status is not None and config.fetch.status.is_dir():
        remove_leftovers(config.fetch.status)  # a record's temp file: the record is rewritten whole


def _describe(plan: FetchPlan) -> str:
    window = str(plan.since) if plan.since == plan.until else f"{plan.since} to {plan.until}"
    topics = ", ".join(t.slug for t in plan.topics) or "none"
    return f"{window}; topics: {topics}; sources: {', '.join(plan.sources) or 'none'}"


class FetchRun:
    """One fetch: every chosen source's units, run all-or-nothing, then written source by source."""

    def __init__(self, config: Config, plan: FetchPlan, client: HttpClient, display: Progress, report: Report):
        self.config, self.plan, self.client, self.display, self.report = config, plan, client, display, report
        self.writer = SnapshotWriter(config.build.content, warn=report.warn)
        self.sources: dict[str, Source] = {}
        self.complete_ids: set[str] = set()  # papers this run got whole: no lookup needed
        self.looked_up: set[str] = set()  # ids this run asked a lookup source for already

    def run(self) -> None:
        if not self.plan.topics:
            self.report.note(f"no topics in {self.config.path.name}: nothing new can be placed; "
                             "add a [[topics]] table")
        for name in self.plan.sources:
            self.report.tally(name)  # every chosen source gets a summary row, even if idle
        for name in self.plan.sources:
            self._fetch(name)
        self._complete_content()

    def _source(self, name: str) -> Source:
        """The run's one instance of a source (created on first use)."""
        if name not in self.sources:
            cls = registry.registered()[name]
            self.sources[name] = cls(self.config.sources[name], self.client, self.config.fetch.cache)
        return self.sources[name]

    def _fetch(self, name: str) -> None:
        source = self._source(name)
        harvest = Harvest()
        for unit in source.units(self.plan):
            got = self._run_unit(name, unit)
            if got is not None:
                harvest.extend(got)
                self.complete_ids |= {p.id for p in (*got.accepted, *got.candidates) if p.categories and p.abstract}
        source.finish()
        self._write(name, harvest)

    def _best_effort(self, source: str) -> bool:
        """True when `source`'s failures are not the fetch's (see the module docstring)."""
        known = registry.registered()
        return known[source].best_effort and not all(known[s].best_effort for s in self.plan.sources)

    def _run_unit(self, source: str, unit: Unit) -> Harvest | None:
        """Run one all-or-nothing unit; on failure record it and return None."""
        tally = self.report.tally(source)
        tally.asked += 1
        if self.client.out_of_time():
            self.report.fail(source, unit.label, f"skipped: the fetch ran past its deadline ([fetch] deadline = "
                                                 f"{self.config.fetch.deadline:g} s); fetch again, or raise [fetch] "
                                                 "deadline for a long backfill", self._best_effort(source))
            return None
        task = self.display.start(unit.label)
        ctx = FetchContext(since=self.plan.since, until=self.plan.until, today=self.plan.today,
                           note=self.report.note, warn=self.report.warn,
                           status=lambda text: self.display.update(task, text), unit=unit.label,
                           needs_lookup=self._needs_lookup, complete=self._complete, count=tally.counts.append,
                           known_version=self._known_version)
        try:
            harvest = unit.run(ctx)
        except (SourceError, ValueError) as exc:  # ValueError: a query the builder refused
            self.display.finish(task, "failed", ok=False)
            self.report.fail(source, unit.label, str(exc), self._best_effort(source))
            return None
        tally.ok += 1
        self.display.finish(task, f"{len(harvest)} records")
        return harvest

    def _needs_lookup(self, paper_id: str) -> bool:
        """True when neither this run nor content/ can place the paper."""
        if paper_id in self.complete_ids:
            return False
        known = self.writer.existing(paper_id)
        return known is None or not known.categories or not known.abstract

    def _known_version(self, paper_id: str) -> int | None:
        known = self.writer.existing(paper_id)
        return None if known is None else known.version or 0

    def _complete(self, ids: Iterable[str], ctx: FetchContext) -> list[Paper]:
        """Full records for ids, from the first registered source that can look papers up."""
        name = _lookup_source()
        if name is None:
            return []
        ids = list(ids)
        self.looked_up.update(ids)
        return self._source(name).lookup(ids, ctx)

    def _complete_content(self) -> None:
        """Ask the lookup source, when this fetch asks it anyway, about the snapshots content/
        holds without categories (those this run has not asked about or got whole)."""
        name = _lookup_source()
        if name is None or name not in self.plan.sources:
            return
        done = self.looked_up | self.complete_ids

        def placed(paper_id: str) -> bool:  # this run has it, with categories: no need to read it
            paper = self.writer.seen(paper_id)
            return paper_id in done or (paper is not None and bool(paper.categories))

        ids = [i for i in incomplete_ids(self.config.build.content, self.plan.today, known=placed) if i not in done]
        if not ids:
            return
        unit = Unit(f"{name} complete", lambda ctx: Harvest(candidates=ctx.complete(ids, ctx)))
        harvest = self._run_unit(name, unit)
        if harvest is not None:
            self._write(name, harvest)

    def _write(self, source: str, harvest: Harvest) -> None:
        if not len(harvest):
            return
        try:
            counts = self.writer.write(harvest, keep=self._on_topic, source=source)
        except WriteFailed as exc:
            self.report.tally(source).add(exc.counts)
            self.report.fail(source, f"{source} write", str(exc))  # a disk problem: always the fetch's
            return
        self.report.tally(source).add(counts)

    def _on_topic(self, paper: Paper) -> bool:
        return any(matches(topic, paper) for topic in self.plan.topics)


def _lookup_source() -> str | None:
    """The first registered source that can look papers up by id (arXiv), if any."""
    return next((name for name, cls in registry.registered().items() if cls.can_lookup), None)
