"""arXiv listing pages: the recorded cs.CL /recent and monthly pages, and the throttled body."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from sitegen.errors import ParseError
from sitegen.sources.arxiv.listing import listing_url, parse_listing
from sitegen.sources.arxiv.rss import parse_rss

HTML = Path(__file__).parent / "fixtures" / "arxiv-html"
RECENT = HTML / "list-cs.CL-recent-skip0-show50-2026-08-14.html"


@pytest.fixture(scope="module")
def recent():
    return parse_listing(RECENT.read_bytes())


def test_recent_page_counts(recent):
    assert len(recent.papers) == 50 and recent.skipped == 0
    assert recent.total == 528
    assert recent.announced == date(2026, 8, 13)
    assert all(p.announced == date(2026, 8, 13) for p in recent.papers)
    assert all(p.abstract == "" and p.sources == ("arxiv",) for p in recent.papers)


def test_first_entry_fields(recent):
    p = recent.papers[0]
    assert (p.id, p.version) == ("2608.12278", 1)
    assert p.title == "Structural Silence: When AI Infrastructure Fails Speakers of Underrepresented Languages"
    assert p.authors == ("Avijit Roy", "Proma Roy")
    assert p.categories == ("cs.CL", "cs.AI", "cs.CY")
    assert p.comment.startswith("An associated poster version of this work was presented at the 69th Annual")
    assert p.published == datetime(2026, 8, 13, tzinfo=UTC)
    assert p.links == {"abs": "https://arxiv.org/abs/2608.12278", "pdf": "https://arxiv.org/pdf/2608.12278v1",
                       "html": "https://arxiv.org/html/2608.12278v1"}


def test_non_ascii_authors_and_journal_ref(recent):
    by_id = {p.id: p for p in recent.papers}
    assert by_id["2608.12269"].authors[1:3] == ("Daniel Riofrío", "José Vega-Sánchez")
    assert by_id["2608.11788"].journal_ref == (
        "Findings of the Association for Computational Linguistics: EACL 2026, pages 1655-1677")
    assert sum(p.journal_ref is not None for p in recent.papers) == 2
    assert sum(p.comment is not None for p in recent.papers) == 26


def test_entries_without_html_have_no_version(recent):
    unversioned = [p for p in recent.papers if p.version is None]
    assert len(unversioned) == 2
    assert all("html" not in p.links and p.links["pdf"] == f"https://arxiv.org/pdf/{p.id}" for p in unversioned)


def test_agrees_with_the_rss_feed_of_the_same_day(recent):
    rss = {i.paper.id: i.paper for i in parse_rss((Path(__file__).parent / "fixtures" / "arxiv-rss"
                                                    / "rss-cs.CL-2026-08-14.xml").read_bytes()).items}
    for p in recent.papers:
        assert p.id in rss
        assert p.authors == rss[p.id].authors  # RSS's TeX accents decode to the listing's Unicode
        assert p.categories == rss[p.id].categories
        if "$" not in p.title:  # the listing shows \Delta as Δ
            assert p.title == rss[p.id].title


def test_monthly_listing_and_latex_titles():
    result = parse_listing((HTML / "list-math.AG-2026-01-skip0-show50.html").read_bytes())
    assert (len(result.papers), result.total, result.announced) == (50, 296, None)
    titles = [p.title for p in result.papers]
    assert "Abelian varieties are de Rham $K(π,1)$" in titles
    assert any(r"$\mathcal{A}_{g_1}\times \dots \times \mathcal{A}_{g_k}\to\mathcal{A}_g$" in t for t in titles)
    # Monthly pages have no day headings: the id's month stands in for the day.
    assert all(p.announced == date(2026, 1, 1) for p in result.papers)
    first = result.papers[0]
    assert (first.id, first.authors, first.categories) == ("2601.00033", ("Cédric Bonnafé",), ("math.AG", "math.RT"))


def test_monthly_cs_cl_listing():
    result = parse_listing((HTML / "list-cs.CL-2026-01-skip0-show50.html").read_bytes())
    assert (len(result.papers), result.total) == (50, 2168)
    assert result.papers[0].version == 3  # from the html link, the only place a listing shows it


def test_rate_exceeded_raises():
    with pytest.raises(ParseError, match=r"^Rate exceeded\.$"):
        parse_listing((HTML / "list-rate-exceeded-response.txt").read_bytes())


def test_page_without_article_list_raises():
    with pytest.raises(ParseError, match="articles"):
        parse_listing((HTML / "abs-1706.03762.html").read_bytes())
    with pytest.raises(ParseError):
        parse_listing(b"")


def test_truncated_page_raises():
    body = RECENT.read_bytes()
    with pytest.raises(ParseError, match="truncated"):
        parse_listing(body[: len(body) // 2])


def test_hostile_id_is_skipped():
    body = RECENT.read_bytes().replace(b'href ="/abs/2608.12278"', b'href ="/abs/../../x"', 1)
    result = parse_listing(body)
    assert len(result.papers) == 49 and result.skipped == 1
    assert "2608.12278" not in {p.id for p in result.papers}


def test_listing_url():
    assert listing_url("https://arxiv.org/list/", "cs.CL") == "https://arxiv.org/list/cs.CL/recent?skip=0&show=2000"
    assert listing_url("https://arxiv.org/list", "cs.CL", skip=50, show=25) == \
        "https://arxiv.org/list/cs.CL/recent?skip=50&show=25"
