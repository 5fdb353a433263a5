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
  its socket (http_deadline), not only a per-recv read timeout;
- a body is streamed and capped at `max_bytes` after decompression (http_body);
- redirects are followed here, not by requests: at most `max_redirects` hops, never to a
  URL already visited, never away from http(s) nor from https down to http, and only with
  a usable Location;
- no retry when another try cannot help: name resolution, TLS and certificate errors,
  invalid URLs, 4xx other than 408 and 429, a body too large, a refused redirect;
- a host that failed `host_failures` attempts in a row is skipped for the rest of the run
  (http_hosts);
- the whole fetch has a deadline: each attempt gets the smaller of its own and what is
  left, and once it has passed nothing more is asked.

`clock` (epoch seconds) and `sleep` are injected so tests run without real waiting (the
per-attempt watchdog alone runs on real time), and a seeded `random.Random` makes jitter
reproducible. Every failure surfaces as one `SourceError(url, reason + what to do)`.
"""

from __future__ import annotations

import http.client
import math
import random
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from requests.models import PreparedRequest

from sitegen import __version__
from sitegen.errors import SourceError
from sitegen.fetch.http.body import CHUNK, BadEncoding, CutShort, TooLarge, check_length, read_body
from sitegen.fetch.http.cache import HttpCache
from sitegen.fetch.http.deadline import Watchdog, WatchedAdapter
from sitegen.fetch.http.hosts import Breaker, host_key

ACCEPT_XML = "application/atom+xml, application/rss+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"
ACCEPT_HTML = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"
ACCEPT_JSON = "application/json, */*;q=0.1"
# Only what http_body can inflate under its cap: requests would also offer br and zstd
# when their modules happen to be installed.
ACCEPT_ENCODING = "gzip, deflate"
RATE_EXCEEDED = b"Rate exceeded."
REDIRECTS = (301, 302, 303, 307, 308)
# Waiting longer than this for one request helps nobody in a nightly job; past it we wait
# the cap and let the retry budget decide.
MAX_BACKOFF = 60.0
MAX_RETRY_AFTER = 120.0


@dataclass(frozen=True)
class SitePolicy:
    """How politely to talk to one site, and how much of it to accept. All hosts of a site
    (arXiv has three) share it."""

    name: str  # the [sources.<name>] table, named in error messages
    min_interval: float = 3.0
    connect_timeout: float = 10.0
    read_timeout: float = 30.0  # each recv(); `deadline` bounds the whole attempt
    retries: int = 4  # retries after the first attempt
    backoff: float = 1.0  # first backoff step; doubles each retry
    deadline: float = 60.0  # wall-clock seconds for one attempt, redirects included
    max_bytes: int = 50_000_000  # body size after decompression
    max_redirects: int = 5


@dataclass(frozen=True)
class Response:
    url: str
    status: int
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)
    from_cache: bool = False  # a 304 answered from the on-disk cache
    attempts: int = 1


class _Failed(Exception):
    """One failed attempt: why, what to do, whether another try could help (`retry`) and
    whether it says the host is in trouble (`host`, counted by the breaker)."""

    def __init__(self, reason: str, advice: str, *, retry: bool = True, host: bool = True,
                 retry_after: float | None = None):
        super().__init__(reason)
        self.reason, self.advice, self.retry, self.host, self.retry_after = reason, advice, retry, host, retry_after


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
        url, host = self._checked_url(url, params, policy)
        with self._site_lock(policy.name):
            cached = self.cache.load(url)
            attempt, backoff = 0, 0.0
            while True:
                self._take_turn(url, host, policy, backoff)
                attempt += 1
                try:
                    response = self._attempt(url, policy, accept, cached, ok_status, attempt)
                except _Failed as failed:
                    tripped = self._count(host, failed)
                    if not failed.retry or tripped or attempt > policy.retries:
                        raise SourceError(url, self._verdict(failed, attempt, host, tripped)) from None
                    backoff = self._backoff(policy, attempt, failed.retry_after)
                    if max(backoff, policy.min_interval) >= self.time_left():
                        raise SourceError(url, f"{failed.reason} after {_tries(attempt)}; no time is left for "
                                               f"another try before {self._deadline_name()}; {failed.advice}") from None
                    self.notify(f"{policy.name}: {failed.reason}; retrying in {max(backoff, policy.min_interval):.0f} s")
                    continue
                self.breaker.succeeded(host)
                return response

    def _checked_url(self, url: str, params, policy: SitePolicy) -> tuple[str, str]:
        where = f"[sources.{policy.name}]"
        try:
            url = _canonical(url, params)
            if urlsplit(url).scheme.lower() not in ("http", "https"):
                raise ValueError("not an http(s) URL")
            return url, host_key(url)
        except (requests.exceptions.RequestException, ValueError) as exc:
            raise SourceError(url, f"invalid URL ({_first_line(exc)}); fix the URL in {where} in sitegen.toml") from None

    def _count(self, host: str, failed: _Failed) -> bool:
        """Tell the breaker; True when this failure made it give up on the host."""
        if failed.host:
            return self.breaker.failed(host, failed.reason)
        if not failed.retry:
            self.breaker.succeeded(host)  # the host answered; the answer was the problem
        return False

    def _verdict(self, failed: _Failed, attempt: int, host: str, tripped: bool) -> str:
        text = failed.reason + (f" after {_tries(attempt)}" if failed.retry else "") + f"; {failed.advice}"
        if tripped:
            text += f"; {host} failed {self.breaker.limit} times in a row, so this run skips its other requests"
        return text

    def _deadline_name(self) -> str:
        setting = f" = {self.deadline:g} s" if self.deadline is not None else ""
        return f"the fetch's deadline ([fetch] deadline{setting})"

    # --- one attempt --------------------------------------------------------------------

    def _attempt(self, url: str, policy: SitePolicy, accept: str, cached, ok_status, attempt: int) -> Response:
        left = self.time_left()
        seconds, capped = (left, True) if left < policy.deadline else (policy.deadline, False)
        headers = {"Accept": accept, **(cached.validators() if cached else {})}
        try:
            with Watchdog(seconds) as dog:
                try:
                    r, body = self._exchange(url, headers, accept, policy, seconds)
                except _Failed:
                    if dog.fired:  # e.g. a compressed body "ending early" because it was cut
                        raise self._too_slow(policy, seconds, capped) from None
                    raise
                except _NETWORK_ERRORS as exc:
                    raise self._too_slow(policy, seconds, capped) if dog.fired else self._network_failure(
                        exc, policy, seconds, capped) from None
                except Exception:
                    if dog.fired:  # whatever urllib3 made of a socket cut under it
                        raise self._too_slow(policy, seconds, capped) from None
                    raise
                if dog.stop():  # the deadline passed as the body ended: it may be cut short
                    raise self._too_slow(policy, seconds, capped)
        finally:
            self._last[policy.name] = self.clock()
        return self._judge(url, r, body, policy, cached, ok_status, attempt)

    def _exchange(self, url: str, headers: dict, accept: str, policy: SitePolicy,
                  seconds: float) -> tuple[requests.Response, bytes]:
        """Send the request, follow redirects (our rules), read the final body (capped)."""
        seen, current = {url}, url
        timeout = (min(policy.connect_timeout, seconds), min(policy.read_timeout, seconds))
        for hops in range(policy.max_redirects + 2):
            r = self.session.get(current, headers=headers, allow_redirects=False, stream=True, timeout=timeout)
            try:
                if r.status_code in REDIRECTS:
                    current = _redirect_target(current, r, seen, hops, policy)
                    headers = {"Accept": accept}  # cache validators belong to the first URL only
                    continue
                return r, self._body(r, policy)
            finally:
                r.close()  # hands the connection back to the pool, read or not
        raise AssertionError("unreachable: _redirect_target stops at max_redirects")  # pragma: no cover

    def _body(self, r: requests.Response, policy: SitePolicy) -> bytes:
        where = f"[sources.{policy.name}]"
        try:
            check_length(r.headers.get("Content-Length"), policy.max_bytes)
            return read_body(_raw_chunks(r), r.headers.get("Content-Encoding"), policy.max_bytes)
        except TooLarge as exc:
            raise _Failed(f"{exc}; refused it", f"raise {where} max_bytes if this is a real answer",
                          retry=False, host=False) from None
        except BadEncoding as exc:
            if exc.unsupported:
                raise _Failed(str(exc), "sitegen asks for gzip or deflate only; report this to the service "
                                        f"or check the URL in {where}", retry=False, host=False) from None
            raise _Failed(f"garbled answer ({exc})", "try again later") from None
        except CutShort as exc:
            raise _Failed(f"response cut off ({exc})", f"check the network and the URL in {where}, then try again") from None

    def _judge(self, url: str, r: requests.Response, body: bytes, policy: SitePolicy, cached,
               ok_status, attempt: int) -> Response:
        where = f"[sources.{policy.name}]"
        status = r.status_code
        if status == 304 and cached is not None:
            return Response(url, 200, cached.body, dict(r.headers), from_cache=True, attempts=attempt)
        if body.strip() == RATE_EXCEEDED:  # arXiv's throttling answer, whatever the status
            raise _Failed("throttled ('Rate exceeded.')", "arXiv is limiting requests; wait a few minutes before fetching again",
                          retry_after=self._retry_after(r))
        if status == 429:
            raise _Failed("throttled (HTTP 429 Too Many Requests)",
                          "the service is limiting requests; wait before fetching again", retry_after=self._retry_after(r))
        if status == 408 or status >= 500:
            raise _Failed(f"HTTP {status} {r.reason or ''}".rstrip(),
                          "the service is having trouble; try again later", retry_after=self._retry_after(r))
        if status not in ok_status:
            hint = ("the request lacked a header the service needs; report this as a sitegen bug"
                    if status == 406 else f"check the URL in {where} in sitegen.toml")
            raise _Failed(f"HTTP {status} {r.reason or ''}".rstrip(), hint, retry=False, host=False)
        if status == 200:
            self.cache.store(url, body, r.headers.get("ETag"), r.headers.get("Last-Modified"))
        return Response(url, status, body, dict(r.headers), attempts=attempt)

    def _too_slow(self, policy: SitePolicy, seconds: float, capped: bool) -> _Failed:
        if capped:  # what was left of the whole fetch ran out, not the request's own time
            return _Failed(f"no complete answer within {seconds:.1f} s, all that was left of {self._deadline_name()}",
                           "fetch again, or raise [fetch] deadline for a long backfill", host=False)
        return _Failed(f"no complete answer within {seconds:g} s",
                       f"the service is slow or down; try again later or raise [sources.{policy.name}] deadline")

    def _network_failure(self, exc: BaseException, policy: SitePolicy, seconds: float, capped: bool) -> _Failed:
        where = f"[sources.{policy.name}]"
        if _caused_by(exc, socket.gaierror, urllib3.exceptions.NameResolutionError):
            return _Failed(f"cannot resolve the host name ({_short_reason(exc)})",
                           f"check the network and the host in {where} in sitegen.toml; retrying would not help",
                           retry=False)
        tls = _tls_failure(exc)
        if tls is not None:
            return _Failed(f"TLS failed ({tls})", f"check the URL in {where} and the system's certificates; "
                                                  "retrying would not help", retry=False)
        if any(isinstance(e, (requests.exceptions.ConnectTimeout, urllib3.exceptions.ConnectTimeoutError))
               # urllib3's NewConnectionError (refused, unreachable) subclasses ConnectTimeoutError
               and not isinstance(e, urllib3.exceptions.NewConnectionError) for e in _chain(exc)):
            return _Failed(f"no connection within {min(policy.connect_timeout, seconds):g} s",
                           f"the service may be down; try again later or check {where} in sitegen.toml")
        if (_caused_by(exc, requests.exceptions.Timeout, urllib3.exceptions.ReadTimeoutError, TimeoutError)
                or "timed out" in str(exc)):
            if policy.read_timeout >= seconds:  # the read timeout was the deadline: say which
                return self._too_slow(policy, seconds, capped)
            return _Failed(f"no answer within {min(policy.read_timeout, seconds):g} s",
                           f"the service is slow or down; try again later or raise {where} timeout")
        if isinstance(exc, _BAD_URL):
            return _Failed(f"invalid URL ({_first_line(exc)})", f"fix the URL in {where}", retry=False, host=False)
        return _Failed(f"connection failed ({_short_reason(exc)})",
                       f"check the network and the URL in {where}, then try again")

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

    def _backoff(self, policy: SitePolicy, attempt: int, retry_after: float | None) -> float:
        # Full exponential step plus up to one step of jitter, so many clients that failed
        # together do not come back together.
        step = max(policy.backoff, 0.0)
        delay = min(MAX_BACKOFF, step * 2 ** (attempt - 1)) + self.rng.uniform(0, step)
        if retry_after is not None:
            delay = max(delay, min(retry_after, MAX_RETRY_AFTER))
        return delay

    def _retry_after(self, r: requests.Response) -> float | None:
        """Retry-After as seconds from now: either delta-seconds or an HTTP-date."""
        value = (r.headers.get("Retry-After") or "").strip()
        if not value:
            return None
        if value.isdigit():
            return float(value)
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None or when.tzinfo is None:
            return None
        return max(0.0, when.timestamp() - self.clock())


# Everything a server or the network can make the request or the body read raise.
_NETWORK_ERRORS = (requests.exceptions.RequestException, urllib3.exceptions.HTTPError,
                   http.client.HTTPException, OSError)
_BAD_URL = (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema, requests.exceptions.InvalidSchema,
            requests.exceptions.URLRequired, urllib3.exceptions.LocationValueError)


def _raw_chunks(r: requests.Response) -> Iterator[bytes]:
    """The body as sent (still compressed): decoding is http_body's, under its cap."""
    return r.raw.stream(CHUNK, decode_content=False)


def _canonical(url: str, params=None) -> str:
    """The URL as requests will send it, so two spellings of one address compare equal."""
    prepared = PreparedRequest()
    prepared.prepare_url(url, params)
    return prepared.url


def _redirect_target(current: str, r: requests.Response, seen: set[str], hops: int, policy: SitePolicy) -> str:
    """Where a redirect leads, if sitegen follows it; otherwise a non-retried _Failed."""
    where = f"[sources.{policy.name}]"
    location = (r.headers.get("Location") or "").strip()

    def refuse(reason: str, advice: str = f"check the URL in {where} in sitegen.toml") -> _Failed:
        return _Failed(reason, advice, retry=False, host=False)

    if not location:
        raise refuse(f"HTTP {r.status_code} redirect without a Location header")
    if hops >= policy.max_redirects:
        raise refuse(f"more than {policy.max_redirects} redirects (the last to {_show(location)})",
                     f"point the URL in {where} at the final address, or raise {where} max_redirects")
    try:
        target = urljoin(current, location)
        parts = urlsplit(target)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https") or not parts.hostname:
            raise refuse(f"refused a redirect to {_show(location)}: only http and https addresses are followed")
        if urlsplit(current).scheme.lower() == "https" and scheme == "http":
            raise refuse(f"refused a redirect from https down to plain http ({_show(target)})")
        target = _canonical(parts._replace(fragment="").geturl())
    except (requests.exceptions.RequestException, ValueError):
        raise refuse(f"refused a redirect to an invalid address {_show(location)}") from None
    if target in seen:
        raise refuse(f"redirect loop: {_show(target)} was already visited",
                     f"the service redirects in a circle; try again later or check the URL in {where}")
    seen.add(target)
    return target


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """exc and every exception it wraps (causes, contexts, urllib3's `reason`, requests' args)."""
    todo, seen = [exc], set()
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        wrapped = [e.__cause__, e.__context__, getattr(e, "reason", None), *getattr(e, "args", ())]
        todo += [w for w in wrapped if isinstance(w, BaseException)]


def _caused_by(exc: BaseException, *types: type) -> bool:
    return any(isinstance(e, types) for e in _chain(exc))


def _tls_failure(exc: BaseException) -> str | None:
    """What went wrong with TLS, when that is what failed; a connection cut during TLS
    (EOF, zero return) is a broken connection instead, and may be retried."""
    for e in _chain(exc):
        if isinstance(e, (ssl.SSLEOFError, ssl.SSLZeroReturnError)):
            return None
        if isinstance(e, ssl.SSLCertVerificationError):
            return f"certificate: {e.verify_message or e.reason or 'not trusted'}"
        if isinstance(e, ssl.SSLError):
            return str(e.reason or e.__class__.__name__)
    if isinstance(exc, requests.exceptions.SSLError):
        return _first_line(exc)[:120]
    return None


def _show(text: str) -> str:
    """A server-given address for a one-line message: quoted, short, no control characters."""
    text = "".join(c if c.isprintable() else "?" for c in text)
    return repr(text if len(text) <= 100 else text[:97] + "...")


def _tries(attempt: int) -> str:
    return f"{attempt} tr{'y' if attempt == 1 else 'ies'}"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _short_reason(exc: BaseException) -> str:
    """'Connection refused' rather than urllib3's three nested exception reprs."""
    text = " ".join(str(e) for e in _chain(exc))
    for known in ("Connection refused", "Connection reset", "Name or service not known",
                  "nodename nor servname", "Temporary failure in name resolution",
                  "No address associated with hostname", "IncompleteRead", "Connection aborted",
                  "Remote end closed connection", "Broken pipe", "No route to host", "Network is unreachable"):
        if known in text:
            return "response cut off" if known == "IncompleteRead" else known
    return type(exc).__name__
