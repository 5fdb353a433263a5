"""What one `sitegen fetch` will do: the date window, the topics and the sources.

Turns the command line's --days / --since / --until / --topic / --source and the config into
one checked plan, raising UsageError (exit 2) for anything the user must fix. Pure: "today"
is passed in, so tests and the nightly job agree on what a window means.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sitegen.config.settings import Config, TopicConfig
from sitegen.errors import UsageError
from sitegen.limits import EARLIEST_DAY, MAX_DAYS, latest_fetched
from sitegen.sources import registry


@dataclass(frozen=True)
class FetchPlan:
    today: date  # arXiv's day (New York) when the fetch runs
    since: date
    until: date
    topics: tuple[TopicConfig, ...]
    sources: tuple[str, ...]
    backfill: bool  # an explicit --since window rather than the nightly look-back
    content: Path | None = None  # the snapshot folder the fetch writes: what is already known

    def days(self) -> list[date]:
        """Every day in the window, oldest first."""
        return [self.since + timedelta(days=i) for i in range((self.until - self.since).days + 1)]


def make_plan(config: Config, *, today: date, days: int | None = None, since: date | None = None,
              until: date | None = None, topics: list[str] | tuple[str, ...] = (),
              sources: list[str] | tuple[str, ...] = ()) -> FetchPlan:
    if days is not None and (since is not None or until is not None):
        raise UsageError("use either --days or --since/--until, not both")
    if until is not None and since is None:
        raise UsageError("--until needs --since (the window's first day)")
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise UsageError(f"--days must be in 1..{MAX_DAYS:,}, got {days:,}")
    if since is not None:
        until = until or today
        if since > until:
            raise UsageError(f"--since {since} is after --until {until}; give the earlier day first")
        if since < EARLIEST_DAY:  # a window of days before arXiv is only requests that find nothing
            raise UsageError(f"--since {since} is before {EARLIEST_DAY} (arXiv began in August 1991)")
        if until > latest_fetched(today):
            raise UsageError(f"--until {until} is after today ({today}, arXiv's day): nothing is announced "
                             "in the future")
        window = (since, until)
    else:
        # "Look back N days": today and the N days before it. arXiv announces papers a day or
        # more (over weekends, three) after submission, so the window must reach back past
        # the latest announcement's submissions.
        n = days if days is not None else config.fetch.days
        window = (today - timedelta(days=n), today)

    chosen = _pick_topics(config, topics)
    chosen_sources = _pick_sources(config, sources)
    return FetchPlan(today=today, since=window[0], until=window[1], topics=chosen,
                     sources=chosen_sources, backfill=since is not None, content=config.build.content)


def _pick_topics(config: Config, slugs) -> tuple[TopicConfig, ...]:
    if not slugs:
        return config.topics
    by_slug = {t.slug: t for t in config.topics}
    unknown = [s for s in slugs if s not in by_slug]
    if unknown:
        known = ", ".join(by_slug) or "none configured"
        raise UsageError(f"unknown topic {unknown[0]!r} for --topic; topics in {config.path.name}: {known}")
    wanted = set(slugs)
    return tuple(t for t in config.topics if t.slug in wanted)  # config order, no duplicates


def _pick_sources(config: Config, names) -> tuple[str, ...]:
    if not names:
        return tuple(config.fetch.sources)
    known = registry.registered()
    unknown = [n for n in names if n not in known]
    if unknown:
        raise UsageError(f"unknown source {unknown[0]!r} for --source; expected one of {', '.join(known)}")
    wanted = set(names)
    return tuple(s for s in known if s in wanted)  # registration order: the order they run in
