"""SITEGEN_SMTP_URL -> the server to send through, and the forms of its secrets that no
message may show (sitegen.echo.Mask): the user name and the password as typed in the URL,
percent-decoded, and the AUTH PLAIN strings that carry them.

The URL itself is never repeated in a message: a malformed one is described, not quoted.
"""

from __future__ import annotations

import base64
import ipaddress
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import unquote, urlsplit

from sitegen.echo import Mask
from sitegen.errors import UsageError

ENV_URL = "SITEGEN_SMTP_URL"
DEFAULT_PORTS = {"smtp": 587, "smtps": 465}  # submission with STARTTLS; submission over TLS


@dataclass(frozen=True)
class SmtpServer:
    scheme: str
    host: str
    port: int
    user: str | None = field(default=None, repr=False)
    password: str | None = field(default=None, repr=False)
    typed: tuple[str, ...] = field(default=(), repr=False, compare=False)  # user and password as in the URL

    @property
    def shown(self) -> str:
        """How messages name the server: no user name, no password."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}"

    @property
    def loopback(self) -> bool:
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False

    @cached_property
    def password_mask(self) -> Mask:
        """The password in every form, and the AUTH PLAIN strings that carry it."""
        mask = Mask([self.password, *self.typed[1:]])
        if self.password:
            user = self.user or ""
            for plain in (f"\0{user}\0{self.password}", f"{user}\0{user}\0{self.password}"):
                mask.add_exact(base64.b64encode(plain.encode("utf-8", "surrogatepass")).decode("ascii"))
        return mask

    @cached_property
    def mask(self) -> Mask:
        """What no server reply may show: the password's forms and the user name's too."""
        mask = Mask([self.user, self.password, *self.typed])
        mask.merge(self.password_mask)
        return mask

    def redact(self, text: str) -> str:
        """`text` with every form of the password blanked out."""
        return self.password_mask.hide(text)


def parse_smtp_url(url: str) -> SmtpServer:
    """SITEGEN_SMTP_URL -> SmtpServer; a UsageError (exit 2) that never repeats the URL."""
    how = f"{ENV_URL} must look like smtp://user:password@host:587 or smtps://user:password@host:465"
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise UsageError(f"{how} (the port or host is malformed)") from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise UsageError(f"{how} (the scheme must be smtp or smtps)")
    if not parts.hostname:
        raise UsageError(f"{how} (no host)")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise UsageError(f"{how} (nothing may follow the port)")
    user = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password is not None else None
    if password is not None and user is None:
        raise UsageError(f"{how} (a password needs a user name)")
    typed = (parts.username or "", parts.password or "")
    return SmtpServer(scheme, parts.hostname, port or DEFAULT_PORTS[scheme], user, password, typed)


def mask(address: str) -> str:
    """j***@example.org: enough to tell recipients apart in a log that may be public."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain}"


def env_masks(environ) -> tuple[Mask, Mask]:
    """(the password's forms, every secret's forms) of SITEGEN_SMTP_URL, for the command line's
    last check of what it prints; a URL that does not parse is blanked whole."""
    url = environ.get(ENV_URL, "").strip()
    if not url:
        return Mask(), Mask()
    try:
        server = parse_smtp_url(url)
    except UsageError:
        whole = Mask([url])
        return whole, whole
    return server.password_mask, server.mask
