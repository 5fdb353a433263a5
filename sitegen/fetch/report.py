"""What a fetch tells its user: live progress on a terminal, and always a closing summary.

The summary is plain text (it lands in CI logs as often as on a terminal): per source the
new / updated / unchanged snapshots and the failed requests, then notes (an empty batch on a
weekend or holiday is normal), warnings (a stale feed, a fallback taken) and one line per
failure saying what to do. Each is one line: what a server said inside it was cut where it
entered (sitegen.echo, SourceError), and LINE_CHARS is the last guard. The same tallies
become the night's record (`run_record`, sitegen.status), so the record says what the
summary says.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, TextIO

from sitegen.echo import cut, one_line
from sitegen.fetch.write import WriteCounts
from sitegen.status.record import Failure, Run, SourceRun, UpstreamCount

# Longer than any URL a server accepts (8 KB is the common limit for a request line) plus a
# bounded message: it never cuts a real line, only one that something forgot to bound.
LINE_CHARS = 10_000

if TYPE_CHECKING:  # rich loads only when the display is on
    from rich.progress import Progress as RichProgress
    from rich.progress import TaskID


@dataclass
class SourceTally:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0  # units that failed, and writes the disk refused
    ok: int = 0  # units (requests groups) that answered
    asked: int = 0  # units started, or skipped past the fetch's deadline
    left_out: int = 0  # records no topic keeps, and new versions of papers not in content/
    failures: list[Failure] = field(default_factory=list)
    counts: list[UpstreamCount] = field(default_factory=list)  # arXiv's own, as its units read them

    def add(self, counts: WriteCounts) -> None:
        self.new += counts.new
        self.updated += counts.updated
        self.unchanged += counts.unchanged
        self.left_out += counts.skipped

    def record(self) -> SourceRun:
        return SourceRun(asked=self.asked, answered=self.ok, failed=self.failed, failures=tuple(self.failures),
                         new=self.new, updated=self.updated, unchanged=self.unchanged, left_out=self.left_out,
                         counts=tuple(self.counts))


@dataclass
class Report:
    window: str = ""
    tallies: dict[str, SourceTally] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    # Failures of best-effort sources (Semantic Scholar: data about papers already known): in
    # the summary like any other, but not the fetch's failure, since no paper is missing.
    best_effort_failures: int = 0

    def tally(self, source: str) -> SourceTally:
        return self.tallies.setdefault(source, SourceTally())

    def note(self, message: str) -> None:
        message = _line(message)
        if message not in self.notes:
            self.notes.append(message)

    def warn(self, message: str) -> None:
        message = _line(message)
        if message not in self.warnings:
            self.warnings.append(message)

    def fail(self, source: str, unit: str, message: str, best_effort: bool = False) -> None:
        tally = self.tally(source)
        tally.failed += 1
        tally.failures.append(Failure.of(unit, message))
        self.failures.append(_line(f"{unit}: {message}"))
        self.best_effort_failures += best_effort

    def run_record(self, since: date, until: date, backfill: bool, finished: datetime) -> Run:
        """This fetch as a run of the night's record (sitegen.status.record): the numbers of
        the summary, per source in the order they ran."""
        return Run(finished=finished.replace(microsecond=0), since=since, until=until, backfill=backfill,
                   sources=tuple((name, tally.record()) for name, tally in self.tallies.items()))

    @property
    def exit_code(self) -> int:
        return 1 if len(self.failures) > self.best_effort_failures else 0

    def render(self) -> str:
        lines = [f"sitegen fetch: {self.window}"] if self.window else []
        header = ("source", "new", "updated", "unchanged", "failed")
        rows = [header] + [(name, str(t.new), str(t.updated), str(t.unchanged), str(t.failed))
                           for name, t in self.tallies.items()]
        widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
        for row in rows:
            lines.append("  " + "  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                                          for i, (c, w) in enumerate(zip(row, widths, strict=True))))
        lines += [f"note: {n}" for n in self.notes]
        lines += [f"warning: {w}" for w in self.warnings]
        lines += [f"failed: {f}" for f in self.failures]
        total = SourceTally()
        for t in self.tallies.values():
            total.new, total.updated, total.unchanged = (total.new + t.new, total.updated + t.updated,
                                                         total.unchanged + t.unchanged)
        if len(self.failures) > self.best_effort_failures:
            verdict = f"{len(self.failures)} failed; what the other sources gave is saved"
        elif self.failures:
            verdict = (f"{len(self.failures)} failed in best-effort sources, which only add to papers already "
                       "known (not a failed fetch: they ask again next time); every other source answered")
        else:
            verdict = "every source answered"
        lines.append(f"{total.new} new, {total.updated} updated, {total.unchanged} unchanged; {verdict}")
        return "\n".join(lines) + "\n"


class Progress:
    """A rich progress display, one line per source and topic; does nothing when off."""

    def __init__(self, out: TextIO = sys.stderr, enabled: bool | None = None):
        if enabled is None:
            enabled = bool(getattr(out, "isatty", lambda: False)())
        self.enabled = enabled
        self._progress: RichProgress | None = None
        if enabled:
            from rich.console import Console
            from rich.progress import Progress as RichProgress
            from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn

            console = Console(file=out, highlight=False)
            self._progress = RichProgress(
                SpinnerColumn(finished_text="[green]✓"),
                TextColumn("{task.description}"),
                TextColumn("[dim]{task.fields[status]}"),
                TimeElapsedColumn(),
                console=console,
                transient=False,
            )

    def __enter__(self) -> Progress:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(self, *exc) -> None:
        if self._progress is not None:
            self._progress.stop()

    def start(self, label: str) -> TaskID | None:
        if self._progress is None:
            return None
        return self._progress.add_task(_escape(label), total=None, status="")

    def update(self, task: TaskID | None, status: str) -> None:
        if self._progress is not None and task is not None:
            self._progress.update(task, status=_escape(status))

    def finish(self, task: TaskID | None, status: str, ok: bool = True) -> None:
        if self._progress is not None and task is not None:
            text = _escape(status)
            self._progress.update(task, status=text if ok else f"[red]{text}", total=1, completed=1)

    def log(self, message: str) -> None:
        if self._progress is not None:
            self._progress.console.print(f"[dim]{_escape(message)}", markup=True, highlight=False)


def _line(text: str) -> str:
    return cut(one_line(text), LINE_CHARS)


def _escape(text: str) -> str:
    # Messages hold "[sources.arxiv]" and URLs; rich must not read them as markup.
    from rich.markup import escape

    return escape(text)
