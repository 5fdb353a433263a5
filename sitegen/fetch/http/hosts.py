"""Per-host failure counting: a host that keeps failing is given up on for the rest of a run.

A dead, unreachable or overloaded host otherwise costs every unit its full retry budget (a
fetch with arXiv down once paid five timeouts for each of its many requests). After
`limit` failed attempts in a row (timeouts, broken connections, name resolution, TLS, 429,
5xx) the host is open-circuited: the request in progress gives up and every later request
to it fails at once, without traffic. Any proper answer (even a 404) resets the count.

A host is `hostname[:port]` as the URL names it: the port is kept, since two ports are two
servers (tests run everything on 127.0.0.1).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit


def host_key(url: str) -> str:
    """`hostname[:port]`, lower-case; ValueError when the URL names no host."""
    parts = urlsplit(url)
    if not parts.hostname:
        raise ValueError("no host in the URL")
    return parts.hostname.lower() + (f":{parts.port}" if parts.port is not None else "")


@dataclass
class _Host:
    failures: int = 0
    last: str = ""
    open: bool = False


class Breaker:
    def __init__(self, limit: int | None, warn: Callable[[str], None]):
        self.limit = limit  # None: never give up on a host
        self.warn = warn
        self._hosts: dict[str, _Host] = {}

    def refusal(self, host: str) -> str | None:
        """Why `host` is not asked any more, or None while it may be."""
        state = self._hosts.get(host)
        if state is None or not state.open:
            return None
        return f"not asked: {host} failed {state.failures} times in a row earlier in this run ({state.last})"

    def failed(self, host: str, reason: str) -> bool:
        """Count a failed attempt; True when this one opened the circuit."""
        state = self._hosts.setdefault(host, _Host())
        state.failures += 1
        state.last = reason
        if self.limit is None or state.open or state.failures < self.limit:
            return False
        state.open = True
        self.warn(f"{host}: skipped the rest of this host's work after {state.failures} failures in a row: {reason}")
        return True

    def succeeded(self, host: str) -> None:
        state = self._hosts.get(host)
        if state is not None and not state.open:
            state.failures = 0
