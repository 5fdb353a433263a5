"""weeks/YYYY-Www/ and months/YYYY-MM/ built from a site: each topic's picks, ranked, with their
counts and "N more"; navigation and the list of weeks; links under the sub-path; stable pages of
past periods; retired papers and days ([build] max_site_mb)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from sitegen.render.outputs.periods import PICKS
from sitegen.sources.huggingface.record import HuggingFace
from sitegen.sources.semanticscholar.record import SemanticScholar
from tests.conftest import make_paper
from tests.site_checks import file_for, internal_targets, parse_page

BASE = "https://owner.github.io/repo/"
MON, THU = date(2026, 8, 10), date(2026, 8, 13)  # week 33 of 2026
LAST_WEEK = date(2026, 8, 5)  # a Wednesday of week 32
NEXT_WEEK = date(2026, 8, 17)  # Monday of week 34


def vision(pid: str, day: date, upvotes: int | None = None, citations: int | None = None, **kw):
    extras: dict[str, object] = {}
    if upvotes is not None:
        extras["huggingface"] = HuggingFace(upvotes=upvotes, comments=0)
    if citations is not None:
        extras["semanticscholar"] = SemanticScholar(citations=citations)
    return make_paper(pid, title=f"Vision paper {pid}", categories=("cs.CV",), announced=day, extras=extras,
                      sources=("arxiv",), **kw)


def week_papers():
    """Week 33: 13 vision papers, some upvoted or cited; 2 language-model papers; week 32 one."""
    papers = [
        vision("2608.00001", MON, upvotes=3),
        vision("2608.00002", MON),
        vision("2608.00003", MON, citations=50),  # 50: first
        vision("2608.00004", MON, upvotes=10, citations=10),  # 20: ties with 00011, older: after it
        vision("2608.00005", THU),
        vision("2608.00006", THU, upvotes=0),
        vision("2608.00007", THU, upvotes=1),
        vision("2608.00008", THU),
        vision("2608.00009", THU),
        vision("2608.00010", THU),
        vision("2608.00011", THU, upvotes=20),
        vision("2608.00012", THU),
        vision("2608.00013", THU),
        make_paper("2608.00020", title="A Large Language Model Week", categories=("cs.CL",), announced=THU,
                   extras={"huggingface": HuggingFace(upvotes=7, comments=0)}),
        make_paper("2608.00021", title="Another Language Model", categories=("cs.CL",), announced=MON, extras={}),
        vision("2608.00030", LAST_WEEK, upvotes=99),
    ]
    return papers


# The order of week 33's vision picks: ranked by upvotes + citations (ties in the site's order,
# newest first), then the rest newest first (Thursday's by id, then Monday's).
VISION_ORDER = ["2608.00003", "2608.00011", "2608.00004", "2608.00001", "2608.00007",
                "2608.00013", "2608.00012", "2608.00010", "2608.00009", "2608.00008", "2608.00006",
                "2608.00005", "2608.00002"]


@pytest.fixture
def week_site(site_dir):
    for paper in week_papers():
        site_dir.add(paper)
    site_dir.build()
    return site_dir


def section(html: str, slug: str) -> HTMLParser:
    node = HTMLParser(html).css_first(f"section[aria-labelledby=topic-{slug}]")
    assert node is not None, slug
    return node


def listed(node) -> list[str]:
    return [re.search(r"papers/([^/]+)/", a.attributes["href"])[1] for a in node.css("ol li > a")]


def test_a_week_lists_each_topics_picks_ranked_with_counts_and_the_rest(week_site):
    html = (week_site.output / "weeks/2026-W33/index.html").read_text()
    node = section(html, "vision")
    assert listed(node) == VISION_ORDER[:PICKS]
    assert node.css_first("h2").text() == "Vision 13 papers"
    assert node.css_first("h2 a").attributes["href"] == "../../topics/vision/"
    items = {listed_id: li for listed_id, li in zip(listed(node), node.css("ol li"), strict=True)}
    assert items["2608.00003"].css_first(".cites").text() == "50 citations"
    assert items["2608.00003"].css_first(".votes") is None
    assert items["2608.00004"].css_first(".votes").text() == "▲ 10"
    assert items["2608.00013"].css(".votes, .cites") == []
    assert node.css_first("p.count").text() == "3 more on the day pages."
    assert node.css_first("p.count a").attributes["href"] == "#days"
    # Every topic with papers that week, in the configuration's order; none without.
    sections = HTMLParser(html).css("section[aria-labelledby]")
    assert [s.attributes["aria-labelledby"] for s in sections] == ["topic-vision", "topic-llm"]
    assert listed(section(html, "llm")) == ["2608.00020", "2608.00021"]
    assert section(html, "llm").css_first("p.count") is None  # all listed: no "more"
    # The days of the week, each linking to its page, with its papers.
    days = HTMLParser(html).css_first("#days")
    assert [a.attributes["href"] for a in days.css("a")] == [
        "../../days/2026-08-10/", "../../days/2026-08-13/", "../../months/2026-08/"]
    assert "Mon 10 Aug (5)" in days.text() and "Thu 13 Aug (10)" in days.text()
    lede = HTMLParser(html).css_first("p.lede").text()
    assert lede == "Mon, 10 Aug 2026 to Thu, 13 Aug 2026: 15 papers so far."  # the newest week: not over


def test_a_month_holds_its_weeks_papers_and_links_them(week_site):
    html = (week_site.output / "months/2026-08/index.html").read_text()
    node = section(html, "vision")
    assert listed(node)[:2] == ["2608.00030", "2608.00003"]  # week 32's 99 upvotes lead the month
    assert node.css_first("h2").text() == "Vision 14 papers"
    assert node.css_first("p.count").text() == "4 more on the day pages."
    days = HTMLParser(html).css_first("#days")
    assert [a.text() for a in days.css("a")][-2:] == ["Week 32", "Week 33"]
    assert HTMLParser(html).css_first("h1").text() == "August 2026"


def test_periods_link_their_neighbours_and_every_page_reaches_them(week_site):
    out = week_site.output
    w32 = HTMLParser((out / "weeks/2026-W32/index.html").read_text())
    w33 = HTMLParser((out / "weeks/2026-W33/index.html").read_text())
    assert w32.css_first("a[rel=next]").attributes["href"] == "../../weeks/2026-W33/"
    assert w32.css_first("a[rel=prev]") is None
    assert w33.css_first("a[rel=prev]").attributes["href"] == "../../weeks/2026-W32/"
    assert w33.css_first("a[rel=next]") is None
    assert "so far" not in w32.css_first("p.lede").text()  # a later week has papers: it is over
    listing = HTMLParser((out / "weeks/index.html").read_text())
    hrefs = [a.attributes["href"] for a in listing.css("main li a")]
    assert hrefs == ["../months/2026-08/", "../weeks/2026-W32/", "../weeks/2026-W33/"]
    # Reached from the index, days/ and each day page (its own week); the header stays as it was.
    assert 'href="./weeks/"' in (out / "index.html").read_text()
    assert 'href="../weeks/"' in (out / "days/index.html").read_text()
    day = HTMLParser((out / "days/2026-08-13/index.html").read_text())
    assert day.css_first('nav.pager a[href="../../weeks/2026-W33/"]').text() == "Best of week 33"
    assert "weeks/" not in HTMLParser((out / "papers/2608.00001/index.html").read_text()).css_first("header").html
    sitemap = (out / "sitemap.xml").read_text()
    for url in ("weeks/", "weeks/2026-W32/", "weeks/2026-W33/", "months/2026-08/"):
        assert f"<loc>{BASE}{url}</loc>" in sitemap


def test_every_link_of_the_period_pages_works_and_the_html_is_well_formed(week_site):
    out = week_site.output
    targets = internal_targets(out, BASE)
    pages = [p for p in targets if p.startswith(("weeks/", "months/"))]
    assert len(pages) == 4  # two weeks, a month, the list
    broken = [(p, url) for p in pages for url in targets[p]
              if not (target := file_for(url, out, BASE)) or not target.exists()]
    assert broken == []
    for page in pages:
        assert parse_page(out / page).errors == []
        assert all(not link.startswith("/") for link in parse_page(out / page).links), page  # relative


def test_titles_are_escaped_and_math_is_mathml(site_dir):
    site_dir.add(replace(vision("2608.00001", THU, upvotes=5), title='<script>x</script> "Fog" & $\\alpha$'))
    site_dir.build()
    html = (site_dir.output / "weeks/2026-W33/index.html").read_text()
    assert "<script>x" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    assert "<math" in section(html, "vision").html


def _week_files(site) -> dict[str, bytes]:
    return {k: v for k, v in site.tree().items() if k.startswith(("weeks/", "months/"))}


def test_a_new_paper_rewrites_only_its_week_and_month(week_site):
    before = _week_files(week_site)
    week_site.add(vision("2608.00040", THU, upvotes=500))
    week_site.build()
    after = _week_files(week_site)
    changed = sorted(k for k in after if after[k] != before.get(k))
    assert changed == ["months/2026-08/index.html", "weeks/2026-W33/index.html", "weeks/index.html"]
    assert listed(section(after["weeks/2026-W33/index.html"].decode(), "vision"))[0] == "2608.00040"


@pytest.mark.slow  # three builds
def test_a_new_week_rewrites_the_week_before_once(week_site):
    before = _week_files(week_site)
    week_site.add(vision("2608.00050", NEXT_WEEK))
    week_site.build()
    after = _week_files(week_site)
    changed = sorted(k for k in after if after[k] != before.get(k))
    # The new week's page; the week before gets its "next" link and is over; the month and
    # the list gain the week.
    assert changed == ["months/2026-08/index.html", "weeks/2026-W33/index.html", "weeks/2026-W34/index.html",
                       "weeks/index.html"]
    assert after["weeks/2026-W32/index.html"] == before["weeks/2026-W32/index.html"]
    # A further paper of the new week leaves every earlier period's page as it is.
    week_site.add(vision("2608.00051", NEXT_WEEK + timedelta(days=1)))
    week_site.build()
    again = _week_files(week_site)
    assert sorted(k for k in again if again[k] != after.get(k)) == [
        "months/2026-08/index.html", "weeks/2026-W34/index.html", "weeks/index.html"]


@pytest.mark.slow  # three builds
def test_cold_and_incremental_builds_write_the_same_period_pages(week_site):
    import shutil

    week_site.add(vision("2608.00040", THU, citations=3))
    week_site.build()
    incremental = _week_files(week_site)
    shutil.rmtree(week_site.output)
    shutil.rmtree(week_site.root / ".sitegen-cache", ignore_errors=True)
    week_site.build()
    assert _week_files(week_site) == incremental


def test_retired_papers_link_to_arxiv_and_retired_days_are_named_without_a_link(site_dir):
    from tests.test_retention import _limit_keeping, _set_limit

    for paper in week_papers():
        site_dir.add(paper)
    text = site_dir.config_path.read_text().replace("search = false", "search = false\nmax_site_mb = 0")
    site_dir.config_path.write_text(text)
    _set_limit(site_dir, _limit_keeping(site_dir, 1))  # only Thursday 13 Aug keeps its pages
    site_dir.build()
    out = site_dir.output
    assert not (out / "days/2026-08-10").exists() and (out / "days/2026-08-13/index.html").exists()
    html = (out / "weeks/2026-W33/index.html").read_text()
    node = section(html, "vision")
    hrefs = [a.attributes["href"] for a in node.css("ol li > a")]
    assert "https://arxiv.org/abs/2608.00003" in hrefs  # Monday's: its page left
    assert "../../papers/2608.00011/" in hrefs  # Thursday's: its page stays
    days = HTMLParser(html).css_first("#days")
    assert [a.attributes["href"] for a in days.css("a")][:1] == ["../../days/2026-08-13/"]
    assert "Mon 10 Aug (5)" in days.text()
    assert (out / "weeks/2026-W32/index.html").exists()  # a week whose every page left stays, linking to arXiv
    assert "https://arxiv.org/abs/2608.00030" in (out / "weeks/2026-W32/index.html").read_text()
    broken = [(p, url) for p, urls in internal_targets(out, BASE).items() for url in urls
              if not (target := file_for(url, out, BASE)) or not target.exists()]
    assert broken == []


def test_a_site_without_upvotes_or_citations_lists_the_newest_first(site_dir):
    for i, day in enumerate([MON, MON, THU, THU]):
        site_dir.add(replace(vision(f"2608.{i + 1:05d}", day), extras={}))
    site_dir.build()
    html = (site_dir.output / "weeks/2026-W33/index.html").read_text()
    assert listed(section(html, "vision")) == ["2608.00004", "2608.00003", "2608.00002", "2608.00001"]
    assert "▲" not in section(html, "vision").html
