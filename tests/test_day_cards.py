"""Cards of the newest 30 days carry the whole abstract, folded; older day pages and topic front
pages show its first sentences and link to the rest on the paper page. The line moves with the
data (the newest announcement day, never the clock): an incremental build rewrites the pages
that crossed it, as a cold build writes them."""

from __future__ import annotations

import shutil
from datetime import date, timedelta

import pytest

from tests.conftest import BASE_CONFIG, REPO, SiteDir, busy_day_papers

OLD, NEW = date(2024, 2, 26), date(2024, 3, 4)  # two months: busy_day_papers numbers per month


def _site(root) -> SiteDir:
    site = SiteDir(root, BASE_CONFIG.format(templates=REPO / "templates"))
    for day in (OLD, NEW):
        for paper in busy_day_papers(2, day):
            site.add(paper)
    return site


def _day(site: SiteDir, day: date) -> str:
    return (site.output / f"days/{day}/index.html").read_text()


@pytest.mark.slow
def test_a_day_page_folds_whole_abstracts_while_recent_and_links_them_after(tmp_path):
    site = _site(tmp_path / "site")
    site.build()
    for day in (OLD, NEW):
        page = _day(site, day)
        assert page.count('<details class="abs">') == 2 and "<a>more</a>" not in page
    # A day 31 days after NEW: OLD and NEW leave the newest 30 days.
    later = NEW + timedelta(days=31)
    (paper,) = busy_day_papers(1, later)
    site.add(paper)
    site.build()
    incremental = site.tree()
    for day in (OLD, NEW):
        page = _day(site, day)
        assert '<details class="abs">' not in page
        # The titles link the pages; each lead's "more" gets the title's address from site.js.
        assert page.count('<a href="../../papers/') == 2 and page.count('<a>more</a></p>') == 2
    assert '<details class="abs">' in _day(site, later)
    # The topic front page lists both: the new paper whole, the older ones by their lead.
    front = (site.output / "topics/llm/index.html").read_text()
    assert front.count('<details class="abs">') == 1 and "<a>more</a>" in front
    shutil.rmtree(site.output)
    shutil.rmtree(site.root / ".sitegen-cache")
    site.build()
    assert site.tree() == incremental


def test_a_lead_links_to_the_abstract_of_a_page_that_has_it(tmp_path):
    site = _site(tmp_path / "site")
    (paper,) = busy_day_papers(1, NEW + timedelta(days=45))
    site.add(paper)
    site.build()
    page = _day(site, OLD)
    # A lead card's "more" leads where its title does, to #abstract (site.js makes the link).
    leads = [card for card in page.split("<article")[1:] if "<a>more</a>" in card]
    assert leads
    for card in leads:
        href = card.split('<a href="', 1)[1].split('"')[0]
        target = (site.output / "days" / str(OLD) / href).resolve() / "index.html"
        assert 'id="abstract"' in target.read_text()
