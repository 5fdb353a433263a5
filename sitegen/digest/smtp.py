"""Sending over SMTP with smtplib: the server from SITEGEN_SMTP_URL, TLS, timeouts, redaction.

- `smtp://user:pass@host:port` (port 587 by default) upgrades with STARTTLS whenever the
  server offers it, and refuses to send a password over a connection that stays plain unless
  the server is on this machine (loopback); `smtps://` (port 465) is TLS from the start.
  Certificates are checked with the system's trust store (`SSL_CERT_FILE` points it
  elsewhere); verification is never turned off.
- Every socket operation has the `[digest] timeout`.
- The password is never shown: messages name the server as `smtp://host:port` (no user,
  no password) and any text quoted from the server has the password blanked out.
- A message goes out all-or-nothing: if the server refuses any recipient the transaction is
  reset before DATA, so no one gets it, the run fails and the next run sends it to everyone.
  (smtplib's send_message would deliver to the accepted recipients, leaving the choice
  between a second copy for them on the retry or none ever for the refused ones.)
"""

from __future__ import annotations

import contextlib
import ipaddress
import smtplib
import socket
import ssl
from dataclasses import dataclass, field
from urllib.parse import quote, unquote, urlsplit

from sitegen.digest.text import one_line
from sitegen.errors import SitegenError, UsageError

ENV_URL = "SITEGEN_SMTP_URL"
DEFAULT_PORTS = {"smtp": 587, "smtps": 465}  # submission with STARTTLS; submission over TLS


class MailError(SitegenError):
    """The server could not be reached or did not accept a message: nothing was sent."""

    exit_code = 1


@dataclass(frozen=True)
class SmtpServer:
    scheme: str
    host: str
    port: int
    user: str | None = None
    password: str | None = field(default=None, repr=False)

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

    def redact(self, text: str) -> str:
        """`text` with the password (as typed and percent-encoded) blanked out."""
        if self.password:
            for form in {self.password, quote(self.password, safe=""), quote(self.password)}:
                text = text.replace(form, "***")
        return text


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
    return SmtpServer(scheme, parts.hostname, port or DEFAULT_PORTS[scheme], user, password)


def mask(address: str) -> str:
    """j***@example.org: enough to tell recipients apart in a log that may be public."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain}"


class Mailer:
    """One SMTP session: `with Mailer(server, timeout) as m: m.send(...)`."""

    def __init__(self, server: SmtpServer, timeout: float):
        self.server, self.timeout = server, timeout
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        server = self.server
        try:
            context = ssl.create_default_context()  # verifies the certificate and the host name
            if server.scheme == "smtps":
                self._smtp = smtplib.SMTP_SSL(server.host, server.port, timeout=self.timeout, context=context)
            else:
                self._smtp = smtplib.SMTP(server.host, server.port, timeout=self.timeout)
            smtp = self._smtp
            smtp.ehlo()
            if server.scheme == "smtp":
                if smtp.has_extn("starttls"):
                    smtp.starttls(context=context)
                    smtp.ehlo()  # the server's extensions may differ once encrypted (AUTH often does)
                elif server.user is not None and not server.loopback:
                    raise MailError(f"{server.shown} does not offer STARTTLS: refusing to send the password "
                                    "unencrypted; use smtps:// (port 465) or a server that offers STARTTLS")
            if server.user is not None:
                smtp.login(server.user, server.password or "")
        except MailError:
            self.close()
            raise
        except (smtplib.SMTPException, OSError, UnicodeError) as exc:
            self.close()
            raise MailError(self.explain(exc)) from None
        return self

    def __exit__(self, *exc) -> None:
        if self._smtp is not None:
            # The message went out already (or failed, and that is reported): a failed QUIT
            # changes nothing.
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self._smtp.quit()
            self.close()

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.close()
            finally:
                self._smtp = None

    def send(self, data: bytes, sender: str, recipients: list[str]) -> None:
        """Hand `data` to the server for every recipient, or to none (MailError)."""
        smtp = self._smtp
        assert smtp is not None, "use Mailer as a context manager"
        try:
            code, reply = smtp.mail(sender)
            if code != 250:
                raise smtplib.SMTPSenderRefused(code, reply, sender)
            refused = {}
            for rcpt in recipients:
                code, reply = smtp.rcpt(rcpt)
                if code not in (250, 251):
                    refused[rcpt] = (code, reply)
            if refused:
                self._reset()
                first, (code, reply) = next(iter(refused.items()))
                raise MailError(self.server.redact(
                    f"{self.server.shown} refused {len(refused)} of {len(recipients)} recipients "
                    f"({mask(first)}: {code} {_reply(reply)}), so no one was sent the message; "
                    "fix SITEGEN_DIGEST_TO or [digest] to"))
            code, reply = smtp.data(data)
            if code != 250:
                self._reset()
                raise smtplib.SMTPDataError(code, reply)
        except MailError:
            raise
        except (smtplib.SMTPException, OSError, UnicodeError) as exc:
            raise MailError(self.explain(exc)) from None

    def _reset(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self._smtp.rset()

    def explain(self, exc: BaseException) -> str:
        """One line on what went wrong and what to do, without the password."""
        shown, env = self.server.shown, ENV_URL
        if isinstance(exc, smtplib.SMTPAuthenticationError):
            text = (f"{shown} refused the user name or password ({exc.smtp_code} {_reply(exc.smtp_error)}); "
                    f"check them in {env} (Gmail needs an app password)")
        elif isinstance(exc, smtplib.SMTPNotSupportedError):
            text = f"{shown} cannot do what is asked ({exc}); check the host, port and scheme in {env}"
        elif isinstance(exc, smtplib.SMTPSenderRefused) and exc.smtp_code == 530:
            text = (f"{shown} requires a login ({exc.smtp_code} {_reply(exc.smtp_error)}); put the user name "
                    f"and password in {env}: smtp://USER:PASSWORD@HOST:PORT")
        elif isinstance(exc, smtplib.SMTPSenderRefused):
            text = (f"{shown} refused the sender {exc.sender} ({exc.smtp_code} {_reply(exc.smtp_error)}); "
                    "set [digest] from or SITEGEN_DIGEST_FROM to an address this server may send from")
        elif isinstance(exc, smtplib.SMTPResponseException):
            text = f"{shown} answered {exc.smtp_code} {_reply(exc.smtp_error)}"
        elif isinstance(exc, (socket.timeout, TimeoutError)) or "timed out" in str(exc):
            # smtplib reports a read timeout as SMTPServerDisconnected("...: timed out")
            text = f"{shown} did not answer within {self.timeout:g} s; are the host and port in {env} right?"
        elif isinstance(exc, smtplib.SMTPServerDisconnected):
            text = f"{shown} closed the connection ({exc or 'no reason given'}); check the port and scheme in {env}"
        elif isinstance(exc, ssl.SSLCertVerificationError):
            text = (f"the TLS certificate of {shown} is not trusted ({exc.verify_message}); check the host "
                    f"name in {env}, or point SSL_CERT_FILE at the CA that signed it")
        elif isinstance(exc, ssl.SSLError):
            text = f"TLS with {shown} failed ({exc.reason or exc}); smtps:// wants port 465, smtp:// port 587"
        elif isinstance(exc, socket.gaierror):
            text = f"cannot find the host of {shown} ({exc.strerror}); check {env}"
        elif isinstance(exc, OSError):
            text = f"cannot talk to {shown} ({exc.strerror or exc}); check {env} and that the server is up"
        else:
            text = f"{shown}: {exc}"
        return self.server.redact(one_line(text))


def _reply(reply) -> str:
    """The server's words, decoded, one line, bounded: they end up in a log."""
    if isinstance(reply, bytes):
        reply = reply.decode("utf-8", "replace")
    text = one_line(str(reply))
    return text if len(text) <= 160 else text[:159] + "…"
