"""`sitegen fetch`: ask every source for the window's papers and snapshot them into content/.

The order of work: take the fetch lock; remove the temp files a killed fetch left in
content/; for arXiv, one API search per topic and one RSS batch per distinct category set
(listing pages when RSS fails or is empty on a weekday); write what arXiv gave; then Hugging
Face, one request per day (completed from the arXiv API so topic rules can place its
papers); write that. Each unit (a topic's search, a feed, a day) is all-or-nothing, and one
failing unit never stops the others. The whole fetch has a deadline (`[fetch] deadline`):
once it has passed the remaining units are skipped and reported as failed, and what
finished is written. `run_fetch` prints the summary and returns the exit code: 0 every
source answered, 1 any failed, 2 usage error.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TextIO

from sitegen.atomic import remove_leftovers
from sitegen.config.load import Config
from sitegen.errors import SourceError, UsageError
from sitegen.sources.arxiv.fetch import ArxivContext, ArxivSource
from sitegen.sources.huggingface.fetch import HuggingFaceSource
from sitegen.fetch.plan import FetchPlan, make_plan
from sitegen.fetch.report import Progress, Report
from sitegen.sources.arxiv.rss_memory import RssMemory
from sitegen.fetch.write import Harvest, SnapshotWriter, WriteFailed
from sitegen.fetch.http.client import HttpClient
from sitegen.fetch.lock import FetchLock, LockedError
from sitegen.model import Paper
from sitegen.sources.arxiv.calendar import eastern_today
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
                report.note(f"took over a stale lock left by pid {lock.took_over}, which no longer runs")
            _clean_up_after_a_crash(config, report)
            with Progress(out, progress) as display:
                client = HttpClient(contact=config.fetch.contact, cache_dir=config.fetch.cache,
                                    clock=clock, sleep=sleep, notify=display.log, warn=report.warn,
                                    host_failures=config.fetch.host_failures, deadline=config.fetch.deadline)
                with client:
                    _Run(config, plan, client, display, report).run()
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


def _describe(plan: FetchPlan) -> str:
    window = str(plan.since) if plan.since == plan.until else f"{plan.since} to {plan.until}"
    topics = ", ".join(t.slug for t in plan.topics) or "none"
    return f"{window}; topics: {topics}; sources: {', '.join(plan.sources) or 'none'}"


class _Run:
    def __init__(self, config: Config, plan: FetchPlan, client: HttpClient, display: Progress, report: Report):
        self.config, self.plan, self.client, self.display, self.report = config, plan, client, display, report
        self.writer = SnapshotWriter(config.build.content, warn=report.warn)
        self.memory = RssMemory(config.fetch.cache)
        self.arxiv = ArxivSource(client, config.sources.arxiv, self.memory)
        self.hf = HuggingFaceSource(client, config.sources.huggingface, self.arxiv)
        self.fetched: set[str] = set()  # ids arXiv's API gave this run: no id_list lookup needed

    def run(self) -> None:
        if not self.plan.topics:
            self.report.note(f"no topics in {self.config.path.name}: nothing new can be placed; "
                             "add a [[topics]] table")
        for source in self.plan.sources:
            self.report.tally(source)  # every chosen source gets a summary row, even if idle
        if "arxiv" in self.plan.sources:
            self._arxiv()
        if "huggingface" in self.plan.sources:
            self._huggingface()

    # --- units --------------------------------------------------------------------------

    def _unit(self, source: str, label: str, fetch: Callable[[ArxivContext], Harvest]) -> Harvest | None:
        """Run one all-or-nothing unit; on failure record it and return None."""
        if self.client.out_of_time():
            self.report.fail(source, label, f"skipped: the fetch ran past its deadline ([fetch] deadline = "
                                            f"{self.config.fetch.deadline:g} s); fetch again, or raise [fetch] "
                                            "deadline for a long backfill")
            return None
        task = self.display.start(label)
        ctx = ArxivContext(since=self.plan.since, until=self.plan.until, today=self.plan.today,
                           note=self.report.note, warn=self.report.warn,
                           status=lambda text: self.display.update(task, text), unit=label)
        try:
            harvest = fetch(ctx)
        except (SourceError, ValueError) as exc:  # ValueError: a query the builder refused
            self.display.finish(task, "failed", ok=False)
            self.report.fail(source, label, str(exc))
            return None
        self.report.tally(source).ok += 1
        self.display.finish(task, f"{len(harvest)} records")
        return harvest

    def _needs_lookup(self, paper_id: str) -> bool:
        """True when neither this run's API searches nor content/ can place the paper."""
        if paper_id in self.fetched:
            return False
        known = self.writer.existing(paper_id)
        return known is None or not known.categories or not known.abstract

    def _arxiv(self) -> None:
        harvest = Harvest()
        for topic in self.plan.topics:
            got = self._unit("arxiv", f"arxiv api {topic.slug}", lambda ctx, t=topic: self.arxiv.search(t, ctx))
            if got is not None:
                harvest.extend(got)
                self.fetched |= {p.id for p in got.accepted}
        if self.plan.until >= self.plan.today:  # the RSS batch is today's: only a window reaching today wants it
            for cats in _category_sets(self.plan):
                got = self._unit("arxiv", f"arxiv rss {'+'.join(cats)}",
                                 lambda ctx, c=cats: self.arxiv.announcements(c, ctx, self._needs_lookup))
                if got is not None:
                    harvest.extend(got)
        self.memory.save()
        self._write("arxiv", harvest)

    def _huggingface(self) -> None:
        harvest = Harvest()
        for day in self.plan.days():
            got = self._unit("huggingface", f"huggingface {day}",
                             lambda ctx, d=day: self.hf.day(d, ctx, self._needs_lookup))
            if got is not None:
                harvest.extend(got)
        self._write("huggingface", harvest)

    def _write(self, source: str, harvest: Harvest) -> None:
        if not len(harvest):
            return
        try:
            counts = self.writer.write(harvest, keep=self._on_topic)
        except WriteFailed as exc:
            self.report.tally(source).add(exc.counts)
            self.report.fail(source, f"{source} write", str(exc))
            return
        self.report.tally(source).add(counts)

    def _on_topic(self, paper: Paper) -> bool:
        return any(matches(topic, paper) for topic in self.plan.topics)


def _category_sets(plan: FetchPlan) -> list[tuple[str, ...]]:
    """One RSS feed per distinct set of categories, in topic order (topics may share a set)."""
    seen: dict[tuple[str, ...], None] = {}
    for topic in plan.topics:
        if topic.categories:
            seen.setdefault(tuple(sorted(set(topic.categories))), None)
    return list(seen)
