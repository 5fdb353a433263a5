"""The feeds in a real reader (newsboat): every item arrives, and a paper is never shown twice."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from dataclasses import replace
from datetime import date

import feedparser
import pytest

from tests.conftest import busy_day_papers, make_paper
from tests.static_server import serve_site

# Slow (runs newsboat on built feeds): `pytest -m "not slow"` leaves it out.
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not shutil.which("newsboat"), reason="needs newsboat (apt-get install newsboat)")]


def reload(home, urls: list[str]) -> dict[str, int]:
    """Fetch the feeds with newsboat; return {feed URL: items stored} from its cache."""
    (home / "urls").write_text("\n".join(urls) + "\n")
    subprocess.run(["newsboat", "-u", str(home / "urls"), "-c", str(home / "cache.db"), "-C", "/dev/null",
                    "-x", "reload"], env={"HOME": str(home), "PATH": "/usr/bin:/bin"}, check=True,
                   capture_output=True, timeout=60)
    with sqlite3.connect(home / "cache.db") as db:
        return dict(db.execute("SELECT feedurl, count(*) FROM rss_item GROUP BY feedurl"))


def unread(home) -> list[tuple[str, str]]:
    with sqlite3.connect(home / "cache.db") as db:
        return sorted(db.execute("SELECT guid, title FROM rss_item WHERE unread = 1"))


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_reader_sees_every_item_once_even_after_a_new_version(sample_site, tmp_path, kind):
    home = tmp_path / "home"
    home.mkdir()
    sample_site.add(make_paper("2311.09999", title="One more LLM paper", announced=date(2023, 11, 7)))
    with serve_site(sample_site.output, "/repo/") as base:
        cfg = sample_site.config_path.read_text().replace("https://owner.github.io/repo/", base)
        sample_site.config_path.write_text(cfg)
        sample_site.build()
        urls = [f"{base}{kind}.xml"]
        assert reload(home, urls) == {urls[0]: 5}  # feed_items
        urls.append(f"{base}topics/llm/{kind}.xml")
        reload(home, urls)
        first = unread(home)  # the topic's items that are also in the site feed are not new
        assert len(first) == 5  # the llm topic adds nothing the site feed lacks
        assert len(first) == len({guid for guid, _ in first})
        # a new arXiv version of a paper already read: the reader must not show it again
        sample_site.add(replace(make_paper("2311.09999", title="One more LLM paper (v3)",
                                           announced=date(2023, 11, 7)), version=3))
        sample_site.build()
        reload(home, urls)
    assert [guid for guid, _ in unread(home)] == [guid for guid, _ in first]


def test_reader_loads_every_paper_of_a_600_paper_day(site_dir, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    for paper in busy_day_papers(600, date(2026, 8, 17)):
        site_dir.add(paper)
    with serve_site(site_dir.output, "/repo/") as base:
        cfg = site_dir.config_path.read_text().replace("https://owner.github.io/repo/", base)
        site_dir.config_path.write_text(cfg)
        site_dir.build()
        urls = [f"{base}rss.xml"]
        assert reload(home, urls) == {urls[0]: 600}  # not the 5 of feed_items: the whole day
        atom = tmp_path / "atom-home"
        atom.mkdir()
        assert reload(atom, [f"{base}atom.xml"]) == {f"{base}atom.xml": 600}
    assert len({guid for guid, _ in unread(home)}) == 600


def _paper_on_no_topic():
    return replace(make_paper("3001.00001", title="Predator and prey cycles in a fixture pond",
                              abstract="Populations rise and fall.", categories=("q-bio.PE",),
                              announced=date(2030, 1, 7)), huggingface=None)


def _feed_ids(path) -> set[str]:
    return {e.id for e in feedparser.parse(path.read_bytes()).entries}


@pytest.mark.parametrize("unmatched", [False, True], ids=["topics", "publish_unmatched"])
def test_the_opml_in_newsboat_keeps_every_paper_and_no_feed_is_empty(tmp_path, unmatched):
    """A reader imports feeds.opml (newsboat -i) and reloads: every paper any feed of the site
    carries is in the reader at least once, no feed the OPML lists shows 0 items, and every
    item has its own time. newsboat keeps one item per id, in the feed reloaded last: the
    site's feed of every paper beside the topic feeds used to end up empty."""
    from sitegen.build import build
    from tests.browser_support import site_config, static_server

    home = tmp_path / "home"
    home.mkdir()
    with static_server() as server:
        base = f"http://127.0.0.1:{server.server_address[1]}/repo/"
        # The shipped papers; with publish_unmatched, one more on no topic and on the newest day,
        # so the site's feed has a paper no topic feed carries, whatever content/ holds.
        extra = [_paper_on_no_topic()] if unmatched else []
        config = site_config(tmp_path / "site", base, search=False, publish_unmatched=unmatched, extra_papers=extra)
        build(config)
        out = server.out_dir = config.build.output
        subprocess.run(["newsboat", "-i", str(out / "feeds.opml"), "-u", str(home / "urls"), "-c",
                        str(home / "cache.db"), "-C", "/dev/null"], env={"HOME": str(home), "PATH": "/usr/bin:/bin"},
                       check=True, capture_output=True, timeout=60)
        feeds = (home / "urls").read_text().split()
        topics = [f"{base}topics/{t.slug}/atom.xml" for t in config.topics]
        # The topic feeds, in the configuration's order; the site's feed only for papers on no topic.
        assert feeds == ([f"{base}atom.xml"] if unmatched else []) + topics
        stored = reload(home, feeds)
    assert set(stored) == set(feeds) and all(stored.values()), stored  # no feed shows 0 items
    offered = set().union(*(_feed_ids(out / rel) for rel in
                            ["rss.xml", "atom.xml", *(f"topics/{t.slug}/atom.xml" for t in config.topics)]))
    with sqlite3.connect(home / "cache.db") as db:
        kept = dict(db.execute("SELECT guid, pubDate FROM rss_item"))
    assert set(kept) == offered  # every paper of every feed, the site's own included
    assert len(set(kept.values())) == len(kept)  # distinct times: the reader orders them as the site
    if not unmatched:
        assert _feed_ids(out / "atom.xml") <= set(kept)
