"""What a failed attempt means: one line of why, one of what to do, and whether another try
could help. Classifies what requests, urllib3, ssl and the socket layer raise.

A reason may quote the server (a reason phrase, a Location), so it passes `echo`: one line,
bounded, whatever the server sent."""

from __future__ import annotations

import http.client
import socket
import ssl
from collections.abc import Iterator

import requests
import urllib3

from sitegen.echo import ECHO_CHARS, echo
from sitegen.fetch.http.policy import SitePolicy

REASON_CHARS = ECHO_CHARS + 100  # a server's words plus sitegen's own around them


class AttemptFailed(Exception):
    """One failed attempt: why, what to do, whether another try could help (`retry`) and
    whether it says the host is in trouble (`host`, counted by the breaker)."""

    def __init__(self, reason: str, advice: str, *, retry: bool = True, host: bool = True,
                 retry_after: float | None = None):
        reason = echo(reason, REASON_CHARS)
        super().__init__(reason)
        self.reason, self.advice, self.retry, self.host, self.retry_after = reason, advice, retry, host, retry_after


def too_slow(policy: SitePolicy, seconds: float, capped: bool, deadline_name: str) -> AttemptFailed:
    """The failure of an attempt cut at its deadline: its own, or what was left of the fetch's."""
    if capped:  # what was left of the whole fetch ran out, not the request's own time
        return AttemptFailed(f"no complete answer within {seconds:.1f} s, all that was left of {deadline_name}",
                       "fetch again, or raise [fetch] deadline for a long backfill", host=False)
    return AttemptFailed(f"no complete answer within {seconds:g} s",
                   f"the service is slow or down; try again later or raise {policy.where} deadline")



def network_failure(exc: BaseException, policy: SitePolicy, seconds: float, capped: bool,
                    deadline_name: str) -> AttemptFailed:
    """What an exception from the request or the body read means, and whether to retry."""
    where = policy.where
    if caused_by(exc, socket.gaierror, urllib3.exceptions.NameResolutionError):
        return AttemptFailed(f"cannot resolve the host name ({short_reason(exc)})",
                       f"check the network and the host in {where} in sitegen.toml; retrying would not help",
                       retry=False)
    tls = tls_failure(exc)
    if tls is not None:
        return AttemptFailed(f"TLS failed ({tls})", f"check the URL in {where} and the system's certificates; "
                                              "retrying would not help", retry=False)
    if any(isinstance(e, (requests.exceptions.ConnectTimeout, urllib3.exceptions.ConnectTimeoutError))
           # urllib3's NewConnectionError (refused, unreachable) subclasses ConnectTimeoutError
           and not isinstance(e, urllib3.exceptions.NewConnectionError) for e in chain(exc)):
        return AttemptFailed(f"no connection within {min(policy.connect_timeout, seconds):g} s",
                       f"the service may be down; try again later or check {where} in sitegen.toml")
    if (caused_by(exc, requests.exceptions.Timeout, urllib3.exceptions.ReadTimeoutError, TimeoutError)
            or "timed out" in str(exc)):
        if policy.read_timeout >= seconds:  # the read timeout was the deadline: say which
            return too_slow(policy, seconds, capped, deadline_name)
        return AttemptFailed(f"no answer within {min(policy.read_timeout, seconds):g} s",
                       f"the service is slow or down; try again later or raise {where} timeout")
    if isinstance(exc, BAD_URL):
        return AttemptFailed(f"invalid URL ({first_line(exc)})", f"fix the URL in {where}", retry=False, host=False)
    return AttemptFailed(f"connection failed ({short_reason(exc)})",
                   f"check the network and the URL in {where}, then try again")


# Everything a server or the network can make the request or the body read raise.
NETWORK_ERRORS = (requests.exceptions.RequestException, urllib3.exceptions.HTTPError,
                   http.client.HTTPException, OSError)
BAD_URL = (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema, requests.exceptions.InvalidSchema,
            requests.exceptions.URLRequired, urllib3.exceptions.LocationValueError)


def chain(exc: BaseException) -> Iterator[BaseException]:
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


def caused_by(exc: BaseException, *types: type) -> bool:
    return any(isinstance(e, types) for e in chain(exc))


def tls_failure(exc: BaseException) -> str | None:
    """What went wrong with TLS, when that is what failed; a connection cut during TLS
    (EOF, zero return) is a broken connection instead, and may be retried."""
    for e in chain(exc):
        if isinstance(e, (ssl.SSLEOFError, ssl.SSLZeroReturnError)):
            return None
        if isinstance(e, ssl.SSLCertVerificationError):
            return f"certificate: {e.verify_message or e.reason or 'not trusted'}"
        if isinstance(e, ssl.SSLError):
            return str(e.reason or e.__class__.__name__)
    if isinstance(exc, requests.exceptions.SSLError):
        return echo(first_line(exc), 120)
    return None


def show(text: str) -> str:
    """A server-given address for a one-line message: quoted, short, no control characters."""
    return repr(echo(text, 100))


def tries(attempt: int) -> str:
    return f"{attempt} tr{'y' if attempt == 1 else 'ies'}"


def first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def short_reason(exc: BaseException) -> str:
    """'Connection refused' rather than urllib3's three nested exception reprs."""
    text = " ".join(str(e) for e in chain(exc))
    for known in ("Connection refused", "Connection reset", "Name or service not known",
                  "nodename nor servname", "Temporary failure in name resolution",
                  "No address associated with hostname", "IncompleteRead", "Connection aborted",
                  "Remote end closed connection", "Broken pipe", "No route to host", "Network is unreachable"):
        if known in text:
            return "response cut off" if known == "IncompleteRead" else known
    return type(exc).__name__
