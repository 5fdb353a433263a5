"""The nightly record's format: byte-stable, and read back with bounds from a disk sitegen does
not trust (huge, linked, FIFO, NaN, 5,000-digit numbers, deep nesting, wrong keys): each bad
record is one line naming its file, skipped, and the other nights are read."""

from __future__ import annotations

import json
import os
from datetime import date

import pytest

from sitegen.status.read import MAX_BYTES, BadRecord, load_nights, parse_night, read_night
from sitegen.status.record import MAX_RUNS, Failure, night_json
from sitegen.status.store import record_run
from tests.status_support import arxiv_run, night, write_nights

THU, FRI = date(2026, 8, 13), date(2026, 8, 14)


def test_a_record_reads_back_to_the_same_bytes(tmp_path):
    original = night(THU, arxiv_run(THU, new=3, announced=92, failed="HTTP 503 é"), arxiv_run(THU, new=1))
    data = night_json(original)
    assert parse_night(data) == original
    assert night_json(parse_night(data)) == data
    assert data.endswith(b"}\n") and json.loads(data)["version"] == 1
    assert list(json.loads(data)) == ["day", "runs", "version"], "sorted keys"


def test_failure_lines_are_one_line_and_bounded():
    f = Failure.of("arxiv rss cs.CL", "line one\nline two\x1b[31m " + "x" * 5000)
    assert "\n" not in f.reason and "\x1b" not in f.reason and len(f.reason) <= 600 and f.reason.endswith("…")


def good(tmp_path):
    write_nights(tmp_path, night(THU, new=5, announced=92))
    return tmp_path / "2026-08-14.json"


def loaded(folder):
    nights, problems = load_nights(folder, 30)
    return [n.day for n in nights], problems


@pytest.mark.parametrize("body,problem", [
    (b'{"day": "2026-08-14", "runs": [], "version": NaN}', "NaN is not a number here"),
    (b'{"day": "2026-08-14", "runs": [], "version": Infinity}', "Infinity is not a number here"),
    (b'{"day": "2026-08-14", "runs": [], "version": 1.0}', "'1.0' is not a whole number"),
    (b'{"day": "2026-08-14", "runs": [], "version": ' + b"9" * 5000 + b"}", "a 5,000-digit number"),
    (b"[" * 100_000 + b"]" * 100_000, "nested far deeper than the format"),
    (b'{"day": "2026-08-14", "runs": [], "version": 2}', 'not a sitegen nightly record (expected "version": 1)'),
    (b'{"day": "2026-08-14", "runs": [], "version": true}', "not a sitegen nightly record"),
    (b'{"day": "2026-08-13", "runs": [], "version": 1}', '"day" is 2026-08-13, not the 2026-08-14 of its file name'),
    (b'{"day": "2026-08-14", "runs": [], "version": 1, "x": 1}', "the record: unknown key 'x'"),
    (b'{"day": "2026-08-14", "runs": {}, "version": 1}', "runs: expected a list"),
    (b'\xff\xfe{}', "not UTF-8 text"),
    (b'{"day": "2026-08-14", ', "not valid JSON (line 1"),
])
def test_a_damaged_record_is_one_line_and_skipped(tmp_path, body, problem):
    good(tmp_path).write_bytes(body)
    days, problems = loaded(tmp_path)
    assert days == [THU], "the other nights are still read"
    (line,) = problems
    assert line.startswith(f"{tmp_path / '2026-08-14.json'}: ") and problem in line
    assert "\n" not in line and len(line) < 400


def run_with(**changes):
    run = json.loads(night_json(night(FRI, new=5, announced=92)))
    source = run["runs"][0]["sources"]["arxiv"]
    source.update(changes)
    return json.dumps(run).encode()


@pytest.mark.parametrize("changes,problem", [
    ({"new": -1}, "runs[1].sources.arxiv.new: expected a whole number in 0..1,000,000,000"),
    ({"new": 10**12}, "runs[1].sources.arxiv.new: expected a whole number"),
    ({"new": True}, "runs[1].sources.arxiv.new: expected a whole number"),
    ({"failures": [{"unit": "u", "reason": "two\nlines"}]}, "failures[1].reason: expected one line"),
    ({"failures": [{"unit": "u", "reason": "r" * 601}]}, "failures[1].reason: expected one line of at most 600"),
    ({"failures": [{"unit": "u", "reason": "r"}] * 11}, "failures: 11 items; at most 10"),
    ({"counts": [{"feed": "rss", "categories": ["cs.CL\"><script>"], "day": None, "announced": 1, "types": {}}]},
     "is not an arXiv category"),
    ({"counts": [{"feed": "ftp", "categories": [], "day": None, "announced": 1, "types": {}}]}, "feed: expected"),
    ({"counts": [{"feed": "rss", "categories": [], "day": "9999-01-01", "announced": 1, "types": {}}]},
     "day: expected a day YYYY-MM-DD in 1991-01-01..2999-12-31"),
    ({"counts": [{"feed": "rss", "categories": [], "day": None, "announced": 1, "types": {"evil": 1}}]},
     "'evil' is not one of new, cross"),
])
def test_every_value_is_bounded(tmp_path, changes, problem):
    good(tmp_path).write_bytes(run_with(**changes))
    days, problems = loaded(tmp_path)
    assert days == [THU] and problem in problems[0]


def test_too_many_runs_or_sources(tmp_path):
    many = json.loads(night_json(night(FRI)))
    many["runs"] = many["runs"] * (MAX_RUNS + 1)
    good(tmp_path).write_text(json.dumps(many))
    assert "runs: 9 items; at most 8" in loaded(tmp_path)[1][0]
    bad_name = json.loads(night_json(night(FRI)))
    bad_name["runs"][0]["sources"]["../x"] = bad_name["runs"][0]["sources"]["arxiv"]
    good(tmp_path).write_text(json.dumps(bad_name))
    assert "'../x' is not a source name" in loaded(tmp_path)[1][0]


def test_a_huge_record_is_not_read(tmp_path):
    path = good(tmp_path)
    with path.open("wb") as f:
        f.truncate(MAX_BYTES + 1)  # sparse: no disk used
    days, problems = loaded(tmp_path)
    assert days == [THU]
    assert problems == [f"{path}: is 1,000,001 bytes, over the 1,000,000-byte cap for a nightly record; sitegen "
                        "does not read it (is it really a nightly record?); skipped this night"]


def test_a_link_or_a_fifo_is_not_read(tmp_path):
    secret = tmp_path.parent / "secret.json"
    secret.write_bytes(night_json(night(FRI)))
    link = good(tmp_path)
    link.symlink_to(secret)
    os.mkfifo(tmp_path / "2026-08-15.json")
    days, problems = loaded(tmp_path)
    assert days == [THU]
    assert problems[0].startswith(f"{link}: is a symbolic link, which sitegen never follows")
    assert problems[1].startswith(f"{tmp_path / '2026-08-15.json'}: is a FIFO (named pipe), not a regular file")


def test_only_the_newest_records_are_opened(tmp_path):
    write_nights(tmp_path, night(THU), night(FRI))
    (tmp_path / "2026-08-01.json").mkdir()  # would be a problem if it were opened
    (tmp_path / "notes.txt").write_text("not a record")
    (tmp_path / "2026-02-30.json").write_text("not a day")
    nights, problems = load_nights(tmp_path, 2)
    assert [n.day for n in nights] == [THU, FRI] and problems == []
    assert load_nights(tmp_path / "missing", 30) == ([], [])


# --- writing -----------------------------------------------------------------------------------

def test_runs_of_one_day_are_kept_together_and_bounded(tmp_path):
    for i in range(MAX_RUNS + 2):
        path, warnings = record_run(tmp_path, THU, arxiv_run(THU, new=i))
        assert warnings == []
    runs = read_night(path).runs
    assert [r.sources[0][1].new for r in runs] == list(range(2, MAX_RUNS + 2)), "the oldest runs go"


def test_old_nights_are_pruned(tmp_path):
    write_nights(tmp_path, *(night(date(2026, 7, d)) for d in range(1, 11)))
    link_target = tmp_path.parent / "kept.json"
    link_target.write_text("mine")
    (tmp_path / "2026-06-30.json").symlink_to(link_target)
    record_run(tmp_path, THU, arxiv_run(THU), keep=3)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2026-07-09.json", "2026-07-10.json", "2026-08-13.json"]
    assert link_target.read_text() == "mine", "a link is removed as itself, never its target"


def test_a_damaged_record_of_the_day_is_replaced_with_a_warning(tmp_path):
    (tmp_path / "2026-08-13.json").write_text("{broken")
    path, warnings = record_run(tmp_path, THU, arxiv_run(THU, new=7))
    assert warnings == [f"{path}: not valid JSON (line 1: Expecting property name enclosed in double quotes); "
                        "replaced it with this run's record (git has the old one)"]
    assert [r.sources[0][1].new for r in read_night(path).runs] == [7]


def test_a_link_at_the_record_is_replaced_never_written_through(tmp_path):
    target = tmp_path.parent / "elsewhere.json"
    target.write_text("do not touch")
    (tmp_path / "2026-08-13.json").symlink_to(target)
    path, warnings = record_run(tmp_path, THU, arxiv_run(THU))
    assert "is a symbolic link" in warnings[0]
    assert target.read_text() == "do not touch" and not path.is_symlink()


def test_the_json_shape_is_documented():
    with pytest.raises(BadRecord):
        parse_night(b"{}")
