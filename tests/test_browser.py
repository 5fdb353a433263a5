"""The built site in a real browser: Playwright driving Debian's headless Chromium.

The site is built from a copy of the shipped content/ (plus a few fixture papers, see
browser_support) with base URL http://127.0.0.1:PORT/repo/ and served under /repo/, as on
GitHub project pages. Screenshots of every page type go to tests/screenshots/ (git-ignored).

Needs: `apt-get install chromium` and `pip install playwright axe-playwright-python`
(never `playwright install`). Skipped, with the reason, when either is missing.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from datetime import date, time
from pathlib import Path

import pytest
from browser_support import (
    FIXTURE_FRIDAY,
    FIXTURE_MONDAY,
    UNCONVERTIBLE_TEX,
    browser_unavailable,
    chromium,
    fixture_papers,
    site_config,
    static_server,
)
from status_support import arxiv_run, night, write_nights

from sitegen.site.periods import week_of

REASON = browser_unavailable()
# Slow (drives Chromium): `pytest -m "not slow"` leaves it out.
pytestmark = [pytest.mark.slow, pytest.mark.browser,
              pytest.mark.skipif(REASON is not None, reason=f"browser tests skipped: {REASON}")]

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
MATH_PAPER = "0704.9991"
HF_DAY = "2026-06-12"
SEARCH_INPUT = "#search input[name=q]"
RESULT_LINK = "#search .results .card-title a"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from sitegen.build import build
    from sitegen.search import index as search
    from sitegen.site.load import load_entries

    tmp = tmp_path_factory.mktemp("browser-site")
    with static_server() as server:
        base = f"http://127.0.0.1:{server.server_address[1]}/repo/"
        config = site_config(tmp, base, extra_papers=fixture_papers())
        config = replace(config, fetch=replace(config.fetch, status=tmp / "status"))
        write_nights(tmp / "status", *status_nights())
        from sitegen.search import shards as search_shards

        # Small shards, so the search page really merges several bundles in the browser.
        default, search_shards.GROUP_PAGES = search_shards.GROUP_PAGES, 60
        try:
            build(config)
        finally:
            search_shards.GROUP_PAGES = default
        server.out_dir = config.build.output
        assert (config.build.output / search.BUNDLE / search.SHARDS).is_file(), "the Pagefind index was not built"
        loaded = load_entries(config)
        entries = [e for e in loaded if e.topics]  # the published papers
        unpublished = sorted(e.slug for e in loaded if not e.topics)  # on no topic: no page
        yield Site(base, config, entries, unpublished[0])


class Site:
    def __init__(self, base, config, entries, unpublished):
        self.base, self.config, self.entries, self.unpublished = base, config, entries, unpublished
        shipped = [e for e in entries if not e.paper.id.startswith("0704.999")] or entries
        self.word, self.word_paper = _rare_title_word(shipped, entries)
        self.topic = next(t for t in config.topics if any(t.slug in e.topics for e in entries))
        self.pages = {
            "index": "",
            "day": f"days/{FIXTURE_MONDAY.isoformat()}/",
            # 30 Hugging Face papers with AI summaries, keywords, code; older than the newest
            # 30 days, so their cards show each abstract's first sentences and link to the rest.
            "hf-day": f"days/{HF_DAY}/",
            # The newest day: its cards fold each whole abstract in a <details>.
            "recent-day": f"days/{max(e.paper.announced for e in entries)}/",
            "topic": f"topics/{self.topic.slug}/",
            "paper": f"papers/{MATH_PAPER}/",
            "search": "search/",
            "days": "days/",
            "topics": "topics/",
            "404": "no-such-page/",
            # A link to a paper the site has no page for: the 404 page offers it on arXiv.
            "paper-404": f"papers/{unpublished}/",
            # The feed's health: nights that brought papers, a weekend, failures, two empty days.
            "status": "status/",
            # A week's and a month's best per topic (the week of HF_DAY: upvoted papers), and their list.
            "week": f"weeks/{week_of(date.fromisoformat(HF_DAY)).key}/",
            "month": f"months/{HF_DAY[:7]}/",
            "weeks": "weeks/",
            # Follows: every venue with enough papers (ICST and ISSTA, from the shipped comments),
            # and one venue's page of titles by month.
            "follows": "follows/",
            "venue": "venues/icst/",
        }

    def url(self, kind_or_path: str) -> str:
        return self.base + self.pages.get(kind_or_path, kind_or_path)


def status_nights():
    """The shipped content's newest day (Thu 13 Aug 2026) and the nights after it: a weekend,
    then two announcement days that brought nothing, one with arXiv failing at length."""
    thu, fri, sat, mon = date(2026, 8, 13), date(2026, 8, 14), date(2026, 8, 15), date(2026, 8, 17)
    reason = ("https://rss.arxiv.org/rss/cs.CL+cs.LG+cs.AI+stat.ML: HTTP 503 Service Unavailable after 5 tries; "
              "the service is having trouble; try again later")
    return [night(thu, new=111, updated=4, unchanged=37, announced=92),
            night(fri, arxiv_run(fri, failed=reason), arxiv_run(fri, failed=reason, at=time(14, 2))),
            night(sat), night(mon)]


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-z]{7,}", text)}


def _rare_title_word(candidates, entries):
    """A word of one paper's title that no other paper's title, authors or abstract holds."""
    counts = Counter()
    for e in entries:
        counts.update(_words(" ".join((e.paper.title, " ".join(e.paper.authors), e.paper.abstract))))
    for e in sorted(candidates, key=lambda e: e.paper.id):
        if "$" in e.paper.title:
            continue
        for word in sorted(_words(e.paper.title)):
            # No other paper may share even its stem (Pagefind stems words: "models" ~ "model").
            if counts[word] == 1 and sum(1 for w in counts if w[:6] == word[:6]) == 1:
                return word, e
    pytest.skip("no paper title holds a word unique to it")


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


class Console:
    """Every console error and uncaught exception on a page."""

    def __init__(self, page):
        self.errors: list[str] = []
        page.on("console",
                lambda m: self.errors.append(f"{m.type}: {m.text} @ {page.url}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e} @ {page.url}"))

    def check(self, allow_404_document: bool = False, missing: str = "/no-such-page/"):
        """`allow_404_document`: the page at `missing` (a path part) is a 404 on purpose."""
        errors = [e for e in self.errors
                  if not (allow_404_document and "status of 404" in e and missing in e)]
        assert errors == []
        self.errors.clear()


@pytest.fixture
def context(browser, site):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.base.rsplit("/repo/", 1)[0])
    yield ctx
    ctx.close()


def _open(page, url: str):
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    return response


def test_browse_index_topic_paper_day(context, site):
    page = context.new_page()
    console = Console(page)
    _open(page, site.url("index"))
    assert page.url == site.base
    console.check()
    # The index: the newest day first, the week's most upvoted, every topic, the OPML file.
    newest = page.locator("#newest a").get_attribute("href")
    assert page.locator("ul.days a").first.get_attribute("href") == newest
    # The most upvoted of the past 7 and 30 calendar days, near the top, each most upvoted first.
    lists = page.locator(".trending section.top")
    assert lists.count() == 2
    for i in range(2):
        votes = [int(t.strip("▲ ")) for t in lists.nth(i).locator(".votes").all_inner_texts()]
        assert votes == sorted(votes, reverse=True), "most upvoted first"
    assert page.locator(".trending").bounding_box()["y"] < 900  # on the first screen
    # Cards show the abstract's first lines, the rest one click away.
    card = page.locator(".cards .card").first
    assert card.locator("details.abs summary").is_visible()
    assert page.locator("main a[href$='feeds.opml']").count() == 1
    for t in site.config.topics:
        assert page.locator(f"#topics a[href$='topics/{t.slug}/']").count() == 1

    page.locator(f"#topics a[href$='topics/{site.topic.slug}/']").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url == site.url("topic")
    assert page.locator("h1").inner_text() == site.topic.title
    console.check()

    page.locator(".cards h2 a").first.click()
    page.wait_for_load_state("networkidle")
    assert re.fullmatch(re.escape(site.base) + r"papers/[^/]+/", page.url)
    assert page.locator("article.paper h1").is_visible()
    for name in ("citation_title", "citation_author", "citation_publication_date", "citation_arxiv_id"):
        assert page.locator(f"meta[name={name}]").count() >= 1, name
    assert page.locator("meta[property='og:title']").count() == 1
    links = page.locator("p.links a")
    texts = links.all_inner_texts()
    assert "arXiv page" in texts and any(t.startswith("HTML") for t in texts)
    console.check()

    page.locator("dl.facts a[href*='days/']").click()
    page.wait_for_load_state("networkidle")
    assert re.fullmatch(re.escape(site.base) + r"days/\d{4}-\d\d-\d\d/", page.url)
    assert page.locator("h1").inner_text().startswith("Papers of ")
    console.check()

    _open(page, site.url("days"))  # the archive's first day is the index's newest
    first = page.locator("ul.days a").first.get_attribute("href")
    assert first.rstrip("/").rsplit("/", 1)[-1] == newest.rstrip("/").rsplit("/", 1)[-1]
    console.check()


def _search(page, query: str):
    box = page.locator(SEARCH_INPUT)
    box.fill(query)
    return box


def test_search_finds_a_shipped_title(context, site):
    page = context.new_page()
    console = Console(page)
    _open(page, site.url("search"))
    page.locator("#search[data-ready]").wait_for(timeout=15000)
    _search(page, site.word)
    result = page.locator(f"{RESULT_LINK}[href$='papers/{site.word_paper.slug}/']")
    result.first.wait_for(timeout=15000)
    # Each result shows its authors, date and topics.
    item = page.locator("#search .result").first
    assert item.locator("p.authors").inner_text() and item.locator("time").get_attribute("datetime")
    if site.word_paper.topics:
        assert item.locator(".in").inner_text().startswith("in ")
    assert f"q={site.word}" in page.url  # the address follows the query (back returns to it)
    _screenshot(page, "search-light")
    result.first.click()
    page.wait_for_load_state("networkidle")
    assert page.url == site.base + f"papers/{site.word_paper.slug}/"
    assert site.word in page.locator("article.paper h1").inner_text().lower()
    console.check()


def test_search_finds_papers_of_the_newest_and_the_oldest_shard(context, site):
    """The index is several Pagefind bundles (id months, joined up to GROUP_PAGES pages): the
    newest is the primary index, the rest are merged."""
    from sitegen.search.shards import newest_first

    def month(e):
        return e.paper.id.split("/")[-1][:4]

    months = newest_first({month(e) for e in site.entries})
    assert len(months) > 2
    picks = []
    for order in (months, months[::-1]):  # the newest shard with a rare title word, then the oldest
        for m in order:
            try:
                picks.append(_rare_title_word([e for e in site.entries if month(e) == m], site.entries))
                break
            except pytest.skip.Exception:
                continue
    assert len(picks) == 2 and month(picks[0][1]) != month(picks[1][1])
    page = context.new_page()
    console = Console(page)
    _open(page, site.url("search"))
    for word, entry in picks:
        _search(page, word)
        page.locator(f"{RESULT_LINK}[href$='papers/{entry.slug}/']").first.wait_for(timeout=15000)
    console.check()


def test_an_author_link_shows_that_authors_papers(context, site):
    by_author = Counter(a for e in site.entries for a in e.paper.authors)
    name = next(a for a, n in by_author.most_common() if n >= 2 and a != "Ada Fixture")
    papers = {e.slug for e in site.entries if name in e.paper.authors}
    page = context.new_page()
    console = Console(page)
    _open(page, site.url(f"papers/{sorted(papers)[0]}/"))
    link = page.locator("p.authors a", has_text=name).first
    link.click()
    page.wait_for_load_state("networkidle")
    assert "search/?author=" in page.url
    results = page.locator(RESULT_LINK)
    results.first.wait_for(timeout=15000)
    page.wait_for_function("n => document.querySelectorAll('#search .results .card-title a').length >= n",
                           arg=min(len(papers), 5), timeout=15000)
    shown = {h.rstrip("/").rsplit("/", 1)[1] for h in results.evaluate_all("as => as.map(a => a.href)")}
    assert shown and shown <= papers, (name, shown - papers)
    console.check()


def test_search_filters_by_topic(context, site):
    page = context.new_page()
    console = Console(page)
    _open(page, site.url("search") + "?q=fixture")
    page.locator(RESULT_LINK).first.wait_for(timeout=15000)
    everything = page.locator(RESULT_LINK).count()
    topic = next(t for t in site.config.topics if t.slug == "language-models")
    page.locator("#search select[name=topic]").select_option(label=topic.title)
    page.wait_for_function("n => document.querySelectorAll('#search .results .card-title a').length !== n",
                           arg=everything)
    narrowed = page.locator(RESULT_LINK).count()
    assert 0 < narrowed < everything
    assert "topic=language-models" in page.url  # the slug, as in the topic's own URL
    assert all(t.startswith("in ") and topic.title in t for t in page.locator("#search .result .in").all_inner_texts())
    # A link naming the topic by its slug or, as links made before did, by its title.
    for value in ("language-models", "Language%20Models"):
        _open(page, site.url("search") + f"?q=fixture&topic={value}")
        page.locator(RESULT_LINK).first.wait_for(timeout=15000)
        page.wait_for_function("n => document.querySelectorAll('#search .results .card-title a').length === n",
                               arg=narrowed, timeout=15000)
        assert page.locator("#search select[name=topic]").input_value() == "language-models"
    console.check()


@pytest.mark.parametrize("query", ["{id}", "arXiv:{id}v2", "https://arxiv.org/abs/{id}v1"])
def test_an_arxiv_id_goes_straight_to_the_paper(context, site, query):
    page = context.new_page()
    console = Console(page)
    paper = site.word_paper.paper.id
    _open(page, site.url("search") + "?q=" + query.format(id=paper).replace(":", "%3A").replace("/", "%2F"))
    page.wait_for_url(site.base + f"papers/{site.word_paper.slug}/", timeout=15000)
    assert page.locator("article.paper h1").is_visible()
    console.check()


def test_an_arxiv_id_from_the_header_box_and_one_not_on_the_site(context, site):
    page = context.new_page()
    console = Console(page)
    _open(page, site.url("index"))  # every page's header box sends ?q= to the search page
    page.locator("header .find input[name=q]").fill(f"arXiv:{site.word_paper.paper.id}")
    page.locator("header .find input[name=q]").press("Enter")
    page.wait_for_url(site.base + f"papers/{site.word_paper.slug}/", timeout=15000)
    # Typed into the search page's box, an id is opened on Enter, not while typing.
    _open(page, site.url("search"))
    page.locator("#search[data-ready]").wait_for(timeout=15000)
    missing = site.unpublished.replace("_", "/")
    _search(page, missing)
    page.wait_for_function("() => document.querySelector('.search-status').textContent.startsWith('Press Enter')")
    page.locator(SEARCH_INPUT).press("Enter")
    status = page.locator(".search-status")
    status.locator("a").first.wait_for(timeout=15000)
    assert status.inner_text().startswith(f"arXiv:{missing} is not on this site")
    assert status.locator("a").evaluate_all("as => as.map(a => a.href)") == [
        f"https://arxiv.org/abs/{missing}", f"https://arxiv.org/pdf/{missing}"]
    assert page.url.startswith(site.url("search"))  # it stays: nothing to go to
    console.check(allow_404_document=True, missing="/search/")  # the HEAD that asked for the page


def test_header_search_box_leads_to_the_results(context, site, browser):
    page = context.new_page()
    console = Console(page)
    _open(page, site.url("paper"))
    page.locator("header .find input[name=q]").fill("Khashabi")
    page.locator("header .find input[name=q]").press("Enter")
    page.wait_for_load_state("networkidle")
    assert page.url == site.base + "search/?q=Khashabi"
    page.locator(RESULT_LINK).first.wait_for(timeout=15000)
    assert page.locator(SEARCH_INPUT).input_value() == "Khashabi"
    assert page.locator("#search .result mark").first.inner_text() == "Daniel Khashabi"  # his name, marked
    console.check()
    # Without JavaScript the form is still a link to the search page.
    ctx = browser.new_context(java_script_enabled=False)
    off = ctx.new_page()
    _open(off, site.url("index"))
    off.locator("header .find input[name=q]").fill("group testing")
    off.locator("header .find button").click()
    off.wait_for_load_state()
    assert off.url == site.base + "search/?q=group+testing"
    ctx.close()


def test_an_author_filter_lists_that_authors_papers(context, site):
    page = context.new_page()
    console = Console(page)
    _open(page, site.url("search") + "?author=Ada%20Fixture")
    page.locator(RESULT_LINK).first.wait_for(timeout=15000)
    assert page.locator(RESULT_LINK).count() == len(fixture_papers())
    console.check()


def test_dark_mode_toggle_persists(context, site):
    page = context.new_page()
    console = Console(page)
    _open(page, site.url("paper"))
    def bg():
        return page.evaluate("getComputedStyle(document.body).backgroundColor")

    light = bg()
    toggle = page.locator("button.theme")
    assert toggle.is_visible() and toggle.get_attribute("aria-pressed") == "false"
    toggle.click()
    assert page.locator("html").get_attribute("data-theme") == "dark"
    assert toggle.get_attribute("aria-pressed") == "true"
    dark = bg()
    assert dark != light and _luminance(dark) < _luminance(light)
    page.reload()
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("data-theme") == "dark" and bg() == dark
    _open(page, site.url("index"))  # and on every other page
    assert bg() == dark and page.locator("button.theme").get_attribute("aria-pressed") == "true"
    _screenshot(page, "index-dark-toggled")
    page.locator("button.theme").click()
    page.reload()
    assert bg() == light
    console.check()


def _luminance(css_color: str) -> float:
    r, g, b = (int(x) for x in re.findall(r"\d+", css_color)[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_math_renders_and_unconvertible_tex_stays_source(context, site):
    page = context.new_page()
    console = Console(page)
    _open(page, site.url("paper"))
    maths = page.locator("article.paper math")
    assert maths.count() >= 2  # one in the title, more in the abstract
    for i in range(maths.count()):
        box = maths.nth(i).bounding_box()
        assert box and box["width"] > 0 and box["height"] > 0, f"math #{i} has no size"
    # The title's math is laid out as math, not shown as "$...$" source.
    assert "$" not in page.locator("article.paper h1").inner_text()
    tex = page.locator("article.paper code.tex")
    assert tex.count() == 1 and UNCONVERTIBLE_TEX in tex.inner_text()
    console.check()


def test_math_needs_no_javascript(browser, site):
    ctx = browser.new_context(java_script_enabled=False)
    page = ctx.new_page()
    _open(page, site.url("paper"))
    box = page.locator("article.paper math").first.bounding_box()
    assert box and box["width"] > 0
    assert page.locator("button.copy").first.is_hidden()  # needs JS, so hidden without it
    ctx.close()


def _votes(page):
    # A card without Hugging Face upvotes (an arXiv paper on a day Hugging Face featured
    # others) has no data-upvotes; the day's order counts it as 0.
    return [int(v or 0) for v in page.locator(".cards .card").evaluate_all(
        "cs => cs.map(c => c.getAttribute('data-upvotes'))")]


def test_day_page_sorts_by_upvotes_and_explains_the_weekend(context, site):
    page = context.new_page()
    console = Console(page)
    _open(page, site.url("day"))
    assert _votes(page) == [50, 12, 5]  # most upvoted first: the order the server sends
    note = page.locator("p.note").inner_text()
    assert "weekend" in note
    assert page.locator("a[rel=prev]").get_attribute("href").endswith(f"days/{FIXTURE_FRIDAY.isoformat()}/")
    select = page.locator(".sort select")
    assert select.is_visible() and select.input_value() == "upvotes"
    select.select_option("announced")
    assert _votes(page) == [12, 50, 5]  # arXiv order: newest id first
    page.reload()  # the choice is remembered
    page.wait_for_load_state("networkidle")
    assert _votes(page) == [12, 50, 5]
    page.locator(".sort select").select_option("upvotes")
    assert _votes(page) == [50, 12, 5]
    console.check()


def test_day_page_reads_without_javascript(browser, site):
    ctx = browser.new_context(java_script_enabled=False)
    page = ctx.new_page()
    _open(page, site.url("hf-day"))
    assert _votes(page) == sorted(_votes(page), reverse=True)
    card = page.locator(".cards .card").first
    assert "Hugging Face AI summary:" in card.locator(".ai").inner_text()
    assert page.locator(".new-badge").count() == 0 and page.locator(".sort label").is_hidden()
    # An older day: the first sentences, "… more" (a link once site.js gives it the title's
    # address), and the rest one click away on the paper's page, by the title.
    assert card.locator("details").count() == 0
    assert card.locator("p.abs > a").inner_text() == "more" and card.locator("p.abs > a[href]").count() == 0
    card.locator("h2 a").click()
    page.wait_for_url("**/papers/**")
    assert page.locator("#abstract").is_visible()
    # A day of the newest 30: the whole abstract, its rest in a <details> that opens without JavaScript.
    _open(page, site.url("recent-day"))
    abstract = page.locator(".cards .card details.abs").first
    hidden_part = abstract.locator("p").first
    assert not hidden_part.is_visible()
    abstract.locator("summary").click()
    assert hidden_part.is_visible()
    ctx.close()


def test_papers_new_since_the_last_visit_are_marked(browser, site):
    ctx = browser.new_context()
    page = ctx.new_page()
    _open(page, site.url("index"))  # the first visit marks nothing
    assert page.locator(".card.new").count() == 0
    # The previous visit was on Saturday, 7 April 2007 (after the Friday's papers).
    page.evaluate("localStorage.setItem('sitegen-visits', "
                  "JSON.stringify({last: Date.parse('2007-04-07T12:00:00Z'), prev: 0}))")
    _open(page, site.url("day"))  # a new visit: Monday's papers are new
    assert page.locator(".card.new").count() == 3 and page.locator(".card .new-badge").count() == 3
    assert page.locator("p.since").inner_text() == "3 papers new since your last visit (2007-04-07)."
    _open(page, site.url("day").replace(FIXTURE_MONDAY.isoformat(), FIXTURE_FRIDAY.isoformat()))
    assert page.locator(".card.new").count() == 0  # same visit, same mark: Friday's is older
    _open(page, site.url("topic"))
    assert page.locator(".card.new").count() >= 1  # topic pages too
    assert page.context.cookies() == []  # localStorage only
    ctx.close()


def _visited_on(page, day) -> None:
    """Make `day` (noon UTC) the reader's previous visit: the next page view starts a new visit."""
    page.evaluate(f"localStorage.setItem('sitegen-visits', JSON.stringify({{last: Date.parse('{day}T12:00:00Z'), "
                  "prev: 0}))")


def test_new_since_counts_the_whole_list_not_only_the_page(browser, site):
    """"30 new since your last visit" when 49 were: a topic's front page shows its newest
    papers only, so the count takes the topic's papers off the page from data-more."""
    from datetime import timedelta

    topic = next(t for t in site.config.topics if t.slug == "language-models")
    listed = [e for e in site.entries if topic.slug in e.topics]
    newest = max(e.paper.announced for e in site.entries)
    since = newest - timedelta(days=10)
    ctx = browser.new_context()
    page = ctx.new_page()
    _open(page, site.url("index"))
    _visited_on(page, since)
    _open(page, site.url(f"topics/{topic.slug}/"))
    new = sum(e.paper.announced > since for e in listed)
    fresh = page.locator(".card.new").count()
    assert 0 < fresh < new  # more are new than the front page shows
    assert page.locator("p.since").inner_text() == (
        f"{new} papers new since your last visit ({since}): {fresh} on this page, {new - fresh} on other pages.")
    _open(page, site.url("index"))  # the same visit: the whole site's count
    new = sum(e.paper.announced > since for e in site.entries)
    fresh = page.locator(".card.new").count()
    assert page.locator("p.since").inner_text() == (
        f"{new} papers new since your last visit ({since}): {fresh} on this page, {new - fresh} on other pages.")
    # A visit before the counted days: "at least"; an archive page counts its own papers.
    _visited_on(page, "2007-04-07")
    _open(page, site.url(f"topics/{topic.slug}/"))
    fresh = page.locator(".card.new").count()
    assert page.locator("p.since").inner_text().startswith(
        f"At least {sum(e.paper.announced > newest - timedelta(days=30) for e in listed)} papers new since your "
        f"last visit (2007-04-07): {fresh} on this page; ")
    _open(page, site.url(f"topics/{topic.slug}/page/1/"))
    assert page.locator("p.since").inner_text() == (
        f"{page.locator('.card.new').count()} papers on this page are new since your last visit (2007-04-07).")
    ctx.close()


def test_a_lead_cards_more_leads_to_the_abstract(context, site):
    """site.js gives each lead card's "more" its title's address and #abstract."""
    page = context.new_page()
    console = Console(page)
    _open(page, site.url("hf-day"))  # an older day: lead cards
    card = page.locator(".cards .card").first
    title = card.locator("h2 a").get_attribute("href")
    assert card.locator("p.abs > a").get_attribute("href") == title + "#abstract"
    card.locator("p.abs > a").click()
    page.wait_for_url("**/papers/**#abstract")
    assert page.locator("#abstract").is_visible()
    console.check()


def test_cards_and_search_results_link_the_pdf(context, site):
    page = context.new_page()
    console = Console(page)
    _open(page, site.url("recent-day"))
    cards = page.locator(".cards .card")
    assert cards.count() > 1
    for i in range(cards.count()):
        card = cards.nth(i)
        paper = re.sub(r"v\d+$", "", card.locator(".id").inner_text().removeprefix("arXiv:"))  # "2311.02077v3"
        pdf = card.locator(".id + a")
        assert (pdf.inner_text(), pdf.get_attribute("href")) == ("PDF", f"https://arxiv.org/pdf/{paper}")
    _open(page, site.url("search") + f"?q={site.word}")
    link = page.locator("#search .result .meta a", has_text="PDF").first
    link.wait_for(timeout=15000)
    assert link.get_attribute("href") == f"https://arxiv.org/pdf/{site.word_paper.paper.id}"
    console.check()


def test_a_revised_papers_mark_links_that_version_and_its_card_the_pdf(context, site):
    """The paper page's "revised v3, 12 Sep 2026: ..." links arXiv's page of v3 (site.js makes
    the link from the arXiv line); its card's id shows the version and its PDF link has none."""
    from sitegen.versions import version_mark

    entry = next(e for e in sorted(site.entries, key=lambda e: e.paper.id) if version_mark(e.paper))
    paper = entry.paper
    page = context.new_page()
    console = Console(page)
    _open(page, site.url(f"papers/{entry.slug}/"))
    mark = page.locator(".facts dd a", has_text=f"v{paper.version}")
    assert mark.get_attribute("href") == f"https://arxiv.org/abs/{paper.id}v{paper.version}"
    _open(page, site.url(f"days/{paper.announced.isoformat()}/"))
    chip = page.locator(".card .id", has_text=f"arXiv:{paper.id}v{paper.version}")
    assert chip.count() == 1
    assert chip.locator("xpath=following-sibling::a[1]").get_attribute("href") == f"https://arxiv.org/pdf/{paper.id}"
    console.check()


def test_a_link_to_a_paper_not_on_the_site_offers_it_on_arxiv(browser, context, site):
    page = context.new_page()
    console = Console(page)
    missing = site.unpublished.replace("_", "/")
    assert _open(page, site.url("paper-404")).status == 404
    offer = page.locator("#paper-elsewhere")
    assert offer.is_visible() and f"no page for arXiv:{missing}:" in offer.inner_text()
    assert offer.locator("a").evaluate_all("as => as.map(a => a.href)") == [
        f"https://arxiv.org/abs/{missing}", f"https://arxiv.org/pdf/{missing}"]
    console.check(allow_404_document=True, missing=f"/papers/{site.unpublished}/")
    # A paper the site has, named with a version or as arXiv names it: its page.
    paper = site.word_paper
    for path in (f"papers/{paper.slug}v1/", f"abs/{paper.paper.id}"):
        _open(page, site.base + path)
        page.wait_for_url(site.base + f"papers/{paper.slug}/", timeout=15000)
        console.check(allow_404_document=True, missing=f"/{path}")
    # Without JavaScript: no offer, the way on to the topics, days and search.
    ctx = browser.new_context(java_script_enabled=False)
    off = ctx.new_page()
    _open(off, site.url("paper-404"))
    assert off.locator("#paper-elsewhere").is_hidden()
    assert off.locator("main a[href='/repo/topics/']").count() == 1
    assert off.locator("main a[href='/repo/days/']").count() == 1
    ctx.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
def test_day_page_screenshots(browser, site, scheme, width):
    """The reading page as a reader sees it: a day of Hugging Face papers, phone and desktop."""
    ctx = browser.new_context(viewport={"width": width, "height": 1100 if width > 500 else 844},
                              color_scheme=scheme, device_scale_factor=1 if width > 500 else 2, is_mobile=width < 500)
    page = ctx.new_page()
    console = Console(page)
    _open(page, site.url("hf-day"))  # an older day: each abstract's first sentences and "more"
    page.evaluate("window.scrollTo(0, 0)")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    _screenshot(page, f"day-{scheme}-{width}", full_page=False)
    console.check()
    ctx.close()


def test_copy_buttons(context, site):
    page = context.new_page()
    console = Console(page)
    _open(page, site.url("topic"))
    feed_url = site.base + f"topics/{site.topic.slug}/atom.xml"
    button = page.locator(".subscribe button.copy")
    assert button.is_visible() and button.get_attribute("data-copy") == feed_url
    button.click()
    page.wait_for_function("() => document.querySelector('.subscribe button.copy').textContent === 'Copied'")
    assert page.evaluate("navigator.clipboard.readText()") == feed_url
    _open(page, site.url("paper"))
    page.locator("details.bibtex summary").click()
    page.locator("details.bibtex button.copy").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("@") and MATH_PAPER in copied
    console.check()


def test_from_the_topics_page_to_a_venue_and_back_from_a_paper(context, site):
    """Topics -> authors and venues -> a venue's page -> a paper, whose venue mark links back."""
    page = context.new_page()
    console = Console(page)
    _open(page, site.url("topics"))
    page.locator("main a[href$='follows/']").click()
    page.wait_for_load_state("networkidle")
    assert page.url == site.url("follows") and page.locator("h1").inner_text() == "Authors and venues"
    page.locator("main a[href$='venues/icst/']").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url == site.url("venue") and page.locator("h1").inner_text() == "Accepted at ICST"
    assert page.locator("link[rel=alternate][href$='venues/icst/atom.xml']").count() == 1
    page.locator("ul.titles a").first.click()
    page.wait_for_load_state("networkidle")
    mark = page.locator("dl.facts a[href$='venues/icst/']")
    assert re.fullmatch(r"ICST 20\d\d", mark.inner_text())
    mark.click()
    page.wait_for_load_state("networkidle")
    assert page.url == site.url("venue")
    console.check()


PAGE_TYPES = ["index", "day", "hf-day", "recent-day", "topic", "paper", "search", "days", "topics", "404",
              "paper-404", "status", "week", "month", "weeks",
              "follows", "venue"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_violation(browser, site, scheme):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = ctx.new_page()
    console = Console(page)
    problems, minor = [], []
    for kind in PAGE_TYPES:
        _open(page, site.url(kind))
        if kind == "search":  # audit the results too
            page.locator(SEARCH_INPUT).fill("model")
            page.locator(RESULT_LINK).first.wait_for(timeout=15000)
        if kind == "recent-day":  # and an open abstract
            page.locator(".cards details.abs summary").first.click()
        if kind == "paper":
            page.locator("details.bibtex summary").click()
        result = axe.run(page)
        for v in result.response["violations"]:
            line = f"{kind}/{scheme}: {v['id']} ({v['impact']}) {[n['target'] for n in v['nodes']][:3]}"
            (problems if v["impact"] in ("serious", "critical") else minor).append(line)
        _screenshot(page, f"{kind}-{scheme}")
        console.check(allow_404_document=kind.endswith("404"), missing="/" + site.pages[kind])
    ctx.close()
    if minor:
        print("axe, minor/moderate:", *minor, sep="\n  ")
    assert problems == []


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_fits_a_360px_phone(browser, site, kind):
    ctx = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True,
                              has_touch=True)
    page = ctx.new_page()
    _open(page, site.url(kind))
    if kind == "search":
        page.locator(SEARCH_INPUT).fill("model")
        page.locator(RESULT_LINK).first.wait_for(timeout=15000)
    overflow = page.evaluate("document.documentElement.scrollWidth")
    if kind in ("index", "paper", "day", "search"):
        _screenshot(page, f"{kind}-mobile-360", full_page=False)
    assert overflow <= 360, f"{kind} page is {overflow}px wide at 360px"
    ctx.close()


def test_print_style(context, site, tmp_path):
    page = context.new_page()
    _open(page, site.url("paper"))
    page.emulate_media(media="print")
    assert page.locator("body > header nav").is_hidden()
    assert page.locator("footer").is_hidden()
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
    page.emulate_media(media="print", color_scheme="dark")  # print is black on white in both themes
    assert page.evaluate("getComputedStyle(document.body).color") == "rgb(0, 0, 0)"
    SCREENSHOTS.mkdir(exist_ok=True)
    page.pdf(path=str(SCREENSHOTS / "paper-print.pdf"))  # beforeprint opens the BibTeX
    _screenshot(page, "paper-print")


def _screenshot(page, name: str, full_page: bool = True) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)
