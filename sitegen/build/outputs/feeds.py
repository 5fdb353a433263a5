"""RSS 2.0 and Atom 1.0 feeds with feedgen: one function for every scope (site, each topic).

The output unit plans rss.xml and atom.xml for the site and for every topic.

Item ids are the version-less arXiv abs URL, stable forever, so a reader never shows a paper
twice; dates come from the data (announcement, newest version), never from the clock.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import UTC, datetime, time
from functools import lru_cache
from urllib.parse import urljoin

from feedgen.feed import FeedGenerator

from sitegen import arxiv_ids
from sitegen.build import markup
from sitegen.build.load import Entry
from sitegen.build.outputs.base import Output, Page, digests, fingerprint
from sitegen.build.outputs.registry import register
from sitegen.build.site import Site, paper_url, topic_url
from sitegen.config.settings import Config

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class FeedScope:
    """What one pair of feeds covers: the site (folder "") or a topic (folder "topics/x/")."""

    folder: str
    title: str
    description: str
    entries: tuple[Entry, ...]  # newest first, already cut to feed_items


def announced_at(entry: Entry) -> datetime:
    return datetime.combine(entry.paper.announced, time(0, 0), tzinfo=UTC)


def item_updated(entry: Entry) -> datetime:
    """Changes with every new version; never earlier than the announcement."""
    return max(announced_at(entry), entry.paper.last_changed)


def render_feed(scope: FeedScope, config: Config, kind: str) -> bytes:
    """The bytes of `<folder>rss.xml` (kind "rss") or `<folder>atom.xml` (kind "atom")."""
    page = urljoin(config.site.base_url, scope.folder)
    fg = _feed(scope, config, page, urljoin(page, f"{kind}.xml"), kind)
    return fg.rss_str(pretty=True) if kind == "rss" else fg.atom_str(pretty=True)


def _feed(scope: FeedScope, config: Config, page: str, self_url: str, kind: str) -> FeedGenerator:
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
    newest = max((item_updated(e) for e in scope.entries), default=_EPOCH)
    fg.updated(newest)
    fg.lastBuildDate(newest)
    fg.generator("sitegen", uri="https://github.com/sitegen/sitegen")
    for entry in scope.entries:
        _add_item(fg, entry, config.site.base_url)
    return fg


def _add_item(fg: FeedGenerator, entry: Entry, base: str) -> None:
    paper = entry.paper
    fe = fg.add_entry(order="append")
    guid = paper.links.get("abs") or arxiv_ids.abs_url(paper.id)
    fe.id(guid)
    fe.guid(guid, permalink=False)
    fe.title(paper.title)
    fe.link(href=urljoin(base, paper_url(entry.slug)))
    fe.published(announced_at(entry))
    fe.updated(item_updated(entry))
    for name in paper.authors:
        fe.author({"name": name})
    if paper.authors:
        fe.dc.dc_creator(", ".join(paper.authors))
    for cat in paper.categories:
        fe.category(term=cat, scheme="https://arxiv.org/archive/", label=cat)
    body = item_html(entry)
    # description first: feedgen's description() also sets the Atom content, without a type,
    # so content(type="html") must come after it or readers show the tags as text.
    fe.description(body)
    fe.content(body, type="html")


def item_html(entry: Entry) -> str:
    """The item body: authors, the abstract with TeX left readable, and the paper's links."""
    paper = entry.paper
    esc = html.escape
    parts = [f"<p>{esc(', '.join(paper.authors))}</p>"] if paper.authors else []
    for para in paper.abstract.split("\n\n"):
        text = markup.plain_text(para)
        if text:
            parts.append(f"<p>{esc(text)}</p>")
    links = [f'<a href="{esc(url)}">{esc(kind)}</a>' for kind, url in paper.links.items()]
    if links:
        parts.append("<p>" + " · ".join(links) + "</p>")
    return markup.sanitize("".join(parts))


@lru_cache(maxsize=2)
def feed_scopes(site: Site) -> dict[str, FeedScope]:
    """One scope for the whole site ("") and one per topic (its slug)."""
    n = site.config.site.feed_items
    scopes = {"": FeedScope("", site.config.site.title, site.config.site.description, site.entries[:n])}
    for t in site.config.topics:
        scopes[t.slug] = FeedScope(topic_url(t.slug), f"{t.title} · {site.config.site.title}",
                                   t.description, site.topics[t.slug][:n])
    return scopes


@register
class Feeds(Output):
    name = "feeds"

    def plan(self, site, renderer):
        pages = []
        for key, scope in feed_scopes(site).items():
            digest = fingerprint(digests(scope.entries))
            pages += [Page(f"{scope.folder}{kind}.xml", self.name, (key, kind), digest) for kind in ("rss", "atom")]
        return pages

    def render(self, page, site, renderer):
        key, kind = page.key
        return render_feed(feed_scopes(site)[key], site.config, kind)
