"""What the build reuses to render faster: one Markdown object per process, Markdown abstracts
made once for a paper's page and its day page's card, shortcuts that give urljoin's URLs."""

from __future__ import annotations

from datetime import date
from urllib.parse import urljoin

import markdown

from sitegen.render.outputs.base import Page
from sitegen.render.renderer import _PLAIN_PATH
from sitegen.render.staging import tasks
from sitegen.text import markup
from sitegen.text.scanner import PARAGRAPH_BREAK, Math, split_math
from tests.conftest import make_paper

DEFINES_REF = "**Bold** start.\n\n[ref]: https://defined.example/\n\nEnd with $x_1$."
USES_REF = "**Bold** and [a link][ref] that no reference defines here, with $y$."


def fresh(text: str) -> str:
    """What abstract_html made before: a new Markdown object for each abstract."""
    maths: list[str] = []
    blocks = []
    for block in PARAGRAPH_BREAK.split(markup.clean_text(text).strip()):
        source = []
        for piece in split_math(block):
            if isinstance(piece, Math):
                source.append(f"\ue000{len(maths)}\ue001")
                maths.append(markup.math_html(piece.tex, piece.display))
            else:
                source.append(piece)
        blocks.append("".join(source))
    rendered = markdown.markdown("\n\n".join(blocks), output_format="html")
    return markup.sanitize(markup._PLACEHOLDER.sub(lambda m: maths[int(m[1])], rendered))


def test_the_shared_markdown_object_carries_nothing_from_one_abstract_to_the_next():
    markup._markdown_abstract.cache_clear()
    first = markup.abstract_html(DEFINES_REF)
    used = markup.abstract_html(USES_REF)  # the reference defined just before must not resolve
    assert "defined.example" not in used and used == fresh(USES_REF)
    markup._markdown_abstract.cache_clear()
    assert markup.abstract_html(DEFINES_REF) == first == fresh(DEFINES_REF)
    assert "defined.example" not in first  # a reference definition is not shown


def test_a_cached_markdown_abstract_is_what_rendering_it_again_gives():
    texts = [DEFINES_REF, USES_REF, "Intro:\n\n- *one* $a$\n- `two`\n\n**end**", "# Heading $\\alpha$\n\nBody **b**."]
    markup._markdown_abstract.cache_clear()
    first = [markup.abstract_html(t) for t in texts]
    again = [markup.abstract_parts(t)[1] for t in texts]  # a card's rest: from the cache
    assert markup._markdown_abstract.cache_info().hits == len(texts)
    assert first == again == [fresh(t) for t in texts]


def test_a_markdown_abstract_is_rendered_once_for_its_page_and_its_day_card(site_dir, monkeypatch):
    days = [date(2023, 11, 6), date(2023, 11, 7)]
    for i in range(12):
        site_dir.add(make_paper(f"2311.{i + 1:05d}", announced=days[i % 2],
                                abstract=f"Paper {i} has **bold** words and $x^{i}$ in it."))
    rendered: list[str] = []
    real = markup._markdown_html
    feeds: list[str] = []

    def counted(text, span=markup.span_html, rel=True):
        (rendered if span is markup.span_html else feeds).append(text)
        return real(text, span, rel)

    monkeypatch.setattr(markup, "_markdown_html", counted)
    markup._markdown_abstract.cache_clear()
    markup._markdown_feed.cache_clear()
    site_dir.build(workers=1)
    assert len(rendered) == len(set(rendered)) == 12
    assert len(feeds) == len(set(feeds)) == 12  # once for every feed that carries it (site's, topic's)
    page = (site_dir.output / "papers" / "2311.00003" / "index.html").read_text()
    day = (site_dir.output / "days" / "2023-11-06" / "index.html").read_text()
    abstract = markup.abstract_html("Paper 2 has **bold** words and $x^2$ in it.")
    assert abstract in page and abstract in day


def page(group: object, n: int) -> Page:
    return Page(f"p{n}", "paper", n, "", group=group)


def test_tasks_keep_each_group_whole_and_every_page_once():
    todo = [page("a", 0), page(None, 1), page("b", 2), page("a", 3), page(None, 4), page("b", 5), page("c", 6)]
    for step in (0, 1, 2, 3, 100):
        found = tasks(todo, step)
        assert sorted(i for task in found for i in task) == list(range(len(todo)))
        for group in ("a", "b", "c"):
            assert sum(any(todo[i].group == group for i in task) for task in found) == 1
        assert all(len(task) >= step for task in found[:-1])
    assert tasks(todo, 100) == [[0, 3, 1, 2, 5, 4, 6]]  # groups in order of first appearance
    assert tasks([], 10) == []


def test_plain_page_urls_join_a_base_by_concatenation():
    urls = ["", "index.html", "papers/2311.02077/", "days/2023-11-06/", "topics/llm/page/3/", "search/",
            "sitemaps/1.xml", "a/./b/", "../up/", "x//y/", "?q", "#top", "/abs/", "mailto:x", ".hidden/"]
    bases = ["https://owner.github.io/repo/", "https://example.org/", "https://e.org/a/../b/",
             "https://e.org/a//b/", "https://e.org/./", "http://[::1]:8000/p/"]
    for base in bases:
        if urljoin(base, "x") != base + "x":
            continue  # the renderer uses urljoin for every page of such a site
        for url in urls:
            if _PLAIN_PATH.fullmatch(url):
                assert base + url == urljoin(base, url), (base, url)
    assert not any(_PLAIN_PATH.fullmatch(u) for u in ("a/./b/", "../up/", "x//y/", "?q", "/abs/", ".hidden/"))
