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
import socket
import ssl

from sitegen.digest.smtp_url import ENV_URL, SmtpServer, mask, parse_smtp_url
from sitegen.echo import Mask, echo, one_line
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
                    f"({mask(first)}: {code} {self._words(reply)}), so no one was sent the message; "
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
            raise MailError(f"{self.server.shown} {self._unanswered(failure)} before confirming it", maybe_sent=True)
        raise MailError(self.explain(failure, "send"))

    def _unanswered(self, exc: BaseException) -> str:
        """What the server did instead of answering the message (no word of its own)."""
        if isinstance(exc, (socket.timeout, TimeoutError)) or "timed out" in str(exc):
            return f"did not answer within {self.timeout:g} s"
        if isinstance(exc, smtplib.SMTPServerDisconnected):
            return "closed the connection"
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        return f"broke off ({why})"

    def _reset(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self._smtp.rset()

    def _words(self, reply) -> str:
        """The server's words: one line, bounded, every secret blanked (sitegen.echo)."""
        return echo(reply, mask=self.mask) or "no text"

    def explain(self, exc: BaseException, phase: str = "send") -> str:
        """One line on what went wrong and what to do, without a secret."""
        network = isinstance(exc, (smtplib.SMTPServerDisconnected, socket.timeout, TimeoutError)) or (
            isinstance(exc, OSError) and not isinstance(exc, smtplib.SMTPException))  # SMTPException is an OSError
        if phase == "login" and not network:
            text = self._login_failure(exc)
        elif isinstance(exc, smtplib.SMTPResponseException):
            text = self._refusal(exc)
        else:
            text = self._broken(exc)
        return self.server.redact(one_line(text))

    def _refusal(self, exc: smtplib.SMTPResponseException) -> str:
        """The server answered, and not what was hoped for."""
        shown, env, words = self.server.shown, ENV_URL, self._words(exc.smtp_error)
        if isinstance(exc, smtplib.SMTPSenderRefused) and exc.smtp_code == 530:
            return (f"{shown} requires a login ({exc.smtp_code} {words}); put the user name and password in "
                    f"{env}: smtp://USER:PASSWORD@HOST:PORT")
        if isinstance(exc, smtplib.SMTPSenderRefused):
            return (f"{shown} refused the sender {exc.sender} ({exc.smtp_code} {words}); set [digest] from or "
                    "SITEGEN_DIGEST_FROM to an address this server may send from")
        return f"{shown} answered {exc.smtp_code} {words}"

    def _broken(self, exc: BaseException) -> str:
        """The exchange itself failed: the network, TLS, or something smtplib says."""
        shown, env = self.server.shown, ENV_URL
        if isinstance(exc, smtplib.SMTPNotSupportedError):
            why = self._words(str(exc))
            return f"{shown} cannot do what is asked ({why}); check the host, port and scheme in {env}"
        if isinstance(exc, (socket.timeout, TimeoutError)) or "timed out" in str(exc):
            # smtplib reports a read timeout as SMTPServerDisconnected("...: timed out")
            return f"{shown} did not answer within {self.timeout:g} s; are the host and port in {env} right?"
        if isinstance(exc, smtplib.SMTPServerDisconnected):
            why = self._words(str(exc)) if str(exc) else "no reason given"
            return f"{shown} closed the connection ({why}); check the port and scheme in {env}"
        if isinstance(exc, ssl.SSLCertVerificationError):
            return (f"the TLS certificate of {shown} is not trusted ({self._words(exc.verify_message)}); check "
                    f"the host name in {env}, or point SSL_CERT_FILE at the CA that signed it")
        if isinstance(exc, ssl.SSLError):
            why = self._words(exc.reason or str(exc))
            return f"TLS with {shown} failed ({why}); smtps:// wants port 465, smtp:// port 587"
        if isinstance(exc, socket.gaierror):
            return f"cannot find the host of {shown} ({exc.strerror}); check {env}"
        if isinstance(exc, OSError) and not isinstance(exc, smtplib.SMTPException):
            why = exc.strerror or self._words(str(exc))
            return f"cannot talk to {shown} ({why}); check {env} and that the server is up"
        return f"{shown}: {type(exc).__name__}: {self._words(str(exc))}"

    def _login_failure(self, exc: BaseException) -> str:
        """Why logging in failed, without one word of the server's: a reply to AUTH may echo
        the credentials, so only its status codes are shown."""
        shown, env = self.server.shown, ENV_URL
        if isinstance(exc, smtplib.SMTPAuthenticationError):
            return (f"{shown} refused the user name or password ({_codes(exc)}); check them in {env} "
                    "(Gmail needs an app password)")
        if isinstance(exc, smtplib.SMTPNotSupportedError):
            return f"{shown} offers no login (no AUTH); check the host, port and scheme in {env}"
        if isinstance(exc, smtplib.SMTPResponseException):
            return f"{shown} answered {_codes(exc)} while logging in; check the host, port and scheme in {env}"
        if isinstance(exc, UnicodeError):
            return (f"the user name or password in {env} has a character outside ASCII, which SMTP AUTH "
                    "cannot carry here; use an ASCII password (an app password)")
        if isinstance(exc, ValueError):
            return f"{shown} sent a malformed AUTH challenge (not base64); check the host and port in {env}"
        if "No suitable authentication method" in str(exc):
            return f"{shown} offers no login method sitegen can use (CRAM-MD5, PLAIN or LOGIN); check {env}"
        return f"{shown}: logging in failed ({type(exc).__name__}); check the host, port and scheme in {env}"


def _codes(exc: smtplib.SMTPResponseException) -> str:
    """"535 5.7.8": the reply code and, when the reply starts with one, the enhanced status
    code (RFC 3463) - never the words after them."""
    words = exc.smtp_error.split(None, 1) if isinstance(exc.smtp_error, bytes) else []
    first = words[0].decode("ascii", "replace") if words else ""
    enhanced = len(first) <= 11 and re.fullmatch(r"[245]\.\d{1,3}\.\d{1,3}", first)
    return f"{exc.smtp_code} {first}" if enhanced else str(exc.smtp_code)


def _dot_stuffed(data: bytes) -> bytes:
    """The DATA payload: lines starting with "." doubled (RFC 5321 4.5.2), then CRLF.CRLF.
    Sent by hand rather than by smtplib's data(), so that the moment the last byte left is
    known: a broken connection before it cannot have delivered the message, one after it may."""
    data = re.sub(rb"(?m)^\.", b"..", data)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data + b".\r\n"
