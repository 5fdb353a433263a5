"""Version marks on the site: a revised paper's page, card and feed items say so once ("revised
v3, 12 Sep 2026: ..."), and a revision of an old paper is back in the feeds, with its one id."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path

import feedparser

from sitegen import arxiv_ids
from sitegen.versions import revision_day
from tests.conftest import make_paper
from tests.site_checks import paper_facts

ATOM = "{http://www.w3.org/2005/Atom}"
RFC822 = re.compile(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
                    r"\d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}")


# --- the paper page and the cards ----------------------------------------------------------------

def revised_paper(**changes):
    return make_paper("2311.04444", title="A Revised Language Model Study", version=3, categories=("cs.CL",),
                      published=datetime(2023, 11, 2, 15, tzinfo=UTC),
                      updated=datetime(2026, 9, 11, 16, 30, tzinfo=UTC),
                      announced=date(2023, 11, 3), huggingface=None,
                      comment='v3: camera-ready <script>alert(1)</script> & "ICLR 2027", $\\alpha$-tuned', **changes)


def test_the_paper_page_shows_the_mark_once_near_the_dates(sample_site):
    sample_site.add(revised_paper())
    sample_site.build()
    page = (sample_site.output / "papers" / "2311.04444" / "index.html").read_text()
    facts = re.search(r'<dl class="facts">(.*?)</dl>', page, re.S).group(1)
    # site.js links "v3" to arXiv's page of v3, from the arXiv line (tests/test_browser.py)
    listed = paper_facts(page)
    assert listed["arXiv"] == "2311.04444v3"
    assert listed["Submitted"].startswith("Thu, 2 Nov 2023, revised <a>v3</a>, 11 Sep 2026: v3: camera-ready ")
    assert 'camera-ready &lt;script&gt;alert(1)&lt;/script&gt; &amp; "ICLR 2027", ' in facts  # escaped
    assert "<script>alert" not in page and "$\\alpha$" not in facts and "<math" in facts  # TeX read, as titles
    assert "<dt>Comment" not in facts and facts.count("camera-ready") == 1  # shown once
    assert facts.count("revised") == 1 and "Sep 2026" not in facts.replace("11 Sep 2026", "", 1)
    sample_site.add(make_paper("2311.05555", version=1, updated=None, comment="12 pages", title="A v1 LLM paper"))
    sample_site.build()
    v1 = (sample_site.output / "papers" / "2311.05555" / "index.html").read_text()
    assert "revised" not in v1 and "<a>" not in v1 and paper_facts(v1)["Comment"] == "12 pages"


def test_a_card_shows_the_version_beside_the_id(sample_site):
    sample_site.add(revised_paper())
    sample_site.add(make_paper("2311.05555", version=1, updated=None, title="A v1 LLM paper"))
    sample_site.build()
    day = (sample_site.output / "days" / "2023-11-03" / "index.html").read_text()
    assert '<span class="id">arXiv:2311.04444v3</span> <i>' in day  # as arXiv writes it
    other = (sample_site.output / "days" / "2023-11-06" / "index.html").read_text()
    assert '<span class="id">arXiv:2311.05555</span> <i>' in other  # v1: no mark


# --- the feeds: one id, `updated` moved, the mark first, an old paper back once ----------------------

FEEDS = ("rss.xml", "atom.xml", "topics/llm/rss.xml", "topics/llm/atom.xml")


def feed_site(site_dir):
    """Papers on 14 announcement days (one a day, in the llm topic), the oldest announced on
    Monday 3 Aug 2026; feeds carry three days (feed_items 0: no floor)."""
    text = site_dir.config_path.read_text().replace("feed_items = 5", "feed_items = 0")
    site_dir.config_path.write_text(text)
    day, papers = date(2026, 8, 3), []
    while len(papers) < 14:
        if day.weekday() < 5:
            papers.append(make_paper(f"2608.{len(papers) + 1:05d}", title=f"Language model paper {len(papers) + 1}",
                                     version=1, updated=None, comment=None, categories=("cs.CL",), announced=day,
                                     published=datetime.combine(day - timedelta(days=1), datetime.min.time(), UTC)))
        day += timedelta(days=1)
    for paper in papers:
        site_dir.add(paper)
    return papers


def items(path: Path) -> dict[str, dict]:
    """{id: {published, updated, body}} of a feed, read as RSS or Atom."""
    root = ET.fromstring(path.read_bytes())
    found = {}
    if path.name == "rss.xml":
        for item in root.iter("item"):
            pub = item.findtext("pubDate")
            assert RFC822.fullmatch(pub), pub
            found[item.findtext("guid")] = dict(published=parsedate_to_datetime(pub), updated=None,
                                                body=item.findtext("description"))
    else:
        for entry in root.iter(f"{ATOM}entry"):
            found[entry.findtext(f"{ATOM}id")] = dict(
                published=datetime.fromisoformat(entry.findtext(f"{ATOM}published")),
                updated=datetime.fromisoformat(entry.findtext(f"{ATOM}updated")),
                body=entry.findtext(f"{ATOM}content"))
    return found


def test_a_revision_of_an_old_paper_is_in_the_feeds_once_with_its_mark(site_dir):
    papers = feed_site(site_dir)
    site_dir.build()
    old = papers[0]
    old_id = arxiv_ids.abs_url(old.id)
    for feed in FEEDS:
        assert old_id not in items(site_dir.output / feed)  # 3 Aug is long out of the window
    # The feeds carry 18, 19 and 20 Aug. v2 was submitted on Tuesday 18 Aug before the cutoff:
    # announced that evening, in Wednesday 19 Aug's mailing, within the feeds' days.
    v2 = replace(old, version=2, updated=datetime(2026, 8, 18, 15, 5, tzinfo=UTC),
                 comment="v2: camera-ready, ICLR 2027", links=arxiv_ids.links(old.id, 2))
    assert revision_day(v2) == date(2026, 8, 19)
    site_dir.add(v2)
    site_dir.build()
    for feed in FEEDS:
        data = (site_dir.output / feed).read_bytes()
        parsed = feedparser.parse(data)
        assert not parsed.bozo, (feed, parsed.bozo_exception)
        ids = [e.id for e in parsed.entries]
        assert len(ids) == len(set(ids)) == 4  # three days' papers and the revision, each once
        found = items(site_dir.output / feed)
        assert old_id in found  # back in the feed, with its one id, the version-less abs URL
        item = found[old_id]
        assert item["published"] == datetime(2026, 8, 3, tzinfo=UTC)  # its time stays its announcement
        if item["updated"] is not None:  # Atom: `updated` moved to v2's date
            assert item["updated"] == datetime(2026, 8, 18, 15, 5, tzinfo=UTC)
        body = item["body"]
        assert body.startswith("<p>Revised: v2, 18 Aug 2026: v2: camera-ready, ICLR 2027</p>"), body[:200]
        assert 'href="https://arxiv.org/pdf/2608.00001v2"' in body  # the item links the new version
        assert body.count("Revised:") == 1 and body.count("camera-ready") == 1
        # The papers of the window's days that are at v1 carry no mark.
        assert all("Revised:" not in i["body"] for key, i in found.items() if key != old_id)


def test_a_revision_announced_before_the_window_stays_out(site_dir):
    papers = feed_site(site_dir)
    old = papers[0]
    # v2 in the mailing of Tuesday 11 Aug, before the feeds' oldest day (Tuesday 18 Aug)
    site_dir.add(replace(old, version=2, updated=datetime(2026, 8, 10, 12, tzinfo=UTC)))
    site_dir.build()
    for feed in FEEDS:
        assert arxiv_ids.abs_url(old.id) not in items(site_dir.output / feed)


def test_a_revised_paper_already_in_the_window_is_listed_once(site_dir):
    papers = feed_site(site_dir)
    newest = papers[-1]  # announced 20 Aug, revised the next day
    site_dir.add(replace(newest, version=2, updated=datetime(2026, 8, 20, 15, tzinfo=UTC)))
    site_dir.build()
    for feed in FEEDS:
        ids = [e.id for e in feedparser.parse((site_dir.output / feed).read_bytes()).entries]
        assert ids.count(arxiv_ids.abs_url(newest.id)) == 1 and len(ids) == 3
