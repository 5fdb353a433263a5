"""The site model: which pages exist, what each lists, and where each lives. Pure.

Papers are grouped and sorted once (newest announcement first, id as tie-breaker) and list
pages are slices of those lists, never re-queried per page.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from sitegen import arxiv_ids
from sitegen.config.settings import Config, TopicConfig
from sitegen.site.load import Entry
from sitegen.sources.huggingface.record import upvotes_of
from sitegen.sources.semanticscholar.record import citations_of
from sitegen.topic_citations import apply_min_citations

# The index's "most upvoted" lists: the papers of these many calendar days up to the newest
# day (a week and a month, as Hugging Face's trending pages), whether or not each day had papers.
TOP_WINDOWS = (7, 30)
TOP_COUNT = 10
CITED_DAYS = 30  # the index's "most cited this month": calendar days up to the newest day
INDEX_DAYS = 14  # days listed on the index
FULL_ABSTRACT_DAYS = 30  # cards of the newest 30 days carry the whole abstract (Site.full_abstract)
# "New since your last visit" on a list page that shows part of a list (a topic's front page,
# the index) counts the list's papers off the page too, day by day, back this many calendar
# days from the newest day; past them it says "at least" (OffPage).
NEW_SINCE_DAYS = 30


@dataclass(frozen=True)
class Day:
    date: datetime.date  # spelt in full: the field's own name hides the `date` class in here
    entries: tuple[Entry, ...]
    prev: datetime.date | None  # the previous day that has papers (weekends and holidays skipped)
    next: datetime.date | None

    @property
    def url(self) -> str:
        return day_url(self.date)


@dataclass(frozen=True)
class TopicPage:
    """A topic's front page (number 0: its newest papers) or one of its archive pages.

    See `paginate` for which papers each holds.
    """

    topic: TopicConfig
    number: int
    entries: tuple[Entry, ...]  # newest first
    newer: int | None  # page number of the newer neighbour (0 = front page), None if none
    older: int | None
    first: int  # 1-based position of the page's oldest paper, counted from the oldest
    total: int | None = None  # papers in the topic: front page only, so archives stay stable

    @property
    def url(self) -> str:
        return topic_page_url(self.topic.slug, self.number)


@dataclass(frozen=True, eq=False)  # identity hashing: per-site results can be memoised
class Site:
    config: Config
    entries: tuple[Entry, ...]  # published papers (see `published`), newest first
    days: tuple[Day, ...]  # newest first
    topics: dict[str, tuple[Entry, ...]]  # slug -> newest first, in config order
    topic_pages: tuple[TopicPage, ...]
    # slug -> the most similar earlier papers (sitegen.site.related; set by the pipeline)
    related: Mapping[str, tuple[Entry, ...]] = field(default_factory=dict)
    # Papers whose pages have left the site under [build] max_site_mb (sitegen.site.retention),
    # by slug, and their days (newest first), which `days` no longer holds. Topic pages and
    # feeds still list these papers, linking to arXiv (`paper_href`).
    retired: frozenset[str] = frozenset()
    retired_days: tuple[Day, ...] = ()

    def with_pages(self) -> list[tuple[int, Entry]]:
        """(position in `entries`, entry) of every paper that has its own page: all but the
        retired ones. What paper pages, their search records and the sitemap are made of."""
        return [(i, e) for i, e in enumerate(self.entries) if e.slug not in self.retired]

    def retired_among(self, entries) -> tuple[str, ...]:
        """The slugs of those entries whose pages have left the site: the part of a list page's
        fingerprint that says which cards link to arXiv."""
        return tuple(e.slug for e in entries if e.slug in self.retired) if self.retired else ()

    @property
    def newest_day(self) -> Day | None:
        return self.days[0] if self.days else None

    def full_abstract(self, day: date) -> bool:
        """Whether cards of papers announced on `day` carry the whole abstract (folded) or its
        first sentences and a link to the rest: the whole one within FULL_ABSTRACT_DAYS
        calendar days ending with the newest day (from the data, never the clock), what
        readers read; older days are reached from archives and search."""
        return bool(self.days) and (self.days[0].date - day).days < FULL_ABSTRACT_DAYS

    def most_upvoted(self, days: int) -> tuple[Entry, ...]:
        """The TOP_COUNT most upvoted papers announced in the `days` calendar days ending with
        the newest day: a quiet fortnight before it leaves the week's list short, never
        filled with older papers."""
        if not self.days:
            return ()
        since = self.days[0].date - timedelta(days=days - 1)
        recent = [e for d in self.days if d.date >= since for e in d.entries if _upvotes(e)]
        return tuple(by_upvotes(recent)[:TOP_COUNT])

    def most_cited(self, days: int = CITED_DAYS) -> tuple[Entry, ...]:
        """The TOP_COUNT papers announced in the `days` calendar days ending with the newest day
        that Semantic Scholar counts the most citations for (papers without any left out)."""
        if not self.days:
            return ()
        since = self.days[0].date - timedelta(days=days - 1)
        cited = [e for d in self.days if d.date >= since for e in d.entries if citations_of(e.paper)]
        return tuple(sorted(cited, key=lambda e: -citations_of(e.paper))[:TOP_COUNT])


@dataclass(frozen=True)
class OffPage:
    """A list's papers that its page does not show, as site.js reads them to count the papers
    new since a reader's last visit across the whole list, not only the page.

    `counts`: "YYYY-MM-DD:N ..." (newest first), N papers of that announcement day off the page;
    `after`: the counts hold every such paper announced after this day, and none before it
    ("": every one)."""

    counts: str = ""
    after: str = ""


def off_page(listed, shown, newest: date | None) -> OffPage:
    """What of `listed` (newest first) is not among `shown`, by day, for the NEW_SINCE_DAYS
    calendar days ending with `newest` (the site's newest day: from the data, never the clock)."""
    on_page = {e.slug for e in shown}
    since = newest - timedelta(days=NEW_SINCE_DAYS) if newest else None
    counts: dict[date, int] = {}
    after = ""
    for e in listed:
        if e.slug in on_page:
            continue
        if since is not None and e.paper.announced <= since:
            after = since.isoformat()
            break
        counts[e.paper.announced] = counts.get(e.paper.announced, 0) + 1
    return OffPage(" ".join(f"{d.isoformat()}:{n}" for d, n in counts.items()), after)


def by_upvotes(entries) -> list[Entry]:
    """Most upvoted first; a stable sort, so ties (and papers without upvotes) keep their order."""
    return sorted(entries, key=lambda e: -_upvotes(e))


def has_upvotes(entries) -> bool:
    return any(_upvotes(e) for e in entries)


def _upvotes(entry: Entry) -> int:
    """The paper's Hugging Face upvotes; 0 when it has none or they are unknown."""
    return upvotes_of(entry.paper)


def sort_newest_first(entries) -> list[Entry]:
    return sorted(entries, key=lambda e: (e.paper.announced, e.paper.id), reverse=True)


def day_order(entries) -> list[Entry]:
    """A day's papers as its page lists them: most upvoted first where there are upvotes,
    then arXiv's order (newest id first). The e-mail digest uses it too, so a reader who
    follows a digest to the day page finds the papers in the same order."""
    return by_upvotes(sort_newest_first(entries))


def published(entry: Entry, config: Config) -> bool:
    """Whether a paper is on the site: not hidden by hand, and on a topic (unless
    `[build] publish_unmatched`). Every page, feed, the sitemap and search list only these."""
    return not entry.paper.hidden and (bool(entry.topics) or config.build.publish_unmatched)


def build_site(config: Config, entries: list[Entry]) -> Site:
    entries = list(apply_min_citations(config, entries))  # topics' min_citations (sitegen.topic_citations)
    visible = sort_newest_first(e for e in entries if published(e, config))
    by_day: dict[date, list[Entry]] = {}
    for e in visible:
        by_day.setdefault(e.paper.announced, []).append(e)
    dates = sorted(by_day, reverse=True)
    days = tuple(
        Day(d, tuple(by_day[d]), dates[i + 1] if i + 1 < len(dates) else None, dates[i - 1] if i else None)
        for i, d in enumerate(dates)
    )
    topics: dict[str, list[Entry]] = {t.slug: [] for t in config.topics}
    for e in visible:
        for slug in e.topics:
            topics[slug].append(e)
    pages = [page for t in config.topics for page in paginate(t, topics[t.slug], config.site.per_page)]
    return Site(config, tuple(visible), days, {k: tuple(v) for k, v in topics.items()}, tuple(pages))


def paginate(topic: TopicConfig, listed: list[Entry], per_page: int) -> list[TopicPage]:
    """The front page and the archive pages of a topic whose papers are `listed` newest first.

    Papers are counted from the oldest, and archive page N holds papers (N-1)*per_page+1 to
    N*per_page: an archive page is always full and, once it exists, never changes (its URL
    keeps showing the same papers). The front page holds every paper not on an archive page:
    the newest full block of `per_page` plus those that arrived since (per_page to
    2*per_page-1 papers; all of them while the topic has fewer than 2*per_page). So the
    front page and the page its "older" link leads to never share a paper, and a new paper
    changes only the front page, except once every `per_page` papers, when the front page's
    oldest block becomes a new archive page and the newest archive page's "newer" link moves
    to it.
    """
    total = len(listed)
    archived = max(total // per_page - 1, 0)  # archive pages: every full block but the newest
    on_front = total - archived * per_page
    pages = [TopicPage(topic, 0, tuple(listed[:on_front]), None, archived or None,
                       archived * per_page + 1, total)]
    for n in range(1, archived + 1):
        end = total - (n - 1) * per_page  # listed is newest first: block n ends here
        pages.append(TopicPage(topic, n, tuple(listed[end - per_page:end]), n + 1 if n < archived else 0,
                               n - 1 if n > 1 else None, (n - 1) * per_page + 1))
    return pages


# --- URLs: every page is a folder with index.html, relative to the site root --------------------

def paper_url(slug: str) -> str:
    return f"papers/{slug}/"


def day_url(d: date) -> str:
    return f"days/{d.isoformat()}/"


def topic_url(slug: str) -> str:
    return f"topics/{slug}/"


def topic_page_url(slug: str, number: int) -> str:
    return topic_url(slug) if number == 0 else f"topics/{slug}/page/{number}/"


def paper_href(entry: Entry, root: str, retired: frozenset[str], fragment: str = "") -> str:
    """Where a link to a paper leads: its page (with `fragment`), or its arXiv page once its
    own has left the site."""
    if entry.slug in retired:
        return arxiv_ids.abs_url(entry.paper.id)
    return root + paper_url(entry.slug) + fragment


def output_path(url: str) -> str:
    """The file in output/ that serves a page URL."""
    return url + "index.html" if url.endswith("/") or not url else url


def relative_root(url: str) -> str:
    """The prefix leading from a page back to the site root ('' or '../../'), so links work
    both under a sub-path (GitHub project pages) and at a domain root."""
    depth = url.count("/")
    return "../" * depth if depth else "./"


def weekend_gap(newer: date, older: date) -> bool:
    """True when days without announcements lie between two announcement days."""
    return (newer - older) > timedelta(days=1)
