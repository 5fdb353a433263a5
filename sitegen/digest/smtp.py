"""Sending over SMTP with smtplib: TLS, timeouts, all-or-nothing, and no secret ever shown.

The server comes from SITEGEN_SMTP_URL (sitegen.digest.smtp_url).

- `smtp://user:pass@host:port` (port 587 by default) upgrades with STARTTLS whenever the
  server offers it, and refuses to send a password over a connection that stays plain unless
  the server is on this machine (loopback); `smtps://` (port 465) is TLS from the start.
  Certificates are checked with the system's trust store (`SSL_CERT_FILE` points it
  elsewhere); verification is never turned off.
- Every socket operation has the `[digest] timeout`.
- No secret is ever shown: messages name the server as `smtp://host:port` (no user, no
  password). A server's reply is quoted only through `sitegen.echo`: one line, cut to 200
  characters, with the user name and password blanked in every form (as typed in the URL,
  percent-encoded and -decoded, base64 at every alignment, and whatever was sent during
  AUTH, CRAM-MD5's answer included). While logging in, the server's words are not quoted at
  all, only its status codes: a server that echoes the AUTH line in its 535 echoes the
  credentials. No exception from smtplib (which carries the server's bytes) is chained to
  what sitegen raises, so not even a traceback shows one.
- A message goes out all-or-nothing: if the server refuses any recipient the transaction is
  reset before DATA, so no one gets it, the run fails and the next run sends it to everyone.
  (smtplib's send_message would deliver to the accepted recipients, leaving the choice
  between a second copy for them on the retry or none ever for the refused ones.)
- The caller learns whether a failure might have delivered the message (`MailError.maybe_sent`):
  only when the connection broke after the whole message was handed over, before the
  server's answer to it.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import re
import smtplib
import ssl

from sitegen.digest.smtp_failures import Explainer
from sitegen.digest.smtp_url import ENV_URL, SmtpServer, mask, parse_smtp_url
from sitegen.echo import Mask
from sitegen.errors import SitegenError

__all__ = ["ENV_URL", "MailError", "Mailer", "SmtpServer", "mask", "parse_smtp_url"]


class MailError(SitegenError):
    """The server could not be reached or did not accept a message. `maybe_sent`: the whole
    message was handed over and the connection broke before the server answered, so it may
    have gone out; otherwise it did not."""

    exit_code = 1

    def __init__(self, message: str, maybe_sent: bool = False):
        super().__init__(message)
        self.maybe_sent = maybe_sent


class _Recording:
    """smtplib's client, remembering the lines it sends while `recording` (during AUTH): a
    reply that echoes one of them is then blanked, whatever the mechanism made of the
    password (CRAM-MD5's answer is a hash of it, not a form `Mask` could work out)."""

    recording = False
    auth_lines: list[str]

    def putcmd(self, cmd, args=""):
        if self.recording:
            self.auth_lines.append(f"{cmd} {args}".strip())
        super().putcmd(cmd, args)  # type: ignore[misc]


class _SMTP(_Recording, smtplib.SMTP):
    pass


class _SMTP_SSL(_Recording, smtplib.SMTP_SSL):
    pass


# Failures of the exchange: smtplib's own, the socket's, a credential it cannot encode
# (UnicodeError), a malformed base64 challenge (binascii.Error, a ValueError).
_FAILURES = (smtplib.SMTPException, OSError, UnicodeError, ValueError)


class Mailer:
    """One SMTP session: `with Mailer(server, timeout) as m: m.send(...)`."""

    def __init__(self, server: SmtpServer, timeout: float):
        self.server, self.timeout = server, timeout
        self._smtp: _SMTP | _SMTP_SSL | None = None
        self.mask = Mask()
        self.mask.merge(server.mask)
        self.explainer = Explainer(server, timeout, self.mask)

    def __enter__(self) -> Mailer:
        # Failures are explained after the `except` block, so no smtplib exception (which
        # carries the server's bytes) becomes the context of what is raised.
        failure, phase = None, "connect"
        try:
            self._connect()
            if self.server.user is not None:
                phase = "login"
                self._login()
        except MailError:
            self.close()
            raise
        except _FAILURES as exc:
            failure = exc
        if failure is not None:
            self.close()
            raise MailError(self.explain(failure, phase))
        return self

    def _connect(self) -> None:
        server = self.server
        context = ssl.create_default_context()  # verifies the certificate and the host name
        if server.scheme == "smtps":
            self._smtp = _SMTP_SSL(server.host, server.port, timeout=self.timeout, context=context)
        else:
            self._smtp = _SMTP(server.host, server.port, timeout=self.timeout)
        smtp = self._smtp
        smtp.auth_lines = []
        smtp.ehlo()
        if server.scheme == "smtp":
            if smtp.has_extn("starttls"):
                smtp.starttls(context=context)
                smtp.ehlo()  # the server's extensions may differ once encrypted (AUTH often does)
            elif server.user is not None and not server.loopback:
                raise MailError(f"{server.shown} does not offer STARTTLS: refusing to send the password "
                                "unencrypted; use smtps:// (port 465) or a server that offers STARTTLS")

    def _login(self) -> None:
        smtp = self._smtp
        assert smtp is not None
        smtp.recording = True
        try:
            smtp.login(self.server.user or "", self.server.password or "")
        finally:
            smtp.recording = False
            for line in smtp.auth_lines:
                self._mask_sent(line)
            smtp.user = smtp.password = ""  # smtplib keeps them on the object; no need to

    def _mask_sent(self, line: str) -> None:
        """Blank what was sent during AUTH: each base64 token, and what it decodes to."""
        words = line.split()
        for token in words[2:] if words[:1] == ["AUTH"] else words:
            self.mask.add_exact(token)
            try:
                decoded = base64.b64decode(token, validate=True).decode("utf-8", "replace")
            except (binascii.Error, ValueError):
                continue
            for piece in re.split(r"[\0 ]", decoded):  # PLAIN: authzid\0user\0password; CRAM-MD5: "user digest"
                self.mask.add(piece)

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
        handed_over = False  # every byte of the message and its final "." went out
        failure = None
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
                    f"({mask(first)}: {code} {self.explainer.words(reply)}), so no one was sent the message; "
                    "fix SITEGEN_DIGEST_TO or [digest] to"))
            code, reply = smtp.docmd("DATA")
            if code != 354:
                raise smtplib.SMTPDataError(code, reply)
            smtp.send(_dot_stuffed(data))
            handed_over = True
            code, reply = smtp.getreply()
            if code != 250:
                self._reset()
                raise smtplib.SMTPDataError(code, reply)
        except MailError:
            raise
        except _FAILURES as exc:
            failure = exc
        if failure is None:
            return
        if handed_over and not isinstance(failure, smtplib.SMTPResponseException):
            # A reply, even a refusal, settles it; silence after the last byte does not.
            raise MailError(f"{self.server.shown} {self.explainer.unanswered(failure)} before confirming it",
                            maybe_sent=True)
        raise MailError(self.explain(failure, "send"))

    def _reset(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self._smtp.rset()

    def explain(self, exc: BaseException, phase: str = "send") -> str:
        """One line on what went wrong and what to do, without a secret."""
        return self.explainer.explain(exc, phase)


def _dot_stuffed(data: bytes) -> bytes:
    """The DATA payload: lines starting with "." doubled (RFC 5321 4.5.2), then CRLF.CRLF.
    Sent by hand rather than by smtplib's data(), so that the moment the last byte left is
    known: a broken connection before it cannot have delivered the message, one after it may."""
    data = re.sub(rb"(?m)^\.", b"..", data)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data + b".\r\n"
