"""Follows (issue 20, point 3): a page and RSS/Atom feeds for every author rule and every venue
with enough papers, listed in follows.opml and on follows/, linked from paper pages' venue
mark; slugs safe as paths, names escaped, feeds valid with the site's one id per paper, pages
stable, retired papers linked to arXiv, and the size model's weights near the real bytes."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime

import feedparser
import pytest

from sitegen.render.outputs import registry as outputs
from sitegen.render.outputs.follow_feeds import FOLLOW_FEED_ITEMS
from sitegen.site.follows import SLUG_CHARS, VENUE_MIN_PAPERS, follows, hashed_slug, slugify, unique
from sitegen.site.load import load_entries, scan_snapshots
from sitegen.site.model import build_site
from sitegen.sources.semanticscholar.record import SemanticScholar
from sitegen.sources.text import clean_line
from sitegen.write import writer
from tests.conftest import REPO, SiteDir
from tests.follows_support import CONFIG, DAYS, EVIL_VENUE, follow_paper, follow_site
from tests.site_checks import file_for, internal_targets, paper_facts, parse_page


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    site = follow_site(tmp_path_factory.mktemp("follows") / "site")
    site.build()
    return site


def _model(site: SiteDir):
    config = site.load()
    return build_site(config, load_entries(config, 1, scan_snapshots(config)))


def test_one_follow_per_author_rule_and_per_venue_with_enough_papers(built):
    found = follows(_model(built))
    authors = {f.name: f for f in found.authors}
    # "Khashabi, Daniel" reads as "Daniel Khashabi": one follow, listed by both topics
    assert list(authors) == ["Daniel Khashabi", "D. Khashabi", '../../etc <b>Évil</b> & "Co"', "Fei-Fei Li"]
    daniel, initial = authors["Daniel Khashabi"], authors["D. Khashabi"]
    assert daniel.topics == ("people", "vision") and daniel.url == "authors/daniel-khashabi/"
    # Signed "Daniel Khashabi" (10) or "D. Khashabi" (10, an initial agrees with Daniel); "Dan" is no Daniel
    assert len(daniel.entries) == 20
    assert len(initial.entries) == 21  # ... and "D." is Dan's initial too
    assert authors["Fei-Fei Li"].entries == ()  # a rule with no paper yet: a page and feeds all the same
    assert [e.paper.id for e in daniel.entries] == sorted((e.paper.id for e in daniel.entries), reverse=True)
    venues = {f.name: f for f in found.venues}
    assert set(venues) == {"ICLR", EVIL_VENUE}  # NeurIPS has 4 papers, fewer than VENUE_MIN_PAPERS
    assert VENUE_MIN_PAPERS == 5 and len(venues["ICLR"].entries) == 12 and venues["ICLR"].url == "venues/iclr/"


def test_slugs_are_safe_paths(built):
    found = follows(_model(built))
    for f in found.every:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", f.slug) and len(f.slug) <= SLUG_CHARS, f.slug
        assert f.url.count("/") == 2 and ".." not in f.url
    evil = next(f for f in found.venues if f.name == EVIL_VENUE)
    assert evil.slug == "script-alert-script-journal-letters-tmp-x"  # its significant words
    assert next(f for f in found.authors if f.name.startswith("../")).slug == "etc-b-evil-b-co"
    assert {p.relative_to(built.output).parts[:2] for p in (built.output / "venues").rglob("*")} <= {
        ("venues", f.slug) for f in found.venues}


def test_slug_rules():
    assert slugify("José García-Pérez") == "jose-garcia-perez"
    assert slugify("../../..") == "" and slugify("中文") == "" and slugify("  A  b  ") == "a-b"
    taken: set[str] = set()
    assert [unique(s, taken) for s in ("ann", "ann", "ann", "")] == ["ann", "ann-2", "ann-3", "author"]
    long = unique("x" * 200, set())
    assert long == "x" * SLUG_CHARS
    assert unique("y" * SLUG_CHARS, {"y" * SLUG_CHARS}).endswith("-2")
    assert len(unique("y" * SLUG_CHARS, {"y" * SLUG_CHARS})) <= SLUG_CHARS
    hashed = hashed_slug("", "s2:中文 期刊")
    assert re.fullmatch(r"venue-\d{12}", hashed) and hashed == hashed_slug("", "s2:中文 期刊")
    assert len(hashed_slug("z" * 100, "s2:z")) <= SLUG_CHARS


def test_a_venue_without_latin_letters_or_sharing_a_known_slug_gets_a_hashed_one(tmp_path):
    site = SiteDir(tmp_path, CONFIG.format(templates=REPO / "templates", limit=0))
    for i in range(VENUE_MIN_PAPERS):
        site.add(follow_paper(i + 1, DAYS[i], extras={"semanticscholar": SemanticScholar(venue="计算机学报")}))
        journal = SemanticScholar(venue="ICLR journal track")
        site.add(follow_paper(i + 101, DAYS[i], extras={"semanticscholar": journal}))
    found = follows(_model(site))
    slugs = sorted(f.slug for f in found.venues)
    assert len(slugs) == 2 and re.fullmatch(r"venue-\d{12}", slugs[1]) and slugs[0] == "iclr-journal-track"


HOSTILE_VENUES = ["Café Journal", "Cafe Journal", "../../", "2024 / 12", "Ctrl\x01Venue\x7f\u202e x",
                  "Usenix Security", "Long " * 60]


def _hostile_site(root, order):
    site = SiteDir(root, CONFIG.format(templates=REPO / "templates", limit=0).replace(
        '"Fei-Fei Li"]', '"Fei-Fei Li", "../", "/", "李 华", "Ann Lee", "Ann-Lee", "Ann Lee.",\n'
        ' "Bad\\u0001 \\u202eName"]'))
    for j in order:
        for i in range(VENUE_MIN_PAPERS):
            venue = SemanticScholar(venue=HOSTILE_VENUES[j])
            site.add(follow_paper(100 * (j + 1) + i, DAYS[i], extras={"semanticscholar": venue}))
    return site


def test_hostile_names_get_distinct_safe_slugs_that_do_not_depend_on_other_follows(tmp_path):
    """Names that fold alike, name nothing, hold only digits or control characters, are too
    long or look like a known venue: each venue its own safe folder, the same whichever other
    venues the site has; author rules that slug alike or to nothing are told apart in order."""
    everything = _hostile_site(tmp_path / "all", range(len(HOSTILE_VENUES)))
    everything.build()
    found = follows(_model(everything))
    slugs = {f.name: f.slug for f in found.venues}
    assert len(slugs) == len(HOSTILE_VENUES) and len(set(slugs.values())) == len(slugs)
    assert slugs["Cafe Journal"] == "cafe-journal" and re.fullmatch(r"cafe-journal-\d{12}", slugs["Café Journal"])
    assert slugs["CtrlVenue x"] == "ctrlvenue-x"  # control characters and the bidi override left out
    assert re.fullmatch(r"venue-\d{12}", slugs["../../"]) and re.fullmatch(r"2024-12-\d{12}", slugs["2024 / 12"])
    assert re.fullmatch(r"usenix-security-\d{12}", slugs["Usenix Security"])  # a known venue's slug: not taken
    assert re.fullmatch(r"(long-)+[lo]*-\d{12}", slugs["Long " * 59 + "Long"])  # cut, with a digest
    assert all(len(s) <= SLUG_CHARS for s in slugs.values())
    for f in found.every:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", f.slug), f.slug
        folder = everything.output / f.url
        assert folder.resolve().parent.parent == everything.output.resolve() and (folder / "atom.xml").is_file()
    authors = [(f.name, f.slug) for f in found.authors]
    # "../" and "/" read alike (one follow, named as first written), as do "Ann Lee" and "Ann Lee.";
    # "李 华" and "../" slug to nothing, "Ann-Lee" (one surname) as "Ann Lee": told apart in order.
    assert authors[-5:] == [("../", "author"), ("李 华", "author-2"), ("Ann Lee", "ann-lee"), ("Ann-Lee", "ann-lee-2"),
                            ("Bad Name", "bad-name")]
    for path in _feeds(everything):
        assert not feedparser.parse(path.read_bytes()).bozo, path
    _links_resolve(everything)
    # Each venue alone, or in the other order: the same slug.
    for j, name in enumerate(HOSTILE_VENUES):
        alone = {f.name: f.slug for f in follows(_model(_hostile_site(tmp_path / f"one{j}", [j]))).venues}
        assert alone[clean_line(name)] == slugs[clean_line(name)]
    backwards = follows(_model(_hostile_site(tmp_path / "back", reversed(range(len(HOSTILE_VENUES))))))
    assert {f.name: f.slug for f in backwards.venues} == slugs


def _feeds(site):
    return sorted(p for folder in ("authors", "venues") for p in (site.output / folder).rglob("*.xml"))


def test_every_follow_has_valid_rss_and_atom_with_the_sites_ids(built):
    found = follows(_model(built))
    paths = _feeds(built)
    assert len(paths) == 2 * len(found.every)
    for path in paths:
        rel = path.relative_to(built.output).as_posix()
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (rel, parsed.get("bozo_exception"))
        self_links = [link.href for link in parsed.feed.links if link.rel == "self"]
        assert self_links == [f"https://owner.github.io/repo/{rel}"]
        ids = [e.id for e in parsed.entries]
        assert len(ids) == len(set(ids))
        assert all(re.fullmatch(r"https://arxiv\.org/abs/2608\.\d{5}", i) for i in ids)  # the one id per paper
        if rel.endswith("rss.xml"):
            root = ET.fromstring(path.read_bytes())
            for pub in root.iter("pubDate"):
                assert parsedate_to_datetime(pub.text).tzinfo is not None  # RFC 822
            assert root.find("channel/{http://www.w3.org/2005/Atom}link").get("rel") == "self"
    iclr = feedparser.parse((built.output / "venues/iclr/atom.xml").read_bytes())
    # the newest FOLLOW_FEED_ITEMS of its 12 (its papers are on 12 days, two feed days hold two)
    assert len(iclr.entries) == FOLLOW_FEED_ITEMS
    first = iclr.entries[0]
    assert first.link == "https://owner.github.io/repo/papers/2608.00035/"
    body = first.content[0].value
    assert body == "<p>Ann Other</p><p>Accepted at ICLR 2026</p>"  # a short item: no abstract
    assert "Abstract number" not in (built.output / "venues/iclr/rss.xml").read_text()
    assert feedparser.parse((built.output / "authors/fei-fei-li/rss.xml").read_bytes()).entries == []


def test_names_are_escaped_everywhere(built):
    evil = next(f for f in follows(_model(built)).venues if f.name == EVIL_VENUE)
    page = (built.output / evil.url / "index.html").read_text()
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; Journal &amp; " in page
    assert parse_page(built.output / evil.url / "index.html").errors == []
    author = (built.output / "authors/etc-b-evil-b-co/index.html").read_text()
    assert "<b>Évil</b>" not in author and "&lt;b&gt;Évil&lt;/b&gt;" in author
    feed = feedparser.parse((built.output / evil.url / "atom.xml").read_bytes())
    assert feed.feed.title == f"{EVIL_VENUE} · Follow Feeds"
    card = (built.output / "days" / DAYS[0].isoformat() / "index.html").read_text()
    assert "accepted at &lt;script&gt;" in card
    opml = ET.fromstring((built.output / "follows.opml").read_bytes())
    assert EVIL_VENUE in [o.get("text") for o in opml.iter("outline")]


def test_follows_opml_lists_every_follow_in_two_folders_and_feeds_opml_none(built):
    found = follows(_model(built))
    body = ET.fromstring((built.output / "follows.opml").read_bytes()).find("body")
    folders = {o.get("text"): [(c.get("text"), c.get("xmlUrl"), c.get("htmlUrl")) for c in o] for o in body}
    base = "https://owner.github.io/repo/"
    assert folders == {
        "Authors": [(f.name, f"{base}{f.url}atom.xml", f"{base}{f.url}") for f in found.authors],
        "Venues": [(f.name, f"{base}{f.url}atom.xml", f"{base}{f.url}") for f in found.venues]}
    assert "authors/" not in (built.output / "feeds.opml").read_text()  # the topic feeds' OPML is as it was


def test_follow_pages_list_titles_by_month_and_link_each_paper(built):
    page = (built.output / "venues/iclr/index.html").read_text()
    assert "<h1>Accepted at ICLR</h1>" in page and "12 papers, newest first." in page
    assert page.count('<li><a href="../../papers/2608.') == 12
    assert "<h2>August 2026</h2>" in page
    assert page.index("Paper 35 on parsing") < page.index("Paper 2 on parsing")  # newest first
    author = (built.output / "authors/daniel-khashabi/index.html").read_text()
    assert '<a href="../../topics/people/">People</a>, <a href="../../topics/vision/">Vision</a>' in author
    assert 'href="../../authors/daniel-khashabi/atom.xml"' in author  # autodiscovery and the subscribe box
    index = (built.output / "follows/index.html").read_text()
    assert ('<a href="../authors/daniel-khashabi/">Daniel Khashabi</a> <small>20 papers, newest 2026-08-28</small>'
            in index)
    assert '<a href="../venues/iclr/">ICLR</a> <small>12 papers' in index
    assert '<a href="../follows.opml">follows.opml</a>' in index
    topics = (built.output / "topics/index.html").read_text()
    assert '<a href="../follows/">authors and venues</a>' in topics


def test_the_venue_mark_links_the_venue_page_once_it_has_one(built):
    iclr = (built.output / "papers/2608.00002/index.html").read_text()
    assert paper_facts(iclr)["Accepted at"] == '<a href="../../venues/iclr/">ICLR 2026</a>'
    neurips = (built.output / "papers/2608.00038/index.html").read_text()
    assert paper_facts(neurips)["Accepted at"] == "NeurIPS 2025"  # 4 papers: no page
    day = (built.output / "days" / DAYS[12].isoformat() / "index.html").read_text()
    assert "<small>accepted at NeurIPS 2025</small>" in day


def test_footer_of_list_pages_links_the_follows_and_paper_pages_do_not(built):
    link = '<a href="../../follows/">Authors and venues</a>'
    assert link in (built.output / "days" / DAYS[0].isoformat() / "index.html").read_text()
    assert link not in (built.output / "papers/2608.00002/index.html").read_text()


def _links_resolve(site: SiteDir) -> None:
    base = "https://owner.github.io/repo/"
    for page, targets in internal_targets(site.output, base).items():
        for url in targets:
            target = file_for(url.split("#")[0], site.output, base)
            assert target is None or target.is_file(), (page, url)


def test_every_internal_link_resolves(built):
    _links_resolve(built)


def test_a_rebuild_changes_nothing_and_a_new_paper_only_its_follows(tmp_path):
    site = follow_site(tmp_path / "site")
    site.build()
    before = site.tree()
    result = site.build(force=False)
    assert "0 written" in result.summary() and site.tree() == before
    # A paper in no follow, on the newest day: no follow page or feed changes.
    site.add(follow_paper(900, DAYS[-1], title="Unfollowed paper"))
    site.build()
    after = site.tree()
    changed = {k for k in after if before.get(k) != after[k]}
    assert not {k for k in changed if k.startswith(("authors/", "venues/", "follows"))}
    # Its new citation count (Semantic Scholar) changes its digest, not the venue page it is on.
    iclr_page = after["venues/iclr/index.html"]
    site.add(follow_paper(2, DAYS[0], comment="Accepted at ICLR 2026",
                    extras={"semanticscholar": SemanticScholar(citations=7)}))
    site.build()
    assert site.tree()["venues/iclr/index.html"] == iclr_page
    # A paper of Daniel Khashabi's: his follows change, the venues do not.
    site.add(follow_paper(901, DAYS[-1], authors=("Daniel Khashabi",)))
    site.build()
    final = site.tree()
    changed = {k for k in final if after.get(k) != final[k] and k.startswith(("authors/", "venues/"))}
    assert changed == {f"authors/{slug}/{name}" for slug in ("daniel-khashabi", "d-khashabi")
                       for name in ("index.html", "rss.xml", "atom.xml")}


@pytest.mark.slow
def test_retired_papers_link_to_arxiv_and_the_estimate_fits(tmp_path):
    """Past max_site_mb the oldest days' paper pages leave; follow pages and feeds stay and
    link those papers to arXiv; no link leads to a missing page."""
    from sitegen.site import retention, size_model

    site = follow_site(tmp_path / "site")
    model = _model(site)
    estimate = size_model.estimate(model, outputs.weigh(model))
    costs = [c.bytes for c in estimate.days]
    limit = (estimate.fixed + sum(costs[:5]) + costs[5] // 2) / retention.MB  # keeps the newest five days
    site.config_path.write_text(site.config_path.read_text().replace("max_site_mb = 0", f"max_site_mb = {limit}"))
    site.build()
    page = (site.output / "authors/d-khashabi/index.html").read_text()
    assert '<a href="https://arxiv.org/abs/2608.00001">' in page  # the oldest day's paper: retired
    assert not (site.output / "papers/2608.00001").exists()
    assert '<a href="../../papers/2608.00058/">' in page
    # its feed's newest ten reach back to day 10; days 0 to 14 have left
    feed = (site.output / "authors/d-khashabi/atom.xml").read_text()
    assert '<link href="https://arxiv.org/abs/2608.00043"/>' in feed
    _links_resolve(site)


def test_the_size_model_weighs_follow_pages_and_feeds_near_their_bytes(built):
    """Each unit's weight is near (and rather above) what its files weigh: retention depends on it."""
    model = _model(built)
    units = outputs.registered()
    published = {p.relative_to(built.output).as_posix(): p.stat().st_size
                 for p in built.output.rglob("*") if p.is_file()
                 and writer.is_published(p.relative_to(built.output).as_posix())}
    pages = sum(size for rel, size in published.items()
                if re.fullmatch(r"(authors|venues)/[^/]+/index\.html|follows/index\.html", rel))
    feeds = sum(size for rel, size in published.items() if re.fullmatch(r"(authors|venues)/[^/]+/\w+\.xml", rel))
    assert 1.0 * pages <= units["follow-pages"].weight(model).rest <= 1.4 * pages
    assert 1.0 * feeds <= units["follow-feeds"].weight(model).rest <= 1.4 * feeds


def test_a_site_without_author_rules_or_venues_has_an_empty_follows_page(sample_site):
    sample_site.build()
    index = (sample_site.output / "follows/index.html").read_text()
    assert "No topic follows an author" in index and "No venue has 5 papers here yet." in index
    opml = ET.fromstring((sample_site.output / "follows.opml").read_bytes())
    assert list(opml.find("body")) == []
    assert not (sample_site.output / "authors").exists() and not (sample_site.output / "venues").exists()


def test_a_paper_on_the_site_twice_in_follows_keeps_one_id(built):
    """A paper by a followed author at a followed venue is in both feeds with the same id."""
    ids = {}
    for rel in ("authors/d-khashabi/atom.xml", "venues/iclr/atom.xml"):
        ids[rel] = {e.id for e in feedparser.parse((built.output / rel).read_bytes()).entries}
    site_ids = {e.id for e in feedparser.parse((built.output / "topics/nlp/atom.xml").read_bytes()).entries}
    assert ids["authors/d-khashabi/atom.xml"] and site_ids
    assert all(i.startswith("https://arxiv.org/abs/") for s in ids.values() for i in s)


def test_two_cold_builds_write_the_same_follows(tmp_path):
    def follow_files(site: SiteDir) -> dict[str, bytes]:
        site.build()
        return {k: v for k, v in site.tree().items() if k.startswith(("authors/", "venues/", "follows"))}

    first = follow_files(follow_site(tmp_path / "one"))
    assert first and first == follow_files(follow_site(tmp_path / "two"))


def test_a_big_follow_is_cut_into_stable_pages(tmp_path, monkeypatch):
    """More than twice PAGE_TITLES papers: archive pages of PAGE_TITLES from the oldest, the
    front page the rest; a new paper changes the front page only."""
    from sitegen.render.outputs import follow_pages

    monkeypatch.setattr(follow_pages, "PAGE_TITLES", 4)
    site = follow_site(tmp_path / "site")  # ICLR: 12 papers -> archive pages 1 (oldest 4), 2, and a front of 4
    site.build()
    folder = site.output / "venues/iclr"
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("index.html")) == [
        "index.html", "page/1/index.html", "page/2/index.html"]
    oldest = (folder / "page/1/index.html").read_text()
    assert oldest.count('<li><a href="../../../../papers/') == 4 and "Paper 2 on parsing" in oldest
    assert "Papers 1–4, counted from the oldest" in oldest
    assert '<a rel="prev" href="../../../../venues/iclr/page/2/">' in oldest
    front = (folder / "index.html").read_text()
    assert '<a rel="next" href="../../venues/iclr/page/2/">Older →</a>' in front
    archived = {k: v for k, v in site.tree().items() if k.startswith("venues/iclr/page/")}
    site.add(follow_paper(950, DAYS[-1], comment="Accepted at ICLR 2026"))
    site.build()
    assert {k: v for k, v in site.tree().items() if k.startswith("venues/iclr/page/")} == archived
    _links_resolve(site)
