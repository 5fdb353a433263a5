"""The polite HTTP client's POST with a JSON body (Semantic Scholar's batch lookup), against the
replay server: the body and its headers on every attempt, no cache, and only the redirects
that keep a POST a POST."""

from __future__ import annotations

import json
import random

import pytest

from sitegen.errors import SourceError
from sitegen.fetch.http.client import HttpClient
from sitegen.fetch.http.policy import ACCEPT_JSON, SitePolicy
from tests.fetch_fixtures import fixture_bytes
from tests.replay_server import Reply

BATCH = "semanticscholar/s2-batch-with-null-first-dec2024.json"
POLICY = SitePolicy("semanticscholar", min_interval=1.0, connect_timeout=0.5, read_timeout=0.5, retries=2)
PAYLOAD = {"ids": ["ARXIV:1706.03762", "ARXIV:hep-th/9711200"]}


def client(clock, tmp_path=None):
    return HttpClient(contact="https://example.org/contact", cache_dir=tmp_path, clock=clock, sleep=clock.sleep,
                      rng=random.Random(7))


def test_the_body_goes_as_json_with_its_headers_and_the_query(replay, clock, tmp_path):
    replay.route("/graph/v1/paper/batch", Reply(file=BATCH, etag='"v1"'))
    with client(clock, tmp_path) as c:
        r = c.post_json(replay.url + "/graph/v1/paper/batch", POLICY, PAYLOAD, accept=ACCEPT_JSON,
                        params={"fields": "citationCount,tldr"}, headers={"x-api-key": "k"})
        again = c.post_json(replay.url + "/graph/v1/paper/batch", POLICY, PAYLOAD, accept=ACCEPT_JSON,
                            params={"fields": "citationCount,tldr"})
    assert r.status == 200 and r.body == again.body == fixture_bytes(BATCH)
    first, second = replay.requests
    assert first.method == "POST" and json.loads(first.body) == PAYLOAD
    assert first.query == {"fields": "citationCount,tldr"}
    assert first.headers["Content-Type"] == "application/json" and first.headers["Accept"] == ACCEPT_JSON
    assert first.headers["x-api-key"] == "k" and "x-api-key" not in second.headers
    assert "If-None-Match" not in second.headers and not again.from_cache  # a POST is never conditional
    assert not list(tmp_path.iterdir())  # and never cached


def test_a_retry_sends_the_same_body_again(replay, clock):
    replay.route("/batch", Reply(status=429, headers={"Retry-After": "5"}), Reply(status=503), Reply(file=BATCH))
    with client(clock) as c:
        r = c.post_json(replay.url + "/batch", POLICY, PAYLOAD, accept=ACCEPT_JSON)
    assert r.attempts == 3 and [json.loads(q.body) for q in replay.requests] == [PAYLOAD] * 3
    assert clock.sleeps[0] >= 5


def test_a_307_or_308_keeps_the_post_and_its_body(replay, clock):
    replay.route("/old", Reply(status=308, location="{base}/new"))
    replay.route("/new", Reply(file=BATCH))
    with client(clock) as c:
        r = c.post_json(replay.url + "/old", POLICY, PAYLOAD, accept=ACCEPT_JSON, headers={"x-api-key": "k"})
    assert r.body == fixture_bytes(BATCH)
    moved = replay.requests[-1]
    assert (moved.path, moved.method, json.loads(moved.body), moved.headers["x-api-key"]) == (
        "/new", "POST", PAYLOAD, "k")


@pytest.mark.parametrize("status", [301, 302, 303])
def test_a_redirect_that_would_make_it_a_get_is_refused(replay, clock, status):
    replay.route("/old", Reply(status=status, location="{base}/new"))
    with client(clock) as c, pytest.raises(SourceError, match=f"HTTP {status} redirect of a POST, which would "
                                                              "turn it into a GET"):
        c.post_json(replay.url + "/old", POLICY, PAYLOAD, accept=ACCEPT_JSON)
    assert [r.path for r in replay.requests] == ["/old"]
