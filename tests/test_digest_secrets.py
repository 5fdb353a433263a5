"""No secret of SITEGEN_SMTP_URL is ever printed, whatever the SMTP server sends back.

A hostile server (aiosmtpd on 127.0.0.1, tests/smtp_support.EchoingMailbox) offers one AUTH
mechanism and quotes back everything the client sent during AUTH (as received, decoded,
percent-encoded, re-encoded in base64 at another alignment): in its 535, or, once it let the
client in, in its refusal of MAIL FROM, a reply sitegen does quote. The command runs as the
workflow runs it, in a process of its own, and every byte it prints is searched for the user
name and the password in every form (tests/secret_forms.leaks).
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from sitegen.digest import smtp
from sitegen.digest.smtp import Mailer, MailError, parse_smtp_url
from sitegen.digest.smtp_failures import Explainer
from tests.digest_support import digest_site, run
from tests.secret_forms import leaks
from tests.smtp_support import HOST, EchoingMailbox, Mailbox, smtp_server

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")

# Not the sender's address: a message may name the sender, never the login.
USER = "login-7f3a@example.org"
PASSWORD = "s3cret p@ss/word:Zq9"
MECHANISMS = ["PLAIN", "LOGIN", "CRAM-MD5"]


@pytest.fixture
def site(tmp_path):
    return digest_site(tmp_path / "site")


def smtp_env(port: int, user: str = USER, password: str = PASSWORD) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SITEGEN_")}
    env.update(SITEGEN_SMTP_URL=f"smtp://{quote(user, safe='')}:{quote(password, safe='')}@{HOST}:{port}",
               SITEGEN_DIGEST_TO="ada@example.org")
    return env


def send_in_a_process(site, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sitegen", "digest", "--config", str(site.config_path), "--send"],
                          env=env, capture_output=True, text=True, timeout=60)


def assert_no_secret(text: str, box: EchoingMailbox | None = None) -> None:
    for secret in (USER, PASSWORD):
        assert not leaks(text, secret), f"{secret!r} shows in some form: {text}"
    if box is not None and box.mechanism == "CRAM-MD5":
        assert not leaks(text, box.cram_digest()), "CRAM-MD5's answer is a secret too"
    for token in box.heard if box else ():
        assert token not in text


@pytest.mark.slow
@pytest.mark.parametrize("mechanism", MECHANISMS)
def test_a_535_that_echoes_the_auth_exchange_shows_no_secret(site, mechanism):
    with smtp_server(EchoingMailbox(mechanism=mechanism, user=USER, password=PASSWORD), auth=True) as box:
        done = send_in_a_process(site, smtp_env(box.port, password=PASSWORD + "-wrong"))
    assert box.heard, "the server heard the AUTH exchange"
    assert box.received == []
    assert done.returncode == 1 and done.stdout == ""
    (line,) = done.stderr.splitlines()
    # While logging in nothing of the server's words is quoted: its codes only.
    assert f"smtp://{HOST}:{box.port} refused the user name or password (535 5.7.8)" in line
    assert "Authentication failed" not in line
    assert_no_secret(done.stderr, box)
    assert not leaks(done.stderr, PASSWORD + "-wrong")


@pytest.mark.slow
@pytest.mark.parametrize("mechanism", MECHANISMS)
def test_a_later_reply_that_echoes_the_auth_exchange_is_quoted_with_every_secret_blanked(site, mechanism):
    box = EchoingMailbox(mechanism=mechanism, user=USER, password=PASSWORD, accept=True)
    with smtp_server(box, auth=True):
        done = send_in_a_process(site, smtp_env(box.port))
    assert done.returncode == 1 and box.received == []
    (line,) = done.stderr.splitlines()
    assert "refused the sender digest@example.org (550 5.7.1 sender not allowed for AUTH" in line
    assert "***" in line  # quoted, with the secrets blanked
    assert_no_secret(done.stderr, box)
    assert len(line) < 700  # the server's words are cut to 200 characters


def test_a_bug_while_explaining_a_reply_leaves_no_secret_in_the_traceback(site, monkeypatch, capsys, caplog):
    # An internal error right where the server's echoing reply is being explained: the
    # traceback file must not hold smtplib's exception (it carries the reply's bytes).
    box = EchoingMailbox(mechanism="PLAIN", user=USER, password=PASSWORD, accept=True)
    for name, value in smtp_env(0).items():
        if name.startswith("SITEGEN_"):
            monkeypatch.setenv(name, value)

    def broken(self, reply):
        raise RuntimeError("a bug in sitegen")

    monkeypatch.setattr(Explainer, "words", broken)
    caplog.set_level(logging.DEBUG)
    with smtp_server(box, auth=True):
        monkeypatch.setenv("SITEGEN_SMTP_URL", smtp_env(box.port)["SITEGEN_SMTP_URL"])
        assert run(site, "--send") == 1
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: a bug in sitegen" in err
    path = Path(re.search(r"the full traceback is in (\S+);", err).group(1))
    saved = path.read_text()
    path.unlink()
    assert "RuntimeError: a bug in sitegen" in saved
    assert "SMTPSenderRefused" not in saved and "During handling" not in saved
    assert_no_secret(err + saved, box)
    ours = [r.getMessage() for r in caplog.records if not r.name.startswith("mail.log")]  # not the server's
    assert_no_secret("\n".join(ours), box)


def test_no_smtplib_exception_is_chained_to_a_mail_error():
    # Their args hold the server's bytes; a chained one would show in any traceback or repr.
    with smtp_server(EchoingMailbox(mechanism="PLAIN", user=USER, password=PASSWORD), auth=True) as box:
        server = parse_smtp_url(smtp_env(box.port)["SITEGEN_SMTP_URL"])
        with pytest.raises(MailError) as info, Mailer(server, 5):
            pass
    error = info.value
    assert error.__context__ is None and error.__cause__ is None
    assert_no_secret(repr(error) + str(error.args), box)
    assert USER not in repr(server) and PASSWORD not in repr(server)


def test_a_password_outside_ascii_is_one_line_without_its_characters(site, monkeypatch, capsys):
    password = "pässwörd-Ω"
    with smtp_server(Mailbox(user=USER, password=password), auth=True) as box:
        monkeypatch.setenv("SITEGEN_SMTP_URL", smtp_env(box.port, password=password)["SITEGEN_SMTP_URL"])
        monkeypatch.setenv("SITEGEN_DIGEST_TO", "ada@example.org")
        assert run(site, "--send") == 1
    err = capsys.readouterr().err
    assert "has a character outside ASCII" in err and len(err.splitlines()) == 1
    for char in "äöΩ":  # smtplib's UnicodeEncodeError names the character and its position
        assert char not in err and ascii(char).strip("'") not in err
    assert not leaks(err, password)


def test_the_server_words_are_cut_to_one_short_line():
    server = parse_smtp_url(f"smtp://{USER}:{quote(PASSWORD, safe='')}@{HOST}:25")
    mailer = Mailer(server, 5)
    reply = b"5.7.1 " + b"no\r\n\x1b[2J" * 20_000 + PASSWORD.encode()
    text = mailer.explain(smtp.smtplib.SMTPDataError(554, reply))
    assert len(text) < 300 and "\x1b" not in text and "\n" not in text
    assert text.startswith(f"smtp://{HOST}:25 answered 554 5.7.1 no [2Jno")
