"""The digest's layout: under its byte budget whatever the day, in the day page's order, with
a table of contents, and every count it states true.

- The size bound is a property: generated days (many papers, huge hostile fields, many
  overlapping topics) and one fixed hostile day of 2,000 papers with 100 KB abstracts.
- The order is compared with the built day page, the counts with the papers themselves.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from functools import lru_cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.config.settings import TopicConfig
from sitegen.digest import layout
from sitegen.digest.compose import Composer
from sitegen.digest.select import in_scope, select
from sitegen.digest.settings import parse_address
from sitegen.errors import ConfigError
from sitegen.site.load import load_entries, make_entry
from sitegen.sources.huggingface.record import HuggingFace, hf_of
from tests.conftest import make_paper
from tests.digest_support import BASE_URL, DAY, digest_site, hf, parse, parts, run

pytestmark = pytest.mark.slow  # lays out days of thousands of papers, some in Chromium

GMAIL_CLIPS = 102 * 1024
SENDER = parse_address("a@example.org")


# --------------------------------------------------------------------------- reading a digest


def wire_sizes(message) -> tuple[int, int]:
    """(text, html) part sizes as sent: encoded body plus headers, CRLF line ends."""
    text_part, html_part = message.iter_parts()
    return (len(text_part.as_bytes().replace(b"\n", b"\r\n")), len(html_part.as_bytes().replace(b"\n", b"\r\n")))


def texts(message) -> tuple[str, str]:
    """(text/plain, text/html) with LF line ends, checking the MIME structure on the way."""
    plain, html = parts(message)
    return plain.replace("\r\n", "\n"), html.replace("\r\n", "\n")


def sections_of(plain: str) -> list[dict]:
    """Each section of the text part: title, stated total, the papers it names (page slugs, in
    order), the papers it shows in full, and its "N more on the site"."""
    found = []
    for line in plain.splitlines():
        head = re.fullmatch(r"== (.+) · (\d+) papers? ==", line)
        if head:
            found.append(dict(title=head[1], total=int(head[2]), named=[], full=[], more=0))
        elif found:
            page = re.fullmatch(r"    " + re.escape(BASE_URL) + r"papers/([^/]+)/", line)
            if page:
                found[-1]["named"].append(page[1])
            arxiv = re.fullmatch(r"    (?:▲ \d+ upvotes? · )?arXiv:(\S+)(?: · .*)?", line)
            if arxiv:
                found[-1]["full"].append(arxiv[1])
            more = re.match(r"(\d+) more on the site:", line)
            if more:
                found[-1]["more"] = int(more[1])
    return found


def expected_order(entries, slug: str) -> list[str]:
    """The day page's rule, restated: most upvotes first, then the newest arXiv id first."""
    mine = [e for e in entries if slug in e.topics]
    mine.sort(key=lambda e: e.paper.id, reverse=True)
    mine.sort(key=lambda e: -((hf_of(e.paper).upvotes or 0) if hf_of(e.paper) else 0))
    return [e.slug for e in mine]


def check_digest(message, entries, topics: tuple[TopicConfig, ...]) -> None:
    """Everything a digest of `entries` (one day, in scope) must hold, whatever its size."""
    plain, html = texts(message)
    text_bytes, html_bytes = wire_sizes(message)  # the budget is of the bodies; 200 for a part's headers
    assert len(html.encode()) <= html_bytes <= layout.HTML_BUDGET + 200 < GMAIL_CLIPS - 2000
    assert len(plain.encode()) <= text_bytes <= layout.TEXT_BUDGET + 200
    assert not message.defects and all(not p.defects for p in message.iter_parts())
    # The counts it states are true.
    shown = [t for t in topics if any(t.slug in e.topics for e in entries)]
    distinct = len({e.paper.id for e in entries})
    assert f"{distinct} paper{'s' if distinct != 1 else ''} on {len(shown)} topic" in plain
    sections = sections_of(plain)
    assert [s["title"] for s in sections] == [t.title for t in shown]
    for section, topic in zip(sections, shown, strict=True):
        order = expected_order(entries, topic.slug)
        assert section["total"] == len(order)
        assert section["named"] == order[:len(section["named"])], "the day page's order"
        assert len(section["named"]) + section["more"] == section["total"]
    for wrong in ("0 papers here", "listed above", " 0 papers"):
        assert wrong not in plain and wrong not in html
    # Both parts name the same papers in the same places.
    in_html = [re.findall(r'href="' + re.escape(BASE_URL) + r'papers/([^/"]+)/"', part)
               for part in html.split('<h2 id="topic-')[1:]]
    assert in_html == [s["named"] for s in sections]
    # Each paper is shown in full at most once, and every pointer to it leads somewhere.
    full = re.findall(r'id="p-([^"]+)"', html)
    assert len(full) == len(set(full))
    assert sorted(full) == sorted(pid for s in sections for pid in s["full"])
    ids = set(re.findall(r'id="([^"]+)"', html))
    for target in re.findall(r'href="#([^"]*)"', html):
        assert target in ids, target
    # The text part is wrapped for reading; only a word longer than a line (a URL) sticks out.
    for line in plain.splitlines():
        assert len(line) <= 78 or " " not in re.sub(r"^ *(\d+\. +)?", "", line), line


# --------------------------------------------------------------------------- the fixture site


@pytest.fixture
def busy(tmp_path):
    """Two overlapping topics on one day: 40 vision papers, 30 language-model ones, 12 in
    both, upvotes with ties and papers without any; one earlier day."""
    site = digest_site(tmp_path / "site")
    for i in range(70):
        cats = ("cs.CV",) if i < 40 else ("cs.CL",)
        title = f"Paper {i:02d} on " + ("a language model" if i >= 28 else "scenes")
        votes = None if i % 5 == 0 else (i * 7) % 13
        site.add(make_paper(f"2608.{100 + i:05d}", title=title, categories=cats, announced=DAY,
                            huggingface=hf(votes), abstract=f"Abstract {i}. " + "Words of it. " * 40))
    return site


def test_order_matches_the_day_page(busy, tmp_path):
    busy.build()
    day_page = (busy.output / "days" / DAY.isoformat() / "index.html").read_text()
    # A revised paper's id shows its version on the page ("arXiv:2608.00101v2"); the digest names the paper.
    page_order = re.findall(r'<span class="id">arXiv:([^<]+?)(?:v\d+)?</span>', day_page)
    assert len(page_order) == 74, "the fixture's 4 papers and the 70 added"
    assert run(busy, "--out", str(tmp_path / "out")) == 0
    message = parse((tmp_path / "out" / f"{DAY.isoformat()}-combined.eml").read_bytes())
    plain, html = texts(message)
    config = busy.load()
    entries = [e for e in in_scope(load_entries(config), config.topics) if e.paper.announced == DAY]
    topic_of = {e.paper.id: e.topics for e in entries}
    for section, topic in zip(sections_of(plain), config.topics, strict=False):
        on_page = [pid for pid in page_order if topic.slug in topic_of.get(pid, ())]
        assert section["named"] == on_page[:len(section["named"])]
        assert len(section["named"]) == min(15, len(on_page))
    check_digest(message, entries, config.topics)


def test_toc_sections_leads_titles_and_the_rest(busy, tmp_path):
    assert run(busy, "--out", str(tmp_path / "out")) == 0
    plain, html = texts(parse((tmp_path / "out" / f"{DAY.isoformat()}-combined.eml").read_bytes()))
    # The table of contents: each topic with its count, linking to its section in the message.
    toc = re.findall(r'<a href="#(topic-[a-z0-9-]+)"[^>]*>([^<]+) <span[^>]*>· (\d+) papers</span></a>', html)
    assert [(a, t, int(n)) for a, t, n in toc] == [("topic-vision", "Vision", 42), ("topic-llm", "Language Models", 45)]
    for anchor, _, _ in toc:
        assert html.count(f'id="{anchor}"') == 1
    assert "Topics:\n  - Vision · 42 papers\n  - Language Models · 45 papers\n" in plain
    vision, llm = sections_of(plain)
    assert (len(vision["full"]), len(vision["named"]), vision["more"]) == (5, 15, 27)
    assert "27 more on the site: " + BASE_URL + "topics/vision/" in plain.replace("\n", " ")
    # A paper shown in full under Vision is named under Language Models, saying where.
    both = set(vision["full"]) & set(llm["named"])
    assert both == {"2608.00137"}, "the one paper of both topics among Vision's first five"
    assert llm["named"][:5] == ["2608.00002", "2608.00163", "2608.00137", "2608.00004", "2608.00161"]
    assert llm["full"] == ["2608.00002", "2608.00163", "2608.00004", "2608.00161"]
    assert "(in full above, under Vision)" in plain
    assert re.search(r'\(in full above, under <a href="#p-[^"]+" [^>]*>Vision</a>\)', html)


def test_a_topic_whose_papers_are_all_shown_above_says_so(tmp_path):
    site = digest_site(tmp_path / "site")
    for i in range(2):  # both in Vision and in Language Models, and Vision comes first
        site.add(make_paper(f"2608.0090{i}", title=f"A language model that sees {i}", categories=("cs.CV",),
                            announced=date(2026, 8, 14), huggingface=hf(50 + i)))
    assert run(site, "--out", str(tmp_path / "out")) == 0
    plain, html = texts(parse((tmp_path / "out" / "2026-08-14-combined.eml").read_bytes()))
    vision, llm = sections_of(plain)
    assert (vision["total"], llm["total"]) == (2, 2)
    assert llm["full"] == [] and llm["named"] == vision["named"] == ["2608.00901", "2608.00900"]
    assert plain.count("(in full above, under Vision)") == 2
    assert "0 papers" not in plain and "listed above" not in plain


def test_per_topic_digest_has_no_toc_and_every_paper_counted(tmp_path, busy):
    busy.config_path.write_text(busy.config_path.read_text() + 'mode = "per-topic"\n')
    assert run(busy, "--out", str(tmp_path / "out")) == 0
    plain, html = texts(parse((tmp_path / "out" / f"{DAY.isoformat()}-vision.eml").read_bytes()))
    assert 'href="#topic-' not in html and "Topics:" not in plain
    (vision,) = sections_of(plain)
    assert vision["total"] == 42 and len(vision["named"]) + vision["more"] == 42


# --------------------------------------------------------------------------- the byte budget


@pytest.fixture(scope="module")
def config(tmp_path_factory):
    return digest_site(tmp_path_factory.mktemp("digest") / "site").load()


# Hostile text: markup characters that escaping grows five-fold, non-ASCII that
# quoted-printable grows nine-fold, TeX, words without spaces.
TEXTS = ("plain words of a paper ", "Ω&<\"'>ü ", "$\\alpha$ and $x^2$ ", "\\textbf{bold} 100% ", "長い題名の論文 ",
         "a" * 300)
LENGTHS = (1, 80, 300, 5_000, 100_000)


@lru_cache(maxsize=1024)
def _template(title: tuple[int, int], abstract: tuple[int, int], authors: tuple[int, int], ai: bool):
    """A hostile paper, made once: a day's entries are copies of a few of these."""
    def made(spec: tuple[int, int]) -> str:
        return (TEXTS[spec[0]] * (LENGTHS[spec[1]] // len(TEXTS[spec[0]]) + 1))[:LENGTHS[spec[1]]]

    paper = make_paper(
        "2608.00001", title=made(title), abstract=made(abstract),
        authors=tuple(made((authors[0], 1 + authors[1] % 3)) for _ in range(authors[1] * 15)),
        huggingface=HuggingFace(upvotes=1, ai_summary=made(abstract) if ai else None),
        links={"abs": "https://arxiv.org/abs/x" + "y" * LENGTHS[abstract[1] % 4], "pdf": "https://x.example/p.pdf"})
    return make_entry(paper, "x.md", "d", ())


def hostile_day(topics: tuple[TopicConfig, ...], papers) -> list:
    """One day's entries from specs (title, abstract, authors, ai, upvotes, topic bits)."""
    entries = []
    for n, (title, abstract, authors, ai, votes, member) in enumerate(papers):
        base = _template(title, abstract, authors, ai)
        mine = tuple(t.slug for i, t in enumerate(topics) if (member >> (i % 16)) & 1) or (topics[0].slug,)
        paper = replace(base.paper, id=f"2608.{n:05d}", announced=DAY,
                        extras={**base.paper.extras, "huggingface": replace(hf_of(base.paper), upvotes=votes)})
        entries.append(replace(base, paper=paper, slug=f"2608.{n:05d}", topics=mine))
    return entries


def compose(config, entries, topics: tuple[TopicConfig, ...]):
    selection = select(entries, DAY, "combined", topics)
    return Composer(replace(config, topics=topics), SENDER).compose(selection, topics).message


def topic_list(n: int, long_titles: bool = False) -> tuple[TopicConfig, ...]:
    return tuple(TopicConfig(slug=f"t{i}", title=f"Topic {i}" + " &<ü" * (300 if long_titles else 0))
                 for i in range(n))


text_spec = st.tuples(st.integers(0, len(TEXTS) - 1), st.integers(0, len(LENGTHS) - 1))
paper_spec = st.tuples(text_spec, text_spec, st.tuples(st.integers(0, len(TEXTS) - 1), st.integers(0, 4)),
                       st.booleans(), st.none() | st.integers(0, 5), st.integers(1, 2 ** 16 - 1))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(n_topics=st.integers(1, 12), papers=st.lists(paper_spec, min_size=1, max_size=300))
def test_any_day_fits_the_budget_and_says_true_counts(config, n_topics, papers):
    topics = topic_list(n_topics)
    entries = hostile_day(topics, papers)
    check_digest(compose(config, entries, topics), entries, topics)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n_topics=st.integers(15, 30), papers=st.lists(paper_spec, min_size=1, max_size=60))
def test_many_topics_with_long_titles_fit_the_budget(config, n_topics, papers):
    topics = topic_list(n_topics, long_titles=True)  # cut to 100 characters in the body
    every = tuple(t.slug for t in topics)  # each paper in every topic: the most sections can hold
    message = compose(config, [replace(e, topics=every) for e in hostile_day(topics, papers)], topics)
    text_bytes, html_bytes = wire_sizes(message)
    assert html_bytes <= layout.HTML_BUDGET + 200 and text_bytes <= layout.TEXT_BUDGET + 200
    plain, html = texts(message)
    assert html.count('href="#topic-') == html.count('<h2 id="topic-') == n_topics


def test_a_hostile_day_of_2000_papers_with_100_kb_abstracts_fits(config):
    topics = topic_list(3)
    specs = [((i % 5, 4), (i % 5, 4), (i % 6, 4), i % 3 == 0, i % 4 or None, 1 + i % 7) for i in range(2000)]
    entries = hostile_day(topics, specs)
    assert len(entries[0].paper.abstract) == len(entries[0].paper.title) == 100_000
    message = compose(config, entries, topics)
    check_digest(message, entries, topics)
    plain, _ = texts(message)
    assert sum(s["more"] for s in sections_of(plain)) > 2000  # 3 topics of about 1,140 papers


def test_too_many_topics_for_one_message_is_a_clear_error(config):
    topics = topic_list(400, long_titles=True)
    (entry,) = hostile_day(topics, [((0, 1), (0, 1), (0, 1), False, 1, 1)])
    with pytest.raises(ConfigError) as info:
        compose(config, [replace(entry, topics=tuple(t.slug for t in topics))], topics)
    assert 'mode = "per-topic"' in str(info.value) and "even without a paper shown" in str(info.value)


def test_fit_keeps_the_richest_level_that_fits():
    topics = topic_list(2)
    selection = select(hostile_day(topics, [((0, 1), (0, 1), (0, 1), False, None, 3)] * 40), DAY, "combined", topics)
    tried = []

    def render(most: int):
        """A stand-in for the templates: over budget when more than `most` papers are named."""
        def render(parts):
            tried.append((len(parts[0].top), len(parts[0].titles)))
            named = sum(len(p.top) + len(p.titles) for p in parts)
            return "", "x" * (layout.HTML_BUDGET + 1 if named > most else 100)
        return render

    parts, _, html = layout.fit(selection, render(30))
    assert tried == [(5, 10)] and len(html) == 100, "the richest level fits: one rendering"
    tried.clear()
    parts, _, _ = layout.fit(selection, render(13))  # 2 sections: (5, 0) shows 10, (5, 2) 14
    assert tried == [(5, 10), (0, 0), (1, 0), (2, 0), (3, 0), (4, 0), (5, 0), (5, 2)]
    assert [(len(p.top), len(p.titles), p.more) for p in parts] == [(5, 0, 35), (5, 0, 35)]
    with pytest.raises(layout.TooBig):
        layout.fit(selection, lambda parts: ("", "x" * (layout.HTML_BUDGET + 1)))


# --------------------------------------------------------------------------- on a phone

# The contrast of every visible text against the background it is drawn on (the first
# ancestor with one): WCAG's formula, computed in the page.
CONTRASTS = """() => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lin = v => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  const lum = ([r, g, b]) => 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || !el.getClientRects().length || getComputedStyle(el).display === 'none') continue;
    let bg = el, c;
    while (bg && ((c = rgb(getComputedStyle(bg).backgroundColor)).length === 4 && c[3] === 0)) bg = bg.parentElement;
    const a = lum(rgb(getComputedStyle(el).color));
    const b = lum(bg ? rgb(getComputedStyle(bg).backgroundColor) : [255, 255, 255]);
    out.push([(Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05), el.textContent.trim().slice(0, 40)]);
  }
  return out;
}"""


@pytest.mark.browser
def test_on_a_phone_one_column_working_anchors_and_readable_in_dark_mode(busy, tmp_path):
    from tests.browser_support import REPO, browser_unavailable, chromium

    reason = browser_unavailable()
    if reason:
        pytest.skip(reason)
    busy.add(make_paper("2608.00999", title="Unbreakable " + "x" * 300, categories=("cs.CV",), announced=DAY,
                        huggingface=hf(99), abstract="A" * 500 + " and https://example.org/" + "p" * 300))
    assert run(busy, "--out", str(tmp_path / "out")) == 0
    _, html = texts(parse((tmp_path / "out" / f"{DAY.isoformat()}-combined.eml").read_bytes()))
    shots = REPO / "tests" / "screenshots"
    shots.mkdir(exist_ok=True)
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.set_content(html, wait_until="load")
        page.screenshot(path=str(shots / "digest-390.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, "nothing wider than the phone"
        font = page.evaluate("getComputedStyle(document.querySelector('h3 a')).fontSize")
        assert float(font.rstrip("px")) >= 16
        # The table of contents and "in full above" lead to their place in the message.
        page.click('a[href="#topic-llm"]')
        assert page.evaluate("location.hash") == "#topic-llm"
        assert abs(page.evaluate("document.getElementById('topic-llm').getBoundingClientRect().top")) < 2
        pointer = page.locator('a[href^="#p-"]').first
        target = pointer.get_attribute("href")[1:]
        pointer.click()
        assert abs(page.evaluate(f"document.getElementById('{target}').getBoundingClientRect().top")) < 2
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            worst = min(page.evaluate(CONTRASTS))
            assert worst[0] >= 4.5, f"{scheme}: {worst}"
