"""The reading pages as HTML: cards with abstracts and Hugging Face's data, the day's order, the
index's trending lists, the paper page's facts, thumbnails behind a setting."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from sitegen.sources.huggingface.record import HuggingFace
from tests.conftest import BASE_CONFIG, REPO, SiteDir, make_paper
from tests.site_checks import paper_facts

LONG = ("We study scene decomposition in driving logs and show that it works. " * 3
        + "The second part of the abstract holds details that only the curious need to read. " * 4)
HF = HuggingFace(upvotes=7, comments=2, featured=date(2023, 11, 6), github_stars=410,
                 ai_summary="A model that splits scenes.", ai_keywords=("NeRF", "scene flow"),
                 submitter="taesiri", organization="NVIDIA")


def _site(tmp_path, thumbnails: bool = False) -> SiteDir:
    config = BASE_CONFIG.format(templates=REPO / "templates")
    if thumbnails:
        config = config.replace("per_page = 2", "per_page = 2\nthumbnails = true")
    site = SiteDir(tmp_path, config)
    links = {"abs": "https://arxiv.org/abs/2311.02077", "code": "https://github.com/example/emernerf"}
    site.add(make_paper("2311.02077", abstract=LONG, extras={"huggingface": HF}, links=links))
    site.add(make_paper("2311.02078", title="Another vision paper", abstract=LONG,
                        extras={"huggingface": replace(HF, upvotes=40, ai_summary=None, ai_keywords=())}))
    site.add(make_paper("2311.02079", title="A third vision paper", abstract="Short.", extras={}))
    site.add(make_paper("2311.00001", title="An older vision paper", announced=date(2023, 10, 2), abstract=LONG,
                        extras={"huggingface": replace(HF, upvotes=99)}))
    site.build()
    return site


def _read(site: SiteDir, rel: str) -> str:
    return (site.output / rel).read_text()


def _card(page: str, paper_id: str) -> str:
    # a revised paper's id carries its version (make_paper's papers are v2, revised on 6 Nov 2023)
    start = re.search(rf'<span class="id">arXiv:{re.escape(paper_id)}(?:v\d+)?</span>', page).start()
    start = page.rindex("<article", 0, start)
    return page[start:page.index("</article>", start)]


def test_day_card_shows_abstract_summary_votes_comments_code_and_topics(tmp_path):
    site = _site(tmp_path)
    card = _card(_read(site, "days/2023-11-06/index.html"), "2311.02077")
    assert '<span class="votes" title="Hugging Face upvotes">▲ 7</span>' in card
    assert '<a class="talk" href="https://huggingface.co/papers/2311.02077#community">2 comments</a>' in card
    assert '<a class="code" href="https://github.com/example/emernerf">Code ★ 410</a>' in card
    assert '<small>in <a href="../../topics/vision/">Vision</a></small>' in card
    assert ('<p class="ai"><b>Hugging Face AI summary:</b> A model that splits scenes. '
            '<span class="kw">NeRF · scene flow</span>') in card
    # The abstract once: its first sentences visible, the rest in a <details> (no JavaScript needed).
    summary = card[card.index("<summary>"):card.index("</summary>")]
    assert summary.startswith("<summary>We study scene decomposition") and '<span class="more">more</span>' in summary
    assert card.count("The second part of the abstract") == 4 and card.count("We study scene decomposition") == 3
    short = _card(_read(site, "days/2023-11-06/index.html"), "2311.02079")
    assert '<p class="abs">Short.</p>' in short and "<details" not in short and 'class="ai"' not in short


def test_day_lists_most_upvoted_first_and_offers_arxiv_order(tmp_path):
    site = _site(tmp_path)
    page = _read(site, "days/2023-11-06/index.html")
    order = [re.search(rf"arXiv:{i}(v\d+)?<", page).start() for i in ("2311.02078", "2311.02077", "2311.02079")]
    assert order == sorted(order)  # 40, 7, then none
    assert '<select class="sort-select" data-default="upvotes"><option value="upvotes" selected>' in page
    assert "3 papers, most upvoted on Hugging Face first." in page


def test_topic_archive_cards_show_the_abstracts_first_lines_and_link_to_the_rest(tmp_path):
    site = _site(tmp_path)
    archive = _read(site, "topics/vision/page/1/index.html")  # per_page = 2: the older papers
    card = _card(archive, "2311.00001")
    assert '<a href="../../../../papers/2311.00001/">' in card  # the title
    # The first lines, and the rest one click away on the paper page (the title, or "more" with
    # JavaScript); not the whole abstract folded, which each topic the paper is in would repeat.
    assert '<p class="abs">' in card and '<details' not in card
    assert "<a>more</a></p>" in card  # site.js gives it the title's address and #abstract
    assert 'class="ai"' in card  # Hugging Face's one-line AI summary too
    assert 'id="abstract"' in _read(site, "papers/2311.00001/index.html")
    front = _read(site, "topics/vision/index.html")
    assert '<details class="abs">' in front


def test_index_trending_counts_calendar_days(tmp_path):
    site = _site(tmp_path)
    page = _read(site, "index.html")
    week = page[page.index('id="top-7"'):page.index('id="top-30"')]
    month = page[page.index('id="top-30"'):page.index("</aside>")]
    assert "2311.00001" not in week and "2311.00001" not in month  # 35 days before the newest day
    assert week.index("2311.02078") < week.index("2311.02077")
    assert page.index('class="trending"') < page.index('<div class="cards"')  # near the top


def test_paper_page_labels_stars_as_code_not_upvotes(tmp_path):
    site = _site(tmp_path)
    page = _read(site, "papers/2311.02077/index.html")
    facts = paper_facts(page)
    assert "Upvotes" not in facts
    assert facts["Hugging Face"] == ('▲ 7 upvotes · <a href="https://huggingface.co/papers/2311.02077#community">'
                                     '2 comments</a> · submitted by <a href="https://huggingface.co/taesiri">taesiri</a>'
                                     " for NVIDIA")
    assert facts["Code"] == ('<a href="https://github.com/example/emernerf">github.com/example/emernerf</a>'
                             " · ★ 410 on GitHub")
    assert '<aside class="ai" aria-label="Hugging Face AI summary">' in page


def test_thumbnails_are_off_by_default_and_lazy_when_on(tmp_path):
    off = _site(tmp_path / "off")
    assert "cdn-thumbnails" not in _read(off, "days/2023-11-06/index.html")
    on = _site(tmp_path / "on", thumbnails=True)
    card = _card(_read(on, "days/2023-11-06/index.html"), "2311.02077")
    assert ('<img class="thumb" src="https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2311.02077.png" '
            'alt="" loading="lazy" decoding="async" width="160" height="90">') in card
    assert "<img" not in _card(_read(on, "days/2023-11-06/index.html"), "2311.02079")  # not on Hugging Face


def test_every_page_has_a_search_form_in_its_header(tmp_path):
    """List pages write it; paper pages (most of the site) ask site.js to make it, as the search
    page needs JavaScript anyway (tests/test_browser.py searches from a paper page's header)."""
    site = _site(tmp_path)
    form = ('<form class="find" role="search" action="../../search/"><input type="search" name="q"')
    assert form in _read(site, "days/2023-11-06/index.html")
    paper = _read(site, "papers/2311.02077/index.html")
    assert '<nav aria-label="Site" data-find>' in paper and form not in paper
