"""Issue 17, point 4: feeds and cards cap what one paper may show.

Before: a paper with 30,000 authors took a minute to build (feedgen re-walked its author
list for each author added: quadratic) and 100,000 were killed at ten minutes; a paper in
1,000 topics made 115 MB of output for two papers, every card listing every topic.

Now a snapshot holds at most 20,000 authors (a sanity cap four times the longest real list);
a feed item names the first 50 and how many more; a card the first 6 "et al." (as before) and
its first 5 topics "and N more"; the paper page still names every author and topic.
"""

from __future__ import annotations

import re
from pathlib import Path

import feedparser
import pytest

from sitegen.errors import ContentError
from sitegen.limits import CARD_TOPICS, FEED_AUTHORS, MAX_AUTHORS, MAX_TOPICS
from tests.conftest import REPO, SiteDir, make_paper


def names(n: int) -> tuple[str, ...]:
    return tuple(f"Author{i} Surname{i}" for i in range(n))


def test_a_paper_at_the_author_cap_builds_with_bounded_feed_items(site_dir):
    site_dir.add(make_paper("2311.02077", authors=names(MAX_AUTHORS)))
    site_dir.add(make_paper("2311.02078", title="A paper of two authors"))
    site_dir.build()
    more = f"et al. ({MAX_AUTHORS - FEED_AUTHORS:,} more)"
    first = ", ".join(names(FEED_AUTHORS))
    for feed in ("rss.xml", "atom.xml", "topics/vision/rss.xml", "topics/vision/atom.xml"):
        parsed = feedparser.parse((site_dir.output / feed).read_bytes())
        assert not parsed.bozo, (feed, parsed.get("bozo_exception"))
        item = next(e for e in parsed.entries if e.id.endswith("2311.02077"))
        assert f"<p>{first} {more}</p>" in item.summary
        if feed.endswith("atom.xml"):
            assert len(item.authors) == FEED_AUTHORS
        else:
            assert item.author == f"{first} {more}"  # dc:creator
        other = next(e for e in parsed.entries if e.id.endswith("2311.02078"))
        assert "et al." not in other.summary  # two authors: named as they are
    day = (site_dir.output / "days/2023-11-06/index.html").read_text()
    assert f"<p>{', '.join(names(6))} et al.</p>" in day
    page = (site_dir.output / "papers/2311.02077/index.html").read_text()
    authors = re.search(r'<p class="authors">(.*?)</p>', page, re.S)
    assert authors is not None and authors[1] == ", ".join(names(MAX_AUTHORS))  # the page names everyone
    assert page.count('<meta name="citation_author"') == MAX_AUTHORS


def test_a_paper_past_the_author_cap_is_a_content_error_naming_the_file(site_dir):
    site_dir.add(make_paper("2311.02077", authors=names(30_000)))
    with pytest.raises(ContentError) as info:
        site_dir.build()
    assert str(info.value).splitlines()[1].strip() == (
        f"content/papers/2311/02/2311.02077.md:5: authors: 30,000 names; at most {MAX_AUTHORS:,} "
        "(a sanity cap four times the longest real author list)")


def test_a_paper_with_100k_authors_is_refused_by_the_snapshot_size_cap_before_parsing(site_dir):
    """100,000 names make a 2.8 MB snapshot: the 1 MB cap refuses it unread, naming the file."""
    site_dir.add(make_paper("2311.02077", authors=names(100_000)))
    with pytest.raises(ContentError) as info:
        site_dir.build()
    line = str(info.value).splitlines()[1].strip()
    assert line.startswith("content/papers/2311/02/2311.02077.md:1: is ") and "over the 1,000,000-byte cap" in line


def many_topics(root: Path, count: int) -> SiteDir:
    config = (f'[site]\ntitle = "T"\nbase_url = "https://owner.github.io/repo/"\n[build]\n'
              f'templates = "{REPO / "templates"}"\nsearch = false\n')
    config += "".join(f'\n[[topics]]\nslug = "t{i}"\ntitle = "Topic {i}"\ncategories = ["cs.CV"]\n'
                      for i in range(count))
    site = SiteDir(root, config)
    site.add(make_paper("2311.02077"))
    site.add(make_paper("2311.02078", title="Another paper"))
    return site


@pytest.mark.slow
def test_a_paper_in_every_topic_shows_five_on_its_cards(tmp_path):
    site = many_topics(tmp_path, MAX_TOPICS)
    site.build()
    files = [p for p in site.output.rglob("*") if p.is_file()]
    # 500 topic pages and 1,000 feeds carry the two papers; the cards list every topic no more
    # (30 MB before, for the same two papers: 500 topics on each card on each topic page).
    assert sum(p.stat().st_size for p in files) < 8_000_000
    more = f" and {MAX_TOPICS - CARD_TOPICS} more</small>"
    for page in ("index.html", "days/2023-11-06/index.html", "topics/t0/index.html", "topics/t499/index.html"):
        text = (site.output / page).read_text()
        cards = re.findall(r'<small>in (.*?)</small>', text)
        assert cards and all(c.count("<a ") == CARD_TOPICS for c in cards), page
        assert text.count(more) == len(cards) == 2
    paper = (site.output / "papers/2311.02077/index.html").read_text()
    topics = re.search(r"<dt>Topics<dd>(.*?)(<dt>|</dl>)", paper)
    assert topics is not None and topics[1].count("<a ") == MAX_TOPICS  # the page names them all


def test_a_card_of_five_topics_or_fewer_names_them_all(tmp_path):
    site = many_topics(tmp_path, CARD_TOPICS)
    site.build()
    text = (site.output / "days/2023-11-06/index.html").read_text()
    cards = re.findall(r'<small>in (.*?)</small>', text)
    assert cards and all(c.count("<a ") == CARD_TOPICS and "more" not in c for c in cards)
