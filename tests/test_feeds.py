"""Feeds never drop a paper: every paper of the newest feed_days announcement days, at least
feed_items papers, valid RSS 2.0 and Atom 1.0 however busy the day, one id per paper everywhere."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime

import feedparser
import pytest

from sitegen.config.load import parse_config
from sitegen.render.outputs.feeds import feed_entries, item_published, item_updated, listing_ranks
from sitegen.site.load import make_entry
from sitegen.sources.huggingface.record import HuggingFace
from tests.conftest import BASE_CONFIG, REPO, SiteDir, busy_day_papers, make_paper

BUSY_DAY = date(2026, 8, 17)  # a Monday: cs.CL announces 600+ papers on some
BUSY = 600
BASE = "https://owner.github.io/repo/"
# RFC 822 (as updated by RFC 1123, which RSS 2.0 asks for): "Mon, 17 Aug 2026 00:00:00 +0000"
RFC822 = re.compile(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
                    r"\d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}")
ATOM = "{http://www.w3.org/2005/Atom}"


def _entries(*papers):
    config = parse_config(BASE_CONFIG.format(templates="/nonexistent"), "/x/sitegen.toml")
    return tuple(make_entry(p, f"{p.id}.md", p.id, config.topics) for p in papers)


def test_feed_entries_takes_whole_days_and_a_floor_never_a_cap():
    days = [date(2026, 8, d) for d in (14, 13, 12, 11)]  # newest first, 3 papers a day
    listed = _entries(*[make_paper(f"2608.{d.day:03d}{i:02d}", announced=d) for d in days for i in (3, 2, 1)])
    ids = [e.paper.id for e in listed]
    assert [e.paper.id for e in feed_entries(listed, 2, 0)] == ids[:6]  # two whole days
    assert [e.paper.id for e in feed_entries(listed, 2, 8)] == ids[:8]  # the floor reaches further back
    assert [e.paper.id for e in feed_entries(listed, 1, 2)] == ids[:3]  # a floor never cuts a day
    assert feed_entries(listed, 9, 50) == listed and feed_entries((), 3, 50) == ()


@pytest.fixture(scope="module")
def busy_site(tmp_path_factory):
    """600 cs.CL papers on one Monday, two papers on each of the three days before it."""
    root = tmp_path_factory.mktemp("busy")
    site = SiteDir(root, BASE_CONFIG.format(templates=REPO / "templates").replace("per_page = 2", "per_page = 25")
                   + '\n[[topics]]\nslug = "nlp"\ntitle = "NLP"\ncategories = ["cs.CL"]\n')
    for paper in busy_day_papers(BUSY, BUSY_DAY):
        site.add(paper)
    for day in (date(2026, 8, 14), date(2026, 8, 13), date(2026, 8, 12)):
        for i in (1, 2):
            site.add(make_paper(f"2608.{day.day}{i:03d}", title="A language model paper", categories=("cs.CL",),
                                announced=day, extras={"huggingface": HuggingFace(upvotes=i)}))
    site.build()
    return site


@pytest.mark.slow
@pytest.mark.parametrize("feed", ["rss.xml", "atom.xml", "topics/nlp/rss.xml", "topics/nlp/atom.xml"])
def test_a_600_paper_day_is_carried_whole_and_the_feed_stays_valid(busy_site, feed):
    data = (busy_site.output / feed).read_bytes()
    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.bozo_exception
    ids = [e.id for e in parsed.entries]
    # feed_days = 3: the busy Monday and the two announcement days before it, 600 + 2 + 2
    # papers, although feed_items is 5
    assert len(ids) == BUSY + 4 and len(set(ids)) == len(ids)
    assert {i.rsplit("/", 1)[1] for i in ids} >= {f"2608.{n:05d}" for n in range(1, BUSY + 1)}
    assert all(re.fullmatch(r"https://arxiv\.org/abs/\d{4}\.\d{5}", i) for i in ids)  # no version
    root = ET.fromstring(data)
    self_links = [link.get("href") for link in root.iter(f"{ATOM}link") if link.get("rel") == "self"]
    assert self_links == [BASE + feed]
    if feed.endswith("rss.xml"):
        channel = root.find("channel")
        assert channel is not None
        dates = [item.findtext("pubDate") for item in channel.iter("item")]
        dates += [channel.findtext("lastBuildDate")]
        assert all(d and RFC822.fullmatch(d) and parsedate_to_datetime(d) for d in dates)
        assert all(item.find("guid").get("isPermaLink") == "false" for item in channel.iter("item"))
    else:
        assert root.findtext(f"{ATOM}id") == BASE + feed.removesuffix("atom.xml")
        assert root.findtext(f"{ATOM}updated").startswith("2026-08-17")  # the newest item's, not now
        assert root.findtext(f"{ATOM}author/{ATOM}name") == "Test Feeds"
        for entry in root.iter(f"{ATOM}entry"):
            assert entry.findtext(f"{ATOM}id") and entry.findtext(f"{ATOM}updated") and entry.findtext(f"{ATOM}title")
    # What a busy day weighs, for papers of the shipped ones' size: about 2.5 KB a paper in
    # RSS, a little more in Atom (which names each author in an element of its own)
    assert len(data) < (BUSY + 4) * 2700


def test_feed_items_show_math_as_unicode_text_not_mathml(busy_site):
    """Readers drop MathML's tags and run its symbols together (newsboat, Feedly), and the W3C
    validator flags each tag: an item's formula is the e-mail's Unicode text, <sup> for scripts."""
    for feed in ("rss.xml", "atom.xml"):
        entry = feedparser.parse((busy_site.output / feed).read_bytes()).entries[0]
        body = entry.summary if feed == "rss.xml" else entry.content[0].value
        assert "<math" not in body and "$" not in body
        assert re.search(r"at scale <i>O</i>\(<i>n</i><sup>\d</sup>\)\.", body), body[:300]


@pytest.mark.slow
def test_one_id_per_paper_in_every_feed(busy_site):
    ids = {}
    for feed in ("rss.xml", "atom.xml", "topics/nlp/rss.xml", "topics/nlp/atom.xml", "topics/llm/atom.xml"):
        for entry in feedparser.parse((busy_site.output / feed).read_bytes()).entries:
            ids.setdefault(entry.link, set()).add(entry.id)
    assert ids and all(len(found) == 1 for found in ids.values())  # one paper page, one id


def test_a_hand_edited_abs_link_does_not_change_the_id(sample_site):
    sample_site.add(make_paper("2311.02077", links={"abs": "https://arxiv.org/abs/2311.02077v2"}))
    sample_site.build()
    entry = feedparser.parse((sample_site.output / "atom.xml").read_bytes()).entries[0]
    assert entry.id == "https://arxiv.org/abs/2311.02077"


def test_a_feed_with_no_paper_is_dated_by_the_site_not_1970(sample_site):
    quiet_topic = '\n[[topics]]\nslug = "quiet"\ntitle = "Quiet"\nkeywords = ["zzqqxx"]\n'
    text = sample_site.config_path.read_text() + quiet_topic
    sample_site.config_path.write_text(text)
    sample_site.build()
    newest = max(e.published_parsed for e in feedparser.parse(sample_site.output / "atom.xml").entries)
    for kind in ("atom", "rss"):
        quiet = feedparser.parse(sample_site.output / "topics" / "quiet" / f"{kind}.xml")
        assert not quiet.bozo and not quiet.entries
        assert quiet.feed.updated_parsed[:3] == newest[:3], "the site's newest announcement day"


def _item_times(path) -> list[tuple[str, datetime]]:
    """(id, time) of every item, in the file's order: RSS guid and pubDate, Atom id and published."""
    root = ET.fromstring(path.read_bytes())
    if path.name == "rss.xml":
        return [(i.findtext("guid"), parsedate_to_datetime(i.findtext("pubDate"))) for i in root.iter("item")]
    return [(e.findtext(f"{ATOM}id"), datetime.fromisoformat(e.findtext(f"{ATOM}published")))
            for e in root.iter(f"{ATOM}entry")]


def test_items_of_a_day_have_distinct_times_in_the_listing_order(busy_site):
    """A reader orders items by time: each item of a day is the announcement (00:00 UTC) plus its
    place in the day's listing in seconds, counted from the lowest id, so the 600 papers of the
    busy Monday read newest id first in every reader, as every page lists them."""
    site = _item_times(busy_site.output / "rss.xml")
    assert site == _item_times(busy_site.output / "atom.xml")  # RSS and Atom: same order, same times
    times = [t for _, t in site]
    assert times == sorted(times, reverse=True) and len(set(times)) == len(times)  # strictly newest first
    assert site[0] == ("https://arxiv.org/abs/2608.00600", datetime(2026, 8, 17, 0, 9, 59, tzinfo=UTC))
    assert site[BUSY - 1] == ("https://arxiv.org/abs/2608.00001", datetime(2026, 8, 17, tzinfo=UTC))
    assert site[BUSY] == ("https://arxiv.org/abs/2608.14002", datetime(2026, 8, 14, 0, 0, 1, tzinfo=UTC))
    # One time per paper in every feed: the topic feed's items carry the site's times.
    for feed in ("topics/nlp/rss.xml", "topics/nlp/atom.xml"):
        topic = _item_times(busy_site.output / feed)
        assert topic == site


@pytest.mark.slow
def test_a_papers_time_comes_from_the_days_listing_never_the_build(sample_site):
    """A new paper of the day with a higher id moves no other paper's time; one with a lower
    id, on another topic, moves the times after it in every feed, and an incremental build
    writes the same feeds as a cold one (the ranks are in each feed's fingerprint)."""
    sample_site.build()
    before = dict(_item_times(sample_site.output / "topics/llm/atom.xml"))
    llm = "https://arxiv.org/abs/2311.01001"
    assert before[llm] == datetime(2023, 11, 6, tzinfo=UTC)  # the day's lowest id: second 0
    sample_site.add(make_paper("2311.09000", title="A late vision paper", announced=date(2023, 11, 6)))
    sample_site.build()
    assert dict(_item_times(sample_site.output / "topics/llm/atom.xml")) == before
    sample_site.add(make_paper("2311.00900", title="An early vision paper", announced=date(2023, 11, 6)))
    sample_site.build()  # incremental: only the vision topic and the site gained a paper
    moved = dict(_item_times(sample_site.output / "topics/llm/atom.xml"))
    assert moved[llm] == datetime(2023, 11, 6, 0, 0, 1, tzinfo=UTC)
    incremental = sample_site.tree()
    shutil.rmtree(sample_site.output)
    shutil.rmtree(sample_site.root / ".sitegen-cache", ignore_errors=True)
    sample_site.build()
    assert sample_site.tree() == incremental


def test_listing_ranks_count_each_day_from_its_lowest_id():
    days = [date(2026, 8, 14), date(2026, 8, 13)]
    listed = _entries(*[make_paper(f"2608.{d.day:03d}{i:02d}", announced=d) for d in days for i in (3, 2, 1)])
    assert list(listing_ranks(listed).values()) == [2, 1, 0, 2, 1, 0]
    entry = listed[0]
    assert item_published(entry, 2) == datetime(2026, 8, 14, 0, 0, 2, tzinfo=UTC)
    # A first version keeps the item's time; a later one's date moves `updated`, by the rank too.
    v1 = replace(entry, paper=replace(entry.paper, version=1, updated=datetime(2026, 8, 14, 4, tzinfo=UTC)))
    assert item_updated(v1, 2) == item_published(v1, 2)
    v3 = replace(entry, paper=replace(entry.paper, version=3, updated=datetime(2026, 8, 20, 9, tzinfo=UTC)))
    assert item_updated(v3, 2) == datetime(2026, 8, 20, 9, 0, 2, tzinfo=UTC)
