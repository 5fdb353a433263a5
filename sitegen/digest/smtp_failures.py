"""What an SMTP failure means, as one line saying what to do, with no secret in it.

A server's words pass `sitegen.echo` with the session's Mask (one line, 200 characters,
every form of the user name and password blanked); while logging in they are not quoted at
all, only the reply's codes, since a reply to AUTH may echo the credentials.
"""

from __future__ import annotations

import re
import smtplib
import socket
import ssl
from dataclasses import dataclass

from sitegen.digest.smtp_url import ENV_URL, SmtpServer
from sitegen.echo import Mask, echo, one_line


@dataclass
class Explainer:
    """Explains the failures of one session with `server`, blanking what `mask` holds (it
    grows while logging in: the lines sent during AUTH join it)."""

    server: SmtpServer
    timeout: float
    mask: Mask

    def words(self, reply) -> str:
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
        shown, env, words = self.server.shown, ENV_URL, self.words(exc.smtp_error)
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
            why = self.words(str(exc))
            return f"{shown} cannot do what is asked ({why}); check the host, port and scheme in {env}"
        if isinstance(exc, (socket.timeout, TimeoutError)) or "timed out" in str(exc):
            # smtplib reports a read timeout as SMTPServerDisconnected("...: timed out")
            return f"{shown} did not answer within {self.timeout:g} s; are the host and port in {env} right?"
        if isinstance(exc, smtplib.SMTPServerDisconnected):
            why = self.words(str(exc)) if str(exc) else "no reason given"
            return f"{shown} closed the connection ({why}); check the port and scheme in {env}"
        if isinstance(exc, ssl.SSLCertVerificationError):
            return (f"the TLS certificate of {shown} is not trusted ({self.words(exc.verify_message)}); check "
                    f"the host name in {env}, or point SSL_CERT_FILE at the CA that signed it")
        if isinstance(exc, ssl.SSLError):
            why = self.words(exc.reason or str(exc))
            return f"TLS with {shown} failed ({why}); smtps:// wants port 465, smtp:// port 587"
        if isinstance(exc, socket.gaierror):
            return f"cannot find the host of {shown} ({exc.strerror}); check {env}"
        if isinstance(exc, OSError) and not isinstance(exc, smtplib.SMTPException):
            why = exc.strerror or self.words(str(exc))
            return f"cannot talk to {shown} ({why}); check {env} and that the server is up"
        return f"{shown}: {type(exc).__name__}: {self.words(str(exc))}"

    def _login_failure(self, exc: BaseException) -> str:
        """Why logging in failed, without one word of the server's: a reply to AUTH may echo
        the credentials, so only its status codes are shown."""
        shown, env = self.server.shown, ENV_URL
        if isinstance(exc, smtplib.SMTPAuthenticationError):
            return (f"{shown} refused the user name or password ({codes(exc)}); check them in {env} "
                    "(Gmail needs an app password)")
        if isinstance(exc, smtplib.SMTPNotSupportedError):
            return f"{shown} offers no login (no AUTH); check the host, port and scheme in {env}"
        if isinstance(exc, smtplib.SMTPResponseException):
            return f"{shown} answered {codes(exc)} while logging in; check the host, port and scheme in {env}"
        if isinstance(exc, UnicodeError):
            return (f"the user name or password in {env} has a character outside ASCII, which SMTP AUTH "
                    "cannot carry here; use an ASCII password (an app password)")
        if isinstance(exc, ValueError):
            return f"{shown} sent a malformed AUTH challenge (not base64); check the host and port in {env}"
        if "No suitable authentication method" in str(exc):
            return f"{shown} offers no login method sitegen can use (CRAM-MD5, PLAIN or LOGIN); check {env}"
        return f"{shown}: logging in failed ({type(exc).__name__}); check the host, port and scheme in {env}"

    def unanswered(self, exc: BaseException) -> str:
        """What the server did instead of answering the message (no word of its own)."""
        if isinstance(exc, (socket.timeout, TimeoutError)) or "timed out" in str(exc):
            return f"did not answer within {self.timeout:g} s"
        if isinstance(exc, smtplib.SMTPServerDisconnected):
            return "closed the connection"
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        return f"broke off ({why})"


def codes(exc: smtplib.SMTPResponseException) -> str:
    """"535 5.7.8": the reply code and, when the reply starts with one, the enhanced status
    code (RFC 3463) - never the words after them."""
    words = exc.smtp_error.split(None, 1) if isinstance(exc.smtp_error, bytes) else []
    first = words[0].decode("ascii", "replace") if words else ""
    enhanced = len(first) <= 11 and re.fullmatch(r"[245]\.\d{1,3}\.\d{1,3}", first)
    return f"{exc.smtp_code} {first}" if enhanced else str(exc.smtp_code)
