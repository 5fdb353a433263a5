"""The one rule for URLs that reach output/: absolute http(s) URLs in RFC 3986 syntax.

Two entry points. `config_url_problem` judges a URL the user typed (base_url, fetch.contact,
the sources' `*_url`): anything odd there is a mistake to report, not to repair. `encode_link`
takes a URL from a paper (a snapshot's `links`, a Hugging Face repository or project page)
and returns it percent-encoded where RFC 3986 does not allow a character (space, quotes,
`<>`, backslash, `{}|^`, backtick, non-ASCII, a stray `%`), keeping valid %XX escapes and
so the URL's meaning; a URL that cannot be made valid (another scheme, no or a malformed host,
a bad port, control characters) is None, and callers leave that link out.

Feeds and pages quote these URLs in attributes and XML, and robots.txt carries base_url raw:
one invalid character is a W3C validator error in every feed, or worse. The single quote is
legal in RFC 3986, but it is encoded (links) or refused (config) all the same: `%27` means the
same to every web server, and no consumer that pastes a URL into a quoted attribute can break.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import quote, urlsplit, urlunsplit

MAX_LENGTH = 2000  # longer "links" are not links; browsers and feed readers balk too
# Characters a URL may hold raw, by component (RFC 3986 §3.3-3.5), without the single quote.
_PATH_SAFE = "!$&()*+,;=:@/"
_QUERY_SAFE = _PATH_SAFE + "?"
_USER_SAFE = "!$&()*+,;=:"
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_STRAY_PERCENT = re.compile("%(?![0-9A-Fa-f]{2})")
# What RFC 3986 forbids anywhere in a URL and a user might type; non-ASCII is encoded instead.
_FORBIDDEN = re.compile(r"""["'<>\\{}|^`]""")
_HOST_LABEL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?")
_PORT = re.compile("[0-9]{0,5}")
# Most links (arXiv's, GitHub's) are plainly valid: matched here without taking them apart.
_PLAIN = re.compile(r"https?://(?:[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?\.)*"
                    r"[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?(?::[0-9]{1,4})?(?:/[A-Za-z0-9\-._~!$&()*+,;=:@/]*)?")


def encode_link(url) -> str | None:
    """`url` as a valid absolute http(s) URL (percent-encoded where needed), or None."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if _PLAIN.fullmatch(url) and len(url) <= MAX_LENGTH:
        return url
    if not url or len(url) > MAX_LENGTH or _CONTROL.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return None
    scheme = parts.scheme.lower()
    netloc = _netloc(parts.netloc)
    if scheme not in ("http", "https") or netloc is None:
        return None
    encoded = (scheme, netloc, _encode(parts.path, _PATH_SAFE), _encode(parts.query, _QUERY_SAFE),
               _encode(parts.fragment, _QUERY_SAFE))
    if encoded == tuple(parts):
        return url  # already valid: keep it byte for byte (an empty "?" or "#" included)
    return urlunsplit(encoded)


def doi_url(doi: str) -> str:
    """The doi.org URL of a DOI: its characters outside a URL path's (old Wiley DOIs hold
    `<>`; `#` and `?` would cut the DOI short) are percent-encoded, as doi.org asks."""
    return "https://doi.org/" + quote(doi, safe="!$&()*,;=:@/")


def config_url_problem(value: str) -> str | None:
    """Why `value` is not a usable absolute http(s) URL, or None when it is (strictly: no
    character needs encoding)."""
    if _CONTROL.search(value) or " " in value:
        return "holds a space or control character; percent-encode it (a space is %20)"
    bad = _FORBIDDEN.search(value)
    if bad:
        return f"holds {bad.group()!r}, which a URL cannot hold raw; percent-encode it"
    if _STRAY_PERCENT.search(value):
        return "holds a '%' that starts no escape such as %20; write it as %25"
    if not value.isascii():
        return "holds non-ASCII characters; percent-encode them (and write the host in punycode)"
    try:
        parts = urlsplit(value)
    except ValueError as exc:
        return f"cannot be parsed ({exc})"
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "is not an absolute http(s) URL"
    if _netloc(parts.netloc) != parts.netloc:
        return "has an invalid host or port"
    if encode_link(value) != value:  # '[', ']' or '#' where they may not stand
        return "holds characters that must be percent-encoded"
    return None


# An e-mail address as a contact: plain ASCII, no quotes or spaces (it goes into a User-Agent).
_ADDRESS = re.compile(r"[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}")


def contact_problem(value: str) -> tuple[str | None, str]:
    """(why `value` is no contact or None, the contact as it is sent): an http(s) URL as
    `config_url_problem` judges it, or an e-mail address, bare or as a `mailto:` URL (sent as
    `mailto:...`)."""
    address = value[7:] if value[:7].lower() == "mailto:" else value
    if "@" in address and "://" not in address:
        if not _ADDRESS.fullmatch(address):
            return "is not an e-mail address such as \"mailto:you@example.org\"", value
        return None, "mailto:" + address
    return config_url_problem(value), value


def _encode(text: str, safe: str) -> str:
    return quote(_STRAY_PERCENT.sub("%25", text), safe=safe + "%")


def _netloc(netloc: str) -> str | None:
    """The netloc with a valid host and port (an IDN host in punycode), or None."""
    userinfo, at, hostport = netloc.rpartition("@")
    if hostport.startswith("["):
        host, bracket, port = hostport[1:].partition("]")
        if not bracket or (port and not port.startswith(":")):
            return None
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            return None
        host = f"[{host}]"
        port = port[1:]
    else:
        name, _, port = hostport.partition(":")
        checked = _host(name)
        if checked is None:
            return None
        host = checked
    if not _PORT.fullmatch(port) or (port and int(port) > 65535):
        return None
    user = _encode(userinfo, _USER_SAFE) + at if at else ""
    return f"{user}{host}{':' + port if port else ''}"


def _host(host: str) -> str | None:
    """A registered name or IPv4 address (an IDN in punycode), or None."""
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return None
    labels = host[:-1].split(".") if host.endswith(".") else host.split(".")
    if not all(_HOST_LABEL.fullmatch(label) for label in labels):
        return None
    return host
