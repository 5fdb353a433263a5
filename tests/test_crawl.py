"""Crawl the built site over HTTP under a sub-path: every internal link must answer 200."""

from __future__ import annotations

import shutil
import urllib.error
import urllib.request
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin

import pytest

from sitegen.site.load import load_entries
from tests.conftest import REPO, SiteDir
from tests.static_server import serve_site

pytestmark = pytest.mark.slow  # crawls built sites


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key in ("href", "src") and value:
                self.links.append(value)


def crawl(start: str) -> tuple[set[str], list[str]]:
    """Visit every page reachable from start inside start's folder; return (seen, broken)."""
    seen, broken, queue = set(), [], [start]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                kind = response.headers.get("Content-Type", "")
                body = response.read()
        except urllib.error.HTTPError as exc:
            broken.append(f"{url} -> {exc.code}")
            continue
        if "html" not in kind:
            continue
        parser = _Links()
        parser.feed(body.decode("utf-8"))
        for link in parser.links:
            target = urldefrag(urljoin(url, link))[0]
            if target.startswith(start) and target not in seen:
                queue.append(target)
            elif target.startswith("http://127.0.0.1") and not target.startswith(start):
                broken.append(f"{url} links outside the sub-path: {link}")
    return seen, broken


@pytest.fixture(scope="module")
def shipped_site(tmp_path_factory):
    """The shipped content/, built with the shipped config and templates."""
    root = tmp_path_factory.mktemp("shipped")
    shutil.copytree(REPO / "content", root / "content")
    config = (REPO / "sitegen.toml").read_text().replace(
        "[fetch]", f'[build]\ntemplates = "{REPO / "templates"}"\nsearch = false\n\n[fetch]', 1)
    return SiteDir(root, config)


def test_crawl_of_shipped_site_under_a_sub_path_finds_no_broken_link(shipped_site):
    shipped_site.build()  # built for the production base URL: internal links are relative
    with serve_site(shipped_site.output, "/paper-feeds/") as base:
        seen, broken = crawl(base)
    assert not broken, broken[:10]
    # Every published paper (on a topic: 212 of the 297 shipped) is reachable by links, and
    # only those have pages.
    published = {e.slug for e in load_entries(shipped_site.load()) if e.topics and not e.paper.hidden}
    reached = {u.rstrip("/").rsplit("/", 1)[1] for u in seen if "/papers/" in u}
    assert reached == published
    assert {p.name for p in (shipped_site.output / "papers").iterdir()} == published
    assert any(u.endswith("/atom.xml") for u in seen)


def test_404_page_links_work_from_any_depth(shipped_site):
    shipped_site.build()
    with serve_site(shipped_site.output, "/paper-feeds/") as base:
        try:
            urllib.request.urlopen(base + "no/such/page/", timeout=10)
        except urllib.error.HTTPError as exc:
            body = exc.read().decode()
        parser = _Links()
        parser.feed(body)
        for link in parser.links:
            url = urljoin(base + "no/such/page/", link)
            if url.startswith("http://127.0.0.1") and "/pagefind/" not in url and not link.startswith("#"):
                try:
                    with urllib.request.urlopen(url.split("#")[0], timeout=10) as r:
                        assert r.status == 200, link
                except urllib.error.HTTPError as exc:
                    pytest.fail(f"404 page link {link} -> {exc.code}")
