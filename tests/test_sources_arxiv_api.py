"""arXiv API: query building and parsing of the recorded 2026 and 2016 responses."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from sitegen import arxiv_ids
from sitegen.errors import ParseError
from sitegen.sources.arxiv.api import ApiPage, build_search_query, parse_api_feed, query_url

API = Path(__file__).parent / "fixtures" / "arxiv-api"


def load(name: str) -> bytes:
    return (API / name).read_bytes()


def page(name: str) -> ApiPage:
    return parse_api_feed(load(name))


def one(name: str):
    papers = page(name).papers
    assert len(papers) == 1
    return papers[0]


# --- the 100-entry search --------------------------------------------------------------------

def test_hundred_entries_with_opensearch_counts():
    result = page("api2026-search-testing-100-entries.xml")
    assert len(result.papers) == 100
    assert (result.total, result.start, result.per_page, result.skipped) == (214881, 0, 100, 0)
    ids = [p.id for p in result.papers]
    assert len(set(ids)) == 100 and all(arxiv_ids.is_valid_id(i) for i in ids)
    assert {"cs/0503050", "hep-ph/0301050", "gr-qc/0103067"} <= set(ids)
    assert all(p.sources == ("arxiv",) for p in result.papers)
    # SOURCES.md counts 32 doi, 18 journal_ref and 97 comment elements in this file.
    assert sum(p.doi is not None for p in result.papers) == 32
    assert sum(p.journal_ref is not None for p in result.papers) == 18
    assert sum(p.comment is not None for p in result.papers) == 97


def test_every_record_is_well_formed():
    for p in page("api2026-search-testing-100-entries.xml").papers:
        assert p.title and p.title == " ".join(p.title.split())
        assert p.published.tzinfo is not None and p.published.utcoffset().total_seconds() == 0
        assert p.updated is not None and p.updated >= p.published
        # The mailing after the submission, as the RSS feed dates it: never the same UTC day,
        # never a weekend (sitegen.sources.arxiv.calendar; tests/test_announcement_days.py).
        assert p.published.date() < p.announced <= p.published.date() + timedelta(days=12)
        assert p.announced.weekday() < 5
        assert p.version is not None and p.version >= 1
        assert p.categories and len(set(p.categories)) == len(p.categories)
        assert list(p.links)[:2] == ["abs", "pdf"]
        assert p.links["abs"] == f"https://arxiv.org/abs/{p.id}"
        assert p.links["pdf"] == f"https://arxiv.org/pdf/{p.id}v{p.version}"


def test_latex_title_is_kept_as_written():
    titles = {p.id: p.title for p in page("api2026-search-testing-start20-max10-latex-title.xml").papers}
    assert titles["2306.03845"] == "$ω$Test: WebView-Oriented Testing for Android Applications"


def test_latex_in_abstract_is_kept_exactly():
    paper = next(p for p in page("api2026-search-testing-100-entries.xml").papers if p.id == "2007.09895")
    assert r"$\tilde{O}(\varepsilon^{-2})$" in paper.abstract
    assert r"$\tildeΘ(\sqrt{\log N} \cdot \varepsilon^{-2})$" in paper.abstract


def test_paragraph_breaks_are_kept():
    paper = next(p for p in page("api2026-search-testing-100-entries.xml").papers if p.id == "1812.11470")
    paragraphs = paper.abstract.split("\n\n")
    assert len(paragraphs) == 4
    assert [p.split(".")[0] for p in paragraphs[1:]] == ["Objective", "Results", "Conclusion"]
    assert all("\n" not in p and p == p.strip() for p in paragraphs)


def test_primary_category_first_then_the_rest():
    first = page("api2026-search-all-transformer-AND-cat-cs.LG-5-entries.xml").papers[0]
    assert first.id == "2606.13677"
    assert first.categories == ("cs.RO", "cs.AI", "cs.CV", "cs.LG")
    assert first.links["html"] == "https://arxiv.org/html/2606.13677v1"  # recent: arXiv renders HTML


def test_pagination_pages():
    assert page("api2026-search-testing-start10-max10.xml").start == 10
    assert page("api2026-search-testing-start20-max10-latex-title.xml").start == 20
    assert page("api2026-search-testing-start0-max10.xml").per_page == 10


# --- single records --------------------------------------------------------------------------

def test_many_authors_in_order_with_accents():
    paper = one("api2026-idlist-1707.08567-many-authors.xml")
    assert len(paper.authors) == 34
    assert "Dirk Wübben" in paper.authors
    assert paper.authors.index("Tadashi Wadayama") < paper.authors.index("Dirk Wübben")
    assert paper.comment == "44 pages, editors for the proceedings: Yanling Chen and A. J. Han Vinck"


def test_old_style_id_with_doi_and_journal_ref():
    paper = one("api2026-idlist-hep-th_9711200-max1.xml")
    assert (paper.id, paper.version) == ("hep-th/9711200", 3)
    assert paper.authors == ("Juan M. Maldacena",)
    assert paper.doi == "10.1023/A:1026654312961"
    assert paper.journal_ref == "Adv.Theor.Math.Phys.2:231-252,1998"
    assert paper.published == datetime(1997, 11, 27, 23, 53, 13, tzinfo=UTC)
    assert paper.updated == datetime(1998, 1, 22, 15, 42, 41, tzinfo=UTC)
    # Thursday 18:53 US Eastern: past that day's cutoff, so Friday's, announced on Sunday
    # evening (30 November: the id's month) and dated Monday.
    assert paper.announced == date(1997, 12, 1)
    assert paper.links == {"abs": "https://arxiv.org/abs/hep-th/9711200",
                           "pdf": "https://arxiv.org/pdf/hep-th/9711200v3"}  # no HTML for 1997
    assert "${\\cal N} =4$" in paper.abstract


def test_old_style_astro_ph_with_escapes():
    paper = one("api2026-idlist-astro-ph_0601001-oldstyle-id-journalref-affiliation.xml")
    assert (paper.id, paper.version) == ("astro-ph/0601001", 1)
    assert paper.categories == ("astro-ph",)
    assert paper.journal_ref == "ActaAstron.56:1-50,2006"
    assert "V_max<17.5" in paper.abstract and "Gould & Morgan" in paper.abstract
    assert "(1/310)(1^{+1.39}_{-0.59})" in paper.abstract
    assert paper.authors[0] == "Andrew Gould"  # the affiliation is not part of the name


def test_old_style_versioned_lookup():
    paper = one("api2026-idlist-quant-ph_0201082v1.xml")
    assert (paper.id, paper.version) == ("quant-ph/0201082", 1)
    assert paper.categories == ("quant-ph", "cs.PL")


def test_collaboration_author_doi_journal_ref():
    paper = one("api2026-idlist-1207.7214-max1.xml")
    assert paper.authors == ("The ATLAS Collaboration",)
    assert paper.doi == "10.1016/j.physletb.2012.08.020"
    assert paper.journal_ref == "Phys.Lett. B716 (2012) 1-29"


def test_attention_is_all_you_need_v7():
    paper = one("api2026-idlist-1706.03762-max1.xml")
    assert (paper.id, paper.version, paper.title) == ("1706.03762", 7, "Attention Is All You Need")
    assert paper.categories == ("cs.CL", "cs.LG")
    assert paper.comment == "15 pages, 5 figures"
    assert paper.doi is None and paper.journal_ref is None


def test_entry_without_comment():
    paper = one("api2026-idlist-2104.12255v1.xml")
    assert (paper.id, paper.version, paper.comment) == ("2104.12255", 1, None)


# --- the legacy 2016 format ------------------------------------------------------------------

def test_legacy_wrapped_title_and_summary():
    paper = one("api2016-idlist-1111.2011v2.xml")
    assert paper.title == ("Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large "
                           "Connectivity Limit")
    assert (paper.id, paper.version) == ("1111.2011", 2)
    assert "\n" not in paper.abstract
    assert paper.abstract.startswith("Theoretical description of anisotropic systems, such as layered superconductors")
    assert "internode hopping reduces" in paper.abstract and paper.abstract.endswith("describing a single node.")
    assert paper.updated != paper.published
    assert paper.doi == "10.1103/PhysRevB.85.115117"
    assert paper.journal_ref == "Phys. Rev. B 85, 115117 (2012)"
    assert paper.comment == "8 pages, 3 figures. Published version"
    assert paper.categories == ("cond-mat.str-el", "cond-mat.stat-mech")
    assert paper.links["pdf"] == "https://arxiv.org/pdf/1111.2011v2"


def test_legacy_search_with_per_element_namespaces():
    result = page("api2016-search-au-del_maestro-10-entries.xml")
    assert (len(result.papers), result.total, result.per_page) == (10, 31, 10)
    assert "cond-mat/0412498" in {p.id for p in result.papers}
    assert all(any("Del Maestro" in a for a in p.authors) for p in result.papers)
    assert all("\n" not in p.title for p in result.papers)
    first = result.papers[0]
    assert first.categories == ("cond-mat.mes-hall", "cond-mat.other")
    assert first.doi == "10.1142/S021797921244002X"


# --- empty, partial and error results --------------------------------------------------------

@pytest.mark.parametrize("name", [
    "api2026-idlist-0000.0000-empty.xml",
    "api2026-idlist-0808.05394-empty.xml",
    "api2026-search-zero-results.xml",
])
def test_empty_results_are_not_errors(name):
    result = page(name)
    assert result.papers == () and result.total == 0


def test_partial_id_list_result():
    result = page("api2026-idlist-0808.05394_and_1707.08567-partial.xml")
    assert [p.id for p in result.papers] == ["1707.08567"] and result.total == 1


@pytest.mark.parametrize("name, message", [
    ("api2026-idlist-abc-error-http400.xml", "incorrect id format for abc"),
    ("api2026-error-bad-start-param.xml", "start must be an integer"),
])
def test_error_feeds_raise_with_arxivs_message(name, message):
    with pytest.raises(ParseError, match=message):
        parse_api_feed(load(name))


@pytest.mark.parametrize("name", [
    "api2026-search-testing-100-entries.xml",
    "api2016-search-au-del_maestro-10-entries.xml",
    "api2026-idlist-1605.08386.xml",
])
def test_truncated_body_raises(name):
    body = load(name)
    with pytest.raises(ParseError):
        parse_api_feed(body[: len(body) // 2])


@pytest.mark.parametrize("body", [
    b"",
    b"Rate exceeded.",
    b'{"papers": []}',
    (Path(__file__).parent / "fixtures" / "arxiv-rss" / "rss-cs.CL-2026-08-14.xml").read_bytes(),
])
def test_non_atom_body_raises(body):
    with pytest.raises(ParseError):
        parse_api_feed(body)


def test_entity_expansion_is_refused():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
            b'<feed xmlns="http://www.w3.org/2005/Atom"><title>&c;</title></feed>')
    with pytest.raises(ParseError, match="DOCTYPE"):
        parse_api_feed(bomb)


def test_hostile_ids_are_skipped():
    body = load("api2026-search-testing-start0-max10.xml")
    first = page("api2026-search-testing-start0-max10.xml").papers[0]
    hostile = body.replace(f"<id>http://arxiv.org/abs/{first.id}v{first.version}</id>".encode(),
                           b"<id>http://arxiv.org/abs/../../x</id>", 1)
    assert hostile != body
    result = parse_api_feed(hostile)
    assert len(result.papers) == 9 and result.skipped == 1
    assert first.id not in {p.id for p in result.papers}


# --- requests --------------------------------------------------------------------------------

def test_search_query_groups():
    query = build_search_query(
        ["cs.LG", "cs.CV"], ["contrastive learning", "self-supervised"], ["survey"],
        authors=["Yann LeCun"], since=date(2026, 8, 10), until=date(2026, 8, 13),
    )
    assert query == (
        '(cat:cs.LG OR cat:cs.CV) AND (abs:"contrastive learning" OR ti:"contrastive learning" '
        'OR abs:"self-supervised" OR ti:"self-supervised") AND (au:"LeCun") '
        'ANDNOT (abs:"survey" OR ti:"survey") AND submittedDate:[202608100000 TO 202608132359]'
    )


def test_search_query_omits_empty_groups():
    assert build_search_query(["cs.CL"], [], []) == "(cat:cs.CL)"
    assert build_search_query([], [], [], authors=["Fei-Fei Li"]) == '(au:"Li")'  # by surname: see test_authors
    assert build_search_query([], [], [], since=date(2026, 1, 2), until=date(2026, 1, 3)) == \
        "submittedDate:[202601020000 TO 202601032359]"
    assert build_search_query([], [], []) == ""
    assert build_search_query(["cs.CL"], ['say "hi"'], []) == '(cat:cs.CL) AND (abs:"say hi" OR ti:"say hi")'
    with pytest.raises(ValueError):
        build_search_query([], [], ["survey"])
    with pytest.raises(ValueError):
        build_search_query(["cs.CL"], [], [], since=date(2026, 2, 1), until=date(2026, 1, 1))


def test_search_query_asks_for_a_whole_archive_with_a_wildcard():
    # `cs` follows every cs.* category; `astro-ph` was itself a category until 2009
    assert build_search_query(["cs", "hep-th", "astro-ph", "cs.LG"], [], []) == \
        "(cat:cs.* OR cat:hep-th OR cat:astro-ph.* OR cat:astro-ph OR cat:cs.LG)"
    url = query_url("https://export.arxiv.org/api/query", search_query=build_search_query(["math"], [], []))
    assert parse_qs(urlsplit(url).query)["search_query"] == ["(cat:math.*)"]


def test_query_url_round_trips_its_parameters():
    query = build_search_query(["cs.LG"], ["contrastive learning"], [])
    url = query_url("https://export.arxiv.org/api/query", search_query=query,
                    id_list=["hep-th/9711200", "1706.03762v7"], start=200, max_results=50)
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://export.arxiv.org/api/query"
    params = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert params == {
        "search_query": query, "id_list": "hep-th/9711200,1706.03762v7", "start": "200",
        "max_results": "50", "sortBy": "submittedDate", "sortOrder": "descending",
    }
