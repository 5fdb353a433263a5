"""`[build] max_site_mb`: which announcement days keep their paper pages and day page so the
published site stays under a size (GitHub Pages publishes at most 1 GB).

The newest days are kept while the estimated site fits; every older day leaves whole: its
paper pages and its day page are no longer planned, so the build's normal pruning removes the
ones an earlier build wrote. Everything else stays: snapshots in content/, topic pages (whose
cards of retired papers link to arXiv), feeds, the index and the days list.

The cut is decided from sitegen.site.size_model's estimate, the output units' weights of the
site model added up: the same content and config give the same cut whatever output/ or the
cache hold, so a cold and an incremental build write the same bytes. The warnings quote the real size of
output/, measured after the build.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from sitegen.site import size_model
from sitegen.site.model import Site
from sitegen.site.size_model import Weight

MB = 1_000_000  # decimal, as GitHub states the Pages limit: the cautious reading of "1 GB"
WARN_SHARE = 0.8  # warn from this share of the limit on, before anything has to leave


def limit_bytes(site: Site) -> int:
    """The configured limit in bytes; 0 when there is none."""
    return round(site.config.build.max_site_mb * MB)


def retire_oldest_days(site: Site, weigh: Callable[[Site], Iterable[Weight]]) -> tuple[Site, int]:
    """The site with its oldest days' paper and day pages retired until the estimate fits;
    `weigh` gives every output unit's weight of a site (sitegen.render.outputs.registry.weigh).

    The newest day always stays, even alone over the limit (the warning then says so): a
    site without its newest papers would serve no one. Also returns the bytes the size model
    expects the kept site to weigh (0 without a limit). When no day leaves, the site returned
    is the one weighed, not a copy: what the outputs memoised per site while weighing it (period
    views, feed scopes: sitegen.render.outputs) serves the pages too, not computed twice."""
    limit = limit_bytes(site)
    if not limit or not site.days:
        return site, 0
    estimate = size_model.estimate(site, weigh(site))
    total = estimate.fixed
    kept = 0
    for cost in estimate.days:  # newest first
        if kept and total + cost.bytes > limit:
            break
        total += cost.bytes
        kept += 1
    if kept == len(site.days):
        return site, total
    days = (*site.days[:kept - 1], replace(site.days[kept - 1], prev=None))  # no link to a retired day
    gone = site.days[kept:]
    return replace(site, days=days, retired_days=gone,
                   retired=frozenset(e.slug for day in gone for e in day.entries)), total


@dataclass(frozen=True)
class SizeFacts:
    """What the size warning needs from the site, taken before the build lets the site go
    (the model is freed before Pagefind runs, and output/ is only measured after it)."""

    limit: int  # bytes; 0: no limit
    retired: str  # retired_summary(), or "" when no day left the site
    estimate: int  # bytes the size model expects

    @property
    def worth_measuring(self) -> bool:
        """Whether output/ may be near the limit: only then is it walked to weigh it (at 125k
        papers a walk costs seconds). The estimate runs high; ESTIMATE_SLACK covers the most
        it was measured to fall short by."""
        return bool(self.limit) and (bool(self.retired) or self.estimate * ESTIMATE_SLACK >= WARN_SHARE * self.limit)


ESTIMATE_SLACK = 1.1  # the size model fell short by at most 5% on the sites it was fitted to


def size_facts(site: Site, estimate: int) -> SizeFacts:
    return SizeFacts(limit_bytes(site), retired_summary(site) if site.retired_days else "", estimate)


def size_warnings(facts: SizeFacts, output_bytes: int) -> tuple[str, ...]:
    """One line when output/ is near or over the limit, or pages have left the site."""
    limit = facts.limit
    if not limit or (output_bytes < WARN_SHARE * limit and not facts.retired):
        return ()
    size = f"output/ is {_mb(output_bytes)} MB of the {_mb(limit)} MB limit ([build] max_site_mb)"
    if output_bytes > limit:
        # The cut comes from an estimate; the real bytes are what Pages counts.
        size = (f"output/ is {_mb(output_bytes)} MB, over the {_mb(limit)} MB limit ([build] max_site_mb): "
                "the estimate the cut is made from fell short (lower max_site_mb) or the pages that stay "
                "(topic pages, feeds, the newest day) exceed it alone")
    if not facts.retired:
        return (f"{size}; once it is reached, the oldest days' paper pages leave the site "
                "(README: Size and retention)",)
    return (f"{size}; {facts.retired} have left the site (content/ keeps them; topic pages list "
            "them, linking to arXiv)",)


def retired_summary(site: Site) -> str:
    """'N days (YYYY-MM-DD..YYYY-MM-DD) of paper pages, P papers'."""
    days = site.retired_days
    span = days[0].date.isoformat() if len(days) == 1 else f"{days[-1].date}..{days[0].date}"
    papers = sum(len(day.entries) for day in days)
    return (f"{len(days)} day{'' if len(days) == 1 else 's'} ({span}) of paper pages, "
            f"{papers} paper{'' if papers == 1 else 's'},")


def _mb(size: int) -> str:
    """Whole MB, or one decimal below 10 MB (a small test limit reads sensibly too)."""
    return f"{size / MB:.1f}" if size < 10 * MB else f"{size / MB:.0f}"
