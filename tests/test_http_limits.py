"""The HTTP client's limits against hostile servers on 127.0.0.1 (issue 8, the client half).

A wall-clock deadline per attempt (trickled headers or body, a host that never answers), a
cap on the body after decompression (a real gzip bomb), redirects under sitegen's rules, no
retry for what retrying cannot fix, a per-host breaker and the whole fetch's deadline. The
clock is fake wherever it can be; the per-attempt watchdog runs on real time, so those tests
use deadlines of a fraction of a second.
"""

from __future__ import annotations

import random
import shutil
import socket
import subprocess
import time
import tracemalloc

import pytest
import requests

from sitegen.errors import SourceError
from sitegen.fetch.http.client import ACCEPT_ENCODING, HttpClient, SitePolicy
from tests.replay_server import ReplayServer, Reply, SilentServer, gzip_bomb

# Retries on, read timeout far above the trickle's pace: only the deadline can stop it.
FAST = SitePolicy("arxiv", min_interval=0.0, connect_timeout=1.0, read_timeout=5.0, retries=1, deadline=0.5)


def client(clock, **kw) -> HttpClient:
    return HttpClient(contact="https://example.org/contact", clock=clock, sleep=clock.sleep,
                      rng=random.Random(7), **kw)


def get(c: HttpClient, url: str, policy: SitePolicy = FAST):
    return c.get(url, policy, accept="*/*")


def timed(fn):
    start = time.monotonic()
    try:
        return fn(), time.monotonic() - start
    except SourceError as exc:
        return exc, time.monotonic() - start


# --- a deadline per attempt --------------------------------------------------------------------

@pytest.mark.slow
def test_trickled_body_is_cut_at_the_deadline(replay, clock):
    replay.route("/slow", Reply(body=b"x" * 400, trickle=0.05))  # 20 s at one byte per 50 ms
    with client(clock) as c:
        err, took = timed(lambda: get(c, replay.url + "/slow"))
    assert isinstance(err, SourceError)
    assert str(err) == (f"{replay.url}/slow: no complete answer within 0.5 s after 2 tries; the service is slow "
                        "or down; try again later or raise [sources.arxiv] deadline")
    assert len(replay.hits("/slow")) == 2 and took < 2.0


@pytest.mark.slow
def test_trickled_headers_are_cut_at_the_deadline(replay, clock):
    replay.route("/slow", Reply(body=b"x" * 10, trickle=0.05, trickle_headers=True))  # ~100 bytes of headers
    with client(clock) as c:
        err, took = timed(lambda: get(c, replay.url + "/slow"))
    assert "no complete answer within 0.5 s after 2 tries" in str(err)
    assert len(replay.hits("/slow")) == 2 and took < 2.0


@pytest.mark.slow
def test_host_that_accepts_and_never_answers_is_cut_at_the_deadline(clock):
    policy = SitePolicy("arxiv", min_interval=0.0, read_timeout=30.0, retries=1, deadline=0.5)
    with SilentServer() as silent, client(clock) as c:
        err, took = timed(lambda: get(c, silent.url + "/api/query", policy))
        assert silent.accepted == 2
    assert "no complete answer within 0.5 s after 2 tries" in str(err) and took < 2.0


@pytest.mark.slow
def test_a_cut_connection_never_blocks_the_next_request(replay, clock):
    """The pool holds one connection per host and blocks when it is out: a cut attempt must
    hand its connection back, or this second request would wait forever."""
    replay.route("/slow", Reply(body=b"x" * 400, trickle=0.05))
    replay.route("/ok", Reply(body=b"fine"))
    with client(clock) as c:
        timed(lambda: get(c, replay.url + "/slow"))
        response, took = timed(lambda: get(c, replay.url + "/ok"))
    assert response.body == b"fine" and took < 0.5


def test_keep_alive_connection_is_reused_and_still_watched(replay, clock):
    replay.route("/ok", Reply(body=b"fine"))
    replay.route("/slow", Reply(body=b"x" * 400, trickle=0.05))
    policy = SitePolicy("arxiv", min_interval=0.0, read_timeout=5.0, retries=0, deadline=0.5)
    with client(clock) as c:
        assert get(c, replay.url + "/ok", policy).body == b"fine"
        err, took = timed(lambda: get(c, replay.url + "/slow", policy))
    assert "no complete answer within 0.5 s after 1 try" in str(err) and took < 1.5


# --- the body's size, after decompression -------------------------------------------------------

@pytest.mark.parametrize("encoding", ["gzip", "deflate", "raw-deflate"])
def test_compressed_bodies_are_decoded(replay, clock, encoding):
    body = b"<feed>" + b"paper " * 5000 + b"</feed>"
    replay.route("/x", Reply(body=body, encoding=encoding))
    with client(clock) as c:
        assert get(c, replay.url + "/x").body == body
    assert replay.requests[0].headers["Accept-Encoding"] == ACCEPT_ENCODING == "gzip, deflate"


def test_gzip_bomb_is_refused_with_bounded_memory(replay, clock):
    """1 MB of gzip that inflates to 1 GiB, made while it is sent: refused at the cap, once
    (retrying cannot make it smaller), holding little more than the cap in memory."""
    replay.route("/bomb", Reply(stream=gzip_bomb, headers={"Content-Encoding": "gzip"}))
    cap = 5_000_000
    policy = SitePolicy("huggingface", min_interval=0.0, retries=3, max_bytes=cap)
    tracemalloc.start()
    try:
        with client(clock) as c:
            err, took = timed(lambda: get(c, replay.url + "/bomb", policy))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(err) == (f"{replay.url}/bomb: the answer is larger than 5000000 bytes after decompression; "
                        "refused it; raise [sources.huggingface] max_bytes if this is a real answer")
    assert len(replay.hits("/bomb")) == 1
    assert peak < 4 * cap, peak  # vs 1 GiB when urllib3 inflated it
    assert took < 2.0


def test_content_length_over_the_cap_is_refused_before_reading(replay, clock):
    replay.route("/big", Reply(body=b"x" * 2000))
    policy = SitePolicy("arxiv", min_interval=0.0, retries=3, max_bytes=1000)
    with client(clock) as c, pytest.raises(SourceError) as err:
        get(c, replay.url + "/big", policy)
    assert "announces 2000 bytes (Content-Length), more than the 1000 allowed" in str(err.value)
    assert "raise [sources.arxiv] max_bytes" in str(err.value) and len(replay.hits("/big")) == 1


def test_body_without_length_over_the_cap_is_refused(replay, clock):
    replay.route("/big", Reply(stream=lambda: (b"x" * 1000 for _ in range(100))))
    policy = SitePolicy("arxiv", min_interval=0.0, retries=3, max_bytes=10_000)
    with client(clock) as c, pytest.raises(SourceError) as err:
        get(c, replay.url + "/big", policy)
    assert "the answer is larger than 10000 bytes; refused it" in str(err.value)


def test_an_encoding_sitegen_did_not_ask_for_is_refused(replay, clock):
    replay.route("/br", Reply(body=b"\x8b\x02\x80hi\x03", headers={"Content-Encoding": "br"}))
    with client(clock) as c, pytest.raises(SourceError) as err:
        get(c, replay.url + "/br")
    assert "unsupported Content-Encoding 'br'" in str(err.value) and len(replay.hits("/br")) == 1


def test_truncated_gzip_is_retried_as_a_cut_off_answer(replay, clock):
    from tests.replay_server import compress

    whole = compress(b"paper " * 5000, "gzip")
    replay.route("/x", Reply(body=whole[:len(whole) // 2], headers={"Content-Encoding": "gzip"}),
                 Reply(body=b"paper " * 5000, encoding="gzip"))
    with client(clock) as c:
        r = get(c, replay.url + "/x")
    assert r.attempts == 2 and r.body == b"paper " * 5000


# --- redirects, by sitegen's rules ----------------------------------------------------------------

def test_redirect_to_itself_is_a_loop_and_not_retried(replay, clock):
    replay.route("/api/query", Reply(status=302, location="{self}"))
    with client(clock) as c, pytest.raises(SourceError) as err:
        get(c, replay.url + "/api/query?start=0")
    assert str(err.value) == (f"{replay.url}/api/query?start=0: redirect loop: '{replay.url}/api/query?start=0' "
                              "was already visited; the service redirects in a circle; try again later or check "
                              "the URL in [sources.arxiv]")
    assert len(replay.requests) == 1 and clock.sleeps == []


def test_a_redirect_loop_through_two_urls(replay, clock):
    replay.route("/a", Reply(status=307, location="/b"))
    replay.route("/b", Reply(status=308, location="{base}/a"))
    with client(clock) as c, pytest.raises(SourceError) as err:
        get(c, replay.url + "/a")
    assert "redirect loop" in str(err.value) and [r.path for r in replay.requests] == ["/a", "/b"]


def chain(replay, hops: int) -> None:
    for i in range(hops):
        replay.route(f"/r{i}", Reply(status=301 if i % 2 else 302, location=f"/r{i + 1}"))
    replay.route(f"/r{hops}", Reply(body=b"arrived"))


def test_redirect_chain_longer_than_the_limit(replay, clock):
    chain(replay, 6)
    with client(clock) as c, pytest.raises(SourceError) as err:
        get(c, replay.url + "/r0")
    assert "more than 5 redirects (the last to '/r6')" in str(err.value)
    assert "raise [sources.arxiv] max_redirects" in str(err.value)
    assert len(replay.requests) == 6


def test_redirect_chain_at_the_limit_is_followed(replay, clock):
    chain(replay, 5)
    with client(clock) as c:
        assert get(c, replay.url + "/r0").body == b"arrived"
    assert [r.path for r in replay.requests] == [f"/r{i}" for i in range(6)]
    assert all(r.headers.get("Accept") for r in replay.requests)  # every hop asks properly


@pytest.mark.parametrize("location", ["ftp://127.0.0.1/pub/feed.xml", "javascript:alert(1)",
                                      "file:///etc/passwd", "data:text/plain,hello"])
def test_redirect_away_from_http_is_refused(replay, clock, location):
    replay.route("/x", Reply(status=302, location=location))
    with client(clock) as c, pytest.raises(SourceError) as err:
        get(c, replay.url + "/x")
    assert f"refused a redirect to {location!r}: only http and https addresses are followed" in str(err.value)
    assert len(replay.requests) == 1


def test_redirect_without_location_is_refused(replay, clock):
    replay.route("/x", Reply(status=302))
    with client(clock) as c, pytest.raises(SourceError) as err:
        get(c, replay.url + "/x")
    assert "HTTP 302 redirect without a Location header" in str(err.value) and len(replay.requests) == 1


@pytest.mark.parametrize("location", ["/new?x=1", "{base}/new?x=1"])
def test_a_good_redirect_is_followed(replay, clock, tmp_path, location):
    replay.route("/old", Reply(status=301, location=location))
    replay.route("/new", Reply(body=b"moved here", etag='"n1"'))
    with HttpClient(cache_dir=tmp_path, clock=clock, sleep=clock.sleep) as c:
        r = get(c, replay.url + "/old")
        again = get(c, replay.url + "/old")
    assert r.body == b"moved here" and r.url == replay.url + "/old" and again.body == b"moved here"
    assert replay.requests[1].path == "/new" and replay.requests[1].query == {"x": "1"}


# --- https: TLS failures, and redirects between http and https -------------------------------------

@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1, made with the system's openssl."""
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                    "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out",
                    str(cert)], check=True, capture_output=True, timeout=60)
    return str(cert), str(key)


@pytest.fixture
def secure(certificate):
    with ReplayServer(tls=certificate) as server:
        yield server


def trusting(clock, certificate) -> HttpClient:
    session = requests.Session()
    session.trust_env = False  # REQUESTS_CA_BUNDLE in the environment would beat `verify`
    session.verify = certificate[0]
    return client(clock, session=session)


def test_https_works_with_a_trusted_certificate(secure, clock, certificate):
    secure.route("/x", Reply(body=b"over tls", encoding="gzip"))
    with trusting(clock, certificate) as c:
        assert get(c, secure.url + "/x").body == b"over tls"


@pytest.mark.slow
def test_trickle_over_https_is_cut_at_the_deadline(secure, clock, certificate):
    """The watchdog holds the TCP socket under the TLS layer: https is cut the same way."""
    secure.route("/slow", Reply(body=b"x" * 400, trickle=0.05))
    secure.route("/ok", Reply(body=b"fine"))
    with trusting(clock, certificate) as c:
        err, took = timed(lambda: get(c, secure.url + "/slow"))
        assert get(c, secure.url + "/ok").body == b"fine"
    assert "no complete answer within 0.5 s after 2 tries" in str(err) and took < 2.0


def test_untrusted_certificate_is_not_retried(secure, clock):
    secure.route("/x", Reply(body=b"never seen"))
    policy = SitePolicy("arxiv", min_interval=0.0, retries=4)
    with client(clock) as c, pytest.raises(SourceError) as err:
        get(c, secure.url + "/x", policy)
    message = str(err.value)
    assert "TLS failed (certificate: self-signed certificate)" in message and "retrying would not help" in message
    assert "tries" not in message and clock.sleeps == [] and not secure.requests


def test_https_to_http_redirect_is_refused(secure, replay, clock, certificate):
    secure.route("/x", Reply(status=302, location=replay.url + "/plain"))
    replay.route("/plain", Reply(body=b"downgraded"))
    with trusting(clock, certificate) as c, pytest.raises(SourceError) as err:
        get(c, secure.url + "/x")
    assert f"refused a redirect from https down to plain http ('{replay.url}/plain')" in str(err.value)
    assert not replay.requests


def test_http_to_https_upgrade_is_followed(secure, replay, clock, certificate):
    replay.route("/x", Reply(status=301, location=secure.url + "/x"))
    secure.route("/x", Reply(body=b"upgraded"))
    with trusting(clock, certificate) as c:
        assert get(c, replay.url + "/x").body == b"upgraded"


# --- no retry for what retrying cannot fix --------------------------------------------------------

@pytest.fixture
def no_dns(monkeypatch):
    """Name resolution that fails for *.invalid here and now, with no packet sent: the real
    resolver would ask the configured name server (RFC 2606 names never resolve, but glibc
    still queries for them). Every other name resolves as usual; the calls are counted."""
    real = socket.getaddrinfo
    calls: list[str] = []

    def fake(host, *args, **kwargs):
        if isinstance(host, str) and host.endswith(".invalid"):
            calls.append(host)
            raise socket.gaierror(*fake.error)
        return real(host, *args, **kwargs)

    fake.error = (socket.EAI_NONAME, "Name or service not known")
    monkeypatch.setattr(socket, "getaddrinfo", fake)
    fake.calls = calls
    return fake


@pytest.mark.parametrize("error", [(socket.EAI_NONAME, "Name or service not known"),
                                   (socket.EAI_AGAIN, "Temporary failure in name resolution")])
def test_name_resolution_failure_is_not_retried(no_dns, clock, error):
    no_dns.error = error
    policy = SitePolicy("arxiv", min_interval=0.0, retries=4)
    with client(clock) as c, pytest.raises(SourceError) as err:
        get(c, "http://export.arxiv.invalid/api/query", policy)
    assert str(err.value) == (f"http://export.arxiv.invalid/api/query: cannot resolve the host name ({error[1]}); "
                              "check the network and the host in [sources.arxiv] in sitegen.toml; retrying would "
                              "not help")
    assert no_dns.calls == ["export.arxiv.invalid"] and clock.sleeps == []


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410, 451])
def test_4xx_is_not_retried(replay, clock, status):
    replay.route("/x", Reply(status=status))
    with client(clock) as c, pytest.raises(SourceError) as err:
        get(c, replay.url + "/x", SitePolicy("arxiv", min_interval=0.0, retries=4))
    assert f"HTTP {status}" in str(err.value) and len(replay.requests) == 1


def test_408_is_retried(replay, clock):
    replay.route("/x", Reply(status=408), Reply(body=b"ok"))
    with client(clock) as c:
        assert get(c, replay.url + "/x").attempts == 2


def test_invalid_url_is_one_clean_line(clock):
    with client(clock) as c, pytest.raises(SourceError) as err:
        get(c, "http://[::1/api")
    assert "invalid URL" in str(err.value) and "fix the URL in [sources.arxiv]" in str(err.value)


# --- the per-host breaker ---------------------------------------------------------------------------

def test_breaker_gives_up_on_a_host_after_three_failures_in_a_row(replay, clock):
    replay.route("/a", Reply(status=503))
    replay.route("/b", Reply(body=b"never asked"))
    warned: list[str] = []
    policy = SitePolicy("arxiv", min_interval=0.0, retries=4)
    host = replay.url.removeprefix("http://")
    with client(clock, warn=warned.append) as c, ReplayServer() as other:
        other.route("/b", Reply(body=b"another host"))
        with pytest.raises(SourceError) as first:
            get(c, replay.url + "/a", policy)
        with pytest.raises(SourceError) as later:
            get(c, replay.url + "/b", policy)
        assert get(c, other.url + "/b", policy).body == b"another host"  # other hosts are not punished
    assert "HTTP 503 Service Unavailable after 3 tries" in str(first.value)
    assert f"{host} failed 3 times in a row, so this run skips its other requests" in str(first.value)
    assert str(later.value) == (f"{replay.url}/b: not asked: {host} failed 3 times in a row earlier in this run "
                                "(HTTP 503 Service Unavailable); fetch again later")
    assert [r.path for r in replay.requests] == ["/a"] * 3  # no traffic once open
    assert warned == [f"{host}: skipped the rest of this host's work after 3 failures in a row: "
                      "HTTP 503 Service Unavailable"]


def test_a_success_resets_the_count(replay, clock):
    replay.route("/a", Reply(status=503), Reply(status=503), Reply(body=b"one"))
    replay.route("/b", Reply(status=503), Reply(status=503), Reply(body=b"two"))
    with client(clock) as c:
        assert get(c, replay.url + "/a", SitePolicy("arxiv", min_interval=0.0, retries=4)).body == b"one"
        assert get(c, replay.url + "/b", SitePolicy("arxiv", min_interval=0.0, retries=4)).body == b"two"


def test_host_failures_is_configurable(replay, clock):
    replay.route("/a", Reply(status=500))
    with client(clock, host_failures=1) as c, pytest.raises(SourceError) as err:
        get(c, replay.url + "/a", SitePolicy("arxiv", min_interval=0.0, retries=4))
    assert "after 1 try" in str(err.value) and len(replay.requests) == 1


# --- the whole fetch's deadline ---------------------------------------------------------------------

def test_whole_deadline_refuses_what_would_run_past_it(replay, clock):
    replay.route("/x", Reply(body=b"ok"))
    policy = SitePolicy("arxiv", min_interval=60.0, retries=0)
    with client(clock, deadline=100.0) as c:
        get(c, replay.url + "/x", policy)  # t = 0
        get(c, replay.url + "/x", policy)  # t = 60
        with pytest.raises(SourceError) as wait:
            get(c, replay.url + "/x", policy)  # 60 s more would pass t = 100
        clock.now += 45
        with pytest.raises(SourceError) as passed:
            get(c, replay.url + "/x", policy)
    assert "not asked: waiting 60 s for arxiv's turn would pass the fetch's deadline ([fetch] deadline = 100 s)" \
        in str(wait.value)
    assert "not asked: the fetch ran past the fetch's deadline ([fetch] deadline = 100 s)" in str(passed.value)
    assert len(replay.requests) == 2 and clock.sleeps == [60.0]


def test_no_retry_waits_past_the_whole_deadline(replay, clock):
    replay.route("/x", Reply(status=429, headers={"Retry-After": "120"}), Reply(body=b"ok"))
    with client(clock, deadline=100.0) as c, pytest.raises(SourceError) as err:
        get(c, replay.url + "/x", SitePolicy("arxiv", min_interval=0.0, retries=4))
    assert "throttled (HTTP 429 Too Many Requests) after 1 try; no time is left for another try" in str(err.value)
    assert clock.sleeps == [] and len(replay.requests) == 1


def test_an_attempt_gets_no_more_than_what_is_left_of_the_whole_deadline(replay, clock):
    replay.route("/slow", Reply(body=b"x" * 400, trickle=0.05))
    policy = SitePolicy("arxiv", min_interval=0.0, read_timeout=5.0, retries=2, deadline=60.0)
    with client(clock, deadline=0.4) as c:
        err, took = timed(lambda: get(c, replay.url + "/slow", policy))
    assert "no complete answer within 0.4 s, all that was left of the fetch's deadline" in str(err)
    assert took < 1.5 and len(replay.requests) == 1
