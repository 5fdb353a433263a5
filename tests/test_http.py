"""The polite HTTP client against the local replay server: headers, retries, politeness, cache."""

from __future__ import annotations

import http.client
import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from sitegen import __version__
from sitegen.errors import SourceError
from sitegen.fetch.http.client import HttpClient
from sitegen.fetch.http.policy import ACCEPT_XML, SitePolicy
from tests.fetch_fixtures import fixture_bytes
from tests.replay_server import Reply, closed_port_url

RSS = "arxiv-rss/rss-cs.CL-2026-08-14.xml"
POLICY = SitePolicy("arxiv", min_interval=3.0, connect_timeout=0.5, read_timeout=0.2, retries=2, backoff=1.0,
                    throttled_body=b"Rate exceeded.")


def client(clock, tmp_path=None, **kw):
    return HttpClient(contact="https://example.org/contact", cache_dir=tmp_path, clock=clock,
                      sleep=clock.sleep, rng=random.Random(7), **kw)


def test_sends_user_agent_and_accept(replay, clock):
    replay.route("/rss/cs.CL", Reply(file=RSS))
    with client(clock) as c:
        r = c.get(replay.url + "/rss/cs.CL", POLICY, accept=ACCEPT_XML)
    assert r.status == 200 and r.body == fixture_bytes(RSS)
    sent = replay.requests[0].headers
    assert sent["User-Agent"] == f"sitegen/{__version__} (+https://example.org/contact)"
    assert sent["Accept"] == ACCEPT_XML


def test_server_answers_406_without_accept_header(replay):
    """The replay server mimics arXiv: no Accept header, no answer (so the client must send one)."""
    replay.route("/api/query", Reply(file="arxiv-api/api2026-search-zero-results.xml"))
    host, port = replay.url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=2)
    conn.putrequest("GET", "/api/query", skip_accept_encoding=True)
    conn.endheaders()
    assert conn.getresponse().status == 406
    conn.close()


def test_min_interval_between_requests_to_one_site(replay, clock):
    replay.route("/rss/cs.CL", Reply(body=b"<rss/>"))
    replay.route("/hf", Reply(body=b"[]"))
    hf = SitePolicy("huggingface", min_interval=1.0, retries=0)
    with client(clock) as c:
        c.get(replay.url + "/rss/cs.CL", POLICY, accept=ACCEPT_XML)
        c.get(replay.url + "/hf", hf, accept="application/json")  # another site: no wait
        c.get(replay.url + "/rss/cs.CL", POLICY, accept=ACCEPT_XML)
        c.get(replay.url + "/rss/cs.CL", POLICY, accept=ACCEPT_XML)
    assert clock.sleeps == [3.0, 3.0]


def test_503_then_success_retries_with_backoff(replay, clock):
    replay.route("/rss/cs.CL", Reply(status=503), Reply(status=502), Reply(file=RSS))
    with client(clock) as c:
        r = c.get(replay.url + "/rss/cs.CL", POLICY, accept=ACCEPT_XML)
    assert r.body == fixture_bytes(RSS) and r.attempts == 3
    # backoff 1 s then 2 s, each plus < 1 s of jitter; the 3 s interval dominates both.
    assert len(clock.sleeps) == 2 and all(3.0 <= s < 4.0 for s in clock.sleeps)


def test_backoff_grows_exponentially_and_is_jittered(replay, clock):
    replay.route("/x", Reply(status=500))
    policy = SitePolicy("x", min_interval=0.0, retries=4, backoff=2.0, read_timeout=1)
    # No breaker here: it would give up on the host after 3 failures (see test_http_limits).
    with client(clock, host_failures=None) as c, pytest.raises(SourceError) as err:
        c.get(replay.url + "/x", policy, accept="*/*")
    steps = [2, 4, 8, 16]
    assert len(clock.sleeps) == 4
    assert all(step <= s < step + 2 for s, step in zip(clock.sleeps, steps, strict=True))
    assert len(set(s - step for s, step in zip(clock.sleeps, steps, strict=True))) > 1  # jitter differs
    assert "HTTP 500" in str(err.value) and "after 5 tries" in str(err.value)
    assert len(replay.requests) == 5


def test_429_retry_after_seconds_is_honoured(replay, clock):
    replay.route("/rss/cs.CL", Reply(status=429, headers={"Retry-After": "17"}), Reply(file=RSS))
    with client(clock) as c:
        r = c.get(replay.url + "/rss/cs.CL", POLICY, accept=ACCEPT_XML)
    assert r.status == 200 and clock.sleeps == [17.0]


def test_retry_after_http_date_is_honoured(replay, clock):
    when = datetime.fromtimestamp(clock.now, UTC) + timedelta(seconds=42)
    replay.route("/rss/cs.CL", Reply(status=503, headers={"Retry-After": format_datetime(when, usegmt=True)}),
                 Reply(file=RSS))
    with client(clock) as c:
        c.get(replay.url + "/rss/cs.CL", POLICY, accept=ACCEPT_XML)
    assert len(clock.sleeps) == 1 and 41.0 <= clock.sleeps[0] <= 42.0


def test_retry_after_is_capped(replay, clock):
    replay.route("/rss/cs.CL", Reply(status=429, headers={"Retry-After": "86400"}), Reply(file=RSS))
    with client(clock) as c:
        c.get(replay.url + "/rss/cs.CL", POLICY, accept=ACCEPT_XML)
    assert clock.sleeps == [120.0]


def test_429_until_retries_run_out(replay, clock):
    replay.route("/rss/cs.CL", Reply(status=429, headers={"Retry-After": "5"}))
    with client(clock) as c, pytest.raises(SourceError) as err:
        c.get(replay.url + "/rss/cs.CL", POLICY, accept=ACCEPT_XML)
    message = str(err.value)
    assert "HTTP 429" in message and "after 3 tries" in message and "wait" in message
    assert "\n" not in message


def test_rate_exceeded_body_counts_as_throttling(replay, clock):
    replay.route("/list/cs.CL/recent", Reply(file="arxiv-html/list-rate-exceeded-response.txt"),
                 Reply(file="arxiv-html/list-cs.CL-recent-skip0-show50-2026-08-14.html"))
    with client(clock) as c:
        r = c.get(replay.url + "/list/cs.CL/recent", POLICY, accept="text/html")
    assert r.attempts == 2 and b"<dl id='articles'>" in r.body


def test_rate_exceeded_forever_fails_with_advice(replay, clock):
    replay.route("/list/cs.CL/recent", Reply(file="arxiv-html/list-rate-exceeded-response.txt"))
    with client(clock) as c, pytest.raises(SourceError) as err:
        c.get(replay.url + "/list/cs.CL/recent", POLICY, accept="text/html")
    assert "Rate exceeded." in str(err.value) and "wait" in str(err.value)


@pytest.mark.slow
def test_read_timeout_is_retried_then_reported(replay, clock):
    replay.route("/slow", Reply(body=b"late", delay=0.6))
    with client(clock) as c, pytest.raises(SourceError) as err:
        c.get(replay.url + "/slow", POLICY, accept="*/*")
    assert "no answer within 0.2 s after 3 tries" in str(err.value)
    assert err.value.url == replay.url + "/slow"


def test_read_timeout_then_success(replay, clock):
    replay.route("/slow", Reply(body=b"late", delay=0.6), Reply(body=b"ok"))
    with client(clock) as c:
        assert c.get(replay.url + "/slow", POLICY, accept="*/*").body == b"ok"


def test_connection_refused(clock):
    url = closed_port_url() + "/api/query"
    with client(clock) as c, pytest.raises(SourceError) as err:
        c.get(url, POLICY, accept=ACCEPT_XML)
    assert "Connection refused" in str(err.value) and "after 3 tries" in str(err.value)
    assert "[sources.arxiv]" in str(err.value)


def test_cut_off_body_is_retried(replay, clock):
    replay.route("/rss/cs.CL", Reply(file=RSS, cut_off=1000), Reply(file=RSS))
    with client(clock) as c:
        r = c.get(replay.url + "/rss/cs.CL", POLICY, accept=ACCEPT_XML)
    assert r.body == fixture_bytes(RSS) and r.attempts == 2


def test_404_is_not_retried(replay, clock):
    with client(clock) as c, pytest.raises(SourceError) as err:
        c.get(replay.url + "/nowhere", POLICY, accept="*/*")
    assert "HTTP 404" in str(err.value) and len(replay.requests) == 1


def test_400_body_handed_back_when_caller_reads_it(replay, clock):
    replay.route("/api/query", Reply(status=400, file="arxiv-api/api2026-idlist-abc-error-http400.xml"))
    with client(clock) as c:
        r = c.get(replay.url + "/api/query", POLICY, accept=ACCEPT_XML, params={"id_list": "abc"},
                  ok_status=(200, 400))
    assert r.status == 400 and b"incorrect id format for abc" in r.body
    assert replay.requests[0].query == {"id_list": "abc"}


def test_etag_304_is_answered_from_cache(replay, clock, tmp_path):
    replay.route("/rss/cs.CL", Reply(file=RSS, etag='"v1"'))
    with client(clock, tmp_path / "cache") as c:
        first = c.get(replay.url + "/rss/cs.CL", POLICY, accept=ACCEPT_XML)
        second = c.get(replay.url + "/rss/cs.CL", POLICY, accept=ACCEPT_XML)
    assert not first.from_cache and second.from_cache
    assert second.body == first.body == fixture_bytes(RSS)
    assert "If-None-Match" not in replay.requests[0].headers
    assert replay.requests[1].headers["If-None-Match"] == '"v1"'


def test_last_modified_304_is_answered_from_cache(replay, clock, tmp_path):
    stamp = "Thu, 13 Aug 2026 04:00:13 GMT"
    replay.route("/rss/cs.CL", Reply(file=RSS, last_modified=stamp))
    with client(clock, tmp_path / "cache") as c:
        c.get(replay.url + "/rss/cs.CL", POLICY, accept=ACCEPT_XML)
        second = c.get(replay.url + "/rss/cs.CL", POLICY, accept=ACCEPT_XML)
    assert second.from_cache and replay.requests[1].headers["If-Modified-Since"] == stamp


def test_changed_resource_replaces_cache(replay, clock, tmp_path):
    replay.route("/x", Reply(body=b"one", etag='"1"'), Reply(body=b"two", etag='"2"'))
    with client(clock, tmp_path / "cache") as c:
        assert c.get(replay.url + "/x", POLICY, accept="*/*").body == b"one"
        assert c.get(replay.url + "/x", POLICY, accept="*/*").body == b"two"
        assert c.get(replay.url + "/x", POLICY, accept="*/*").from_cache
    assert replay.requests[2].headers["If-None-Match"] == '"2"'


def test_corrupt_cache_is_ignored(replay, clock, tmp_path):
    replay.route("/x", Reply(body=b"one", etag='"1"'))
    with client(clock, tmp_path / "cache") as c:
        c.get(replay.url + "/x", POLICY, accept="*/*")
    for body in (tmp_path / "cache").glob("*.body"):
        body.write_bytes(b"garbage")
    with client(clock, tmp_path / "cache") as c:
        r = c.get(replay.url + "/x", POLICY, accept="*/*")
    assert r.body == b"one" and not r.from_cache
    assert "If-None-Match" not in replay.requests[1].headers


def test_unwritable_cache_does_not_fail_the_request(replay, clock, tmp_path):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be")
    replay.route("/x", Reply(body=b"one", etag='"1"'))
    with client(clock, blocker) as c:
        assert c.get(replay.url + "/x", POLICY, accept="*/*").body == b"one"


def test_retries_are_announced(replay, clock):
    seen = []
    replay.route("/x", Reply(status=503), Reply(body=b"ok"))
    with client(clock, notify=seen.append) as c:
        c.get(replay.url + "/x", POLICY, accept="*/*")
    assert len(seen) == 1 and "HTTP 503" in seen[0] and "retrying" in seen[0]
