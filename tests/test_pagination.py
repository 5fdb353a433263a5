"""Topic pagination, over every topic size 0..200 and page size 1..30: no repeats between the
front page and the page its "older" link leads to, every paper reachable exactly once, and
archive pages that never change once they exist."""

from __future__ import annotations

import pytest

from sitegen.config.settings import TopicConfig
from sitegen.site.model import TopicPage, paginate

TOPIC = TopicConfig(slug="t", title="T", categories=("cs.CV",))
SIZES = range(0, 201)
PER_PAGE = range(1, 31)


def pages_for(total: int, per_page: int) -> dict[int, TopicPage]:
    # Papers are numbered from the oldest (1) to the newest (total), listed newest first;
    # paginate only slices the list, so numbers stand in for entries.
    listed: list = list(range(total, 0, -1))
    return {page.number: page for page in paginate(TOPIC, listed, per_page)}


def older_chain(pages: dict[int, TopicPage]) -> list[TopicPage]:
    chain, seen = [pages[0]], {0}
    while chain[-1].older is not None:
        number = chain[-1].older
        assert number not in seen, f"the older links loop back to page {number}"
        seen.add(number)
        chain.append(pages[number])
    return chain


def content(page: TopicPage) -> tuple:
    return (page.entries, page.newer, page.older, page.first)


@pytest.mark.parametrize("per_page", PER_PAGE)
def test_front_page_and_its_older_page_share_no_paper(per_page):
    for total in SIZES:
        pages = pages_for(total, per_page)
        front = pages[0]
        if front.older is not None:
            assert not set(front.entries) & set(pages[front.older].entries), (total, per_page)


@pytest.mark.parametrize("per_page", PER_PAGE)
def test_every_paper_is_reachable_exactly_once_by_following_older(per_page):
    for total in SIZES:
        pages = pages_for(total, per_page)
        chain = older_chain(pages)
        shown = [paper for page in chain for paper in page.entries]
        assert shown == list(range(total, 0, -1)), (total, per_page)  # newest first, each once
        assert len(chain) == len(pages), "every archive page is on the chain"
        for newer, older in zip(chain, chain[1:], strict=False):  # "newer" walks the chain back
            assert older.newer == newer.number
        front = pages[0]
        assert front.total == total
        assert len(front.entries) == total if total < per_page else per_page <= len(front.entries) < 2 * per_page
        for page in chain[1:]:
            assert len(page.entries) == per_page, "archive pages are always full"
            assert page.first == min(page.entries) and page.total is None


@pytest.mark.parametrize("per_page", PER_PAGE)
def test_a_new_paper_changes_only_the_front_and_the_newest_archive_page(per_page):
    before = pages_for(0, per_page)
    for total in range(1, SIZES[-1] + 1):
        after = pages_for(total, per_page)
        newest_archive = max(before)  # 0 when there is no archive page yet
        changed = {n for n in after if n not in before or content(after[n]) != content(before[n])}
        created = set(after) - set(before)
        assert not set(before) - set(after), "an archive page never disappears"
        assert len(created) <= 1 and changed <= {0, newest_archive} | created, (total, per_page, changed)
        for n in set(before) - {0}:  # an archive page always shows the same papers
            assert after[n].entries == before[n].entries
        before = after
