"""`sitegen build` end to end on small sites written inline."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from datetime import date
from email.utils import parsedate_to_datetime

import feedparser
import pytest

from sitegen.cli import main
from sitegen.errors import ConfigError, ContentError
from sitegen.snapshot.format import dump_paper
from tests.conftest import BASE_CONFIG, REPO, SiteDir, make_paper
from tests.site_checks import file_for, internal_targets, parse_page

BASE = "https://owner.github.io/repo/"


def test_builds_every_page_kind(sample_site):
    result = sample_site.build()
    files = set(sample_site.tree())
    for expected in [
        "index.html", "404.html", "robots.txt", "sitemap.xml", "feeds.opml", "rss.xml", "atom.xml",
        "days/index.html", "days/2023-11-06/index.html", "days/2023-11-03/index.html", "days/1997-11-27/index.html",
        "papers/2311.02077/index.html", "papers/hep-th_9711200/index.html",
        "topics/vision/index.html", "topics/vision/rss.xml",
        "topics/vision/atom.xml", "topics/llm/index.html", "topics/llm/rss.xml", "search/index.html",
        "static/style.css", "static/site.js",
    ]:
        assert expected in files, expected
    assert ".sitegen-output" in files  # the ownership marker: not a page, so not counted
    assert result.papers == 5 and result.topics == 3 and result.written == result.files == len(files) - 1
    assert "Built 5 papers in 3 topics" in result.summary()


def test_the_summary_says_what_was_not_published_and_why(sample_site, capsys):
    """"Built 212 papers" said nothing of the 85 snapshots it left off the site."""
    sample_site.add(make_paper("2311.00010", title="A robot arm", categories=("cs.RO",), abstract="Grasping."))
    sample_site.add(make_paper("2311.00011", title="Another robot", categories=("cs.RO",), abstract="Walking."))
    sample_site.add(make_paper("2311.00001", hidden=True, announced=date(2023, 11, 3)))  # on a topic, hidden
    assert main(["build", "--config", str(sample_site.config_path)]) == 0
    line = ("Built 4 of 7 papers in 3 topics (2 match no topic: see [build] publish_unmatched; 1 hidden) -> ")
    assert capsys.readouterr().out.startswith(line)
    assert main(["build", "--config", str(sample_site.config_path)]) == 0  # nothing changed: the same line
    assert capsys.readouterr().out.startswith(line)
    config = sample_site.config_path.read_text().replace("search = false", "search = false\npublish_unmatched = true")
    sample_site.config_path.write_text(config)
    assert main(["build", "--config", str(sample_site.config_path)]) == 0
    assert capsys.readouterr().out.startswith("Built 6 of 7 papers in 3 topics (1 hidden) -> ")


def test_topic_membership_and_pagination(sample_site):
    for i in range(3, 7):  # with the sample's three, seven cs.CV papers at two a page
        sample_site.add(make_paper(f"2311.0100{i}", announced=date(2023, 11, 1)))
    sample_site.build()
    front = (sample_site.output / "topics/vision/index.html").read_text()
    oldest = (sample_site.output / "topics/vision/page/1/index.html").read_text()
    newest = (sample_site.output / "topics/vision/page/2/index.html").read_text()
    # archive pages hold full blocks counted from the oldest paper, so their contents never
    # shift; the front page holds the rest (the newest block and the one paper past it)
    assert front.index("2311.02077") < front.index("2311.00002") < front.index("2311.00001")
    assert "2311.01006" not in front and not (sample_site.output / "topics/vision/page/3").exists()
    assert 'rel="next" href="../../topics/vision/page/2/"' in front
    assert "2311.01003" in oldest and "2311.01004" in oldest and "2311.01005" not in oldest
    assert 'rel="prev" href="../../../../topics/vision/page/2/"' in oldest
    assert "2311.01006" in newest and "2311.01005" in newest
    assert 'rel="prev" href="../../../../topics/vision/"' in newest
    llm = (sample_site.output / "topics/llm/index.html").read_text()
    assert "2311.01001" in llm and "Survey of LLM" not in llm  # exclude rule


def test_a_new_paper_changes_only_the_front_and_newest_archive_page(site_dir):
    for i in range(1, 8):
        site_dir.add(make_paper(f"2311.0000{i}", announced=date(2023, 11, i)))
    site_dir.build()
    folder = site_dir.output / "topics/vision"
    before = {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("index.html")}
    assert sorted(before) == ["index.html", "page/1/index.html", "page/2/index.html"]
    site_dir.add(make_paper("2311.00008", announced=date(2023, 11, 8)))
    site_dir.build()
    after = {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("index.html")}
    # eight papers: the front page's oldest block (5, 6) becomes archive page 3, and page 2's
    # "newer" link now leads there; page 1 is untouched
    assert sorted(p for p in after if before.get(p) != after[p]) == [
        "index.html", "page/2/index.html", "page/3/index.html"]
    site_dir.add(make_paper("2311.00009", announced=date(2023, 11, 9)))
    site_dir.build()
    assert [p.relative_to(folder).as_posix() for p in folder.rglob("index.html")
            if p.read_bytes() != after.get(p.relative_to(folder).as_posix())] == ["index.html"]


def test_day_pages_skip_days_without_papers(sample_site):
    sample_site.build()
    monday = (sample_site.output / "days/2023-11-06/index.html").read_text()
    assert 'rel="prev" href="../../days/2023-11-03/"' in monday
    assert "arXiv does not announce on weekends and holidays" in monday
    assert 'rel="next"' not in monday


def test_every_internal_link_resolves_under_a_sub_path_and_at_root(sample_site):
    for base in (BASE, "https://papers.example.org/"):
        sample_site.build(output_dir=None) if base == BASE else None
        out = sample_site.output
        for page, urls in internal_targets(out, base).items():
            for url in urls:
                target = file_for(url.split("#")[0].split("?")[0], out, base)
                assert target is not None, f"{page}: {url} leaves the site"
                assert target.is_file(), f"{page}: broken link {url}"


def test_pages_are_well_formed_html(sample_site):
    sample_site.build()
    for path in sample_site.output.rglob("*.html"):
        parsed = parse_page(path)
        assert not parsed.errors, (path, parsed.errors)
        text = path.read_text()
        assert text.startswith("<!DOCTYPE html>") and '<html lang="en">' in text


def test_paper_page_content_and_size(sample_site):
    sample_site.build()
    page = sample_site.output / "papers/2311.02077/index.html"
    html = page.read_text()
    assert '<meta name="citation_title" content="EmerNeRF: Emergent Spatial-Temporal Scene Decomposition">' in html
    assert '<meta name="citation_author" content="Boris Ivanovic">' in html
    assert '<link rel="canonical" href="https://owner.github.io/repo/papers/2311.02077/">' in html
    assert "<math" in html and "@misc{yang2023emernerf" in html
    assert len(html.encode()) < 6000  # DESIGN: keep paper pages near 4 KB


def test_feeds_are_valid_and_stable(sample_site):
    sample_site.build()
    out = sample_site.output
    for rel in ["rss.xml", "atom.xml", "topics/vision/rss.xml", "topics/vision/atom.xml",
                "topics/llm/rss.xml", "topics/llm/atom.xml"]:
        data = (out / rel).read_bytes()
        ET.fromstring(data)  # well-formed XML
        feed = feedparser.parse(data)
        assert not feed.bozo, (rel, feed.bozo_exception)
        assert feed.entries, rel
        ids = [e.id for e in feed.entries]
        assert len(ids) == len(set(ids))
        for e in feed.entries:
            assert e.id.startswith("https://arxiv.org/abs/") and "v" not in e.id.rsplit("/", 1)[1]
            assert e.link.startswith(BASE + "papers/") and e.title
            assert e.get("published_parsed") or e.get("updated_parsed")
        self_links = [link.href for link in feed.feed.links if link.rel == "self"]
        assert self_links == [BASE + rel]
    rss = ET.fromstring((out / "rss.xml").read_bytes())
    dates = [parsedate_to_datetime(d.text) for d in rss.iter("pubDate")]
    assert dates == sorted(dates, reverse=True)
    assert rss.find("channel/link").text == BASE
    assert parsedate_to_datetime(rss.find("channel/lastBuildDate").text).date() == date(2023, 11, 6)
    atom = feedparser.parse((out / "atom.xml").read_bytes())
    # The newest item's, not now: 2311.02077's v2 date plus its place in the day (second 1 of 2).
    assert atom.feed.updated == "2023-11-06T02:10:42+00:00"
    assert all(e.content[0].type == "text/html" for e in atom.entries)  # HTML, not escaped text
    assert b'<content type="html">' in (out / "atom.xml").read_bytes()
    assert len(atom.entries) == 5  # feed_items


@pytest.mark.slow
def test_new_version_keeps_the_feed_item_id(sample_site):
    sample_site.build()
    before = feedparser.parse((sample_site.output / "atom.xml").read_bytes())
    sample_site.add(make_paper("2311.02077", version=3, links={"abs": "https://arxiv.org/abs/2311.02077",
                                                               "pdf": "https://arxiv.org/pdf/2311.02077v3"}))
    sample_site.build()
    after = feedparser.parse((sample_site.output / "atom.xml").read_bytes())
    assert [e.id for e in before.entries] == [e.id for e in after.entries]


def test_two_builds_are_byte_identical(tmp_path, sample_site):
    sample_site.build()
    first = sample_site.tree()
    other = SiteDir(tmp_path / "copy", BASE_CONFIG.format(templates=REPO / "templates"))
    for path in (sample_site.root / "content").rglob("*.md"):
        rel = path.relative_to(sample_site.root / "content" / "papers").as_posix()
        other.write(rel, path.read_text())
    other.build(workers=1)
    assert other.tree() == first


@pytest.mark.slow
def test_rebuild_writes_only_what_changed_and_prunes_stale_files(sample_site):
    sample_site.build()
    # A file sitegen did not write is not "stale": it stays (before sitegen owned its output
    # folder, this test expected it pruned). A page sitegen wrote and no longer makes goes.
    foreign = sample_site.output / "old" / "page.html"
    foreign.parent.mkdir()
    foreign.write_text("mine")
    again = sample_site.build()
    assert again.written == 0 and again.removed == 0 and foreign.read_text() == "mine"
    (sample_site.root / "content/papers/hep-th/9711/hep-th_9711200.md").unlink()
    again = sample_site.build()
    # The paper's page, and its day's, week's and month's pages (it was their only paper).
    assert again.removed == 4
    assert not (sample_site.output / "papers/hep-th_9711200").exists() and foreign.read_text() == "mine"
    assert not (sample_site.output / "weeks/1997-W49").exists() and not (sample_site.output / "months/1997-12").exists()
    mtimes = {p: p.stat().st_mtime_ns for p in sample_site.output.rglob("*") if p.is_file()}
    sample_site.add(make_paper("2311.00001", title="Vision Transformers Revisited Again",
                               announced=date(2023, 11, 3)))
    third = sample_site.build()
    changed = {p.relative_to(sample_site.output).as_posix() for p, m in mtimes.items() if p.stat().st_mtime_ns != m}
    assert "papers/2311.00001/index.html" in changed
    # Other paper pages change only where they list it among their related papers (its title
    # is shown there).
    for rel in changed - {"papers/2311.00001/index.html"}:
        if rel.startswith("papers/"):
            assert "papers/2311.00001/" in (sample_site.output / rel).read_text(), rel
    assert third.written == len(changed)


def test_removed_or_hidden_paper_disappears(sample_site):
    sample_site.build()
    sample_site.add(make_paper("2311.00001", hidden=True, announced=date(2023, 11, 3)))
    (sample_site.root / "content/papers/hep-th/9711/hep-th_9711200.md").unlink()
    sample_site.build()
    assert not (sample_site.output / "papers/2311.00001").exists()
    assert not (sample_site.output / "papers/hep-th_9711200").exists()
    assert not (sample_site.output / "days/1997-11-27").exists()
    assert "2311.00001" not in (sample_site.output / "rss.xml").read_text()


@pytest.mark.slow
def test_a_paper_on_no_topic_stays_in_content_but_is_not_published(sample_site):
    # Alone on its day and in its month: its day page and search shard must not appear either.
    stray = make_paper("2310.00077", title="Dark Matter Halos", categories=("astro-ph.GA",),
                       announced=date(2023, 10, 2), extras={})
    sample_site.add(stray)
    sample_site.add(make_paper("2311.00078", title="Spin Glasses", categories=("cond-mat.dis-nn",),
                               announced=date(2023, 11, 6)))  # on a day that has published papers
    sample_site.build()
    out = sample_site.output
    site_text = "".join(p.read_text() for p in out.rglob("*") if p.suffix in (".html", ".xml", ".opml"))
    for pid in ("2310.00077", "2311.00078"):
        assert pid not in site_text  # no page, day page, index, feed or sitemap mentions it
        assert not (out / "papers" / pid).exists()
    assert not (out / "days/2023-10-02").exists()
    index = (out / "index.html").read_text()
    assert "5 papers in 3 topics" in index and "(2 papers)" in index  # counts of what is published
    assert "<small>3 papers</small>" not in (out / "days/index.html").read_text()

    config = sample_site.config_path.read_text().replace("search = false", "search = false\npublish_unmatched = true")
    sample_site.config_path.write_text(config)
    sample_site.build()
    assert (out / "papers/2310.00077/index.html").is_file() and (out / "days/2023-10-02/index.html").is_file()
    assert "2310.00077" in (out / "sitemap.xml").read_text()
    assert "7 papers in 3 topics" in (out / "index.html").read_text()


def test_output_left_alone_when_a_page_was_modified_by_hand_is_repaired(sample_site):
    sample_site.build()
    page = sample_site.output / "papers/2311.02077/index.html"
    good = page.read_bytes()
    page.write_text("tampered")
    assert sample_site.build().written == 1
    assert page.read_bytes() == good


BAD_FILES = {
    "2401/00/2401.00001.md": '---\nid: "2401.00001"\ntitle: "x\nauthors: []\n---\n',
    "2401/00/2401.00002.md": '---\nid: "2401.00002"\ntitle: "x"\nauthors: ["a"]\ncategories: []\n---\n',
    "2401/00/2401.00003.md": ('---\nid: "2401.00003"\ntitle: "x"\nauthors: ["a"]\npublished: 2024-02-30\n'
                              'categories: []\n---\n'),
    "elsewhere/2311.02077.md": None,  # a second file for an id that already exists
}


def test_every_bad_snapshot_is_reported_in_one_run_and_output_is_untouched(sample_site, capsys):
    sample_site.build()
    before = sample_site.tree()
    stamps = {p: p.stat().st_mtime_ns for p in sample_site.output.rglob("*")}
    for rel, text in BAD_FILES.items():
        if text is None:
            text = (sample_site.root / "content/papers/2311/02/2311.02077.md").read_text()
        sample_site.write(rel, text)
    code = main(["build", "--config", str(sample_site.config_path)])
    err = capsys.readouterr().err
    assert code == 1
    assert "4 bad snapshots" in err
    assert "content/papers/2401/00/2401.00001.md:3: broken YAML" in err
    assert "content/papers/2401/00/2401.00002.md:1: published: required key is missing" in err
    assert "content/papers/2401/00/2401.00003.md:5: invalid date" in err
    assert ("content/papers/elsewhere/2311.02077.md:2: id '2311.02077' is also used by "
            "content/papers/2311/02/2311.02077.md") in err
    assert sample_site.tree() == before
    assert {p: p.stat().st_mtime_ns for p in sample_site.output.rglob("*")} == stamps


def test_misnamed_file_is_an_error(site_dir):
    site_dir.write("2311/02/wrong-name.md", dump_paper(make_paper()))
    with pytest.raises(ContentError, match=r"wrong-name.md:2: id '2311.02077' belongs in a file named 2311.02077.md"):
        site_dir.build()


def test_hostile_text_is_inert_everywhere(site_dir):
    site_dir.add(make_paper(
        "2401.00666",
        title='<script>alert("t")</script> Evil \x07 "quotes" & <b>LLM</b>\x7f',
        authors=('<img src=x onerror=alert(1)>', "Mallory\x1b\x85"),
        # DEL, C1 controls and noncharacters are forbidden in HTML, though XML allows them
        abstract='Click [me](javascript:alert(1)) <iframe src="https://evil"></iframe> \x00 $\\text{<script>}$ '
                 'del\x7f c1\x9f nonchar\ufdd0\U0001fffe.',
        comment='"><script>alert(2)</script>',
    ))
    site_dir.build()
    for path in site_dir.output.rglob("*"):
        if path.suffix in (".html", ".xml", ".opml"):
            text = path.read_text()
            assert "<script>alert" not in text and "<iframe" not in text and "<img src=x" not in text, path
            assert not {"\x07", "\x1b", "\x7f", "\x85", "\x9f", "\ufdd0", "\U0001fffe"} & set(text), path
            for quote in ('"', "&quot;", "&#34;"):
                assert f"href={quote}javascript" not in text, path
        if path.suffix == ".xml":
            ET.fromstring(path.read_bytes())
    page = (site_dir.output / "papers/2401.00666/index.html").read_text()
    assert "&lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt;" in page or "&lt;script&gt;alert(&quot;t&quot;)" in page


def test_bidi_controls_never_reach_titles_cards_pages_or_feeds(site_dir):
    # U+202E (right-to-left override) and U+2066 (left-to-right isolate), left open: in a
    # snapshot written before fetch dropped them, so the build must drop them too.
    site_dir.add(make_paper("2401.00777", title="Attack \u202egnp.exe\u2066 on LLM", authors=("Eve \u2067Doe",),
                            comment="4 pages \u202d", abstract="Text \u202b with \u2068 isolates.",
                            announced=date(2024, 1, 2)))
    site_dir.build()
    out = site_dir.output
    bidi = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    for rel in ["papers/2401.00777/index.html", "index.html", "days/2024-01-02/index.html",
                "topics/llm/index.html", "rss.xml", "atom.xml", "topics/llm/rss.xml", "topics/llm/atom.xml"]:
        text = (out / rel).read_text()
        assert "Attack gnp.exe on LLM" in text, rel  # in <title>, the card or the feed item
        assert not bidi & set(text), rel
    page = (out / "papers/2401.00777/index.html").read_text()
    assert "<title>Attack gnp.exe on LLM · Test Feeds</title>" in page and "Eve Doe" in page


def test_base_url_option_changes_absolute_urls_only(sample_site, capsys):
    code = main(["build", "--config", str(sample_site.config_path), "--base-url", "http://127.0.0.1:8123/sub/"])
    assert code == 0
    assert capsys.readouterr().out.startswith("Built 5 papers")
    html = (sample_site.output / "papers/2311.02077/index.html").read_text()
    assert '<link rel="canonical" href="http://127.0.0.1:8123/sub/papers/2311.02077/">' in html
    assert 'href="../../static/style.css' in html
    assert "http://127.0.0.1:8123/sub/sitemap.xml" in (sample_site.output / "robots.txt").read_text()


def test_output_option_and_user_template_override(sample_site, tmp_path):
    overrides = sample_site.root / "my-templates"
    overrides.mkdir()
    (overrides / "404.html").write_text(
        '{% extends "base.html" %}{% block main %}<p>Custom lost page</p>{% endblock %}')
    cfg = sample_site.config_path.read_text().replace("search = false", 'search = false\noverrides = "my-templates"')
    sample_site.config_path.write_text(cfg)
    out = tmp_path / "elsewhere"
    sample_site.build(output_dir=out)
    assert "Custom lost page" in (out / "404.html").read_text()
    assert "citation_title" in (out / "papers/2311.02077/index.html").read_text()  # bundled template still used


def test_template_syntax_error_stops_before_writing(sample_site):
    overrides = sample_site.root / "over"
    overrides.mkdir()
    (overrides / "day.html").write_text("{% if %}\n")
    sample_site.config_path.write_text(
        sample_site.config_path.read_text().replace("search = false", 'search = false\noverrides = "over"'))
    with pytest.raises(ConfigError, match=r"day.html: line 1: "):
        sample_site.build()
    assert not sample_site.output.exists()


def test_template_runtime_error_leaves_output_as_it_was(sample_site):
    sample_site.build()
    before = sample_site.tree()
    overrides = sample_site.root / "over"
    overrides.mkdir()
    (overrides / "day.html").write_text("{{ no_such_variable }}\n")
    sample_site.config_path.write_text(
        sample_site.config_path.read_text().replace("search = false", 'search = false\noverrides = "over"'))
    with pytest.raises(Exception, match="no_such_variable"):
        sample_site.build()
    assert sample_site.tree() == before
    assert not [p for p in sample_site.output.rglob("*.sitegen-tmp")]


@pytest.mark.slow
def test_parallel_build_matches_serial_build(tmp_path):
    serial = SiteDir(tmp_path / "a", BASE_CONFIG.format(templates=REPO / "templates"))
    parallel = SiteDir(tmp_path / "b", BASE_CONFIG.format(templates=REPO / "templates"))
    for i in range(450):  # above both parallel thresholds
        paper = make_paper(f"2311.{i:05d}", announced=date(2023, 11, 1 + i % 28), title=f"Paper {i} on LLM")
        serial.add(paper)
        parallel.add(paper)
    serial.build(workers=1)
    parallel.build(workers=2)
    assert serial.tree() == parallel.tree()


def test_empty_content_builds_a_valid_site(site_dir):
    result = site_dir.build()
    assert result.papers == 0
    assert "No papers yet" in (site_dir.output / "index.html").read_text()
    assert not feedparser.parse((site_dir.output / "rss.xml").read_bytes()).bozo


@pytest.mark.slow
def test_an_edit_that_keeps_size_and_mtime_is_still_seen(sample_site):
    sample_site.build()
    path = sample_site.root / "content/papers/2311/02/2311.02077.md"
    st = path.stat()
    path.write_text(path.read_text().replace("upvotes: 12", "upvotes: 13"))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # as cp -p or tar x leave it
    assert sample_site.build().written > 0
    assert "▲ 13" in (sample_site.output / "papers/2311.02077/index.html").read_text()


@pytest.mark.slow
def test_turning_search_off_rebuilds_the_search_page(sample_site, monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/nonexistent/pagefind")
    sample_site.config_path.write_text(sample_site.config_path.read_text().replace("search = false", "search = true"))
    sample_site.build()  # search wanted but Pagefind missing: a warning, no index
    on = (sample_site.output / "search/index.html").read_bytes()
    sample_site.config_path.write_text(sample_site.config_path.read_text().replace("search = true", "search = false"))
    sample_site.build()
    assert (sample_site.output / "search/index.html").read_bytes() != on


@pytest.mark.slow
def test_no_change_rebuild_loads_nothing(sample_site, monkeypatch):
    sample_site.build()
    import sitegen.build
    def fail(*a, **k):
        raise AssertionError("an unchanged site must not be loaded again")

    monkeypatch.setattr(sitegen.build, "load_entries", fail)
    result = sample_site.build()
    assert (result.written, result.removed, result.papers) == (0, 0, 5)
    monkeypatch.undo()
    # any change to a snapshot, a template or output/ takes the full path again
    (sample_site.output / "index.html").unlink()
    assert sample_site.build().written == 1


def test_a_topic_that_matched_no_paper_is_a_one_line_warning(sample_site, capsys):
    config = sample_site.config_path.read_text() + (
        '\n[[topics]]\nslug = "robots"\ntitle = "Robots"\ncategories = ["cs.RO"]\n'
        '\n[[topics]]\nslug = "lab"\ntitle = "Lab"\nauthors = ["Yang", "B. Ivanovic"]\n')
    sample_site.config_path.write_text(config)
    for _ in range(2):  # the second build changes nothing and still says so
        assert main(["build", "--config", str(sample_site.config_path)]) == 0
        err = capsys.readouterr().err.splitlines()
        assert err == [
            "sitegen build: warning: topics[4] (robots) matched no paper in content/; check its categories, "
            "keywords and authors, or fetch its papers: sitegen fetch --topic robots",
            "sitegen build: warning: topics[5] (lab).authors[1]: 'Yang' is a surname alone, so it follows every "
            "author of that surname; add a first name or an initial to narrow it"]
    assert (sample_site.output / "topics/robots/index.html").is_file()  # an empty topic still has its page


def test_the_summary_counts_in_the_singular_when_there_is_one():
    from sitegen.build import BuildResult

    one = BuildResult(papers=1, topics=1, files=9, written=9, unchanged=0, removed=0, seconds=0.5)
    assert one.summary().startswith("Built 1 paper in 1 topic -> 9 files ")
    some = BuildResult(papers=1, topics=1, files=9, written=9, unchanged=0, removed=0, seconds=0.5, hidden=1)
    assert some.summary().startswith("Built 1 of 2 papers in 1 topic (1 hidden) -> ")
