"""An RSS and an Atom feed for every follow (sitegen.site.follows): authors/<slug>/rss.xml and
atom.xml, venues/<slug>/rss.xml and atom.xml.

The same feeds as a topic's (sitegen.render.outputs.feeds: every paper of the follow's newest
`feed_days` days and the revisions announced on them, one id per paper in every feed, the
site's item times), with two differences that keep them small however many follows a site
has (README, Size):
- a floor of FOLLOW_FEED_ITEMS papers, not `feed_items`: a follow speaks a few times a month,
  and its page lists every paper;
- a short item: the title, the authors, the venue and the link (and a revision's mark), not
  the abstract, which is on the paper's page one click away. A venue's feed with 50 whole
  abstracts would weigh ~250 KB in two formats; hundreds of venues, tens of MB.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING

from sitegen.render.outputs.base import Output, Page, digests, fingerprint, retired_part
from sitegen.render.outputs.feeds import (
    FeedScope,
    announced_at,
    credit,
    feed_entries,
    listing_ranks,
    newest_days,
    render_feed,
    revision_html,
)
from sitegen.render.outputs.registry import register
from sitegen.site.follows import Follow, follows
from sitegen.site.load import Entry
from sitegen.site.model import Site
from sitegen.site.size_model import Weight, name_bytes
from sitegen.venues.of_paper import venue_of
from sitegen.versions import revisions

if TYPE_CHECKING:
    from sitegen.render.renderer import Renderer

FOLLOW_FEED_ITEMS = 10  # the floor of papers a follow's feed carries (a topic's: feed_items)
# What a short item weighs in RSS or Atom, fitted like the topic feeds' (size_model): its
# frame (id, link, dates, categories) and its title and authors, which it repeats.
SHORT_ITEM_BASE, SHORT_ITEM_PER_NAME_BYTE = 300, 2.9
FEED_BASE = 950


def short_item_html(entry: Entry) -> str:
    """A follow's item: the revision mark, the authors and where the paper was accepted."""
    paper = entry.paper
    venue = venue_of(paper)
    authors = f"<p>{html.escape(credit(paper.authors))}</p>" if paper.authors else ""
    accepted = f"<p>Accepted at {html.escape(venue.label)}</p>" if venue is not None else ""
    return revision_html(paper) + authors + accepted  # both escaped whole: no markup of their own


def describe(follow: Follow) -> str:
    return (f"Papers by {follow.name}" if follow.kind == "author"
            else f"Papers accepted at {follow.name}")


@lru_cache(maxsize=2)
def follow_scopes(site: Site) -> dict[str, FeedScope]:
    """{follow's folder: its feeds' scope}."""
    cfg = site.config.site
    every = follows(site).every
    ranks = listing_ranks(site.entries)
    starts = [own[-1].paper.announced for f in every if (own := newest_days(f.entries, cfg.feed_days))]
    revised = revisions(site.entries, min(starts)) if starts else {}
    quiet = announced_at(site.entries[0]) if site.entries else datetime(1970, 1, 1, tzinfo=UTC)
    scopes = {}
    for f in every:
        entries = feed_entries(f.entries, cfg.feed_days, FOLLOW_FEED_ITEMS, revised)
        scopes[f.url] = FeedScope(f.url, f"{f.name} · {cfg.title}", f"{describe(f)} on {cfg.title}", entries,
                                  quiet, tuple(ranks[e.slug] for e in entries), short_item_html)
    return scopes


@register
class FollowFeeds(Output[tuple[str, str]]):
    name = "follow-feeds"
    caches = (follow_scopes,)

    def plan(self, site: Site, renderer: Renderer) -> list[Page[tuple[str, str]]]:
        pages = []
        for folder, scope in follow_scopes(site).items():
            digest = fingerprint(scope.title, digests(scope.entries),
                                 scope.quiet_updated if not scope.entries else None, scope.ranks,
                                 *retired_part(site, scope.entries))
            pages += [Page(f"{folder}{kind}.xml", self.name, (folder, kind), digest) for kind in ("rss", "atom")]
        return pages

    def render(self, page: Page[tuple[str, str]], site: Site, renderer: Renderer) -> bytes:
        folder, kind = page.key
        return render_feed(follow_scopes(site)[folder], site.config, kind, site.retired)

    def weight(self, site: Site) -> Weight:
        scopes = follow_scopes(site).values()
        items = sum(SHORT_ITEM_BASE + SHORT_ITEM_PER_NAME_BYTE * name_bytes(e) for s in scopes for e in s.entries)
        return Weight(rest=2 * (items + FEED_BASE * len(scopes)))  # two files a follow: RSS and Atom
