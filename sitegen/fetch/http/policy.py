"""How politely to ask one site, how much of it to accept, and how long to wait before a retry."""

from __future__ import annotations

import random
from dataclasses import dataclass

ACCEPT_XML = "application/atom+xml, application/rss+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"
ACCEPT_HTML = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"
ACCEPT_JSON = "application/json, */*;q=0.1"
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
    # A body that means "slow down", whatever the status (arXiv answers `Rate exceeded.`).
    throttled_body: bytes | None = None

    @property
    def where(self) -> str:
        """The config table to name in advice."""
        return f"[sources.{self.name}]"


def backoff_delay(policy: SitePolicy, attempt: int, retry_after: float | None, rng: random.Random) -> float:
    """Seconds to wait before retry number `attempt`: a full exponential step plus up to one
    step of jitter (so clients that failed together do not come back together), and at least
    what the server asked for, within MAX_RETRY_AFTER."""
    step = max(policy.backoff, 0.0)
    delay = min(MAX_BACKOFF, step * 2 ** (attempt - 1)) + rng.uniform(0, step)
    if retry_after is not None:
        delay = max(delay, min(retry_after, MAX_RETRY_AFTER))
    return delay


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Retry-After as seconds from `now` (epoch): either delta-seconds or an HTTP-date."""
    from email.utils import parsedate_to_datetime  # only a Retry-After date needs it

    value = (value or "").strip()
    if not value:
        return None
    if value.isascii() and value.isdigit():  # "²" and "١" are digits to str.isdigit, not to float
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - now)
