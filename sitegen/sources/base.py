"""The seam every source plugs into: its settings, the units of work it plans, what a unit gives.

A source is a class registered in sitegen.sources.registry. It declares

- `name`: its `[sources.<name>]` table and the name used by `fetch.sources` and `--source`;
- `settings_type`: a frozen dataclass of its keys (subclassing HttpSettings, whose keys every
  source has: how politely to ask and how much to accept); sitegen.config reads the table
  into it, so a source's keys are checked like every other key;
- `units(plan)`: its work for one fetch, as all-or-nothing units (one topic's search, one
  feed, one day), each returning a Harvest or raising SourceError;
- optionally `lookup(ids, ctx)`, when it can complete papers other sources only half know
  (arXiv's id_list: Hugging Face gives no categories, so topic rules could not place them);
- optionally `snapshot_key`: the key it adds to snapshots (sitegen.snapshot.extras), whose
  records its papers carry in `Paper.extras[name]` or its units return as `Harvest.annotations`
  of papers already known (Semantic Scholar's citations);
- `best_effort`: True for a source that only adds to papers other sources gave: its failures
  are reported but do not make the fetch fail (exit 0), since no paper is missing for them.

The fetch pipeline (sitegen.fetch.pipeline) creates each chosen source with its settings and
the run's services, runs its units, writes what they gave and never names a source itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, overload

from sitegen.fetch.http.policy import SitePolicy
from sitegen.model import Paper
from sitegen.snapshot.extras import SnapshotKey
from sitegen.snapshot.merge import first_of_each
from sitegen.sources.records import Rejected, too_new

if TYPE_CHECKING:
    from sitegen.fetch.http.client import HttpClient
    from sitegen.fetch.plan import FetchPlan
    from sitegen.status.record import UpstreamCount

T = TypeVar("T")


@dataclass(frozen=True)
class HttpSettings:
    """The `[sources.<name>]` keys every source has. Subclasses add their URLs and limits
    (a key ending in `_url` is checked as an http(s) URL, a float as a number, the rest as
    whole numbers, each number within its RANGES entry, which a subclass extends)."""

    # (lowest, highest) of each number: finite, and far from what would stall a fetch (an
    # hour between requests, a day for one request) or exhaust memory (a 1 GB answer).
    RANGES: ClassVar[dict[str, tuple[float, float]]] = {
        "min_interval": (0.0, 3_600.0),
        "timeout": (0.1, 3_600.0),
        "retries": (0, 100),
        "deadline": (0.1, 86_400.0),
        "max_bytes": (1, 1_000_000_000),
        "max_redirects": (0, 20),  # what browsers follow
    }
    min_interval: float = 1.0  # seconds between two requests to the source
    timeout: float = 30.0  # socket read timeout (each recv); `deadline` bounds the whole attempt
    retries: int = 4
    deadline: float = 60.0  # wall-clock seconds for one request attempt, redirects included
    max_bytes: int = 50_000_000  # largest body accepted, after decompression
    max_redirects: int = 5

    def policy(self, name: str, throttled_body: bytes | None = None) -> SitePolicy:
        """How the HTTP client treats this source's requests."""
        return SitePolicy(name, min_interval=self.min_interval, connect_timeout=min(self.timeout, 10.0),
                          read_timeout=self.timeout, retries=self.retries, backoff=max(1.0, self.min_interval),
                          deadline=self.deadline, max_bytes=self.max_bytes, max_redirects=self.max_redirects,
                          throttled_body=throttled_body)


@dataclass(frozen=True)
class Annotation:
    """A source's record about a paper already known: `record` merged into the paper's
    `extras[key]` by the key's own rule (sitegen.snapshot.extras)."""

    paper_id: str
    key: str
    record: Any


@dataclass
class Harvest:
    """What a unit gave, by how it may be used.

    `accepted`: papers to keep as they are (a topic's own query found them).
    `candidates`: papers to keep only if they are already in content/ or match a topic.
    `updates`: newer versions of papers already known; never add a paper by themselves.
    `annotations`: a source's data on papers already known (in content/ or written earlier
    in this run); an annotation of an unknown paper is dropped, never makes one.
    """

    accepted: list[Paper] = field(default_factory=list)
    candidates: list[Paper] = field(default_factory=list)
    updates: list[Paper] = field(default_factory=list)
    annotations: list[Annotation] = field(default_factory=list)

    def extend(self, other: Harvest) -> None:
        self.accepted += other.accepted
        self.candidates += other.candidates
        self.updates += other.updates
        self.annotations += other.annotations

    def ids(self) -> set[str]:
        return {p.id for p in (*self.accepted, *self.candidates, *self.updates)} | {
            a.paper_id for a in self.annotations}

    def __len__(self) -> int:
        return len(self.accepted) + len(self.candidates) + len(self.updates) + len(self.annotations)


@dataclass
class FetchContext:
    """What a unit may know and use of the run it is part of."""

    since: date
    until: date
    today: date  # arXiv's day (New York) when the fetch runs
    note: Callable[[str], None]  # for the summary: normal, worth knowing
    warn: Callable[[str], None]  # for the summary: something the user may need to act on
    status: Callable[[str], None]  # progress text for the unit being fetched
    unit: str = ""  # the unit's label in the summary ("arxiv api nlp"), for warnings
    # True when neither this run nor content/ can place the paper (it lacks categories or
    # an abstract): what `complete` is for.
    needs_lookup: Callable[[str], bool] = lambda paper_id: True
    # Full records for ids, from whichever registered source can look papers up.
    complete: Callable[[Iterable[str], FetchContext], list[Paper]] = lambda ids, ctx: []
    # The upstream's own count of what it announced (a feed's items, a listing's day total),
    # for the night's record (sitegen.status): what arrived is judged against it.
    count: Callable[[UpstreamCount], None] = lambda upstream: None
    # The version of the paper content/ holds (0: one without a version), None if it holds
    # none: so a source asks for the details of a new version only of papers it will update.
    known_version: Callable[[str], int | None] = lambda paper_id: None


@dataclass(frozen=True)
class Unit:
    """One all-or-nothing piece of a source's work: its summary label and how to do it."""

    label: str
    run: Callable[[FetchContext], Harvest]


class Source:
    """Base class of every source; see the module docstring for the contract."""

    name: ClassVar[str]
    settings_type: ClassVar[type[HttpSettings]] = HttpSettings
    enabled_by_default: ClassVar[bool] = True  # in `fetch.sources` when the config names none
    can_lookup: ClassVar[bool] = False  # implements `lookup`
    snapshot_key: ClassVar[SnapshotKey | None] = None  # the key it adds to snapshots, if any
    best_effort: ClassVar[bool] = False  # only adds to known papers: a failure is not the fetch's

    def __init__(self, settings: HttpSettings, client: HttpClient, state_dir: Path | None):
        """`state_dir`: a folder for the source's own memory between runs (the fetch cache), or None."""
        self.settings, self.client, self.state_dir = settings, client, state_dir

    def units(self, plan: FetchPlan) -> Iterable[Unit]:
        raise NotImplementedError

    def lookup(self, ids: Iterable[str], ctx: FetchContext) -> list[Paper]:
        raise NotImplementedError(f"source {self.name!r} cannot look papers up")

    def finish(self) -> None:
        """Called once after all of this run's units: save what the source remembers."""


def _paper_id(paper: Paper) -> str:
    return paper.id


def _itself(paper: Paper) -> Paper:
    return paper


@overload
def in_bounds(records: Sequence[Paper], ctx: FetchContext, url: str,
              rejected: Sequence[Rejected] = ()) -> list[Paper]: ...


@overload
def in_bounds(records: Sequence[T], ctx: FetchContext, url: str, rejected: Sequence[Rejected],
              paper: Callable[[T], Paper]) -> list[T]: ...


def in_bounds(records: Sequence[Any], ctx: FetchContext, url: str, rejected: Sequence[Rejected] = (),
              paper: Callable[[Any], Paper] = _itself) -> list[Any]:
    """The records of the answer from `url` dated no later than the fetch's day allows
    (sitegen.limits.FUTURE_DAYS), with one warning naming the URL and each record skipped,
    here or by its parser (`rejected`: a value out of bounds). The rest are kept: one bad
    record never costs the answer's healthy ones."""
    kept: list[Any] = []
    skipped = list(rejected)
    for record in records:
        problem = too_new(paper(record), ctx.today)
        if problem:
            skipped.append(Rejected(paper(record).id, problem))
        else:
            kept.append(record)
    if skipped:
        shown = "; ".join(map(str, skipped[:5])) + (f"; and {len(skipped) - 5} more" if len(skipped) > 5 else "")
        n = len(skipped)
        ctx.warn(f"{ctx.unit}: {url}: skipped {n} record{'s' if n != 1 else ''} with a value out of bounds "
                 f"(kept the other {len(kept)}): {shown}")
    return kept


@overload
def one_per_id(records: Sequence[Paper], ctx: FetchContext) -> list[Paper]: ...


@overload
def one_per_id(records: Sequence[T], ctx: FetchContext, key: Callable[[T], str]) -> list[T]: ...


def one_per_id(records: Sequence[Any], ctx: FetchContext, key: Callable[[Any], str] = _paper_id) -> list[Any]:
    """The records of one response, one per id (snapshot.merge.first_of_each: the first
    record wins whole), warning once when an id came more than once."""
    kept, repeated = first_of_each(records, key)
    if repeated:
        ids = ", ".join(repeated[:5]) + (f" and {len(repeated) - 5} more" if len(repeated) > 5 else "")
        ctx.warn(f"{ctx.unit}: one answer lists {ids} more than once; kept the first record of each "
                 "whole and dropped the later ones")
    return kept
