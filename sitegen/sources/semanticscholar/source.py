"""Semantic Scholar as a registered source: citations, venue, TLDR and open-access PDF of the
papers content/ already holds, asked in batches of 500 arXiv ids.

It adds to papers, never makes one: each batch is a unit whose records come back as
`Harvest.annotations`, written into the paper's `semanticscholar:` key (an unknown paper's are
dropped). Which papers a night asks about, within `max_calls` requests, is
sitegen.sources.semanticscholar.rotation's. It is best effort: a failed batch changes nothing
and is reported, and it does not make the nightly fetch fail (sitegen.fetch.pipeline).

No key is needed. With `SITEGEN_S2_API_KEY` in the environment it is sent as `x-api-key` (a
key has its own rate limit, where keyless requests share one pool); it is never printed, and
anything a server says back has it blanked.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from sitegen.errors import ParseError, SourceError
from sitegen.fetch.http.policy import ACCEPT_JSON
from sitegen.fetch.known import known_papers
from sitegen.sources.base import Annotation, FetchContext, Harvest, HttpSettings, Source, Unit
from sitegen.sources.registry import register
from sitegen.sources.semanticscholar.batch import FIELDS, MAX_IDS, error_of, parse_batch, request_body
from sitegen.sources.semanticscholar.record import NAME
from sitegen.sources.semanticscholar.rotation import AskedMemory, tonight
from sitegen.sources.semanticscholar.snapshot_key import KEY

if TYPE_CHECKING:
    from sitegen.fetch.plan import FetchPlan

API_KEY_ENV = "SITEGEN_S2_API_KEY"
_KEY = re.compile(r"[\x21-\x7e]{1,200}")  # what an HTTP header value carries as it is


@dataclass(frozen=True)
class SemanticScholarSettings(HttpSettings):
    RANGES: ClassVar[dict[str, tuple[float, float]]] = {
        **HttpSettings.RANGES,
        "max_calls": (0, 10_000),  # 0: ask nothing; 10,000 calls would be 5M papers a night
        "recheck_days": (1, 3_650),
    }
    api_url: str = "https://api.semanticscholar.org/graph/v1/paper/batch"
    min_interval: float = 1.0  # Semantic Scholar asks for at most one request a second
    max_calls: int = 40  # batch requests a night, 500 papers each (rotation.py says why 40)
    recheck_days: int = 30  # a paper older than 30 days is asked about again after this many days


@register
class SemanticScholarSource(Source):
    name = NAME
    settings_type = SemanticScholarSettings
    snapshot_key = KEY
    best_effort = True
    # Asked for by name (`fetch.sources`; the shipped sitegen.toml does): a config that names
    # no sources keeps fetching what it always did, and no third party is asked unasked.
    enabled_by_default = False

    def units(self, plan: FetchPlan) -> Iterable[Unit]:
        assert isinstance(self.settings, SemanticScholarSettings)
        if plan.content is None:
            return
        self.known = dict(known_papers(plan.content))
        self.memory = AskedMemory(self.state_dir, plan.today)
        ids = tonight(self.known.items(), self.memory.asked, plan.today, self.settings.recheck_days,
                      self.settings.max_calls * MAX_IDS)
        chunks = list(batches(ids))
        for number, chunk in enumerate(chunks, 1):
            yield Unit(f"semanticscholar batch {number}/{len(chunks)}", partial(self.batch, chunk))

    def batch(self, ids: list[str], ctx: FetchContext) -> Harvest:
        assert isinstance(self.settings, SemanticScholarSettings)
        if self.memory.problem:
            ctx.warn(self.memory.problem)
            self.memory.problem = None
        url, key = self.settings.api_url, os.environ.get(API_KEY_ENV, "").strip()
        if key and not _KEY.fullmatch(key):  # requests would refuse it, quoting it in its error
            raise SourceError(url, f"${API_KEY_ENV} is not an API key (it holds spaces or characters a header "
                                   "cannot carry, or is over 200 characters); fix it or unset it")
        try:
            response = self.client.post_json(url, self.settings.policy(self.name), request_body(ids),
                                             accept=ACCEPT_JSON, params={"fields": FIELDS},
                                             headers={"x-api-key": key} if key else None, ok_status=(200, 400, 404))
            if response.status != 200:  # its error body says what was wrong: more use than the status
                raise SourceError(response.url, f"HTTP {response.status}: Semantic Scholar says "
                                                f"\"{error_of(response.body)}\"; check [sources.{self.name}] api_url")
            answer = parse_batch(response.body, ids)
        except SourceError as exc:
            raise SourceError(exc.url, _blank(exc.message, key)) from None
        except ParseError as exc:
            raise SourceError(url, _blank(f"{exc}; the answer was cut off or garbled, try again later", key)) from None
        for asked, named in answer.mismatched:
            ctx.warn(f"{ctx.unit}: Semantic Scholar answered for arXiv:{named} where arXiv:{asked} was asked; "
                     "dropped that answer (the next fetch asks again)")
        wrong = {asked for asked, _ in answer.mismatched}
        self.memory.answered(i for i in ids if i not in wrong)
        ctx.status(f"{len(answer.records)} of {len(ids)} papers known to Semantic Scholar")
        return Harvest(annotations=[Annotation(paper_id, NAME, record) for paper_id, record in answer.records])

    def finish(self) -> None:
        memory = getattr(self, "memory", None)
        if memory is not None:
            memory.save(set(self.known))


def _blank(text: str, key: str) -> str:
    """`text` with the API key blanked, should a server have echoed it back."""
    return text.replace(key, "***") if key else text


def batches(ids: list[str]) -> Iterator[list[str]]:
    """The ids in requests of at most MAX_IDS, in order."""
    for start in range(0, len(ids), MAX_IDS):
        yield ids[start:start + MAX_IDS]
