"""Every fault the replay server can inject, end to end through run_fetch.

Each test checks the exit code and that content/ holds exactly what it held before, or only
what the healthy sources gave. A failed unit (a topic's search, a feed, a day) writes nothing.
"""

from __future__ import annotations

import errno
import json
import os
import re
from datetime import date
from urllib.parse import parse_qsl, urlsplit

import pytest

from sitegen.snapshot.store import read_snapshot, snapshot_path
from tests.fetch_fixtures import (
    FakeClock,
    empty_rss,
    fetch,
    fixture_bytes,
    hf_with_ids,
    make_config,
    serve_defaults,
    tree,
)
from tests.replay_server import Reply, closed_port_url

HF_DAY = "hf-daily-papers/daily_papers-30items-2026-06-12-raw.json"
SEARCH_5 = "arxiv-api/api2026-search-all-transformer-AND-cat-cs.LG-5-entries.xml"
# That recorded answer with its papers relabelled cs.CL: fetch keeps only papers a topic
# matches, and these tests' one topic follows cs.CL.
SEARCH_5_CL = fixture_bytes(SEARCH_5).replace(b'term="cs.LG"', b'term="cs.CL"')


def baseline(replay, tmp_path, clock, **config_kw):
    """A content/ already holding one good fetch (the RSS batch), and its exact bytes."""
    serve_defaults(replay)
    config = make_config(tmp_path, replay.url, **config_kw)
    code, out = fetch(config, clock, sources=["arxiv"])
    assert code == 0, out
    before = tree(config.build.content)
    assert len(before) == 92
    replay.requests.clear()
    return config, before


def search_route(replay, *replies):
    replay.route("/api/query", *replies, query={"search_query": lambda q: "cat:cs.CL" in q, "start": "0"})


# --- network faults ---------------------------------------------------------------------------

def test_connection_refused_fails_arxiv_but_keeps_huggingface(replay, clock, tmp_path):
    config, before = baseline(replay, tmp_path, clock)
    dead = closed_port_url()
    text = config.path.read_text()
    for key in ("api_url", "rss_url", "list_url"):
        text = text.replace(f'{key} = "{replay.url}', f'{key} = "{dead}', 1)  # [sources.arxiv] only
    config.path.write_text(text)
    from sitegen.config.load import parse_config

    config = parse_config(text, config.path)
    # A day whose one pick content/ already places: no arXiv lookup needed to keep it.
    one_pick = json.dumps(json.loads(hf_with_ids(HF_DAY, {"2606.00467": "2608.11232"}))[:1]).encode()
    replay.route("/api/daily_papers", Reply(body=one_pick), query={"date": "2026-08-13"})
    code, out = fetch(config, clock)
    assert code == 1
    assert "Connection refused" in out and "arxiv api nlp" in out and "arxiv rss cs.CL" in out
    after = tree(config.build.content)
    changed = {k for k in after if after[k] != before.get(k)}
    assert changed == {str(snapshot_path(config.build.content, "2608.11232").relative_to(config.build.content))}, out
    paper = read_snapshot(snapshot_path(config.build.content, "2608.11232"))
    assert paper.extra("huggingface") is not None and paper.sources == ("arxiv", "huggingface")
    assert set(after) == set(before)


@pytest.mark.slow
def test_read_timeout_fails_the_topic_and_changes_nothing(replay, clock, tmp_path):
    config, before = baseline(replay, tmp_path, clock)
    search_route(replay, Reply(body=SEARCH_5_CL, delay=0.5))
    replay.route("/rss/cs.CL", Reply(body=b"never", delay=0.5))
    replay.route("/list/cs.CL/recent", Reply(body=b"never", delay=0.5))
    code, out = fetch(config, clock, sources=["arxiv"])
    assert code == 1
    assert "no answer within 0.2 s after 2 tries" in out
    assert tree(config.build.content) == before


def test_429_with_retry_after_then_success(replay, clock, tmp_path):
    config, before = baseline(replay, tmp_path, clock)
    search_route(replay, Reply(status=429, headers={"Retry-After": "30"}), Reply(body=SEARCH_5_CL))
    code, out = fetch(config, clock, sources=["arxiv"])
    assert code == 0, out
    assert 30.0 in clock.sleeps
    assert len(tree(config.build.content)) == 97 and "5 new" in out


def test_503_then_success(replay, clock, tmp_path):
    config, before = baseline(replay, tmp_path, clock)
    search_route(replay, Reply(status=503), Reply(body=SEARCH_5_CL))
    code, out = fetch(config, clock, sources=["arxiv"])
    assert code == 0, out
    assert len(tree(config.build.content)) == 97


def test_503_forever_changes_nothing(replay, clock, tmp_path):
    config, before = baseline(replay, tmp_path, clock)
    search_route(replay, Reply(status=503))
    code, out = fetch(config, clock, sources=["arxiv"])
    assert code == 1 and "HTTP 503" in out and "try again later" in out
    assert tree(config.build.content) == before


def test_rate_exceeded_listing_is_retried_then_fails(replay, clock, tmp_path):
    config, before = baseline(replay, tmp_path, clock)
    replay.route("/rss/cs.CL", Reply(body=empty_rss()))  # a weekday: the listing is asked
    replay.route("/list/cs.CL/recent", Reply(file="arxiv-html/list-rate-exceeded-response.txt"))
    code, out = fetch(config, clock, sources=["arxiv"])
    assert code == 1 and "Rate exceeded." in out
    assert len(replay.hits("/list/cs.CL/recent")) == 2  # tried, retried (retries = 1)
    assert tree(config.build.content) == before


def test_406_without_accept_never_happens(replay, clock, tmp_path):
    """The replay server answers 406 to any request lacking Accept, like arXiv: a clean run
    proves every request fetch makes carries one."""
    config, _ = baseline(replay, tmp_path, clock)
    code, out = fetch(config, clock)
    assert code == 0, out
    assert replay.requests and all(r.headers.get("Accept") for r in replay.requests)


# --- bad bodies -------------------------------------------------------------------------------

def test_truncated_api_page_discards_the_whole_topic(replay, clock, tmp_path):
    """Page 1 parsed fine, page 2 is cut off: page 1's papers must not be written either."""
    config, before = baseline(replay, tmp_path, clock, arxiv="page_size = 10")
    replay.route("/rss/cs.CL", Reply(body=empty_rss()))
    replay.route("/list/cs.CL/recent", Reply(status=503))  # and the fallback is down: RSS unit fails too
    replay.route("/api/query", Reply(file="arxiv-api/api2026-search-testing-start0-max10.xml"),
                 query={"start": "0", "search_query": lambda q: "cat:cs.CL" in q})
    replay.route("/api/query", Reply(file="arxiv-api/api2026-search-testing-start10-max10.xml", truncate=5000),
                 query={"start": "10", "search_query": lambda q: "cat:cs.CL" in q})
    code, out = fetch(config, clock, sources=["arxiv"])
    assert code == 1 and "malformed or truncated XML" in out and "start=10" in out
    assert tree(config.build.content) == before


def test_truncated_rss_falls_back_to_listing(replay, clock, tmp_path):
    serve_defaults(replay)
    config = make_config(tmp_path, replay.url)
    replay.route("/rss/cs.CL", Reply(file="arxiv-rss/rss-cs.CL-2026-08-14.xml", truncate=20000))
    code, out = fetch(config, clock, sources=["arxiv"])
    assert code == 0, out
    assert "used the listing pages instead" in out and "malformed or truncated XML" in out
    lookups = [r for r in replay.hits("/api/query") if "id_list" in r.query]
    assert len(lookups) == 1 and len(lookups[0].query["id_list"].split(",")) == 50
    assert len(tree(config.build.content)) == 50  # the listing's 13 Aug papers


def test_malformed_json_fails_that_day_only(replay, clock, tmp_path):
    config, before = baseline(replay, tmp_path, clock)
    replay.route("/api/daily_papers", Reply(body=fixture_bytes(HF_DAY)[:3000]), query={"date": "2026-08-12"})
    replay.route("/api/daily_papers", Reply(body=hf_with_ids(HF_DAY, {"2606.00467": "2608.11232"})),
                 query={"date": "2026-08-13"})
    code, out = fetch(config, clock, sources=["huggingface"])
    assert code == 1
    assert "huggingface 2026-08-12" in out and "malformed JSON" in out
    after = tree(config.build.content)
    changed = {k for k in after if after[k] != before.get(k)}
    assert len(changed) == 1  # the healthy day's pick was saved


def test_arxiv_error_feed_http_400(replay, clock, tmp_path):
    config, before = baseline(replay, tmp_path, clock)
    search_route(replay, Reply(status=400, file="arxiv-api/api2026-error-bad-start-param.xml"))
    code, out = fetch(config, clock, sources=["arxiv"])
    assert code == 1
    assert "arXiv API error: start must be an integer" in out and "check its keywords" in out
    assert tree(config.build.content) == before


def test_arxiv_error_feed_in_id_lookup(replay, clock, tmp_path):
    config, before = baseline(replay, tmp_path, clock)
    replay.route("/api/daily_papers", Reply(body=hf_with_ids(HF_DAY, {})), query={"date": "2026-08-13"})
    replay.route("/api/query", Reply(status=400, file="arxiv-api/api2026-idlist-abc-error-http400.xml"),
                 query={"id_list": lambda v: True})
    code, out = fetch(config, clock, sources=["huggingface"])
    assert code == 1 and "incorrect id format for abc" in out
    assert tree(config.build.content) == before


# --- what a server says is cut to one short line ---------------------------------------------

BIG = 100_000  # an error body of 100 KB


def _error_feed(summary: bytes) -> bytes:
    """The recorded arXiv error feed with its reason replaced (a test-made variant)."""
    return fixture_bytes("arxiv-api/api2026-error-bad-start-param.xml").replace(b"start must be an integer", summary)


# Each answer puts 100 KB of a server's words where a failure line quotes them.
HUGE_ANSWERS = {
    "HTTP 500, 100 KB body and a 60 KB reason phrase with escapes":
        ("arxiv", Reply(status=500, body=b"<html>" + b"x" * BIG, reason="Internal \x1b[31mError " + "y" * 60_000)),
    "arXiv error feed (HTTP 400) whose reason is 100 KB over many lines":
        ("arxiv", Reply(status=400, body=_error_feed(b"z" * (BIG // 2) + "\n\n\u202e".encode() + b"w" * (BIG // 2)))),
    "Hugging Face JSON error of 100 KB": ("huggingface", Reply(body=b'{"error": "' + b"e" * BIG + b'"}')),
}


@pytest.mark.slow
@pytest.mark.parametrize("source, reply", HUGE_ANSWERS.values(), ids=list(HUGE_ANSWERS))
def test_a_100_kb_error_is_a_short_failure_line_with_the_url(replay, clock, tmp_path, source, reply):
    config, before = baseline(replay, tmp_path, clock)
    if source == "arxiv":
        search_route(replay, reply)
    else:
        replay.route("/api/daily_papers", reply, query={"date": "2026-08-13"})
    code, out = fetch(config, clock, sources=[source])
    assert code == 1
    (failure,) = [line for line in out.splitlines() if line.startswith("failed: ")]
    asked = replay.hits("/api/query" if source == "arxiv" else "/api/daily_papers")[-1]
    url = failure.split(": ")[2]  # the URL is sitegen's own: kept whole
    assert urlsplit(url).path == asked.path and dict(parse_qsl(urlsplit(url).query)) == asked.query
    quoted = max(len(run) for run in re.findall(r"[xyzwe]{20,}", failure))  # the server's filler
    assert quoted <= 300 and len(failure) < len(url) + 600, failure
    assert max(map(len, out.splitlines())) == len(failure)
    assert "\x1b" not in out and "\u202e" not in out
    assert tree(config.build.content) == before


def test_a_huge_redirect_location_is_quoted_short(replay, clock, tmp_path):
    config, before = baseline(replay, tmp_path, clock)
    search_route(replay, Reply(status=302, location="ftp://" + "l" * 60_000))
    code, out = fetch(config, clock, sources=["arxiv"])
    assert code == 1 and "refused a redirect to 'ftp://lll" in out
    assert max(map(len, out.splitlines())) < 600


# --- calendar ---------------------------------------------------------------------------------

def test_empty_weekday_batch_reads_the_listing(replay, clock, tmp_path):
    serve_defaults(replay)
    config = make_config(tmp_path, replay.url)
    replay.route("/rss/cs.CL", Reply(body=empty_rss()))
    code, out = fetch(config, clock, sources=["arxiv"])
    assert code == 0, out
    assert "empty batch on a weekday (2026-08-13)" in out
    assert len(replay.hits("/list/cs.CL/recent")) == 2  # page 1, then an empty page 2
    assert len(tree(config.build.content)) == 50


def test_empty_weekend_batch_is_normal(replay, tmp_path):
    from tests.fetch_fixtures import SATURDAY

    clock = FakeClock(SATURDAY)
    serve_defaults(replay)
    config = make_config(tmp_path, replay.url)
    replay.route("/rss/cs.CL", Reply(body=empty_rss()))
    code, out = fetch(config, clock, sources=["arxiv"])
    assert code == 0, out
    assert "note: arxiv rss cs.CL: no announcements, as expected (Saturday 2026-08-15" in out
    assert "warning" not in out and not replay.hits("/list/cs.CL/recent")


def test_empty_batch_after_a_holiday_is_normal(replay, tmp_path):
    from datetime import datetime

    from tests.fetch_fixtures import ET

    clock = FakeClock(datetime(2025, 11, 28, 9, 0, tzinfo=ET))  # the Friday after Thanksgiving
    serve_defaults(replay)
    config = make_config(tmp_path, replay.url)
    replay.route("/rss/cs.CL", Reply(body=empty_rss()))
    code, out = fetch(config, clock, sources=["arxiv"])
    assert code == 0, out
    assert "Thanksgiving" in out and not replay.hits("/list/cs.CL/recent")


def test_same_batch_on_the_next_weekday_is_stale(replay, clock, tmp_path):
    from datetime import datetime

    from tests.fetch_fixtures import ET

    serve_defaults(replay)
    config = make_config(tmp_path, replay.url)
    assert fetch(config, clock, sources=["arxiv"])[0] == 0
    code, out = fetch(config, clock, sources=["arxiv"])  # same day again: not stale
    assert code == 0 and "stale" not in out
    friday = FakeClock(datetime(2026, 8, 14, 9, 0, tzinfo=ET))
    code, out = fetch(config, friday, sources=["arxiv"])
    assert code == 0, out  # a warning, not a failure
    assert "warning: arxiv rss cs.CL: same batch as on 2026-08-13, built Thu, 13 Aug 2026 04:00:13 +0000" in out
    assert out.count("stale") == 1


def test_old_batch_on_a_weekday_is_stale_even_on_a_first_run(replay, tmp_path):
    from datetime import datetime

    from tests.fetch_fixtures import ET

    clock = FakeClock(datetime(2026, 8, 17, 9, 0, tzinfo=ET))  # Monday; the feed still says Thursday
    serve_defaults(replay)
    config = make_config(tmp_path, replay.url)
    code, out = fetch(config, clock, sources=["arxiv"])
    assert code == 0, out
    assert "warning: arxiv rss cs.CL: the batch is dated 2026-08-13, not 2026-08-17" in out


# --- cache ------------------------------------------------------------------------------------

def test_etag_304_answers_from_cache_and_changes_nothing(replay, clock, tmp_path):
    serve_defaults(replay)
    replay.route("/rss/cs.CL", Reply(file="arxiv-rss/rss-cs.CL-2026-08-14.xml", etag='"batch-0813"'))
    config = make_config(tmp_path, replay.url)
    assert fetch(config, clock, sources=["arxiv"])[0] == 0
    before = tree(config.build.content)
    code, out = fetch(config, clock, sources=["arxiv"])
    assert code == 0, out
    rss = replay.hits("/rss/cs.CL")
    assert rss[1].headers["If-None-Match"] == '"batch-0813"'
    assert tree(config.build.content) == before and "92 unchanged" in out
    assert config.fetch.cache.is_dir()
    assert not str(config.fetch.cache).startswith(str(config.build.content))


# --- disk -------------------------------------------------------------------------------------

def test_disk_full_leaves_every_old_file_intact(replay, clock, tmp_path, monkeypatch):
    config, before = baseline(replay, tmp_path, clock)
    search_route(replay, Reply(body=SEARCH_5_CL))
    replay.route("/api/daily_papers", Reply(body=hf_with_ids(HF_DAY, {"2606.00467": "2608.11232"})),
                 query={"date": "2026-08-13"})

    def full(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    code, out = fetch(config, clock)
    monkeypatch.undo()
    assert code == 1
    assert "cannot write" in out and "No space left on device" in out and "free disk space" in out
    assert "arxiv write" in out and "huggingface write" in out
    assert tree(config.build.content) == before  # no temp file left behind either


def test_write_failure_half_way_keeps_complete_files(replay, clock, tmp_path, monkeypatch):
    serve_defaults(replay)
    config = make_config(tmp_path, replay.url)
    real = os.replace
    calls = []

    def flaky(src, dst):
        if not str(dst).endswith(".md"):
            return real(src, dst)  # the fetch cache: not content/
        calls.append(dst)
        if len(calls) > 10:
            raise OSError(errno.EIO, "Input/output error")
        return real(src, dst)

    monkeypatch.setattr(os, "replace", flaky)
    code, out = fetch(config, clock, sources=["arxiv"])
    monkeypatch.undo()
    assert code == 1 and "Input/output error" in out
    files = tree(config.build.content)
    assert len(files) == 10 and all(not name.split("/")[-1].startswith(".") for name in files)
    for name in files:  # each one complete and valid
        read_snapshot(config.build.content / name)
    assert "10 new" in out


def test_backfill_window_skips_rss(replay, clock, tmp_path):
    serve_defaults(replay)
    config = make_config(tmp_path, replay.url)
    code, out = fetch(config, clock, days=None, since=date(2026, 7, 1), until=date(2026, 7, 2), sources=["arxiv"])
    assert code == 0 and not replay.hits("/rss/cs.CL")
