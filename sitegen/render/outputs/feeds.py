"""RSS 2.0 and Atom 1.0 feeds with feedgen: one function for every scope (site, each topic).

The output unit plans rss.xml and atom.xml for the site and for every topic.

Each feed carries every paper of its newest `feed_days` announcement days and at least
`feed_items` papers (`feed_entries`), so no paper of a busy day is ever cut off. Item ids
(Atom id, RSS guid) are the version-less arXiv abs URL, the same in every feed and stable
forever (as arXiv's own feeds do), so a reader never shows a paper again after a new
version, and one that keeps an item per id (newsboat, Thunderbird) lists a paper of several
topics once (feeds.opml lists the topic feeds only: README, Feeds); dates come from the data
(announcement, newest version), never from the clock.

A paper revised since its announcement (v2 or later) says so first in its item ("Revised: v3,
12 Sep 2026: camera-ready ..."), with the same id, and the item's `updated` moves to the new
version's date. A paper whose newest version was announced within a feed's days is in the
feed again however old it is (`feed_entries`), so a reader learns of the revision once and
never meets a second item for it (sitegen.versions).

Items of one day get distinct times, so a reader can order them: the day's announcement time
plus the paper's place in the day's listing, in seconds, counted from the listing's oldest
paper (`listing_ranks`). The time is the site's, so a paper has one time in every feed, and the
feed's order (newest first, by announcement day and id, as every page lists them) is the order
of its times in RSS and Atom alike.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from sitegen import arxiv_ids
from sitegen.config.settings import Config
from sitegen.limits import FEED_AUTHORS
from sitegen.model import Paper
from sitegen.render.outputs.base import NavLink, Output, Page, digests, fingerprint, retired_part
from sitegen.render.outputs.registry import register
from sitegen.site.load import Entry
from sitegen.site.model import Site, paper_href, topic_url
from sitegen.site.size_model import Weight, text_bytes
from sitegen.text import markup
from sitegen.versions import revisions, version_mark

if TYPE_CHECKING:  # imported where a feed is made: a build with nothing to render needs none
    from feedgen.feed import FeedGenerator

    from sitegen.render.renderer import Renderer

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# What a feed item weighs in RSS or Atom, which both carry the abstract (sitegen.site.size_model):
# feeds stay when days are retired.
FEED_ITEM_BASE, FEED_ITEM_PER_TEXT_BYTE = 800, 1.1


@dataclass(frozen=True)
class FeedScope:
    """What one pair of feeds covers: the site (folder "") or a topic (folder "topics/x/")."""

    folder: str
    title: str
    description: str
    entries: tuple[Entry, ...]  # newest first, already cut by feed_entries
    # The feed's date when it has no item: the site's newest announcement (a feed validator
    # calls 1970 implausible), still from the data, never the clock.
    quiet_updated: datetime = _EPOCH
    # Each entry's place in its day's listing on the site (`listing_ranks`), in `entries`'
    # order; empty: counted within `entries` themselves.
    ranks: tuple[int, ...] = ()
    # What an item says (`item_html` by default: the abstract); a follow's feeds say less
    # (sitegen.render.outputs.follow_feeds).
    item_body: Callable[[Entry], str] | None = None

    def item_ranks(self) -> tuple[int, ...]:
        return self.ranks or tuple(listing_ranks(self.entries)[e.slug] for e in self.entries)


# The last second of a day: a day listing more papers than seconds in a day (none has come
# near: arXiv's busiest announce a few thousand) keeps the rest at its last second, in its day.
_MAX_RANK = 86399


def announced_at(entry: Entry) -> datetime:
    """The announcement's time: 00:00 UTC of the announcement day (20:00 in New York, when
    arXiv announces, in summer)."""
    return datetime.combine(entry.paper.announced, time(0, 0), tzinfo=UTC)


def listing_ranks(entries: Iterable[Entry]) -> dict[str, int]:
    """{slug: place in its day's listing}: 0 for the day's oldest paper (lowest id), 1 for the
    next... `entries` newest first, as Site lists them. Counted from the oldest, so a new
    paper of the day (a higher id) changes no other paper's rank."""
    count: dict[object, int] = {}
    for e in entries:
        count[e.paper.announced] = count.get(e.paper.announced, 0) + 1
    ranks = {}
    for e in entries:
        count[e.paper.announced] -= 1
        ranks[e.slug] = min(count[e.paper.announced], _MAX_RANK)
    return ranks


def item_published(entry: Entry, rank: int = 0) -> datetime:
    """The item's time: the announcement plus its place in the day's listing, in seconds."""
    return announced_at(entry) + timedelta(seconds=rank)


def item_updated(entry: Entry, rank: int = 0) -> datetime:
    """The item's time, or later once a new version appeared after the announcement: it moves
    with every new version. A first version's own date (before the announcement, or the
    day's RSS time after it) leaves it at the item's time, so the day's items stay ordered.
    A new version's date gets the rank's seconds too: an RSS batch of replacements carries
    one date for all, and they stay ordered as well."""
    published = item_published(entry, rank)
    paper = entry.paper
    if (paper.version or 1) > 1:
        return max(published, paper.last_changed + timedelta(seconds=rank))
    return published


def render_feed(scope: FeedScope, config: Config, kind: str, retired: frozenset[str] = frozenset()) -> bytes:
    """The bytes of `<folder>rss.xml` (kind "rss") or `<folder>atom.xml` (kind "atom"); items
    of `retired` papers (whose pages have left the site) link to arXiv."""
    page = urljoin(config.site.base_url, scope.folder)
    fg = _feed(scope, config, page, urljoin(page, f"{kind}.xml"), kind, retired)
    # Compact, not pretty: readers do not look at the indentation, which was 4% of a feed.
    return fg.rss_str(pretty=False) if kind == "rss" else fg.atom_str(pretty=False)


def _feed(scope: FeedScope, config: Config, page: str, self_url: str, kind: str,
          retired: frozenset[str]) -> FeedGenerator:
    from feedgen.feed import FeedGenerator

    fg = FeedGenerator()
    fg.load_extension("dc", atom=False, rss=True)
    fg.id(page)
    fg.title(scope.title)
    fg.subtitle(scope.description or scope.title)  # RSS requires a non-empty description
    # feedgen takes the RSS <link> from the last link given, so the page comes after self.
    fg.link(href=self_url, rel="self", type=f"application/{kind}+xml")
    fg.link(href=page, rel="alternate")
    fg.language(config.site.language)
    fg.author({"name": config.site.title})  # Atom needs a feed author when an item has none
    ranks = scope.item_ranks()
    newest = max((item_updated(e, r) for e, r in zip(scope.entries, ranks, strict=True)), default=scope.quiet_updated)
    fg.updated(newest)
    fg.lastBuildDate(newest)
    fg.generator("sitegen", uri="https://github.com/sitegen/sitegen")
    for entry, rank in zip(scope.entries, ranks, strict=True):
        _add_item(fg, entry, paper_href(entry, config.site.base_url, retired), kind, rank,
                  scope.item_body or item_html)
    return fg


def _add_item(fg: FeedGenerator, entry: Entry, link: str, kind: str, rank: int,
              body_of: Callable[[Entry], str]) -> None:
    paper = entry.paper
    fe = fg.add_entry(order="append")
    # From the id, not the snapshot's `abs` link: a hand-edited or versioned link must not
    # give the paper a second identity.
    guid = arxiv_ids.abs_url(paper.id)
    fe.id(guid)
    fe.guid(guid, permalink=False)
    fe.title(markup.plain_line(paper.title))  # readers show titles as text: "CT-ΔBench", not TeX
    fe.link(href=link)
    fe.published(item_published(entry, rank))
    fe.updated(item_updated(entry, rank))
    named = paper.authors[:FEED_AUTHORS]
    if named:
        # One call with the list: feedgen re-walks every author it holds on each call, so
        # adding them one by one was quadratic (30,000 authors: a minute for one item).
        fe.author([{"name": name} for name in named])
        fe.dc.dc_creator(credit(paper.authors))
    for cat in paper.categories:
        # The term alone: a label repeated it, and the scheme (arXiv's archive URL), which no
        # reader shows, was 3% of a feed's bytes.
        fe.category(term=cat)
    body = body_of(entry)
    # description first: feedgen's description() also sets the Atom content, without a type,
    # so content(type="html") must come after it or readers show the tags as text. Only for
    # Atom: in RSS it would add a content:encoded copy of the description, doubling the feed
    # (a 600-paper day: 2.4 MB instead of 1.2 MB) for no reader's gain.
    fe.description(body)
    if kind == "atom":
        fe.content(body, type="html")


def item_html(entry: Entry) -> str:
    """The item body: the version mark of a revised paper, the authors, the abstract with the
    page's words (text-mode TeX read, math as Unicode text with <i>, <sub>, <sup>:
    markup.feed_html), and the paper's links."""
    paper = entry.paper
    esc = html.escape
    authors = f"<p>{esc(credit(paper.authors))}</p>" if paper.authors else ""
    links = [f'<a href="{esc(url)}">{esc(kind)}</a>' for kind, url in paper.links.items()]
    # feed_html escapes every character of the text itself (and sanitizes a Markdown body).
    return revision_html(paper) + markup.sanitize(authors, rel=False) + markup.feed_html(paper.abstract) + \
        markup.sanitize("<p>" + " · ".join(links) + "</p>" if links else "", rel=False)


def revision_html(paper: Paper) -> str:
    """"<p>Revised: v3, 12 Sep 2026: <comment></p>" (the comment escaped, its TeX read as in the
    abstract); "" for a paper at its first version. First in the item, so a reader that shows
    a changed item shows why. (The item's links give arXiv's page and the new version's PDF.)"""
    mark = version_mark(paper)
    if mark is None:
        return ""
    comment = f": {markup.feed_line(mark.comment)}" if mark.comment and mark.comment.strip() else ""
    return f"<p>Revised: v{mark.version}, {mark.day_text}{comment}</p>"


def credit(authors: tuple[str, ...]) -> str:
    """The authors' line of a feed item: all of them, or the first FEED_AUTHORS and how many
    more (a collaboration paper's thousands of names would be most of a feed)."""
    named = ", ".join(authors[:FEED_AUTHORS])
    more = len(authors) - FEED_AUTHORS
    return f"{named} et al. ({more:,} more)" if more > 0 else named


def feed_entries(listed: tuple[Entry, ...], days: int, floor: int,
                 revised: dict[str, date] | None = None) -> tuple[Entry, ...]:
    """Every paper of the newest `days` announcement days in `listed` (newest first), and at
    least `floor` papers: never a cap, so a 600-paper day is carried whole. Then every older
    paper of `listed` whose newest version was announced on one of those days or later
    (`revised`: sitegen.versions.revisions of the site, found here when not given), in
    `listed`'s order: a reader polling the feed meets each revision once, with the item's one
    id, however old the paper. (The floor's older days bring papers, not revisions: a
    revision is news of the feed's days.)"""
    own = newest_days(listed, days)
    carried = listed[:max(len(own), floor)]
    if not own:
        return carried
    since = own[-1].paper.announced
    again = {slug for slug, day in (revisions(listed, since) if revised is None else revised).items()
             if day >= since}
    again -= {e.slug for e in carried} if again else set()
    return carried + tuple(e for e in listed[len(carried):] if e.slug in again) if again else carried


def newest_days(listed: tuple[Entry, ...], days: int) -> tuple[Entry, ...]:
    """The papers of the newest `days` announcement days in `listed` (newest first)."""
    seen = 0
    last = None
    end = 0
    for entry in listed:
        if entry.paper.announced != last:
            seen, last = seen + 1, entry.paper.announced
            if seen > days:
                break
        end += 1
    return listed[:end]


@lru_cache(maxsize=2)
def feed_scopes(site: Site) -> dict[str, FeedScope]:
    """One scope for the whole site ("") and one per topic (its slug)."""
    cfg = site.config.site

    ranks = listing_ranks(site.entries)  # the site's listing: one time per paper in every feed
    # Revised papers, found once for every feed: those whose newest version can be within the
    # days of the feed reaching furthest back (a quiet topic's newest days may be weeks apart).
    starts = [own[-1].paper.announced for listed in (site.entries, *site.topics.values())
              if (own := newest_days(listed, cfg.feed_days))]
    revised = revisions(site.entries, min(starts)) if starts else {}

    def cut(listed: tuple[Entry, ...]) -> tuple[tuple[Entry, ...], tuple[int, ...]]:
        entries = feed_entries(listed, cfg.feed_days, cfg.feed_items, revised)
        return entries, tuple(ranks[e.slug] for e in entries)

    quiet = announced_at(site.entries[0]) if site.entries else _EPOCH
    entries, ranked = cut(site.entries)
    scopes = {"": FeedScope("", cfg.title, cfg.description, entries, quiet, ranked)}
    for t in site.config.topics:
        entries, ranked = cut(site.topics[t.slug])
        scopes[t.slug] = FeedScope(topic_url(t.slug), f"{t.title} · {cfg.title}", t.description,
                                   entries, quiet, ranked)
    return scopes


@register
class Feeds(Output[tuple[str, str]]):
    name = "feeds"
    nav = (NavLink("RSS", "rss.xml", "feeds", 20), NavLink("Atom", "atom.xml", "feeds", 30))
    caches = (feed_scopes,)

    def plan(self, site: Site, renderer: Renderer) -> list[Page[tuple[str, str]]]:
        pages = []
        for key, scope in feed_scopes(site).items():
            # The ranks: a paper of the same day on another topic moves this feed's times.
            digest = fingerprint(digests(scope.entries), scope.quiet_updated if not scope.entries else None,
                                 scope.ranks, *retired_part(site, scope.entries))
            pages += [Page(f"{scope.folder}{kind}.xml", self.name, (key, kind), digest) for kind in ("rss", "atom")]
        return pages

    def render(self, page: Page[tuple[str, str]], site: Site, renderer: Renderer) -> bytes:
        key, kind = page.key
        return render_feed(feed_scopes(site)[key], site.config, kind, site.retired)

    def weight(self, site: Site) -> Weight:
        items = sum(FEED_ITEM_BASE + FEED_ITEM_PER_TEXT_BYTE * text_bytes(e)
                    for scope in feed_scopes(site).values() for e in scope.entries)
        return Weight(rest=2 * items)  # two files a scope: RSS and Atom
