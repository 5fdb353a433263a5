"""Talking to Hugging Face Daily Papers: one request per day in the window.

Hugging Face knows no arXiv categories, so a day's papers that content/ does not already
place are completed from the arXiv API (by id_list) within the same unit: either the day
arrives whole, with what topic rules need, or not at all.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sitegen.config.load import HuggingFaceSourceConfig
from sitegen.errors import ParseError, SourceError
from sitegen.sources.arxiv.fetch import ArxivContext, ArxivSource, one_per_id
from sitegen.fetch.write import Harvest
from sitegen.fetch.http.client import ACCEPT_JSON, HttpClient, SitePolicy
from sitegen.sources.huggingface.daily import daily_url, parse_daily


def hf_policy(cfg: HuggingFaceSourceConfig) -> SitePolicy:
    return SitePolicy("huggingface", min_interval=cfg.min_interval, connect_timeout=min(cfg.timeout, 10.0),
                      read_timeout=cfg.timeout, retries=cfg.retries, backoff=max(1.0, cfg.min_interval),
                      deadline=cfg.deadline, max_bytes=cfg.max_bytes, max_redirects=cfg.max_redirects)


class HuggingFaceSource:
    def __init__(self, client: HttpClient, cfg: HuggingFaceSourceConfig, arxiv: ArxivSource):
        self.client, self.cfg, self.arxiv = client, cfg, arxiv
        self.policy = hf_policy(cfg)

    def day(self, day: date, ctx: ArxivContext, needs_lookup: Callable[[str], bool]) -> Harvest:
        url = daily_url(self.cfg.api_url, day)
        body = self.client.get(url, self.policy, accept=ACCEPT_JSON).body
        try:
            papers = parse_daily(body, day)
        except ParseError as exc:
            raise SourceError(url, f"{exc}; the answer was cut off or garbled, try again later") from None
        papers = one_per_id(papers, ctx)
        ctx.status(f"{len(papers)} papers")
        harvest = Harvest(candidates=papers)
        missing = [p.id for p in papers if needs_lookup(p.id)]
        if missing:
            ctx.status(f"{len(papers)} papers; completing {len(missing)} from the arXiv API")
            harvest.candidates += self.arxiv.lookup(missing, ctx)
        return harvest
