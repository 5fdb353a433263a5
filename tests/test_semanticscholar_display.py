"""Semantic Scholar's data on the site: citations and "accepted at" on cards and paper pages, the
TLDR where Hugging Face gave no AI summary, the index's "most cited this month", and the
topic rule `min_citations`. The records are what the parser makes of the real recorded
answers (tests/fixtures/semanticscholar/)."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from sitegen.config.load import parse_config
from sitegen.errors import ConfigError
from sitegen.sources.huggingface.record import HuggingFace
from sitegen.sources.semanticscholar.batch import parse_paper_object
from sitegen.sources.semanticscholar.record import SemanticScholar
from tests.conftest import BASE_CONFIG, REPO, SiteDir, make_paper
from tests.site_checks import paper_facts

S2 = Path(__file__).parent / "fixtures" / "semanticscholar"
ATTENTION = parse_paper_object(
    json.loads((S2 / "s2-search-match-arxiv-1706.03762-aug2025.json").read_bytes())["data"][0])
TURING_TLDR = parse_paper_object({"tldr": json.loads((S2 / "s2-tldr-object-turing.json").read_bytes())}).tldr
NEWEST = date(2023, 11, 6)


def s2(**fields) -> dict:
    return {"semanticscholar": SemanticScholar(**fields)}


def build(tmp_path, *papers, topics_extra: str = "") -> SiteDir:
    config = BASE_CONFIG.format(templates=REPO / "templates")
    if topics_extra:
        config = config.replace('slug = "vision"', 'slug = "vision"\n' + topics_extra)
    site = SiteDir(tmp_path, config)
    for paper in papers:
        site.add(paper)
    site.build()
    return site


def read(site: SiteDir, rel: str) -> str:
    return (site.output / rel).read_text()


def card(page: str, paper_id: str) -> str:
    start = page.rindex("<article", 0, page.index(f'<span class="id">arXiv:{paper_id}'))  # then its version, if revised
    return page[start:page.index("</article>", start)]


def test_cards_and_pages_show_citations_venue_and_the_tldr(tmp_path):
    site = build(tmp_path,
                 make_paper("2311.02077", extras={"semanticscholar": replace(ATTENTION, tldr=TURING_TLDR)}),
                 make_paper("2311.02078", extras={"huggingface": HuggingFace(upvotes=3, ai_summary="Summary by HF."),
                                                  "semanticscholar": SemanticScholar(citations=1, tldr="Not shown.")}),
                 make_paper("2311.02079", announced=date(2023, 9, 4), extras={"semanticscholar": ATTENTION}))
    day = read(site, "days/2023-11-06/index.html")
    first = card(day, "2311.02077")
    # Semantic Scholar's "Neural Information Processing Systems", named as sitegen.venues names it
    assert '<small>136,941 citations</small> <small>accepted at NeurIPS</small>' in first
    assert ('<p class="ai"><b>Semantic Scholar TLDR:</b> If the meaning of the words “machine” and “think” are '
            "to be found") in first
    second = card(day, "2311.02078")
    assert '1 citation</small>' in second and "Summary by HF." in second and "Not shown." not in second
    old = card(read(site, "days/2023-09-04/index.html"), "2311.02079")  # a lead card: no TLDR, the rest yes
    assert "136,941 citations" in old and "TLDR" not in old
    page = read(site, "papers/2311.02077/index.html")
    facts = paper_facts(page)
    assert facts["Accepted at"] == "NeurIPS"  # no link: one paper is no venue page
    assert facts["Citations"] == ('136,941 (17,456 influential) · <a href="https://www.semanticscholar.org/paper/'
                                  '204e3073870fae3d05bcbc2f6a8e263d9b72e776">Semantic Scholar</a>')
    # The TLDR the newest cards show stays on the paper's page for good, labelled as Semantic Scholar's.
    assert ('<aside class="ai" aria-label="Semantic Scholar TLDR">\n<p><b>Semantic Scholar TLDR:</b> If the meaning'
            ' of the words') in page
    assert "Open-access PDF" not in page  # none given ({"url": ""})
    assert "TLDR" not in read(site, "papers/2311.02078/index.html")  # Hugging Face's summary is shown instead


def test_nothing_shows_without_data_and_arxiv_is_no_venue(tmp_path):
    arxiv_only = parse_paper_object(json.loads(
        (S2 / "s2-search-match-arxiv-2312.07559-venue-arxiv-sep2025.json").read_bytes())["data"][0])
    site = build(tmp_path, make_paper("2311.02077", extras={}),
                 make_paper("2311.02078", extras={"semanticscholar": replace(arxiv_only, venue="arXiv.org")}),
                 make_paper("2311.02079", extras=s2(citations=0)))
    day = read(site, "days/2023-11-06/index.html")
    assert "citation" not in card(day, "2311.02077") + card(day, "2311.02079")  # 0 citations: no mark
    assert "106 citations" in card(day, "2311.02078") and "accepted at" not in day
    assert "Accepted at" not in read(site, "papers/2311.02078/index.html")
    assert paper_facts(read(site, "papers/2311.02079/index.html"))["Citations"] == "0"  # a count, on its page
    index = read(site, "index.html")
    box = index[index.index('aria-label="Most cited"'):index.index("</aside>", index.index('aria-label="Most cited"'))]
    assert box.count("<li>") == 1 and "2311.02078" in box  # a paper with 0 citations is not "cited"


def test_no_most_cited_box_without_citations(tmp_path):
    site = build(tmp_path, make_paper("2311.02077", extras=s2(citations=0)), make_paper("2311.02078", extras={}))
    assert "Most cited" not in read(site, "index.html")


def test_hostile_text_is_escaped_and_links_are_checked(tmp_path):
    hostile = SemanticScholar(citations=2, venue='<script>alert(1)</script> "Conf" & Co',
                              tldr="<img src=x onerror=alert(1)> & more", pdf="https://example.org/a b.pdf")
    site = build(tmp_path, make_paper("2311.02077", extras={"semanticscholar": hostile}),
                 make_paper("2311.02078", extras=s2(pdf="https://arxiv.org/pdf/2311.02078")))
    page = read(site, "papers/2311.02077/index.html")
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &#34;Conf&#34; &amp; Co" in page
    day = read(site, "days/2023-11-06/index.html")  # the TLDR: on the newest cards
    assert "<img src=x" not in day and "&lt;img src=x onerror=alert(1)&gt; &amp; more" in day
    assert '<a href="https://example.org/a%20b.pdf">Open-access PDF</a>' in page
    assert "Open-access PDF" not in read(site, "papers/2311.02078/index.html")  # arXiv's own PDF is linked already


def test_the_index_lists_the_months_most_cited(tmp_path):
    papers = [make_paper(f"2311.0000{i}", title=f"Paper {i}", announced=NEWEST - timedelta(days=days),
                         extras=s2(citations=n) if n is not None else {})
              for i, (days, n) in enumerate([(0, 5), (3, 40), (29, 7), (30, 900), (1, None), (2, 0)], 1)]
    site = build(tmp_path, *papers)
    index = read(site, "index.html")
    box = index[index.index('<aside class="trending" aria-label="Most cited">'):]
    box = box[:box.index("</aside>")]
    # The 30 days ending on the newest day, most cited first; 900 citations on day 31 are out,
    # and papers without citations are not listed.
    titles = [item.split("</a>")[0].rsplit(">", 1)[-1] for item in box.split("<li>")[1:]]
    assert titles == ["Paper 2", "Paper 3", "Paper 1"]
    assert '<span class="cites" title="Semantic Scholar">40 citations</span>' in box


MIN = "min_citations = 100\n"


def test_min_citations_keeps_old_papers_on_a_topic_only_when_cited_enough(tmp_path):
    site = build(tmp_path,
                 make_paper("2311.00001", title="New", announced=NEWEST),
                 make_paper("2310.00002", title="Month old, uncited", announced=NEWEST - timedelta(days=30)),
                 make_paper("2310.00003", title="Old, uncited", announced=NEWEST - timedelta(days=31),
                            extras=s2(citations=99)),
                 make_paper("2309.00004", title="Old, cited", announced=NEWEST - timedelta(days=60),
                            extras=s2(citations=100)),
                 make_paper("2309.00005", title="Old, no data", announced=NEWEST - timedelta(days=61), extras={}),
                 topics_extra=MIN)
    vision = read(site, "topics/vision/index.html")
    for kept in ("New", "Month old, uncited", "Old, cited"):
        assert f">{kept}</a></h2>" in vision
    assert "Old, uncited" not in vision and "Old, no data" not in vision
    # Off its only topic, a paper is off the site (publish_unmatched is off), page and day included.
    assert not (site.output / "papers" / "2310.00003").exists()
    assert not (site.output / "days" / "2023-10-06").exists()


def test_a_paper_leaves_only_the_topic_with_the_rule(tmp_path):
    old = make_paper("2309.00004", title="An old language model study", announced=NEWEST - timedelta(days=60),
                     extras=s2(citations=3))
    site = build(tmp_path, make_paper("2311.00001", announced=NEWEST), old, topics_extra=MIN)
    page = read(site, "papers/2309.00004/index.html")
    assert paper_facts(page)["Topics"] == '<a href="../../topics/llm/">Language Models</a>'
    assert "An old language model study" not in read(site, "topics/vision/index.html")


def test_cited_enough_later_the_paper_joins_again_and_its_pages_are_rebuilt(tmp_path):
    old = make_paper("2309.00004", title="An old language model study", announced=NEWEST - timedelta(days=60),
                     extras=s2(citations=3))
    site = build(tmp_path, make_paper("2311.00001", announced=NEWEST), old, topics_extra=MIN)
    site.add(replace(old, extras=s2(citations=150)))
    site.build()
    assert "An old language model study" in read(site, "topics/vision/index.html")
    assert 'href="../../topics/vision/">Vision</a>' in read(site, "papers/2309.00004/index.html")


def test_min_citations_without_any_semantic_scholar_data_warns(tmp_path):
    site = build(tmp_path, make_paper("2311.00001"), topics_extra=MIN)
    warnings = site.build().warnings
    assert any(w.startswith("topics[1] (vision).min_citations = 100, but no paper has Semantic Scholar's citation "
                            "counts") for w in warnings)


@pytest.mark.parametrize("value, words", [
    ("-1", "must be a whole number in 0..1,000,000, got -1"),
    ("1000001", "must be a whole number in 0..1,000,000, got 1000001"),
    ('"ten"', "must be a whole number in 0..1,000,000, got 'ten'"),
    ("true", "must be a whole number in 0..1,000,000, got True"),
])
def test_min_citations_is_checked(tmp_path, value, words):
    text = BASE_CONFIG.format(templates=REPO / "templates").replace('slug = "vision"',
                                                                     f'slug = "vision"\nmin_citations = {value}')
    with pytest.raises(ConfigError, match=r"topics\[1\] \(vision\)\.min_citations: " + re.escape(words)):
        parse_config(text, tmp_path / "sitegen.toml")
