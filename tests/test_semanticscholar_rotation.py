"""Which papers a night asks Semantic Scholar about, and the memory of when each was asked
(sitegen.sources.semanticscholar.rotation)."""

from __future__ import annotations

import json
import os
from datetime import date, timedelta

from sitegen.fetch.known import known_papers
from sitegen.snapshot.format import dump_paper
from sitegen.snapshot.store import write_snapshot
from sitegen.sources.semanticscholar.rotation import STATE_NAME, YOUNG_DAYS, AskedMemory, tonight
from tests.conftest import make_paper

TODAY = date(2026, 8, 13)


def test_never_asked_first_then_young_then_the_least_recently_asked_old_ones():
    known = [("2608.00001", TODAY), ("2608.00002", TODAY - timedelta(days=YOUNG_DAYS - 1)),
             ("2601.00003", date(2026, 1, 5)), ("2601.00004", date(2026, 1, 6)), ("2601.00005", date(2026, 1, 7)),
             ("2608.00006", TODAY - timedelta(days=2))]
    asked = {"2608.00002": TODAY - timedelta(days=1), "2601.00003": TODAY - timedelta(days=40),
             "2601.00004": TODAY - timedelta(days=31), "2601.00005": TODAY - timedelta(days=3),
             "2608.00006": TODAY}
    order = tonight(known, asked, TODAY, recheck_days=30, limit=100)
    # Never asked; young and not asked today (00006 was); old and asked 30+ days ago, oldest first.
    assert order == ["2608.00001", "2608.00002", "2601.00003", "2601.00004"]
    assert tonight(known, asked, TODAY, recheck_days=30, limit=2) == order[:2]


def test_the_memory_round_trips_keeps_only_known_papers_and_skips_what_it_cannot_trust(tmp_path):
    memory = AskedMemory(tmp_path, TODAY)
    memory.answered(["2608.00001", "hep-th/9711200"])
    memory.save({"2608.00001", "hep-th/9711200"})
    again = AskedMemory(tmp_path, TODAY + timedelta(days=1))
    assert again.asked == {"2608.00001": TODAY, "hep-th/9711200": TODAY} and again.problem is None
    again.answered(["2608.00002"])
    again.save({"2608.00002"})  # 2608.00001 left content/: forgotten
    assert json.loads((tmp_path / STATE_NAME).read_text())["asked"] == {"2608.00002": "2026-08-14"}
    (tmp_path / STATE_NAME).write_text(json.dumps({"version": 1, "asked": {
        "../../etc": "2026-08-01", "2608.00003": "2999-01-01", "2608.00004": "1970-01-01", "2608.00005": 7,
        "2608.00006": "2026-08-01"}}))
    assert AskedMemory(tmp_path, TODAY).asked == {"2608.00006": date(2026, 8, 1)}


def test_a_memory_that_cannot_be_read_is_said_once_and_treated_as_empty(tmp_path):
    (tmp_path / STATE_NAME).write_text("{broken")
    memory = AskedMemory(tmp_path, TODAY)
    assert memory.asked == {} and "cannot read" in memory.problem
    (tmp_path / STATE_NAME).write_text('{"version": 2}')
    assert "not a record sitegen wrote" in AskedMemory(tmp_path, TODAY).problem
    (tmp_path / STATE_NAME).unlink()
    outside = tmp_path / "elsewhere.json"
    outside.write_text(json.dumps({"version": 1, "asked": {"2608.00001": "2026-08-01"}}))
    os.symlink(outside, tmp_path / STATE_NAME)
    linked = AskedMemory(tmp_path, TODAY)
    assert linked.asked == {} and "symbolic link" in linked.problem  # never read through a link
    assert AskedMemory(None, TODAY).asked == {}


def test_known_papers_reads_ids_and_days_without_following_links(tmp_path):
    content = tmp_path / "content"
    write_snapshot(content, make_paper("1706.03762", announced=date(2017, 6, 13)))
    write_snapshot(content, make_paper("hep-th/9711200", announced=date(1997, 11, 27)))
    long_authors = make_paper("2608.00001", announced=TODAY, authors=tuple(f"Author {i}" for i in range(400)))
    write_snapshot(content, long_authors)  # its announced: line is past the first 4 KB
    hand = content / "papers" / "2608" / "00" / "2608.00002.md"
    hand.write_text(dump_paper(make_paper("2608.00002", announced=TODAY)).replace('id: "2608.00002"',
                                                                                   "id: '2608.00002'"))
    os.symlink(hand, content / "papers" / "2608" / "00" / "2608.00003.md")
    found = dict(known_papers(content))
    assert found == {"1706.03762": date(2017, 6, 13), "hep-th/9711200": date(1997, 11, 27),
                     "2608.00001": TODAY, "2608.00002": TODAY}
