"""topics/<slug>/weekly/rss.xml and atom.xml: a topic's weekly picks, for readers who read once
a week.

One item per week, not per paper: a reader polling weekly meets one new item, whose text is
the week's picks on the topic (its week page's list: sitegen.render.outputs.periods), each a
link to the paper, and a link to the rest. Only weeks that are over are items (a paper of a
later week exists: sitegen.site.periods.closed), so an item never grows after a reader has read
it; the newest WEEKS of them are carried. The item's id is its section of the week page
(`weeks/2026-W33/#topic-<slug>`): unique per topic and week, so a reader that keeps one item per
id (newsboat) keeps every topic's week apart, and distinct from every paper's id in the daily
feeds. Its date is the week's last announcement day (00:00 UTC), from the data, never the clock.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime, time
from functools import lru_cache
from typing import TYPE_CHECKING

from sitegen.config.settings import TopicConfig
from sitegen.render.outputs.base import Output, Page, digests, fingerprint, retired_part
from sitegen.render.outputs.periods import PeriodView, Picks, period_views
from sitegen.render.outputs.registry import register
from sitegen.site.model import Site, paper_href, topic_url
from sitegen.site.periods import WEEK
from sitegen.site.size_model import Weight
from sitegen.sources.huggingface.record import upvotes_of
from sitegen.sources.semanticscholar.record import citations_of
from sitegen.text import markup

if TYPE_CHECKING:
    from sitegen.render.renderer import Renderer

WEEKS = 8  # items a weekly feed carries: two months of weeks, for a reader who misses a few polls
FOLDER = "weekly/"  # under the topic's folder
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# What an item weighs (sitegen.site.size_model): its frame, and each listed paper's line and
# title, escaped (fitted to benchmarks/site_bytes.py at 22.6k papers; 7-12% high).
ITEM_BASE, PICK_BASE, PICK_PER_TITLE_BYTE = 600, 125, 1.1

Item = tuple[PeriodView, Picks]


def feed_folder(slug: str) -> str:
    return topic_url(slug) + FOLDER


@lru_cache(maxsize=2)
def weekly_items(site: Site) -> dict[str, tuple[Item, ...]]:
    """{topic slug: (week, its picks) of the newest WEEKS weeks that are over and hold papers
    of the topic, newest first}."""
    items: dict[str, list[Item]] = {t.slug: [] for t in site.config.topics}
    for view in period_views(site)[WEEK]:
        if not view.over:
            continue
        for picks in view.sections:
            mine = items[picks.topic.slug]
            if len(mine) < WEEKS:
                mine.append((view, picks))
    return {slug: tuple(found) for slug, found in items.items()}


def quiet_date(site: Site) -> datetime:
    """The date of a feed without items (a validator calls 1970 implausible): the site's newest
    week that is over, from the data; it moves once a week, not with every day's papers. The
    site's newest day while no week is over."""
    over = next((v for v in period_views(site)[WEEK] if v.over), None)
    if over is not None:
        return announced_at(over)
    return datetime.combine(site.entries[0].paper.announced, time(0, 0), tzinfo=UTC) if site.entries else _EPOCH


def announced_at(view: PeriodView) -> datetime:
    """The week's last announcement day, 00:00 UTC."""
    return datetime.combine(view.last_day, time(0, 0), tzinfo=UTC)


def render_weekly(site: Site, topic: TopicConfig, kind: str) -> bytes:
    """The bytes of the topic's weekly feed, `kind` "rss" or "atom"."""
    from feedgen.feed import FeedGenerator  # imported where a feed is made

    cfg = site.config.site
    base = cfg.base_url  # ends with "/": joining is concatenation
    folder = base + feed_folder(topic.slug)
    items = weekly_items(site)[topic.slug]
    fg = FeedGenerator()
    fg.id(folder)  # not the topic page, the daily feeds' id
    fg.title(f"{topic.title} · weekly picks · {cfg.title}")
    fg.subtitle(f"Once a week, the papers on {topic.title} with the most Hugging Face upvotes and "
                "Semantic Scholar citations.")
    # feedgen takes the RSS <link> from the last link given, so the page comes after self.
    fg.link(href=f"{folder}{kind}.xml", rel="self", type=f"application/{kind}+xml")
    fg.link(href=base + "weeks/", rel="alternate")
    fg.language(cfg.language)
    fg.author({"name": cfg.title})
    newest = announced_at(items[0][0]) if items else quiet_date(site)
    fg.updated(newest)
    fg.lastBuildDate(newest)
    fg.generator("sitegen", uri="https://github.com/sitegen/sitegen")
    for view, picks in items:
        url = f"{base}{view.period.url}#topic-{topic.slug}"
        fe = fg.add_entry(order="append")
        fe.id(url)
        fe.guid(url, permalink=True)
        fe.title(f"{view.period.title}: {picks.total} paper{'' if picks.total == 1 else 's'} on {topic.title}")
        fe.link(href=url)
        fe.published(announced_at(view))
        fe.updated(announced_at(view))
        body = item_html(view, picks, url, base, site.retired)
        fe.description(body)  # before content(): see sitegen.render.outputs.feeds._add_item
        if kind == "atom":
            fe.content(body, type="html")
    return fg.rss_str(pretty=False) if kind == "rss" else fg.atom_str(pretty=False)


def item_html(view: PeriodView, picks: Picks, url: str, base: str, retired: frozenset[str]) -> str:
    """The week's picks as a list of links, with their counts, and a link to the rest."""
    esc = html.escape
    first, last = view.days[0][0], view.last_day
    span = f"{first.day} {first:%b}{f' {first.year}' if first.year != last.year else ''}"
    span = f"{span} to {last.day} {last:%b %Y}" if first != last else f"{span} {first.year}"
    order = ("most Hugging Face upvotes plus Semantic Scholar citations first"
             + (", then the newest" if picks.ranked < len(picks.shown) else "") if picks.ranked else "newest first")
    lines = []
    for e in picks.shown:
        counts = [f"▲ {upvotes_of(e.paper)}"] if upvotes_of(e.paper) else []
        cites = citations_of(e.paper)
        counts += [f"{cites:,} citation{'' if cites == 1 else 's'}"] if cites else []
        lines.append(f'<li><a href="{esc(paper_href(e, base, retired))}">{markup.feed_line(e.paper.title)}</a>'
                     + (f" ({', '.join(counts)})" if counts else "") + "</li>")
    more = (f'<p><a href="{esc(url)}">{picks.more} more</a> on the week\'s page.</p>' if picks.more
            else f'<p><a href="{esc(url)}">The week\'s page</a></p>')
    return (f"<p>{picks.total} paper{'' if picks.total == 1 else 's'}, {span}; {order}:</p>"
            f"<ol>{''.join(lines)}</ol>{more}")


@register
class WeeklyFeeds(Output[tuple[str, str]]):
    name = "weekly-feeds"
    caches = (weekly_items,)

    def plan(self, site: Site, renderer: Renderer) -> list[Page[tuple[str, str]]]:
        pages = []
        for t in site.config.topics:
            items = weekly_items(site)[t.slug]
            shown = [e for _, picks in items for e in picks.shown]
            mark = fingerprint([(v.period, v.days, p.total, digests(p.shown)) for v, p in items],
                               None if items else quiet_date(site), *retired_part(site, shown))
            pages += [Page(f"{feed_folder(t.slug)}{kind}.xml", self.name, (t.slug, kind), mark)
                      for kind in ("rss", "atom")]
        return pages

    def render(self, page: Page[tuple[str, str]], site: Site, renderer: Renderer) -> bytes:
        slug, kind = page.key
        topic = next(t for t in site.config.topics if t.slug == slug)
        return render_weekly(site, topic, kind)

    def weight(self, site: Site) -> Weight:
        total = sum(ITEM_BASE + sum(PICK_BASE + PICK_PER_TITLE_BYTE * len(e.paper.title.encode()) for e in p.shown)
                    for items in weekly_items(site).values() for _, p in items)
        return Weight(rest=2 * total)  # RSS and Atom
