"""The feeds in a real reader (newsboat): every item arrives, and a paper is never shown twice."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import feedparser
import pytest

from tests.conftest import busy_day_papers, make_paper
from tests.static_server import serve_site

# Slow (runs newsboat on built feeds): `pytest -m "not slow"` leaves it out.
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not shutil.which("newsboat"), reason="needs newsboat (apt-get install newsboat)")]


def reload(home, urls: list[str], config: str = "/dev/null") -> dict[str, int]:
    """Fetch the feeds with newsboat; return {feed URL: items stored} from its cache."""
    (home / "urls").write_text("\n".join(urls) + "\n")
    subprocess.run(["newsboat", "-u", str(home / "urls"), "-c", str(home / "cache.db"), "-C", config,
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
        # feed_items (5), and the 1997 paper: make_paper dates its v3 6 Nov 2023, announced in
        # the mailing of 7 Nov, within the feed's days (a revision of an old paper comes back)
        assert reload(home, urls) == {urls[0]: 6}
        urls.append(f"{base}topics/llm/{kind}.xml")
        reload(home, urls)
        first = unread(home)  # the topic's items that are also in the site feed are not new
        assert len(first) == 6  # the llm topic adds nothing the site feed lacks
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
                              announced=date(2030, 1, 7)), extras={})


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
        lines = (home / "urls").read_text().splitlines()
        feeds = [line.split()[0] for line in lines]
        topics = [f"{base}topics/{t.slug}/atom.xml" for t in config.topics]
        weekly = [f"{base}topics/{t.slug}/weekly/atom.xml" for t in config.topics]
        # The topic feeds, in the configuration's order; the site's feed only for papers on no
        # topic; then each topic's weekly picks, in their OPML folder (a newsboat tag).
        assert feeds == ([f"{base}atom.xml"] if unmatched else []) + topics + weekly
        assert [line for line in lines if line.split()[0] in weekly] == [f'{url} "Weekly picks"' for url in weekly]
        stored = reload(home, feeds)
    assert set(stored) == set(feeds) and all(stored.values()), stored  # no feed shows 0 items
    offered = set().union(*(_feed_ids(out / rel) for rel in
                            ["rss.xml", "atom.xml", *(f"topics/{t.slug}/atom.xml" for t in config.topics)]))
    weeks = set().union(*(_feed_ids(out / f"topics/{t.slug}/weekly/atom.xml") for t in config.topics))
    with sqlite3.connect(home / "cache.db") as db:
        kept = dict(db.execute("SELECT guid, pubDate FROM rss_item"))
    # every paper of every feed, the site's own included, and every topic's weeks, each once
    assert set(kept) == offered | weeks and not offered & weeks
    papers = [when for guid, when in kept.items() if guid in offered]
    assert len(set(papers)) == len(papers)  # distinct times: the reader orders them as the site
    if not unmatched:
        assert _feed_ids(out / "atom.xml") <= set(kept)


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_a_revision_of_an_old_paper_reaches_newsboat_once_with_its_mark(site_dir, tmp_path, kind):
    """A paper read weeks ago gets a v2: the feed carries it again (its newest version was
    announced within the feed's days), with the same id and "Revised: v2, ..." first. newsboat
    keeps one item per id and replaces a known item's text (src/cache.cpp): no second item, and
    the mark is in the item. With `reset-unread-on-update <feed>` it is unread again, once; a
    reader who subscribes later gets it as a new item, with the mark."""
    text = site_dir.config_path.read_text().replace("feed_items = 5", "feed_items = 0")
    site_dir.config_path.write_text(text)
    days = [date(2026, 8, 3) + timedelta(days=i) for i in range(21)]
    days = [d for d in days if d.weekday() < 5][:14]  # 3 Aug (Monday) to 20 Aug
    papers = [make_paper(f"2608.{i + 1:05d}", title=f"Language model paper {i + 1}", version=1, updated=None,
                         comment=None, categories=("cs.CL",), announced=day) for i, day in enumerate(days)]
    old = papers[0]
    guid = f"https://arxiv.org/abs/{old.id}"
    homes = {name: tmp_path / name for name in ("plain", "resetting", "late")}
    for home in homes.values():
        home.mkdir()
    with serve_site(site_dir.output, "/repo/") as base:
        cfg = site_dir.config_path.read_text().replace("https://owner.github.io/repo/", base)
        site_dir.config_path.write_text(cfg)
        url = f"{base}topics/llm/{kind}.xml"
        # always-download: the builds here are seconds apart, and the test server's Last-Modified
        # has one-second steps, so newsboat's If-Modified-Since would get a 304 for a new feed.
        plain, resetting = tmp_path / "plain.conf", tmp_path / "resetting.conf"
        plain.write_text(f'always-download "{url}"\n')
        resetting.write_text(f'always-download "{url}"\nreset-unread-on-update "{url}"\n')
        conf = {"plain": str(plain), "resetting": str(resetting), "late": str(plain)}
        for paper in papers[:3]:
            site_dir.add(paper)
        site_dir.build()
        for name in ("plain", "resetting"):
            reload(homes[name], [url], conf[name])
        for paper in papers[3:]:  # two weeks later: the old paper has left the feed
            site_dir.add(paper)
        site_dir.build()
        for name in ("plain", "resetting"):
            mark_all_read(homes[name])
            reload(homes[name], [url], conf[name])
        assert guid not in (site_dir.output / "topics/llm" / f"{kind}.xml").read_text()
        assert all(len(stored(homes[name], guid)) == 1 for name in ("plain", "resetting"))  # read, kept
        site_dir.add(replace(old, version=2, updated=datetime(2026, 8, 18, 15, 5, tzinfo=UTC),
                             comment="v2: camera-ready, ICLR 2027"))
        site_dir.build()
        for name in ("plain", "resetting"):
            mark_all_read(homes[name])
            reload(homes[name], [url], conf[name])
        reload(homes["late"], [url], conf["late"])
        for name, home in homes.items():
            rows = stored(home, guid)
            assert len(rows) == 1, (name, rows)  # one item for the paper, never a second
            content, unread_flag = rows[0]
            assert content.startswith("<p>Revised: v2, 18 Aug 2026: v2: camera-ready, ICLR 2027</p>"), \
                (name, content[:200])
            assert content.count("Revised:") == 1
            assert unread_flag == (0 if name == "plain" else 1), name  # shown again where the reader asks
            with sqlite3.connect(home / "cache.db") as db:
                assert not list(db.execute("SELECT guid FROM rss_item GROUP BY guid HAVING count(*) > 1"))
        assert len(unread(homes["late"])) == 4  # the feed's three days and the revision
        # The next build changes nothing: the item is not shown as changed a second time.
        mark_all_read(homes["resetting"])
        site_dir.build()
        reload(homes["resetting"], [url], conf["resetting"])
        assert stored(homes["resetting"], guid)[0][1] == 0


def mark_all_read(home) -> None:
    with sqlite3.connect(home / "cache.db") as db:
        db.execute("UPDATE rss_item SET unread = 0")


def stored(home, guid: str) -> list[tuple[str, int]]:
    with sqlite3.connect(home / "cache.db") as db:
        return list(db.execute("SELECT content, unread FROM rss_item WHERE guid = ?", (guid,)))


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_a_weekly_feed_brings_one_new_item_a_week_in_newsboat(site_dir, tmp_path, kind):
    """A reader of a topic's weekly picks (topics/<slug>/weekly/): one item per week that is
    over, each once; the week still running is no item; when it is over, one new item arrives
    and the weeks already read stay read. The same week on another topic is another item."""
    home = tmp_path / "home"
    home.mkdir()
    mondays = [date(2026, 8, 3) + timedelta(weeks=i) for i in range(4)]  # weeks 32 to 35 of 2026
    papers = [make_paper(f"2608.{i + 1:05d}", title=f"Language model paper {i + 1}", categories=("cs.CL", "cs.CV"),
                         announced=monday + timedelta(days=i % 3)) for i, monday in enumerate(mondays[:3])]
    with serve_site(site_dir.output, "/repo/") as base:
        cfg = site_dir.config_path.read_text().replace("https://owner.github.io/repo/", base)
        site_dir.config_path.write_text(cfg)
        urls = [f"{base}topics/llm/weekly/{kind}.xml", f"{base}topics/vision/weekly/{kind}.xml"]
        conf = tmp_path / "newsboat.conf"
        conf.write_text("".join(f'always-download "{url}"\n' for url in urls))  # builds seconds apart
        for paper in papers:
            site_dir.add(paper)
        site_dir.build()
        assert reload(home, urls, str(conf)) == {urls[0]: 2, urls[1]: 2}  # weeks 32 and 33; 34 runs on
        mark_all_read(home)
        site_dir.add(make_paper("2608.00099", title="A vision paper", categories=("cs.CV",), announced=mondays[3]))
        site_dir.build()
        assert reload(home, urls, str(conf)) == {urls[0]: 3, urls[1]: 3}
    assert unread(home) == [(f"{base}weeks/2026-W34/#topic-llm", "Week 34 of 2026: 1 paper on Language Models"),
                            (f"{base}weeks/2026-W34/#topic-vision", "Week 34 of 2026: 1 paper on Vision")]


def test_follows_opml_in_newsboat_keeps_every_paper_of_every_follow(tmp_path):
    """A reader imports follows.opml (its folders become newsboat's tags) and reloads: every
    paper any follow's feed carries is in the reader, with its one id and its own time, and
    each venue's feed (venues share no paper) keeps its items. An author's papers at a
    followed venue, and a paper two author rules name, are shown in one of those feeds (the
    one reloaded last): the OPML is apart from feeds.opml so no topic feed takes them all."""
    from tests.follows_support import follow_site

    home = tmp_path / "home"
    home.mkdir()
    site = follow_site(tmp_path / "site")
    with serve_site(site.output, "/repo/") as base:
        site.config_path.write_text(site.config_path.read_text().replace("https://owner.github.io/repo/", base))
        site.build()
        subprocess.run(["newsboat", "-i", str(site.output / "follows.opml"), "-u", str(home / "urls"), "-c",
                        str(home / "cache.db"), "-C", "/dev/null"], env={"HOME": str(home), "PATH": "/usr/bin:/bin"},
                       check=True, capture_output=True, timeout=60)
        lines = (home / "urls").read_text().splitlines()
        feeds = [line.split()[0] for line in lines]
        assert all(line.endswith('"Authors"') for line in lines if "/authors/" in line)
        assert all(line.endswith('"Venues"') for line in lines if "/venues/" in line)
        assert len(feeds) == 6 and all(url.startswith(base) and url.endswith("/atom.xml") for url in feeds)
        stored = reload(home, feeds)
    offered = set().union(*(_feed_ids(site.output / url[len(base):]) for url in feeds))
    with sqlite3.connect(home / "cache.db") as db:
        kept = dict(db.execute("SELECT guid, pubDate FROM rss_item"))
    assert set(kept) == offered and len(set(kept.values())) == len(kept)
    venues = [url for url in feeds if "/venues/" in url]
    assert all(stored.get(url) for url in venues), stored
