"""Hugging Face Daily Papers as a registered source: one unit per day in the window.

Hugging Face knows no arXiv categories, so a day's papers that content/ does not already
place are completed by a source that can look papers up (arXiv's id_list) within the same
unit: either the day arrives whole, with what topic rules need, or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from sitegen.errors import ParseError, SourceError
from sitegen.fetch.http.policy import ACCEPT_JSON
from sitegen.sources.base import FetchContext, Harvest, HttpSettings, Source, Unit, in_bounds, one_per_id
from sitegen.sources.huggingface.daily import daily_url, parse_daily_page
from sitegen.sources.huggingface.snapshot_key import KEY
from sitegen.sources.registry import register

if TYPE_CHECKING:
    from sitegen.fetch.plan import FetchPlan


@dataclass(frozen=True)
class HuggingFaceSettings(HttpSettings):
    api_url: str = "https://huggingface.co/api/daily_papers"


@register
class HuggingFaceSource(Source):
    name = "huggingface"
    settings_type = HuggingFaceSettings
    snapshot_key = KEY  # `huggingface:`; its records ride on the papers it gives (Paper.extras)

    def units(self, plan: FetchPlan) -> Iterable[Unit]:
        for day in plan.days():
            yield Unit(f"huggingface {day}", partial(self.day, day))

    def day(self, day: date, ctx: FetchContext) -> Harvest:
        assert isinstance(self.settings, HuggingFaceSettings)
        url = daily_url(self.settings.api_url, day)
        body = self.client.get(url, self.settings.policy(self.name), accept=ACCEPT_JSON).body
        try:
            parsed = parse_daily_page(body, day)
        except ParseError as exc:
            raise SourceError(url, f"{exc}; the answer was cut off or garbled, try again later") from None
        papers = one_per_id(in_bounds(parsed.papers, ctx, url, parsed.rejected), ctx)
        ctx.status(f"{len(papers)} papers")
        harvest = Harvest(candidates=papers)
        missing = [p.id for p in papers if ctx.needs_lookup(p.id)]
        if missing:
            ctx.status(f"{len(papers)} papers; completing {len(missing)} from another source")
            harvest.candidates += ctx.complete(missing, ctx)
        return harvest
