"""A topic's `min_citations` rule: past its first month, a paper stays on the topic only with
at least that many citations (Semantic Scholar's count).

`min_citations = N` applies to papers announced more than CITATION_AGE_DAYS (30) days before the
site's newest day (the data's, never the clock's): a new paper has had no time to be cited, so
every paper is on the topic for its first month, and afterwards only the ones others cite. A
paper Semantic Scholar has not answered for counts 0 citations. The rule is applied at build
time on top of the topic's other rules (sitegen.topics), so a paper whose count rises later
joins the topic again, and editing the number needs no fetch. Like any rule that moves papers
between topics, it changes a topic's archive pages when it takes a paper off them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import Any, TypeVar

from sitegen.config.settings import Config, TopicConfig
from sitegen.sources.semanticscholar.record import citations_of, s2_of

CITATION_AGE_DAYS = 30

E = TypeVar("E")  # a build entry: anything with `paper`, `topics` and `digest` (sitegen.site.load.Entry)


def newest_day(entries: Iterable[Any], config: Config) -> date | None:
    """The site's newest announcement day: of the papers it publishes (not hidden; on a topic
    or, with publish_unmatched, on none). The rule never moves it: its papers are new."""
    days = [e.paper.announced for e in entries
            if not e.paper.hidden and (e.topics or config.build.publish_unmatched)]
    return max(days) if days else None


def apply_min_citations(config: Config, entries: Sequence[E]) -> Sequence[E]:
    """The entries with each topic's min_citations applied (see the module docstring). An entry
    that loses a topic gets a digest naming the topics it keeps, so every page that shows it
    (its own page lists its topics) is rendered again."""
    rules = {t.slug: t.min_citations for t in config.topics if t.min_citations}
    if not rules:
        return entries
    newest = newest_day(entries, config)
    if newest is None:
        return entries
    cutoff = newest - timedelta(days=CITATION_AGE_DAYS)
    out = []
    for entry in entries:
        e: Any = entry
        if e.paper.announced < cutoff and not rules.keys().isdisjoint(e.topics):
            cited = citations_of(e.paper)
            kept = tuple(s for s in e.topics if cited >= rules.get(s, 0))
            if kept != e.topics:
                entry = replace(e, topics=kept, digest=f"{e.digest}:{','.join(kept)}")
        out.append(entry)
    return out


def min_citations_warnings(topics: Iterable[tuple[str, TopicConfig]], entries: Iterable[Any]) -> list[str]:
    """One line for each topic with min_citations while no paper has Semantic Scholar's data:
    the rule would then take every paper older than a month off the topic."""
    ruled = [(key, t) for key, t in topics if t.min_citations]
    if not ruled or any(s2_of(e.paper) is not None for e in entries):
        return []
    return [f"{key}.min_citations = {t.min_citations}, but no paper has Semantic Scholar's citation counts, so "
            f"every paper older than {CITATION_AGE_DAYS} days leaves the topic; add \"semanticscholar\" to "
            "fetch.sources and fetch, or remove min_citations" for key, t in ruled]
