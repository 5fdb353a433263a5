"""The polite HTTP client every source goes through.

One `requests.Session`, so connections are reused; a User-Agent naming sitegen and the site's
contact URL, so an operator who sees our traffic knows whom to ask; always an `Accept` header
(arXiv answers 406 without one); connect and read timeouts; bounded retries with exponential
backoff and jitter on timeouts, broken connections, 429, 5xx and arXiv's `Rate exceeded.`
body, honouring `Retry-After`; a minimum interval between requests to one site and one
request at a time to it; conditional GETs answered from an on-disk cache on 304.

`clock` (epoch seconds) and `sleep` are injected so tests run without real waiting, and a
seeded `random.Random` makes jitter reproducible. Every failure surfaces as one
`SourceError(url, reason + what to do)`.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter

from sitegen import __version__
from sitegen.errors import SourceError
from sitegen.http_cache import HttpCache

ACCEPT_XML = "application/atom+xml, application/rss+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"
ACCEPT_HTML = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"
ACCEPT_JSON = "application/json, */*;q=0.1"
RATE_EXCEEDED = b"Rate exceeded."
# Waiting longer than this for one request helps nobody in a nightly job; past it we wait
# the cap and let the retry budget decide.
MAX_BACKOFF = 60.0
MAX_RETRY_AFTER = 120.0


@dataclass(frozen=True)
class SitePolicy:
    """How politely to talk to one site. All hosts of a site (arXiv has three) share it."""

    name: str  # the [sources.<name>] table, named in error messages
    min_interval: float = 3.0
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    retries: int = 4  # retries after the first attempt
    backoff: float = 1.0  # first backoff step; doubles each retry


@dataclass(frozen=True)
class Response:
    url: str
    status: int
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)
    from_cache: bool = False  # a 304 answered from the on-disk cache
    attempts: int = 1


class _Retry(Exception):
    """One failed attempt worth retrying: why, and how long the server asked us to wait."""

    def __init__(self, reason: str, advice: str, retry_after: float | None = None):
        super().__init__(reason)
        self.reason, self.advice, self.retry_after = reason, advice, retry_after


class HttpClient:
    def __init__(self, *, contact: str = "", cache_dir: Path | None = None,
                 clock: Callable[[], float] = time.time, sleep: Callable[[float], None] = time.sleep,
                 rng: random.Random | None = None, notify: Callable[[str], None] | None = None,
                 session: requests.Session | None = None):
        self.user_agent = f"sitegen/{__version__}" + (f" (+{contact})" if contact else "")
        self.cache = HttpCache(cache_dir)
        self.clock, self.sleep = clock, sleep
        self.rng = rng or random.Random()
        self.notify = notify or (lambda message: None)
        self.session = session or requests.Session()
        # pool_maxsize=1 + pool_block: never more than one open connection per host, so a
        # site sees us as one well-behaved client even if a caller ever adds threads.
        adapter = HTTPAdapter(pool_connections=8, pool_maxsize=1, pool_block=True, max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers["User-Agent"] = self.user_agent
        self._last: dict[str, float] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def get(self, url: str, policy: SitePolicy, *, accept: str, params: Mapping[str, str] | None = None,
            ok_status: tuple[int, ...] = (200,)) -> Response:
        """GET `url` politely; return the response or raise SourceError.

        `ok_status` lists statuses whose body the caller wants to read itself (arXiv sends
        its error feed with HTTP 400, and the feed says what was wrong).
        """
        if params:
            url = requests.Request("GET", url, params=params).prepare().url
        with self._site_lock(policy.name):
            cached = self.cache.load(url)
            attempt, backoff = 0, 0.0
            while True:
                attempt += 1
                self._wait_turn(policy, backoff)
                try:
                    response = self._attempt(url, policy, accept, cached, ok_status, attempt)
                except _Retry as retry:
                    if attempt > policy.retries:
                        tries = f"{attempt} tr{'y' if attempt == 1 else 'ies'}"
                        raise SourceError(url, f"{retry.reason} after {tries}; {retry.advice}") from None
                    backoff = self._backoff(policy, attempt, retry.retry_after)
                    self.notify(f"{policy.name}: {retry.reason}; retrying in {max(backoff, policy.min_interval):.0f} s")
                    continue
                return response

    # --- one attempt --------------------------------------------------------------------

    def _attempt(self, url: str, policy: SitePolicy, accept: str, cached, ok_status, attempt: int) -> Response:
        headers = {"Accept": accept, **(cached.validators() if cached else {})}
        where = f"[sources.{policy.name}]"
        try:
            r = self.session.get(url, headers=headers, allow_redirects=True,
                                 timeout=(policy.connect_timeout, policy.read_timeout))
            body = r.content  # reads the whole body inside the try: a cut-off body raises here
        except requests.exceptions.ConnectTimeout:
            raise _Retry(f"no connection within {policy.connect_timeout:g} s",
                         f"the service may be down; try again later or check {where} in sitegen.toml") from None
        except requests.exceptions.Timeout:
            raise _Retry(f"no answer within {policy.read_timeout:g} s",
                         f"the service is slow or down; try again later or raise {where} timeout") from None
        except requests.exceptions.InvalidURL as exc:
            raise SourceError(url, f"invalid URL ({_first_line(exc)}); fix the URL in {where}") from None
        except (requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError,
                requests.exceptions.ContentDecodingError) as exc:
            if "timed out" in str(exc):  # requests reports a read timeout mid-body this way
                raise _Retry(f"no answer within {policy.read_timeout:g} s",
                             f"the service is slow or down; try again later or raise {where} timeout") from None
            raise _Retry(f"connection failed ({_short_reason(exc)})",
                         f"check the network and the URL in {where}, then try again") from None
        finally:
            self._last[policy.name] = self.clock()

        status = r.status_code
        if status == 304 and cached is not None:
            return Response(url, 200, cached.body, dict(r.headers), from_cache=True, attempts=attempt)
        if body.strip() == RATE_EXCEEDED:  # arXiv's throttling answer, whatever the status
            raise _Retry("throttled ('Rate exceeded.')", "arXiv is limiting requests; wait a few minutes before fetching again",
                         self._retry_after(r))
        if status == 429:
            raise _Retry("throttled (HTTP 429 Too Many Requests)",
                         "the service is limiting requests; wait before fetching again", self._retry_after(r))
        if status >= 500:
            raise _Retry(f"HTTP {status} {r.reason or ''}".rstrip(),
                         "the service is having trouble; try again later", self._retry_after(r))
        if status not in ok_status:
            hint = ("the request lacked a header the service needs; report this as a sitegen bug"
                    if status == 406 else f"check the URL in {where} in sitegen.toml")
            raise SourceError(url, f"HTTP {status} {r.reason or ''}".rstrip() + f"; {hint}")
        if status == 200:
            self.cache.store(url, body, r.headers.get("ETag"), r.headers.get("Last-Modified"))
        return Response(url, status, body, dict(r.headers), attempts=attempt)

    # --- politeness ---------------------------------------------------------------------

    def _site_lock(self, site: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(site, threading.Lock())

    def _wait_turn(self, policy: SitePolicy, backoff: float = 0.0) -> None:
        """Sleep until the site's interval has passed and any backoff is served (one sleep)."""
        last = self._last.get(policy.name)
        if last is None:
            return
        wait = max(policy.min_interval, backoff) - (self.clock() - last)
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


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _short_reason(exc: BaseException) -> str:
    """'Connection refused' rather than urllib3's three nested exception reprs."""
    text = str(exc)
    for known in ("Connection refused", "Connection reset", "Name or service not known",
                  "nodename nor servname", "Temporary failure in name resolution",
                  "IncompleteRead", "Connection aborted", "Remote end closed connection",
                  "No route to host", "Network is unreachable"):
        if known in text:
            return "response cut off" if known == "IncompleteRead" else known
    return type(exc).__name__
