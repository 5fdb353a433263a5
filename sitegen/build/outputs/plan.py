"""Which files the site consists of, and a cheap fingerprint of each one's inputs.

A page is rendered only when its fingerprint (or the build-wide key: templates, config,
sitegen version) changed since the last build, so a nightly rebuild touches only what moved.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

from sitegen.build.outputs.feeds import FeedScope, item_updated, render_feed
from sitegen.build.render import Renderer
from sitegen.build.site import INDEX_DAYS, Site, output_path, paper_url, topic_url

SITEMAP_CHUNK = 40000  # the sitemap protocol allows 50,000 URLs a file


@dataclass(frozen=True, slots=True)
class PageSpec:
    path: str  # relative to output/
    kind: str
    key: object  # what `render_spec` needs to find the page's data
    fingerprint: str


def _fp(*parts) -> str:
    return hashlib.sha1(repr(parts).encode()).hexdigest()


def _digests(entries) -> tuple[str, ...]:
    return tuple(e.digest for e in entries)


def plan_pages(site: Site, renderer: Renderer) -> list[PageSpec]:
    specs = [PageSpec(output_path(paper_url(e.slug)), "paper", i, e.digest) for i, e in enumerate(site.entries)]
    for i, day in enumerate(site.days):
        specs.append(PageSpec(output_path(day.url), "day", i, _fp(day.date, day.prev, day.next, _digests(day.entries))))
    for i, page in enumerate(site.topic_pages):
        specs.append(PageSpec(output_path(page.url), "topic", i,
                              _fp(page.topic.slug, page.number, page.newer, page.older, page.first, page.total,
                                  _digests(page.entries))))
    newest = site.newest_day
    counts = tuple(len(v) for v in site.topics.values())
    specs.append(PageSpec("index.html", "index", None, _fp(
        _digests(newest.entries) if newest else (), _digests(site.top_recent()), counts, len(site.entries),
        tuple((d.date, len(d.entries)) for d in site.days[:INDEX_DAYS]))))
    specs.append(PageSpec("days/index.html", "archive", None, _fp(tuple((d.date, len(d.entries)) for d in site.days))))
    specs.append(PageSpec("search/index.html", "search", None, _fp(site.config.build.search)))
    specs.append(PageSpec("404.html", "404", None, ""))
    specs.append(PageSpec("robots.txt", "robots", None, ""))
    specs.append(PageSpec("feeds.opml", "opml", None, _fp(newest.date if newest else None)))
    for scope_key, scope in feed_scopes(site).items():
        fp = _fp(_digests(scope.entries))
        specs.append(PageSpec(f"{scope.folder}rss.xml", "feed", scope_key, fp))
        specs.append(PageSpec(f"{scope.folder}atom.xml", "feed", scope_key, fp))
    specs += _sitemap_specs(site)
    for name, data in renderer.static.items():
        specs.append(PageSpec(name, "static", name, hashlib.sha1(data).hexdigest()))
    return specs


@lru_cache(maxsize=2)
def feed_scopes(site: Site) -> dict[str, FeedScope]:
    """One scope for the whole site ("") and one per topic (its slug)."""
    n = site.config.site.feed_items
    scopes = {"": FeedScope("", site.config.site.title, site.config.site.description, site.entries[:n])}
    for t in site.config.topics:
        scopes[t.slug] = FeedScope(topic_url(t.slug), f"{t.title} · {site.config.site.title}",
                                   t.description, site.topics[t.slug][:n])
    return scopes


@lru_cache(maxsize=2)
def sitemap_urls(site: Site) -> list[tuple[str, object]]:
    newest = site.newest_day.date if site.newest_day else None
    urls = [("", newest), ("days/", newest)]
    for page in site.topic_pages:
        urls.append((page.url, page.entries[0].paper.announced if page.entries else None))
    # Days and papers oldest first: new ones are appended, so only the last sitemap chunk
    # (and the first, with the index) changes when papers are added.
    urls += [(d.url, d.date) for d in reversed(site.days)]
    urls += [(paper_url(e.slug), item_updated(e).date()) for e in reversed(site.entries)]
    return urls


def _sitemap_specs(site: Site) -> list[PageSpec]:
    urls = sitemap_urls(site)
    chunks = [urls[i:i + SITEMAP_CHUNK] for i in range(0, len(urls), SITEMAP_CHUNK)] or [[]]
    if len(chunks) == 1:
        return [PageSpec("sitemap.xml", "sitemap", 0, _fp(urls))]
    specs = [PageSpec(f"sitemaps/{i + 1}.xml", "sitemap", i, _fp(c)) for i, c in enumerate(chunks)]
    specs.append(PageSpec("sitemap.xml", "sitemap-index", len(chunks), _fp(len(chunks), urls[0][1])))
    return specs


def render_spec(spec: PageSpec, site: Site, renderer: Renderer) -> bytes:
    kind, key = spec.kind, spec.key
    if kind == "paper":
        return renderer.paper(site.entries[key])
    if kind == "day":
        return renderer.day(site.days[key])
    if kind == "topic":
        return renderer.topic_page(site.topic_pages[key])
    if kind == "index":
        return renderer.index(site)
    if kind == "archive":
        return renderer.archive(site)
    if kind == "search":
        return renderer.search()
    if kind == "404":
        return renderer.not_found()
    if kind == "robots":
        return renderer.robots()
    if kind == "opml":
        return renderer.opml(site)
    if kind == "feed":
        return render_feed(feed_scopes(site)[key], site.config, spec.path.rsplit("/", 1)[-1][:-4])
    if kind == "sitemap":
        urls = sitemap_urls(site)
        return renderer.sitemap(urls[key * SITEMAP_CHUNK:(key + 1) * SITEMAP_CHUNK])
    if kind == "sitemap-index":
        return renderer.sitemap_index([f"sitemaps/{i + 1}.xml" for i in range(key)],
                                      site.newest_day.date if site.newest_day else None)
    if kind == "static":
        return renderer.static[key]
    raise ValueError(f"unknown page kind {kind!r}")
