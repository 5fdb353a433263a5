"""Feeds never drop a paper: every paper of the newest feed_days announcement days, at least
feed_items papers, valid RSS 2.0 and Atom 1.0 however busy the day, one id per paper everywhere."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date
from email.utils import parsedate_to_datetime

import feedparser
import pytest

from sitegen.build.load import make_entry
from sitegen.build.outputs.feeds import feed_entries
from sitegen.config.load import parse_config
from sitegen.model import HuggingFace
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
                                announced=day, huggingface=HuggingFace(upvotes=i)))
    site.build()
    return site


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
    # What a busy day weighs, for papers of the shipped ones' size: 2.5 KB a paper in RSS,
    # 2.7 KB in Atom (which names each author in an element of its own), so 1.5-1.6 MB here;
    # the abstract's formula is MathML, as on the paper's page (escaped in XML: ~0.2 KB)
    assert len(data) < (BUSY + 4) * 2800


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
