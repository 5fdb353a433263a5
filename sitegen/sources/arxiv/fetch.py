"""Talking to arXiv: API searches per topic, the RSS batch, listing pages, id-list lookups.

Each method fetches everything one unit needs and returns a `Harvest`, or raises
SourceError; nothing is written here (the fetch pipeline writes), so a unit that fails
half-way leaves no trace. Bodies go to the pure parsers (api, rss, listing); a ParseError
becomes a SourceError naming the URL and what to do. Every response passes `one_per_id` (an
id listed twice: the first record wins whole), and every paged walk is bounded: by a page
count, whatever total the server announces, and by the first page that brings no new id.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from sitegen.config.settings import TopicConfig
from sitegen.echo import echo
from sitegen.errors import ParseError, SourceError
from sitegen.fetch.http.client import HttpClient
from sitegen.fetch.http.policy import ACCEPT_HTML, ACCEPT_XML, SitePolicy
from sitegen.model import Paper
from sitegen.sources.arxiv.api import ApiPage, build_search_query, parse_api_feed, query_url
from sitegen.sources.arxiv.calendar import no_batch_reason
from sitegen.sources.arxiv.listing import listing_url, parse_listing
from sitegen.sources.arxiv.rss import RssBatch, feed_url, parse_rss
from sitegen.sources.arxiv.rss_memory import RssMemory
from sitegen.sources.base import FetchContext, Harvest, in_bounds, one_per_id
from sitegen.status.record import TYPES, UpstreamCount

if TYPE_CHECKING:
    from sitegen.sources.arxiv.source import ArxivSettings

ID_BATCH = 50  # ids per id_list call: a URL well under any server's limit
# New versions of known papers looked up per RSS batch: twenty id_list calls, a minute at
# arXiv's 3 s. cs.CL replaces ~50 papers a day; a site following a whole archive may know more,
# and those past the cap keep what the feed says (no comment, the mailing's cutoff as date).
MAX_REVISION_LOOKUPS = 1000
LIST_SHOW = 2000  # the most entries arXiv shows on one listing page
# arXiv's API will not page past this many results for one query; ask for a narrower window.
MAX_RESULTS = 30000


class ArxivRequests:
    """The requests behind each arXiv unit, with the settings of [sources.arxiv]."""

    def __init__(self, client: HttpClient, cfg: ArxivSettings, policy: SitePolicy, memory: RssMemory):
        self.client, self.cfg, self.policy, self.memory = client, cfg, policy, memory

    # --- API ------------------------------------------------------------------------------

    def _api_page(self, url: str, advice: str, ctx: FetchContext) -> ApiPage:
        """One page, its records out of bounds skipped (and counted as skipped, for paging)."""
        # arXiv sends its error feed with HTTP 400; read it for the reason it gives.
        response = self.client.get(url, self.policy, accept=ACCEPT_XML, ok_status=(200, 400))
        try:
            page = parse_api_feed(response.body)
        except ParseError as exc:
            hint = advice if "arXiv API error" in str(exc) else "the answer was cut off or garbled; try again later"
            raise SourceError(url, f"{exc}; {hint}") from None
        if response.status != 200:
            raise SourceError(url, f"HTTP {response.status} without an error feed; try again later")
        kept = in_bounds(page.papers, ctx, url, page.rejected)
        return replace(page, papers=tuple(kept), skipped=page.skipped + len(page.papers) - len(kept))

    def search(self, topic: TopicConfig, ctx: FetchContext) -> Harvest:
        """Every paper the topic's query finds submitted in the window, page by page."""
        query = build_search_query(topic.categories, topic.keywords, topic.exclude, topic.authors,
                                   since=ctx.since, until=ctx.until)
        advice = f"arXiv rejected topic {topic.slug!r}'s query; check its keywords and authors in sitegen.toml"
        papers: list[Paper] = []
        known: set[str] = set()
        start = pages = 0
        while True:
            url = query_url(self.cfg.api_url, search_query=query, start=start, max_results=self.cfg.page_size)
            page = self._api_page(url, advice, ctx)
            pages += 1
            fresh = [p for p in one_per_id(page.papers, ctx) if p.id not in known]
            known.update(p.id for p in fresh)
            papers += fresh
            seen = len(page.papers) + page.skipped
            ctx.status(f"{len(papers)} of {page.total} papers")
            if seen == 0:
                break  # an empty page ends the results, whatever the total claims
            if not fresh:  # a server repeating itself would otherwise be asked forever
                ctx.warn(f"arxiv api {topic.slug}: the page at start={start} brought no paper not seen before; "
                         f"stopped after {pages} pages; fetch a narrower --since/--until window")
                break
            start += seen
            if start >= page.total:
                break
            if start >= MAX_RESULTS or pages >= self.cfg.max_pages:
                ctx.warn(f"arxiv api {topic.slug}: {page.total} papers match; only the newest {start} were "
                         f"fetched ({pages} pages, [sources.arxiv] max_pages = {self.cfg.max_pages}); "
                         "fetch a narrower --since/--until window")
                break
        # Candidates, not accepted: arXiv's search is looser than the topic's rule (it asks for
        # authors by surname only, and stems keywords), so only the papers the rule matches
        # are kept, and what is fetched is what the build publishes.
        return Harvest(candidates=papers)

    def lookup(self, ids: Iterable[str], ctx: FetchContext) -> list[Paper]:
        """The arXiv records for `ids` (by id_list, ID_BATCH per call); unknown ids are absent."""
        wanted = sorted(set(ids))
        found: list[Paper] = []
        for i in range(0, len(wanted), ID_BATCH):
            batch = wanted[i:i + ID_BATCH]
            url = query_url(self.cfg.api_url, id_list=batch, max_results=len(batch))
            page = self._api_page(url, "arXiv rejected an id list; report this as a sitegen bug", ctx)
            found += one_per_id(page.papers, ctx)
            ctx.status(f"looked up {min(i + ID_BATCH, len(wanted))} of {len(wanted)} ids")
        return found

    # --- RSS with listing fallback ------------------------------------------------------

    def announcements(self, categories: tuple[str, ...], ctx: FetchContext) -> Harvest:
        """Today's RSS batch for the categories; the listing pages if RSS fails or is
        unexpectedly empty. New and cross-listed papers are candidates; replacements only
        update papers already known."""
        label = "+".join(categories)
        url = feed_url(self.cfg.rss_url, categories)
        try:
            body = self.client.get(url, self.policy, accept=ACCEPT_XML).body
            try:
                batch = parse_rss(body)
            except ParseError as exc:
                raise SourceError(url, f"{exc}; the feed was cut off or garbled, try again later") from None
            ctx.count(rss_count(categories, batch))
        except SourceError as rss_error:
            ctx.status("RSS failed; reading the listing pages")
            try:
                harvest = self.listings(categories, ctx)
            except SourceError as listing_error:
                raise SourceError(url, f"{rss_error.message}; the listing pages failed too: {listing_error}") from None
            ctx.warn(f"arxiv rss {label}: {rss_error}; used the listing pages instead")
            return harvest

        if not batch.items:
            reason = no_batch_reason(ctx.today)
            if reason is not None:
                ctx.note(f"arxiv rss {label}: no announcements, as expected ({reason})")
                return Harvest()
            ctx.warn(f"arxiv rss {label}: empty batch on a weekday ({ctx.today}); used the listing pages instead")
            return self.listings(categories, ctx)

        stale = self.memory.check(url, batch, ctx.today)
        if no_batch_reason(ctx.today) is None:  # a day that should bring a fresh batch
            if stale is not None:
                built = f", built {echo(str(stale.build_date), 64)}" if stale.build_date else ""  # the feed's words
                ctx.warn(f"arxiv rss {label}: same batch as on {stale.first_seen}{built}; the feed looks stale "
                         "(arXiv may be late); fetch again later")
            elif batch.announced is not None and batch.announced < ctx.today:
                ctx.warn(f"arxiv rss {label}: the batch is dated {batch.announced}, not {ctx.today}; the feed "
                         "looks stale (arXiv may be late); fetch again later")
        harvest = Harvest()
        items = in_bounds(batch.items, ctx, url, batch.rejected, lambda item: item.paper)
        for item in one_per_id(items, ctx, key=lambda item: item.paper.id):
            if item.announce_type in ("replace", "replace-cross"):
                harvest.updates.append(item.paper)
            else:
                harvest.candidates.append(item.paper)
        ctx.status(f"{len(batch.items)} announcements")
        harvest.updates = self._revisions(harvest.updates, ctx)
        return harvest

    def _revisions(self, replaced: list[Paper], ctx: FetchContext) -> list[Paper]:
        """The feed's replacements, those of papers content/ holds at an older version taken
        from the API instead: the feed gives a new version's title, abstract and authors, but
        not its comment ("v3: camera-ready, ICLR 2027", what the version mark shows) nor when
        it was submitted. A failed lookup keeps the feed's records (the new version still
        lands, with a warning): the feed lists a replacement only on its one day."""
        newer = [p.id for p in replaced if (known := ctx.known_version(p.id)) is not None
                 and (p.version or 0) > known]
        if not newer:
            return replaced
        if len(newer) > MAX_REVISION_LOOKUPS:
            ctx.note(f"{ctx.unit}: {len(newer)} new versions of known papers; looked up the first "
                     f"{MAX_REVISION_LOOKUPS}, the rest are saved as the feed gives them (without comments)")
            newer = newer[:MAX_REVISION_LOOKUPS]
        try:
            found = {p.id: p for p in self.lookup(newer, ctx)}
        except SourceError as exc:
            ctx.warn(f"{ctx.unit}: looking up {len(newer)} new versions of known papers failed ({exc}); "
                     "saved them as the feed gives them, without their comments")
            return replaced
        # The API may lag behind the feed by a version: then the feed's record is the newer.
        return [api if (api := found.get(p.id)) is not None and (api.version or 0) >= (p.version or 0) else p
                for p in replaced]

    def listings(self, categories: tuple[str, ...], ctx: FetchContext) -> Harvest:
        """Papers the /list/<cat>/recent pages show as announced in the window.

        Listings carry no abstracts, so papers not yet known are completed by id_list:
        keyword rules need the abstract to place them.
        """
        papers: list[Paper] = []
        for category in categories:
            papers += self._listing(category, ctx)
        harvest = Harvest(candidates=papers)
        missing = [p.id for p in papers if ctx.needs_lookup(p.id)]
        if missing:
            harvest.candidates += self.lookup(missing, ctx)
        return harvest

    def _listing(self, category: str, ctx: FetchContext) -> list[Paper]:
        """One category's /recent pages, newest first, until the window or the listing ends,
        at most `max_list_pages` pages: /recent holds five announcement days, however many
        entries a page claims."""
        papers: list[Paper] = []
        known: set[str] = set()
        skip = pages = 0
        while True:
            url = listing_url(self.cfg.list_url, category, skip=skip, show=LIST_SHOW)
            body = self.client.get(url, self.policy, accept=ACCEPT_HTML).body
            try:
                page = parse_listing(body)
            except ParseError as exc:
                raise SourceError(url, f"{exc}; try again later") from None
            pages += 1
            totals = dict(page.day_totals)
            if skip == 0 and page.announced in totals:  # arXiv's own count of its newest day
                ctx.count(UpstreamCount("listing", (category,), page.announced, totals[page.announced]))
            fresh = [p for p in one_per_id(in_bounds(page.papers, ctx, url, page.rejected), ctx) if p.id not in known]
            known.update(p.id for p in fresh)
            papers += [p for p in fresh if ctx.since <= p.announced <= ctx.until]
            ctx.status(f"listing {category}: {len(papers)} papers")
            seen = len(page.papers) + page.skipped
            older = any(p.announced < ctx.since for p in page.papers)  # newest first: done
            if seen == 0 or older or page.total is None or skip + seen >= page.total:
                break
            if not fresh:
                ctx.warn(f"{ctx.unit}: the {category} listing page at skip={skip} brought no paper not seen "
                         f"before; stopped after {pages} pages; fetch a narrower window")
                break
            if pages >= self.cfg.max_list_pages:
                ctx.warn(f"{ctx.unit}: the {category} listing claims {page.total} entries; stopped after {pages} "
                         f"pages ([sources.arxiv] max_list_pages = {self.cfg.max_list_pages}); fetch a narrower "
                         "window, or raise max_list_pages if the category really announces that many")
                break
            skip += seen
        return papers


def rss_count(categories: tuple[str, ...], batch: RssBatch) -> UpstreamCount:
    """arXiv's own count of a feed's batch: its items by announce type (a type sitegen does
    not know is "other"; items it could not read, "unreadable"), and as `announced` the new
    submissions and cross-lists, what the listing page's day heading counts."""
    kinds = {kind: 0 for kind in TYPES}
    for item in batch.items:
        kind = item.announce_type if item.announce_type in kinds else "other"
        kinds[kind] += 1
    kinds["unreadable"] += batch.skipped
    return UpstreamCount("rss", tuple(categories), batch.announced, kinds["new"] + kinds["cross"],
                         tuple((kind, n) for kind, n in kinds.items() if n))
