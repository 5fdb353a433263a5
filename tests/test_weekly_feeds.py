"""topics/<slug>/weekly/rss.xml and atom.xml: one item a week that is over, its picks as links;
valid (feedparser; the W3C rules: RFC 822 dates, atom:link rel=self, unique ids), linked from
the topic page and listed in feeds.opml. newsboat reads them in tests/test_reader.py."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import feedparser
import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from sitegen.render.outputs.weekly_feeds import WEEKS
from tests.conftest import make_paper
from tests.test_period_pages import BASE, NEXT_WEEK, VISION_ORDER, vision, week_papers

RSS_DATE = re.compile(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
                      r"\d{4} \d\d:\d\d:\d\d \+0000")


@pytest.fixture
def weeks_site(site_dir):
    """Weeks 32 and 33 of 2026 (over) and week 34 (Monday only: not over)."""
    for paper in week_papers():
        site_dir.add(paper)
    site_dir.add(vision("2608.00050", NEXT_WEEK, upvotes=2))
    site_dir.build()
    return site_dir


def parsed(site, slug: str, kind: str):
    feed = feedparser.parse((site.output / f"topics/{slug}/weekly/{kind}.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_one_item_per_week_that_is_over_newest_first(weeks_site, kind):
    feed = parsed(weeks_site, "vision", kind)
    week = f"{BASE}weeks/2026-W33/#topic-vision"
    assert [e.id for e in feed.entries] == [week, f"{BASE}weeks/2026-W32/#topic-vision"]  # not week 34
    first = feed.entries[0]
    assert first.link == week
    assert first.title == "Week 33 of 2026: 13 papers on Vision"
    assert first.published_parsed[:6] == (2026, 8, 13, 0, 0, 0)  # the week's last announcement day
    if kind == "atom":  # RSS has one date an item
        assert first.updated_parsed[:6] == (2026, 8, 13, 0, 0, 0)
    body = HTMLParser(first.content[0].value if kind == "atom" else first.summary)
    links = [a.attributes["href"] for a in body.css("ol li a")]
    assert links == [f"{BASE}papers/{pid}/" for pid in VISION_ORDER[:10]]  # the week page's picks
    assert "50 citations" in body.css("ol li")[0].text() and "▲ 20" in body.css("ol li")[1].text()
    assert body.css_first("p").text().startswith("13 papers, 10 Aug to 13 Aug 2026; most Hugging Face upvotes")
    assert body.css("p")[-1].css_first("a").attributes["href"] == week and "3 more" in body.css("p")[-1].text()
    assert feed.feed.title == "Vision · weekly picks · Test Feeds"
    assert feed.feed.updated_parsed[:3] == (2026, 8, 13)


def test_rss_and_atom_follow_the_w3c_rules(weeks_site):
    rss = (weeks_site.output / "topics/vision/weekly/rss.xml").read_text()
    assert '<atom:link href="https://owner.github.io/repo/topics/vision/weekly/rss.xml" rel="self" ' \
           'type="application/rss+xml"/>' in rss
    dates = re.findall(r"<(?:pubDate|lastBuildDate)>([^<]*)<", rss)
    assert dates and all(RSS_DATE.fullmatch(d) for d in dates), dates
    guids = re.findall(r"<guid[^>]*>([^<]*)<", rss)
    assert len(guids) == len(set(guids)) == 2
    atom = ET.fromstring((weeks_site.output / "topics/vision/weekly/atom.xml").read_bytes())
    ns = {"a": "http://www.w3.org/2005/Atom"}
    self_links = [link.get("href") for link in atom.findall("a:link", ns) if link.get("rel") == "self"]
    assert self_links == [f"{BASE}topics/vision/weekly/atom.xml"]
    assert atom.findtext("a:id", namespaces=ns) == f"{BASE}topics/vision/weekly/"  # not the daily feed's id
    daily = ET.fromstring((weeks_site.output / "topics/vision/atom.xml").read_bytes())
    assert daily.findtext("a:id", namespaces=ns) != atom.findtext("a:id", namespaces=ns)


def test_ids_are_unique_across_topics_and_never_a_papers(weeks_site):
    vision_ids = {e.id for e in parsed(weeks_site, "vision", "atom").entries}
    llm_ids = {e.id for e in parsed(weeks_site, "llm", "atom").entries}
    assert llm_ids == {f"{BASE}weeks/2026-W33/#topic-llm"}
    assert not vision_ids & llm_ids
    daily = {e.id for e in feedparser.parse((weeks_site.output / "topics/vision/atom.xml").read_bytes()).entries}
    assert not vision_ids & daily
    # A topic without a week that is over: a valid feed without items, dated by the site's newest
    # week that is over (not its newest day: the feed does not change with every day's papers).
    quiet = parsed(weeks_site, "physics", "rss")
    assert quiet.entries == [] and quiet.feed.updated_parsed[:3] == (2026, 8, 13)


def test_the_feed_carries_the_newest_weeks_only(site_dir):
    monday = date(2026, 1, 5)
    for i in range(WEEKS + 3):
        site_dir.add(vision(f"2601.{i + 1:05d}", monday + timedelta(weeks=i)))
    site_dir.build()
    feed = parsed(site_dir, "vision", "atom")
    keys = [re.search(r"weeks/([^/]+)/", e.id)[1] for e in feed.entries]
    # 5 Jan 2026 is in week 2 (week 1 began on 29 Dec 2025); the newest week is not over.
    assert keys == [f"2026-W{n:02d}" for n in range(WEEKS + 3, 3, -1)]


def test_a_paper_of_the_open_week_changes_no_weekly_feed_and_a_late_one_changes_its_week(weeks_site):
    def feeds():
        return {k: v for k, v in weeks_site.tree().items() if "/weekly/" in k}

    before = feeds()
    weeks_site.add(vision("2608.00051", NEXT_WEEK + timedelta(days=1), upvotes=300))
    weeks_site.build()
    assert feeds() == before  # week 34 is not over: no item yet
    weeks_site.add(make_paper("2608.00099", title="A Late Vision Paper", categories=("cs.CV",),
                              announced=date(2026, 8, 12), extras={}))
    weeks_site.build()
    changed = sorted(k for k, v in feeds().items() if v != before[k])
    assert changed == ["topics/vision/weekly/atom.xml", "topics/vision/weekly/rss.xml"]


def test_the_topic_page_and_the_opml_offer_the_weekly_feed(weeks_site):
    out = weeks_site.output
    front = HTMLParser((out / "topics/vision/index.html").read_text())
    alternates = {a.attributes["href"]: a.attributes["title"] for a in front.css("link[rel=alternate]")}
    assert alternates["../../topics/vision/weekly/atom.xml"] == "Vision, weekly picks (Atom)"
    assert alternates["../../topics/vision/weekly/rss.xml"] == "Vision, weekly picks (RSS)"
    assert front.css_first('main a[href="../../topics/vision/weekly/rss.xml"]') is not None
    archive = (out / "topics/vision/page/1/index.html").read_text()
    assert "weekly/" not in archive  # only where a reader subscribes: the front page
    opml = ET.fromstring((out / "feeds.opml").read_bytes())
    body = opml.find("body")
    (group,) = [o for o in body.findall("outline") if o.get("text") == "Weekly picks"]
    assert [o.get("xmlUrl") for o in group.findall("outline")] == [
        f"{BASE}topics/{slug}/weekly/atom.xml" for slug in ("vision", "llm", "physics")]
    assert all(o.get("type") == "rss" and o.get("htmlUrl") == f"{BASE}weeks/" for o in group.findall("outline"))
    daily = [o.get("xmlUrl") for o in body.findall("outline") if o.get("xmlUrl")]
    assert daily == [f"{BASE}topics/{slug}/atom.xml" for slug in ("vision", "llm", "physics")]


def test_retired_papers_in_an_item_link_to_arxiv(site_dir):
    from tests.test_retention import _limit_keeping, _set_limit

    for paper in week_papers():
        site_dir.add(paper)
    site_dir.add(vision("2608.00050", NEXT_WEEK))
    text = site_dir.config_path.read_text().replace("search = false", "search = false\nmax_site_mb = 0")
    site_dir.config_path.write_text(text)
    _set_limit(site_dir, _limit_keeping(site_dir, 1))  # only week 34's Monday keeps its pages
    site_dir.build()
    item = parsed(site_dir, "vision", "rss").entries[0]
    links = [a.attributes["href"] for a in HTMLParser(item.summary).css("ol li a")]
    assert links[0] == "https://arxiv.org/abs/2608.00003" and all(link.startswith("https://arxiv.org/abs/")
                                                                   for link in links)
