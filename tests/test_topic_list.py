"""topics/: every topic with its description, its number of papers, its newest day and its
feeds, linked from every page's header and listed in the sitemap (it was a 404)."""

from __future__ import annotations

from tests.conftest import make_paper
from tests.site_checks import file_for, internal_targets, parse_page
from tests.test_retention import DAYS, _limit_keeping, _set_limit, _site

BASE = "https://owner.github.io/repo/"


def test_topics_page_lists_every_topic_with_its_count_newest_day_and_feeds(sample_site):
    text = sample_site.config_path.read_text().replace(
        'title = "Vision"\n', 'title = "Vision"\ndescription = "Seeing machines & <pictures>."\n')
    sample_site.config_path.write_text(text + '\n[[topics]]\nslug = "quiet"\ntitle = "Quiet"\nkeywords = ["zzqqxx"]\n')
    sample_site.build()
    out = sample_site.output
    page = (out / "topics/index.html").read_text()
    assert parse_page(out / "topics/index.html").errors == []
    assert "<title>Topics · Test Feeds</title>" in page
    rows = page.split("<li>")[1:]
    assert [r.split("</a></h2>")[0].rsplit(">", 1)[1] for r in rows] == ["Vision", "Language Models",
                                                                      "String Theory", "Quiet"]
    vision, llm, physics, quiet = rows
    assert '<h2><a href="../topics/vision/">Vision</a></h2>' in vision
    assert "<p>Seeing machines &amp; &lt;pictures&gt;.</p>" in vision  # the description, escaped
    assert '3 papers, newest <a href="../days/2023-11-06/">Mon, 6 Nov 2023</a>' in vision
    assert '<a href="../topics/vision/rss.xml">RSS</a> · <a href="../topics/vision/atom.xml">Atom</a>' in vision
    assert "1 paper, newest " in llm and '<a href="../days/1997-11-27/">Thu, 27 Nov 1997</a>' in physics
    assert "0 papers · " in quiet and "newest" not in quiet  # a topic without papers yet
    # The OPML of the topic feeds, and the site's feed of every paper, beside them.
    assert '<a href="../feeds.opml">feeds.opml</a>' in page and '<a href="../atom.xml">Atom</a>' in page
    # Linked from the header of every page, in the sitemap, and no link on it is broken.
    for rel, root in (("index.html", "./"), ("papers/2311.02077/index.html", "../../"),
                      ("days/2023-11-06/index.html", "../../"), ("404.html", "/repo/")):
        assert '<nav aria-label="Site"' in (html := (out / rel).read_text()), rel
        assert f'<a href="{root}topics/">Topics</a>' in html, rel
    assert f"<loc>{BASE}topics/</loc>" in (out / "sitemap.xml").read_text()
    targets = internal_targets(out, BASE)["topics/index.html"]
    assert targets and all(file_for(url, out, BASE).exists() for url in targets)


def test_a_topics_newest_day_that_left_the_site_is_named_not_linked(tmp_path):
    site = _site(tmp_path / "site", 0)  # eight days of language model papers
    site.config_path.write_text(site.config_path.read_text()
                                + '\n[[topics]]\nslug = "old"\ntitle = "Old"\nkeywords = ["zzoldzz"]\n')
    site.add(make_paper("2403.09999", title="An zzoldzz paper", abstract="Old.", announced=DAYS[0]))
    _set_limit(site, _limit_keeping(site, 3))  # the oldest days' pages leave
    site.build()
    page = (site.output / "topics/index.html").read_text()
    old = page.split("<li>")[2]
    assert f"1 paper, newest {DAYS[0]:%a}, {DAYS[0].day} {DAYS[0]:%b %Y} · " in old
    assert "days/" not in old and not (site.output / f"days/{DAYS[0]}").exists()
    assert f'<a href="../days/{DAYS[-1]}/">' in page.split("<li>")[1]  # the newest day is linked
