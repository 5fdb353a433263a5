"""The nightly record a real `sitegen fetch` writes, against the replay server: a healthy night,
one source failing with 5xx, arXiv's RSS failing over to the listing page, an empty weekend,
a second run on the same day; the numbers are those the fetch really wrote."""

from __future__ import annotations

import json
from datetime import date

from sitegen.status.read import read_night
from sitegen.status.record import night_json
from sitegen.status.verdict import judge, summarise
from tests.fetch_fixtures import SATURDAY, FakeClock, empty_rss, fetch, make_config, serve_defaults
from tests.replay_server import Reply

THU = date(2026, 8, 13)


def snapshots(config) -> set[str]:
    return {p.name for p in config.build.content.rglob("*.md")}


def record(config, day=THU) -> dict:
    return json.loads((config.root / "status" / f"{day}.json").read_bytes())


def sources(config, day=THU, run=0) -> dict:
    return record(config, day)["runs"][run]["sources"]


def test_a_healthy_night(replay, clock, tmp_path):
    serve_defaults(replay)
    config = make_config(tmp_path, replay.url)
    code, out = fetch(config, clock)
    assert code == 0, out
    data = record(config)
    assert data["day"] == "2026-08-13" and data["version"] == 1
    (run,) = data["runs"]
    assert (run["since"], run["until"], run["backfill"]) == ("2026-08-12", "2026-08-13", False)
    arxiv, hf = run["sources"]["arxiv"], run["sources"]["huggingface"]
    # One API search for the topic and one RSS batch; both answered.
    assert (arxiv["asked"], arxiv["answered"], arxiv["failed"], arxiv["failures"]) == (2, 2, 0, [])
    # The numbers are what the fetch wrote: 92 new snapshots (56 new + 36 cross-lists of cs.CL),
    # and the 47 replacements of papers content/ does not hold, left out.
    assert arxiv["new"] == len(snapshots(config)) == 92
    assert (arxiv["updated"], arxiv["unchanged"], arxiv["left_out"]) == (0, 0, 47)
    assert "92 new, 0 updated, 0 unchanged" in out
    assert arxiv["counts"] == [{"feed": "rss", "categories": ["cs.CL"], "day": "2026-08-13", "announced": 92,
                                "types": {"new": 56, "cross": 36, "replace": 32, "replace-cross": 15}}]
    assert (hf["asked"], hf["answered"], hf["new"]) == (2, 2, 0)  # one unit per day in the window
    assert judge([read_night(config.root / "status" / "2026-08-13.json")]).ok


def test_the_record_is_byte_stable(replay, tmp_path):
    serve_defaults(replay)
    outputs = []
    for name in ("one", "two"):  # the same answers at the same (fake) time: the same bytes
        (tmp_path / name).mkdir()
        config = make_config(tmp_path / name, replay.url)
        assert fetch(config, FakeClock())[0] == 0
        outputs.append((config.root / "status" / "2026-08-13.json").read_bytes())
    assert outputs[0] == outputs[1]
    path = tmp_path / "one" / "status" / "2026-08-13.json"
    assert night_json(read_night(path)) == path.read_bytes(), "read and written again: the same bytes"


def test_one_source_failing_with_5xx(replay, clock, tmp_path):
    serve_defaults(replay)
    replay.route("/api/daily_papers", Reply(status=503))
    config = make_config(tmp_path, replay.url)
    code, out = fetch(config, clock)
    assert code == 1
    got = sources(config)
    assert got["arxiv"]["failed"] == 0 and got["arxiv"]["new"] == 92
    hf = got["huggingface"]
    assert (hf["asked"], hf["answered"], hf["failed"], hf["new"]) == (2, 0, 2, 0)
    assert [f["unit"] for f in hf["failures"]] == ["huggingface 2026-08-12", "huggingface 2026-08-13"]
    for failure in hf["failures"]:
        assert "HTTP 503 Service Unavailable" in failure["reason"] and "\n" not in failure["reason"]
        assert f"failed: {failure['unit']}: {failure['reason']}" in out, "the record says what the summary says"
    night = read_night(config.root / "status" / "2026-08-13.json")
    assert summarise(night).failed == ("huggingface",)


def test_rss_failing_over_to_the_listing_counts_the_listing(replay, clock, tmp_path):
    serve_defaults(replay)
    replay.route("/rss/cs.CL", Reply(status=503))
    config = make_config(tmp_path, replay.url)
    code, out = fetch(config, clock)
    assert code == 0, out  # the listing answered for the feed
    arxiv = sources(config)["arxiv"]
    # The listing's day heading: "Thu, 13 Aug 2026 (showing first 50 of 92 entries )".
    assert arxiv["counts"] == [{"feed": "listing", "categories": ["cs.CL"], "day": "2026-08-13", "announced": 92,
                                "types": {}}]


def test_an_empty_weekend(replay, tmp_path):
    serve_defaults(replay)
    replay.route("/rss/cs.CL", Reply(body=empty_rss()))
    config = make_config(tmp_path, replay.url)
    code, out = fetch(config, FakeClock(SATURDAY))
    assert code == 0, out
    saturday = date(2026, 8, 15)
    arxiv = sources(config, saturday)["arxiv"]
    assert (arxiv["new"], arxiv["failed"]) == (0, 0)
    assert arxiv["counts"][0]["announced"] == 0 and arxiv["counts"][0]["day"] == "2026-08-13"
    night = read_night(config.root / "status" / "2026-08-15.json")
    assert not summarise(night).expected
    assert judge([night]).line == "Sat 15 Aug 2026: a weekend day, when arXiv announces nothing, so nothing was due"


def test_a_second_run_the_same_day_is_added(replay, clock, tmp_path):
    serve_defaults(replay)
    config = make_config(tmp_path, replay.url)
    assert fetch(config, clock)[0] == 0
    clock.now += 3600  # a re-run by hand an hour later
    assert fetch(config, clock)[0] == 0
    runs = record(config)["runs"]
    assert [r["sources"]["arxiv"]["new"] for r in runs] == [92, 0]
    assert runs[1]["sources"]["arxiv"]["unchanged"] == 92
    assert runs[0]["finished"] < runs[1]["finished"]


def test_a_record_that_cannot_be_written_is_a_warning(replay, clock, tmp_path):
    serve_defaults(replay)
    config = make_config(tmp_path, replay.url)
    (tmp_path / "status").write_text("a file where the folder should be")
    code, out = fetch(config, clock)
    assert code == 0, "the papers are saved; the record is not the fetch's job"
    assert f"warning: {tmp_path / 'status'}: " in out and "the nightly record of 2026-08-13 was not written" in out
    assert len(snapshots(config)) == 92
