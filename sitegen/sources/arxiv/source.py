"""arXiv as a registered source: its `[sources.arxiv]` settings and the units of one fetch.

The units: one API search per topic (papers submitted in the window that match the topic's
query) and, when the window reaches today, one RSS batch per distinct set of categories
(listing pages when RSS fails or is unexpectedly empty). arXiv can also complete papers other
sources only half know, by id_list.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from sitegen.sources.arxiv import RATE_EXCEEDED
from sitegen.sources.base import FetchContext, HttpSettings, Source, Unit
from sitegen.sources.registry import register

if TYPE_CHECKING:
    from sitegen.fetch.http.client import HttpClient
    from sitegen.fetch.plan import FetchPlan
    from sitegen.model import Paper

@dataclass(frozen=True)
class ArxivSettings(HttpSettings):
    api_url: str = "https://export.arxiv.org/api/query"
    rss_url: str = "https://rss.arxiv.org/rss/"
    list_url: str = "https://arxiv.org/list/"
    min_interval: float = 3.0  # arXiv asks for at least 3 s between calls
    page_size: int = 100
    # API result pages per topic search: 300 pages of 100 is arXiv's own 30,000-result cap.
    max_pages: int = 300
    # /list/<cat>/recent pages of 2,000 per category: five announcement days of the busiest
    # category (cs.LG with cross-lists) fit in about four.
    max_list_pages: int = 10

    RANGES: ClassVar[dict[str, tuple[float, float]]] = {
        **HttpSettings.RANGES,
        "page_size": (1, 2_000),  # arXiv's API returns at most 2,000 results a call
        "max_pages": (1, 30_000),  # arXiv's 30,000-result cap, one result a page
        "max_list_pages": (1, 1_000),
    }


@register
class ArxivSource(Source):
    name = "arxiv"
    settings_type = ArxivSettings
    can_lookup = True

    def __init__(self, settings: HttpSettings, client: HttpClient, state_dir: Path | None):
        super().__init__(settings, client, state_dir)
        assert isinstance(settings, ArxivSettings)
        # Network code and parsers load only when a fetch creates the source: a build reads
        # the settings class (to check [sources.arxiv]) and nothing else of it.
        from sitegen.sources.arxiv.fetch import ArxivRequests
        from sitegen.sources.arxiv.rss_memory import RssMemory

        self.memory = RssMemory(state_dir)
        self.requests = ArxivRequests(client, settings, settings.policy(self.name, RATE_EXCEEDED), self.memory)

    def units(self, plan: FetchPlan) -> Iterable[Unit]:
        for topic in plan.topics:
            yield Unit(f"arxiv api {topic.slug}", partial(self.requests.search, topic))
        if plan.until >= plan.today:  # the RSS batch is today's: only a window reaching today wants it
            for cats in category_sets(plan):
                yield Unit(f"arxiv rss {'+'.join(cats)}", partial(self.requests.announcements, cats))

    def lookup(self, ids: Iterable[str], ctx: FetchContext) -> list[Paper]:
        return self.requests.lookup(ids, ctx)

    def finish(self) -> None:
        self.memory.save()


def category_sets(plan: FetchPlan) -> list[tuple[str, ...]]:
    """One RSS feed per distinct set of categories, in topic order (topics may share a set)."""
    seen: dict[tuple[str, ...], None] = {}
    for topic in plan.topics:
        if topic.categories:
            seen.setdefault(tuple(sorted(set(topic.categories))), None)
    return list(seen)
