"""The polite HTTP client every source goes through, and the limits no server gets past.

Politeness: one `requests.Session`, so connections are reused; a User-Agent naming sitegen
and the site's contact URL, so an operator who sees our traffic knows whom to ask; always
an `Accept` header (arXiv answers 406 without one); a minimum interval between requests to
one site and one request at a time to it; conditional GETs answered from an on-disk cache
on 304; bounded retries with exponential backoff and jitter, honouring `Retry-After`, for
the failures another try can fix: timeouts, broken or cut-off connections, 408, 429, 5xx
and arXiv's `Rate exceeded.` body.

Limits, so that no server can crash, hang or exhaust a fetch:
- every attempt has a wall-clock deadline (`deadline`), enforced by a watchdog that cuts
  its socket (http.deadline), not only a per-recv read timeout;
- a body is streamed and capped at `max_bytes` after decompression (http.body);
- redirects are followed here, not by requests: at most `max_redirects` hops, never to a
  URL already visited, never away from http(s) nor from https down to http, and only with
  a usable Location;
- no retry when another try cannot help: name resolution, TLS and certificate errors,
  invalid URLs, 4xx other than 408 and 429, a body too large, a refused redirect;
- a host that failed `host_failures` attempts in a row is skipped for the rest of the run
  (http.hosts);
- the whole fetch has a deadline: each attempt gets the smaller of its own and what is
  left, and once it has passed nothing more is asked.

`post_json` sends a JSON body (Semantic Scholar's batch lookup) under the same rules, without
the cache (a POST is never conditional) and following only the redirects that keep the
method and body (307, 308).

`clock` (epoch seconds) and `sleep` are injected so tests run without real waiting (the
per-attempt watchdog alone runs on real time), and a seeded `random.Random` makes jitter
reproducible. Every failure surfaces as one `SourceError(url, reason + what to do)`.
"""

from __future__ import annotations

import json
import math
import random
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import requests

from sitegen import __version__
from sitegen.errors import SourceError
from sitegen.fetch.http.body import CHUNK, BadEncoding, CutShort, TooLarge, check_length, read_body
from sitegen.fetch.http.cache import HttpCache
from sitegen.fetch.http.deadline import Watchdog, WatchedAdapter
from sitegen.fetch.http.failures import (
    NETWORK_ERRORS,
    AttemptFailed,
    first_line,
    network_failure,
    too_slow,
    tries,
)
from sitegen.fetch.http.hosts import Breaker, host_key
from sitegen.fetch.http.policy import SitePolicy, backoff_delay, parse_retry_after
from sitegen.fetch.http.redirects import REDIRECTS, canonical, redirect_target
from sitegen.fetch.http.request import Request

# Only what http.body can inflate under its cap: requests would also offer br and zstd
# when their modules happen to be installed.
ACCEPT_ENCODING = "gzip, deflate"


@dataclass(frozen=True)
class Response:
    url: str
    status: int
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)
    from_cache: bool = False  # a 304 answered from the on-disk cache
    attempts: int = 1


class HttpClient:
    def __init__(self, *, contact: str = "", cache_dir: Path | None = None,
                 clock: Callable[[], float] = time.time, sleep: Callable[[float], None] = time.sleep,
                 rng: random.Random | None = None, notify: Callable[[str], None] | None = None,
                 session: requests.Session | None = None, host_failures: int | None = 3,
                 deadline: float | None = None, warn: Callable[[str], None] | None = None):
        """`host_failures`: failed attempts in a row before a host is skipped (None: never).
        `deadline`: seconds, by `clock`, for everything this client will ever ask (None: no
        limit). `notify` gets progress chatter (retries); `warn` what belongs in the summary."""
        self.user_agent = f"sitegen/{__version__}" + (f" (+{contact})" if contact else "")
        self.cache = HttpCache(cache_dir)
        self.clock, self.sleep = clock, sleep
        self.rng = rng or random.Random()
        self.notify = notify or (lambda message: None)
        self.session = session or requests.Session()
        # pool_maxsize=1 + pool_block: never more than one open connection per host, so a
        # site sees us as one well-behaved client even if a caller ever adds threads. Every
        # response is closed in a `finally`, so the one connection always comes back.
        adapter = WatchedAdapter(pool_connections=8, pool_maxsize=1, pool_block=True, max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers["User-Agent"] = self.user_agent
        self.session.headers["Accept-Encoding"] = ACCEPT_ENCODING
        self.breaker = Breaker(host_failures, warn or (lambda message: None))
        self.deadline = deadline
        self._deadline_at = clock() + deadline if deadline is not None else None
        self._last: dict[str, float] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def time_left(self) -> float:
        """Seconds left of the whole fetch's deadline (infinite without one)."""
        return math.inf if self._deadline_at is None else self._deadline_at - self.clock()

    def out_of_time(self) -> bool:
        return self.time_left() <= 0

    def get(self, url: str, policy: SitePolicy, *, accept: str, params: Mapping[str, str] | None = None,
            ok_status: tuple[int, ...] = (200,)) -> Response:
        """GET `url` politely; return the response or raise SourceError.

        `ok_status` lists statuses whose body the caller wants to read itself (arXiv sends
        its error feed with HTTP 400, and the feed says what was wrong).
        """
        return self._request(Request("GET", accept), url, policy, params, ok_status)

    def post_json(self, url: str, policy: SitePolicy, payload: object, *, accept: str,
                  params: Mapping[str, str] | None = None, headers: Mapping[str, str] | None = None,
                  ok_status: tuple[int, ...] = (200,)) -> Response:
        """POST `payload` as a JSON body politely; return the response or raise SourceError.

        `headers` are sent as given and never shown in any message (an API key may be among
        them). Retries resend the same body."""
        body = json.dumps(payload, separators=(",", ":")).encode("utf-8")
        request = Request("POST", accept, body, {"Content-Type": "application/json", **(headers or {})})
        return self._request(request, url, policy, params, ok_status)

    def _request(self, request: Request, url: str, policy: SitePolicy, params: Mapping[str, str] | None,
                 ok_status: tuple[int, ...]) -> Response:
        url, host = self._checked_url(url, params, policy)
        with self._site_lock(policy.name):
            cached = self.cache.load(url, policy.max_bytes) if request.method == "GET" else None
            attempt, backoff = 0, 0.0
            while True:
                self._take_turn(url, host, policy, backoff)
                attempt += 1
                try:
                    response = self._attempt(url, policy, request, cached, ok_status, attempt)
                except AttemptFailed as failed:
                    tripped = self._count(host, failed)
                    if not failed.retry or tripped or attempt > policy.retries:
                        raise SourceError(url, self._verdict(failed, attempt, host, tripped)) from None
                    backoff = backoff_delay(policy, attempt, failed.retry_after, self.rng)
                    wait = max(backoff, policy.min_interval)
                    if wait >= self.time_left():
                        raise SourceError(url, f"{failed.reason} after {tries(attempt)}; no time is left for "
                                               f"another try before {self._deadline_name()}; {failed.advice}") from None
                    self.notify(f"{policy.name}: {failed.reason}; retrying in {wait:.0f} s")
                    continue
                self.breaker.succeeded(host)
                return response

    def _checked_url(self, url: str, params, policy: SitePolicy) -> tuple[str, str]:
        where = policy.where
        try:
            url = canonical(url, params)
            if urlsplit(url).scheme.lower() not in ("http", "https"):
                raise ValueError("not an http(s) URL")
            return url, host_key(url)
        except (requests.exceptions.RequestException, ValueError) as exc:
            raise SourceError(url, f"invalid URL ({first_line(exc)}); fix the URL in {where} in sitegen.toml") from None

    def _count(self, host: str, failed: AttemptFailed) -> bool:
        """Tell the breaker; True when this failure made it give up on the host."""
        if failed.host:
            return self.breaker.failed(host, failed.reason)
        if not failed.retry:
            self.breaker.succeeded(host)  # the host answered; the answer was the problem
        return False

    def _verdict(self, failed: AttemptFailed, attempt: int, host: str, tripped: bool) -> str:
        text = failed.reason + (f" after {tries(attempt)}" if failed.retry else "") + f"; {failed.advice}"
        if tripped:
            text += f"; {host} failed {self.breaker.limit} times in a row, so this run skips its other requests"
        return text

    def _deadline_name(self) -> str:
        setting = f" = {self.deadline:g} s" if self.deadline is not None else ""
        return f"the fetch's deadline ([fetch] deadline{setting})"

    # --- one attempt --------------------------------------------------------------------

    def _attempt(self, url: str, policy: SitePolicy, request: Request, cached, ok_status, attempt: int) -> Response:
        left = self.time_left()
        seconds, capped = (left, True) if left < policy.deadline else (policy.deadline, False)
        headers = {"Accept": request.accept, **request.headers, **(cached.validators() if cached else {})}
        try:
            with Watchdog(seconds) as dog:
                try:
                    r, body = self._exchange(url, headers, request, policy, seconds)
                except AttemptFailed:
                    if dog.fired:  # e.g. a compressed body "ending early" because it was cut
                        raise too_slow(policy, seconds, capped, self._deadline_name()) from None
                    raise
                except NETWORK_ERRORS as exc:
                    raise too_slow(policy, seconds, capped, self._deadline_name()) if dog.fired else network_failure(
                        exc, policy, seconds, capped, self._deadline_name()) from None
                except Exception:
                    if dog.fired:  # whatever urllib3 made of a socket cut under it
                        raise too_slow(policy, seconds, capped, self._deadline_name()) from None
                    raise
                if dog.stop():  # the deadline passed as the body ended: it may be cut short
                    raise too_slow(policy, seconds, capped, self._deadline_name())
        finally:
            self._last[policy.name] = self.clock()
        return self._judge(url, r, body, policy, cached, ok_status, attempt, store=request.method == "GET")

    def _exchange(self, url: str, headers: dict, request: Request, policy: SitePolicy,
                  seconds: float) -> tuple[requests.Response, bytes]:
        """Send the request, follow redirects (our rules), read the final body (capped)."""
        seen, current = {url}, url
        timeout = (min(policy.connect_timeout, seconds), min(policy.read_timeout, seconds))
        for hops in range(policy.max_redirects + 2):
            r = self.session.request(request.method, current, headers=headers, data=request.body,
                                     allow_redirects=False, stream=True, timeout=timeout)
            try:
                if r.status_code in REDIRECTS:
                    current = redirect_target(current, r, seen, hops, policy, request.method)
                    # Cache validators belong to the first URL only; the body and its own headers go on.
                    headers = {"Accept": request.accept, **request.headers}
                    continue
                return r, self._body(r, policy)
            finally:
                r.close()  # hands the connection back to the pool, read or not
        raise AssertionError("unreachable: redirect_target stops at max_redirects")  # pragma: no cover

    def _body(self, r: requests.Response, policy: SitePolicy) -> bytes:
        where = policy.where
        try:
            check_length(r.headers.get("Content-Length"), policy.max_bytes)
            return read_body(_raw_chunks(r), r.headers.get("Content-Encoding"), policy.max_bytes)
        except TooLarge as exc:
            raise AttemptFailed(f"{exc}; refused it", f"raise {where} max_bytes if this is a real answer",
                          retry=False, host=False) from None
        except BadEncoding as exc:
            if exc.unsupported:
                raise AttemptFailed(str(exc), "sitegen asks for gzip or deflate only; report this to the service "
                                        f"or check the URL in {where}", retry=False, host=False) from None
            raise AttemptFailed(f"garbled answer ({exc})", "try again later") from None
        except CutShort as exc:
            raise AttemptFailed(f"response cut off ({exc})",
                                f"check the network and the URL in {where}, then try again") from None

    def _judge(self, url: str, r: requests.Response, body: bytes, policy: SitePolicy, cached,
               ok_status, attempt: int, store: bool = True) -> Response:
        where = policy.where
        status = r.status_code
        if status == 304 and cached is not None:
            return Response(url, 200, cached.body, dict(r.headers), from_cache=True, attempts=attempt)
        if policy.throttled_body is not None and body.strip() == policy.throttled_body:
            quoted = policy.throttled_body.decode("ascii", "replace")
            raise AttemptFailed(f"throttled ({quoted!r})", "the service is limiting requests; wait a few minutes "
                                "before fetching again", retry_after=self._retry_after(r))
        if status == 429:
            raise AttemptFailed("throttled (HTTP 429 Too Many Requests)",
                                "the service is limiting requests; wait before fetching again",
                                retry_after=self._retry_after(r))
        if status == 408 or status >= 500:
            raise AttemptFailed(f"HTTP {status} {r.reason or ''}".rstrip(),
                          "the service is having trouble; try again later", retry_after=self._retry_after(r))
        if status not in ok_status:
            hint = ("the request lacked a header the service needs; report this as a sitegen bug"
                    if status == 406 else f"check the URL in {where} in sitegen.toml")
            raise AttemptFailed(f"HTTP {status} {r.reason or ''}".rstrip(), hint, retry=False, host=False)
        if status == 200 and store:
            self.cache.store(url, body, r.headers.get("ETag"), r.headers.get("Last-Modified"))
        return Response(url, status, body, dict(r.headers), attempts=attempt)

    # --- politeness ---------------------------------------------------------------------

    def _site_lock(self, site: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(site, threading.Lock())

    def _take_turn(self, url: str, host: str, policy: SitePolicy, backoff: float = 0.0) -> None:
        """Refuse at once (a given-up host, no time left), else sleep until the site's
        interval has passed and any backoff is served (one sleep)."""
        refusal = self.breaker.refusal(host)
        if refusal is not None:
            raise SourceError(url, f"{refusal}; fetch again later")
        left = self.time_left()
        if left <= 0:
            raise SourceError(url, f"not asked: the fetch ran past {self._deadline_name()}; "
                                   "fetch again, or raise [fetch] deadline for a long backfill")
        last = self._last.get(policy.name)
        wait = 0.0 if last is None else max(policy.min_interval, backoff) - (self.clock() - last)
        if wait >= left:
            raise SourceError(url, f"not asked: waiting {wait:.0f} s for {policy.name}'s turn would pass "
                                   f"{self._deadline_name()}; fetch again, or raise [fetch] deadline")
        if wait > 0:
            self.sleep(wait)

    def _retry_after(self, r: requests.Response) -> float | None:
        return parse_retry_after(r.headers.get("Retry-After"), self.clock())


def _raw_chunks(r: requests.Response) -> Iterator[bytes]:
    """The body as sent (still compressed): decoding is http.body's, under its cap."""
    return r.raw.stream(CHUNK, decode_content=False)
