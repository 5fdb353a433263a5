"""A real SMTP server for the digest tests: aiosmtpd on 127.0.0.1, never anything else.

`smtp_server(...)` starts one in a thread and yields a `Mailbox` that records every accepted
message (envelope and bytes) and every AUTH attempt. TLS certificates come from `trustme`:
a throwaway CA made in the test, trusted by the client only through SSL_CERT_FILE.
`EchoingMailbox` is a hostile server: it offers one AUTH mechanism and quotes back what the
client sent during AUTH, in every form, in its replies.
"""

from __future__ import annotations

import base64
import contextlib
import email
import email.policy
import hmac
import socket
import ssl
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

HOST = "127.0.0.1"


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> email.message.EmailMessage:
        return email.message_from_bytes(self.data, policy=email.policy.default)


@dataclass
class Mailbox:
    """What the server saw; `refuse` holds recipients it answers 550 to."""

    port: int = 0
    received: list[Received] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    user: str = "digest@example.org"
    password: str = "s3cret p@ss/word"

    # --- aiosmtpd handler hooks -------------------------------------------------------------

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 2.0.0 Queued"

    def authenticator(self, server, session, envelope, mechanism, auth_data):
        login = auth_data.login.decode("utf-8", "replace")
        password = auth_data.password.decode("utf-8", "replace")
        self.logins.append((login, password))
        ok = (login, password) == (self.user, self.password)
        return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535 itself


@dataclass
class EchoingMailbox(Mailbox):
    """Offers only `mechanism` (PLAIN, LOGIN or CRAM-MD5) and quotes everything the client sent
    during AUTH - as received, decoded, percent-encoded, and base64 again at another alignment
    ("user=...;password=...") - in its 535. With `accept` it lets the client in instead, and
    quotes the same in a 550 to MAIL FROM: a reply sitegen does show."""

    mechanism: str = "PLAIN"
    accept: bool = False
    heard: list[str] = field(default_factory=list)  # base64 tokens, as received
    challenge: bytes = b"<1896.697170952@127.0.0.1>"

    def echo(self) -> str:
        said = []
        for token in self.heard:
            raw = base64.b64decode(token)
            said += [token, raw.replace(b"\0", b" ").decode("utf-8", "replace"),
                     quote(raw, safe=""), base64.b64encode(b"user=;password=" + raw + b";").decode()]
        return " | ".join(said)

    async def _answer(self, server, login: bytes, password: bytes | None):
        from aiosmtpd.smtp import AuthResult, LoginPassword

        if self.accept:
            return AuthResult(success=True, auth_data=LoginPassword(login, password or b""))
        await server.push(f"535 5.7.8 Authentication failed for AUTH {self.mechanism} {self.echo()}")
        return AuthResult(success=False, handled=True)

    async def auth_PLAIN(self, server, args):
        self.heard.append(args[1])
        _, login, password = base64.b64decode(args[1]).split(b"\0")
        return await self._answer(server, login, password)

    async def auth_LOGIN(self, server, args):
        self.heard.append(args[1])  # smtplib sends the user name with the command
        password = await server.challenge_auth("Password\x00")
        self.heard.append(base64.b64encode(password).decode())
        return await self._answer(server, base64.b64decode(args[1]), password)

    async def auth_CRAM__MD5(self, server, args):
        answer = await server.challenge_auth(self.challenge)
        self.heard.append(base64.b64encode(answer).decode())
        return await self._answer(server, answer.split(b" ")[0], None)

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.accept:
            return f"550 5.7.1 sender not allowed for AUTH {self.mechanism} {self.echo()}"
        envelope.mail_from = address
        return "250 OK"

    def cram_digest(self) -> str:
        """What CRAM-MD5 sends for the right password: a hash of it, a secret too."""
        return hmac.HMAC(self.password.encode(), self.challenge, "md5").hexdigest()


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def smtp_server(mailbox: Mailbox | None = None, *, auth: bool = False, starttls: ssl.SSLContext | None = None,
                implicit_tls: ssl.SSLContext | None = None):
    """An aiosmtpd server on 127.0.0.1; `auth` requires a login (allowed without TLS only
    when neither TLS option is given), `starttls` offers and requires STARTTLS with that
    context, `implicit_tls` speaks TLS from the first byte (smtps)."""
    mailbox = mailbox or Mailbox()
    kwargs = {}
    if auth:
        kwargs.update(authenticator=mailbox.authenticator, auth_required=True,
                      auth_require_tls=starttls is not None)
    if isinstance(mailbox, EchoingMailbox):  # its one mechanism, none of aiosmtpd's own
        kwargs["auth_exclude_mechanism"] = [m for m in ("PLAIN", "LOGIN", "CRAM-MD5") if m != mailbox.mechanism]
    if starttls is not None:
        kwargs.update(tls_context=starttls, require_starttls=True)
    mailbox.port = free_port()
    controller = Controller(mailbox, hostname=HOST, port=mailbox.port, ssl_context=implicit_tls,
                            server_hostname="localhost", **kwargs)
    controller.start()
    try:
        yield mailbox
    finally:
        controller.stop()


def tls_contexts(tmp_path: Path) -> tuple[ssl.SSLContext, Path]:
    """A server context with a certificate for 127.0.0.1 from a new CA, and the CA's PEM file
    (for SSL_CERT_FILE)."""
    import trustme

    ca = trustme.CA()
    cert = ca.issue_cert(HOST, "localhost")
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(server)
    pem = tmp_path / "test-ca.pem"
    ca.cert_pem.write_to_path(str(pem))
    return server, pem


@contextlib.contextmanager
def silent_server():
    """A TCP port that accepts connections and never says a word: for timeouts."""
    sock = socket.socket()
    sock.bind((HOST, 0))
    sock.listen(5)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept():
        sock.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
                held.append(conn)
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield sock.getsockname()[1]
    finally:
        stop.set()
        thread.join(2)
        for conn in held:
            conn.close()
        sock.close()
