"""Redirects as sitegen follows them: a bounded number of hops, never in a circle, never away
from http(s) nor from https down to http, and only with a usable Location."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import requests
from requests.models import PreparedRequest

from sitegen.fetch.http.failures import AttemptFailed, show
from sitegen.fetch.http.policy import SitePolicy

REDIRECTS = (301, 302, 303, 307, 308)
KEEPS_METHOD = (307, 308)  # the redirects after which a POST is sent again as a POST, body and all


def canonical(url: str, params=None) -> str:
    """The URL as requests will send it, so two spellings of one address compare equal."""
    prepared = PreparedRequest()
    prepared.prepare_url(url, params)
    assert prepared.url is not None  # prepare_url sets it or raises
    return prepared.url


def redirect_target(current: str, r: requests.Response, seen: set[str], hops: int, policy: SitePolicy,
                    method: str = "GET") -> str:
    """Where a redirect leads, if sitegen follows it; otherwise a non-retried AttemptFailed.
    A POST follows only 307 and 308, which keep it a POST with its body (301-303 would make
    it a GET that asks something else)."""
    where = policy.where
    location = (r.headers.get("Location") or "").strip()

    def refuse(reason: str, advice: str = f"check the URL in {where} in sitegen.toml") -> AttemptFailed:
        return AttemptFailed(reason, advice, retry=False, host=False)

    if method != "GET" and r.status_code not in KEEPS_METHOD:
        raise refuse(f"HTTP {r.status_code} redirect of a {method}, which would turn it into a GET")
    if not location:
        raise refuse(f"HTTP {r.status_code} redirect without a Location header")
    if hops >= policy.max_redirects:
        raise refuse(f"more than {policy.max_redirects} redirects (the last to {show(location)})",
                     f"point the URL in {where} at the final address, or raise {where} max_redirects")
    try:
        target = urljoin(current, location)
        parts = urlsplit(target)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https") or not parts.hostname:
            raise refuse(f"refused a redirect to {show(location)}: only http and https addresses are followed")
        if urlsplit(current).scheme.lower() == "https" and scheme == "http":
            raise refuse(f"refused a redirect from https down to plain http ({show(target)})")
        target = canonical(parts._replace(fragment="").geturl())
    except (requests.exceptions.RequestException, ValueError):
        raise refuse(f"refused a redirect to an invalid address {show(location)}") from None
    if target in seen:
        raise refuse(f"redirect loop: {show(target)} was already visited",
                     f"the service redirects in a circle; try again later or check the URL in {where}")
    seen.add(target)
    return target
