"""`sitegen fetch` with Semantic Scholar, against the replay server: batches of 500, the nightly
rotation and its budget, faults (429 with Retry-After, 5xx, cut-off and garbled answers), a
failure changing nothing, no byte changing on a second fetch, and the API key never shown.

The server answers each batch from real recorded paper objects, in the order the batch asked
(as Semantic Scholar does): 1706.03762 gets `data[0]` of the recorded search/match answer for
it, YOUNG gets a recorded batch element that names no arXiv id, every other id `null` (what the
batch answers for an id it does not know)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from sitegen.snapshot.store import read_snapshot, snapshot_path, write_snapshot
from sitegen.sources.semanticscholar.batch import FIELDS
from sitegen.sources.semanticscholar.rotation import STATE_NAME
from sitegen.sources.semanticscholar.source import API_KEY_ENV
from tests.conftest import make_paper
from tests.fetch_fixtures import fetch, fixture_bytes, make_config, serve_defaults, tree
from tests.replay_server import Reply

BATCH = "/graph/v1/paper/batch"
TODAY = date(2026, 8, 13)  # the FakeClock's day
YOUNG = "2608.00099"  # announced a week ago: asked every night
ATTENTION = json.loads(fixture_bytes("semanticscholar/s2-search-match-arxiv-1706.03762-aug2025.json"))["data"][0]
NO_ARXIV_ID = json.loads(fixture_bytes("semanticscholar/s2-batch-with-null-first-dec2024.json"))[1]
ANSWERS = {"1706.03762": ATTENTION, YOUNG: NO_ARXIV_ID}


def asked(posted: bytes) -> list[str]:
    ids = json.loads(posted)["ids"]
    assert all(i.startswith("ARXIV:") for i in ids)
    return [i.removeprefix("ARXIV:") for i in ids]


def answer(posted: bytes) -> bytes:
    return json.dumps([ANSWERS.get(i) for i in asked(posted)]).encode()


def batches(replay) -> list[list[str]]:
    return [asked(r.body) for r in replay.requests if r.path == BATCH]


@pytest.fixture
def site(tmp_path, replay):
    """content/ with three papers: Attention (2017), a young one and an old one S2 does not know."""
    config = make_config(tmp_path, replay.url, fetch='sources = ["semanticscholar"]')
    papers = [make_paper("1706.03762", announced=date(2017, 6, 13), extras={}),
              make_paper(YOUNG, announced=TODAY - timedelta(days=7)),
              make_paper("2311.02077", announced=date(2023, 11, 6))]
    for paper in papers:
        write_snapshot(config.build.content, paper)
    return config


def test_semantic_scholar_annotates_known_papers_and_nothing_else(site, replay, clock):
    replay.route(BATCH, Reply(post_fn=answer))
    before = tree(site.build.content)
    code, out = fetch(site, clock)
    assert code == 0, out
    [request] = [r for r in replay.requests if r.path == BATCH]
    assert request.method == "POST" and request.query == {"fields": FIELDS}
    assert request.headers["Content-Type"] == "application/json" and "x-api-key" not in request.headers
    assert asked(request.body) == [YOUNG, "2311.02077", "1706.03762"]  # never asked: newest first
    after = tree(site.build.content)
    changed = sorted(k for k in after if after[k] != before[k])
    assert changed == ["papers/1706/03/1706.03762.md", f"papers/2608/00/{YOUNG}.md"]  # 2311.02077: null
    text = after["papers/1706/03/1706.03762.md"].decode()
    assert ('\nsemanticscholar: {citations: 136941, influential_citations: 17456, venue: "Neural Information '
            'Processing Systems", paper_id: "204e3073870fae3d05bcbc2f6a8e263d9b72e776"}\n'
            "sources: [arxiv, huggingface, semanticscholar]\n") in text
    assert text.replace(text[text.index("\nsemanticscholar:"):text.index("\nsources:")], "").replace(
        ", semanticscholar]", "]") == before["papers/1706/03/1706.03762.md"].decode()  # nothing else moved
    assert "semanticscholar" in out and "2 updated" in out.splitlines()[-1]
    assert STATE_NAME not in " ".join(after)  # the rotation's memory is in the fetch cache, not content/
    assert (site.fetch.cache / STATE_NAME).is_file()


def test_fetching_again_changes_no_byte(site, replay, clock):
    replay.route(BATCH, Reply(post_fn=answer))
    assert fetch(site, clock)[0] == 0
    first = tree(site.build.content)
    code, out = fetch(site, clock)  # the same day: everything was asked today
    assert code == 0 and tree(site.build.content) == first and len(batches(replay)) == 1
    clock.now += 86400  # the next night: the young paper is asked again, the same answer comes
    code, out = fetch(site, clock)
    assert code == 0, out
    assert batches(replay)[-1] == [YOUNG] and tree(site.build.content) == first
    assert "0 new, 0 updated, 1 unchanged" in out


def test_a_failing_semantic_scholar_changes_nothing(site, replay, clock):
    replay.route(BATCH, Reply(status=503))
    before = tree(site.build.content)
    code, out = fetch(site, clock)
    assert code == 1, out  # the run asked Semantic Scholar alone: its failure is the run's
    assert "failed: semanticscholar batch 1/1: " in out and "HTTP 503" in out
    assert tree(site.build.content) == before
    assert not (site.fetch.cache / STATE_NAME).exists()  # not asked, as far as the rotation knows
    replay.route(BATCH, Reply(post_fn=answer))
    assert fetch(site, clock)[0] == 0 and batches(replay)[-1] == [YOUNG, "2311.02077", "1706.03762"]


def test_beside_the_paper_sources_its_failure_does_not_fail_the_fetch(tmp_path, replay, clock):
    config = make_config(tmp_path, replay.url, fetch='sources = ["huggingface", "semanticscholar"]')
    write_snapshot(config.build.content, make_paper("1706.03762", announced=date(2017, 6, 13)))
    serve_defaults(replay)
    replay.route(BATCH, Reply(status=500))
    before = tree(config.build.content)
    code, out = fetch(config, clock)
    assert code == 0, out
    assert "failed: semanticscholar batch 1/1: " in out
    assert out.splitlines()[-1].endswith("1 failed in best-effort sources, which only add to papers already known "
                                         "(not a failed fetch: they ask again next time); every other source answered")
    assert tree(config.build.content) == before


def test_429_with_retry_after_is_waited_out(site, replay, clock):
    replay.route(BATCH, Reply(status=429, headers={"Retry-After": "17"}), Reply(post_fn=answer))
    code, out = fetch(site, clock)
    assert code == 0, out
    assert len(batches(replay)) == 2 and any(s >= 17 for s in clock.sleeps)
    assert read_snapshot(snapshot_path(site.build.content, "1706.03762")).extra("semanticscholar").citations == 136941


def test_a_5xx_is_retried(site, replay, clock):
    replay.route(BATCH, Reply(status=502), Reply(post_fn=answer))
    assert fetch(site, clock)[0] == 0 and len(batches(replay)) == 2
    assert read_snapshot(snapshot_path(site.build.content, YOUNG)).extra("semanticscholar") is not None


@pytest.mark.parametrize("reply, words", [
    (Reply(post_fn=answer, truncate=40), "malformed JSON"),
    (Reply(post_fn=answer, cut_off=40), "response cut off"),
    (Reply(body=b"<html><body>Bad gateway</body></html>"), "malformed JSON"),
    (Reply(body=b'{"data": []}'), "expected a JSON list"),
    (Reply(body=b"[null]"), "1 answers for 3 ids"),
    (Reply(status=400, file="semanticscholar/s2-error-400-unrecognized-fields-sep2023.json"),
     'HTTP 400: Semantic Scholar says "Unrecognized or unsupported fields: [unknown]"'),
])
def test_a_broken_answer_fails_its_batch_and_changes_nothing(site, replay, clock, reply, words):
    replay.route(BATCH, reply)
    before = tree(site.build.content)
    code, out = fetch(site, clock)
    assert code == 1 and words in out, out
    assert tree(site.build.content) == before


def test_an_answer_for_another_paper_is_dropped_with_a_warning(site, replay, clock):
    replay.route(BATCH, Reply(post_fn=lambda posted: json.dumps([ATTENTION, None, None]).encode()))
    before = tree(site.build.content)
    code, out = fetch(site, clock)
    assert code == 0
    assert (f"warning: semanticscholar batch 1/1: Semantic Scholar answered for arXiv:1706.03762 where "
            f"arXiv:{YOUNG} was asked; dropped that answer") in out
    assert tree(site.build.content) == before


def many_papers(config, n: int) -> list[str]:
    """`n` old papers (never asked), one a day back from 2025-12-31; ids newest first."""
    ids = []
    for i in range(n):
        day = date(2025, 12, 31) - timedelta(days=i)
        paper_id = f"{day:%y%m}.{i + 1:05d}"
        write_snapshot(config.build.content, make_paper(paper_id, announced=day))
        ids.append(paper_id)
    return ids


def test_ids_go_in_batches_of_500(tmp_path, replay, clock):
    config = make_config(tmp_path, replay.url, fetch='sources = ["semanticscholar"]')
    ids = many_papers(config, 1001)
    replay.route(BATCH, Reply(post_fn=answer))
    code, out = fetch(config, clock)
    assert code == 0, out
    assert batches(replay) == [ids[:500], ids[500:1000], ids[1000:]]
    assert "semanticscholar batch 3/3" not in out  # no failure line


def test_a_night_asks_at_most_max_calls_batches_and_the_rest_wait_their_turn(tmp_path, replay, clock):
    config = make_config(tmp_path, replay.url, fetch='sources = ["semanticscholar"]',
                         semanticscholar="max_calls = 1\nrecheck_days = 2")
    ids = many_papers(config, 1001)
    replay.route(BATCH, Reply(post_fn=answer))
    nights = []
    for _ in range(4):
        assert fetch(config, clock)[0] == 0
        nights.append(batches(replay)[len(nights):])
        clock.now += 86400
    assert nights[0] == [ids[:500]] and nights[1] == [ids[500:1000]]
    # Night 3: the one never asked, then the oldest-asked (night 1's, due after recheck_days).
    assert nights[2] == [ids[1000:] + ids[:499]]
    assert nights[3] == [ids[499:500] + ids[500:999]]


def test_the_api_key_is_sent_and_never_shown(site, replay, clock, monkeypatch):
    key = "s2-Secret-Key-0123456789"
    monkeypatch.setenv(API_KEY_ENV, key)
    # A server that echoes the key in its error (a fault a test makes, not a recorded answer).
    replay.route(BATCH, Reply(status=400, body=json.dumps({"error": f"bad key {key}"}).encode()))
    code, out = fetch(site, clock)
    assert code == 1 and replay.requests[-1].headers["x-api-key"] == key
    assert key not in out and 'Semantic Scholar says "bad key ***"' in out


def test_a_key_a_header_cannot_carry_is_refused_without_being_shown(site, replay, clock, monkeypatch):
    key = "s2-Secret\nKey"
    monkeypatch.setenv(API_KEY_ENV, key)
    replay.route(BATCH, Reply(post_fn=answer))
    code, out = fetch(site, clock)
    assert code == 1 and "$SITEGEN_S2_API_KEY is not an API key" in out
    assert "Secret" not in out and batches(replay) == []
