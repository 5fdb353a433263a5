"""`sitegen fetch` through the replay server: an API backfill dates papers on the day the RSS
feed dates them, never on the submission day (no weekend days)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from sitegen.snapshot.store import read_snapshot, snapshot_path
from sitegen.sources.arxiv.calendar import announcement_day, expects_batch
from tests.fetch_fixtures import fetch, fixture_bytes, make_config, serve_defaults
from tests.replay_server import Reply

TESTING = """
[[topics]]
slug = "testing"
title = "Testing"
keywords = ["testing"]
"""


def snapshots(config) -> dict:
    return {p.id: p for p in map(read_snapshot, config.build.content.rglob("*.md"))}


def test_an_api_backfill_dates_every_paper_by_its_mailing(replay, clock, tmp_path):
    serve_defaults(replay)
    pages = {"0": "start0-max10", "10": "start10-max10", "20": "start20-max10-latex-title"}
    for start, name in pages.items():
        replay.route("/api/query", Reply(file=f"arxiv-api/api2026-search-testing-{name}.xml"),
                     query={"search_query": lambda q: "testing" in q, "start": start})
    config = make_config(tmp_path, replay.url, arxiv="page_size = 10", topics=TESTING)
    code, out = fetch(config, clock, days=None, since=date(2018, 1, 1), until=date(2026, 6, 3), sources=["arxiv"])
    assert code == 0, out
    papers = snapshots(config)
    assert len(papers) == 30
    for paper in papers.values():
        assert paper.announced == announcement_day(paper.published)
        assert paper.announced.weekday() < 5 and expects_batch(paper.announced), paper.id
    # Submitted on Sunday 13 February 2022, 04:42 US Eastern: Monday's cutoff, Monday
    # evening's announcement, the mailing of Tuesday 15 February (it was dated Sunday before).
    sunday = papers["2202.06271"]
    assert sunday.published == datetime(2022, 2, 13, 9, 42, 13, tzinfo=UTC)
    assert sunday.announced == date(2022, 2, 15)
    # Saturday night 29 December 2018: dated Tuesday 1 January 2019, the id still 1812
    # (arXiv names an id by the month of the evening that announced it, Monday 31 December).
    assert papers["1812.11470"].announced == date(2019, 1, 1)


def api_entry_as(name: str, new_id: str, published: str) -> bytes:
    """A recorded id_list answer with its one entry renamed and re-dated (test-made variant).

    No recorded API answer holds a paper of the recorded RSS batch, so to follow one paper
    through both, a real entry is given the id of an RSS paper and a submission time in the
    window that batch announced (Tuesday 14:00 to Wednesday 14:00, New York)."""
    text = fixture_bytes(name).decode("utf-8")
    text = re.sub(r"<id>http://arxiv.org/abs/[^<]*</id>", f"<id>http://arxiv.org/abs/{new_id}v1</id>", text)
    text = re.sub(r"<published>[^<]*</published>", f"<published>{published}</published>", text)
    text = re.sub(r"<updated>2023[^<]*</updated>", f"<updated>{published}</updated>", text)  # the entry's
    return text.encode("utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("submitted", ["2026-08-12T17:59:59Z", "2026-08-11T18:00:00Z", "2026-08-12T02:30:00Z"])
@pytest.mark.parametrize("order", ["rss first", "api first"])
def test_a_backfilled_paper_lands_on_its_rss_day(replay, clock, tmp_path, submitted, order):
    """The same paper from the RSS batch of Thursday 13 August and from an API backfill:
    both say Thursday, whichever comes first. (Dated by its submission, Wednesday 12 or
    Tuesday 11 August, the backfill would have moved it a day or two early.)"""
    paper_id = "2608.11232"  # a "new" paper of the recorded batch
    serve_defaults(replay)
    replay.route("/api/query", Reply(body=api_entry_as("arxiv-api/api2026-idlist-1706.03762-max1.xml", paper_id,
                                                       submitted)),
                 query={"search_query": lambda q: "cat:cs.CL" in q, "start": "0"})
    config = make_config(tmp_path, replay.url)
    runs = [dict(days=1), dict(days=None, since=date(2026, 8, 10), until=date(2026, 8, 12))]
    for kw in runs if order == "rss first" else runs[::-1]:
        code, out = fetch(config, clock, sources=["arxiv"], **kw)
        assert code == 0, out
    paper = read_snapshot(snapshot_path(config.build.content, paper_id))
    assert paper.announced == date(2026, 8, 13) == announcement_day(paper.published)
    assert paper.published == datetime.fromisoformat(submitted)  # the API's exact time wins the RSS stamp
    assert len(replay.hits("/rss/cs.CL")) == 1  # the batch was read once, in the nightly run
