"""`sitegen digest --send` against a real SMTP server (aiosmtpd on 127.0.0.1).

Messages are received, parsed back with the email package and checked; TLS uses a CA made
in the test and trusted through SSL_CERT_FILE; every failure (login refused, server down,
recipient refused, timeout) exits 1, leaves the state file untouched and never shows the
password. Nothing here leaves 127.0.0.1.
"""

from __future__ import annotations

import json
import re
import smtplib
import time
from urllib.parse import quote

import pytest

from sitegen.digest.smtp import SmtpServer, parse_smtp_url
from sitegen.errors import UsageError
from tests.digest_support import (
    BASE_URL,
    DAY,
    EARLIER,
    LLM,
    LLM_ALL,
    OUT_OF_SCOPE,
    RECIPIENTS,
    VISION,
    digest_site,
    parts,
    run,
)
from tests.smtp_support import HOST, Mailbox, free_port, silent_server, smtp_server, tls_contexts

PASSWORD = Mailbox().password

# The test servers allow a login without TLS on purpose (loopback); aiosmtpd warns about it.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


@pytest.fixture
def site(tmp_path):
    return digest_site(tmp_path / "site")


@pytest.fixture
def env(monkeypatch):
    """The digest's environment as the workflow sets it, nothing inherited."""
    for name in ("SITEGEN_SMTP_URL", "SITEGEN_DIGEST_TO", "SITEGEN_DIGEST_FROM", "SITEGEN_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SITEGEN_DIGEST_TO", ", ".join(RECIPIENTS))

    def smtp_url(port, scheme="smtp", user=None, password=None):
        auth = f"{quote(user, safe='')}:{quote(password, safe='')}@" if user else ""
        monkeypatch.setenv("SITEGEN_SMTP_URL", f"{scheme}://{auth}{HOST}:{port}")

    return smtp_url


def state_of(site):
    path = site.root / "digests-sent.json"
    return path.read_bytes() if path.exists() else None


def ids_in(text: str) -> list[str]:
    return re.findall(r"arXiv:(\d{4}\.\d{5})", text)


def test_the_digest_arrives_with_both_parts_every_paper_and_absolute_links(site, env, capsys):
    with smtp_server() as box:
        env(box.port)
        assert run(site, "--send") == 0
    (got,) = box.received
    assert got.mail_from == "digest@example.org"
    assert got.rcpt_tos == RECIPIENTS  # the envelope: each recipient, none in a header
    msg = got.message
    assert msg["Subject"] == "Test Feeds · Thu 13 Aug 2026 · 4 papers on 2 topics"
    assert msg["To"] == "undisclosed-recipients:;"
    assert msg["From"] == "Digest Bot <digest@example.org>"
    assert msg["Date"] == "Thu, 13 Aug 2026 00:00:00 +0000"
    assert not msg.defects
    for address in RECIPIENTS:
        assert address not in got.data.decode("ascii")
    plain, html = parts(msg)
    # Every paper of the day on the topics, grouped by topic, most upvoted first; none other.
    assert ids_in(plain) == VISION + LLM
    assert ids_in(html) == VISION + LLM
    for pid in OUT_OF_SCOPE + ["2608.00010"]:
        assert pid not in plain and pid not in html
    for pid in VISION + LLM:
        assert f'href="{BASE_URL}papers/{pid}/"' in html
        assert f"{BASE_URL}papers/{pid}/" in plain
        assert f'href="https://arxiv.org/abs/{pid}"' in html
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs and all(h.startswith(("https://", "mailto:")) or re.fullmatch(r"#(topic|p)-[\w.-]+", h)
                         for h in hrefs), hrefs
    assert "(in full above, under Vision)" in plain  # the paper in both topics, shown in full once
    out = capsys.readouterr().out
    assert "sent 2026-08-13-combined (4 papers) to 2 recipients through smtp://127.0.0.1:" in out
    state = json.loads(state_of(site))
    assert state["sent"]["2026-08-13"]["combined"]["papers"] == 4
    assert state["sent"]["2026-08-13"]["combined"]["message_id"] == msg["Message-ID"]


def test_a_second_run_sends_nothing(site, env, capsys):
    with smtp_server() as box:
        env(box.port)
        assert run(site, "--send") == 0
        before = state_of(site)
        assert run(site, "--send") == 0
        assert run(site, "--send", "--day", DAY.isoformat()) == 0
    assert len(box.received) == 1
    assert state_of(site) == before
    assert "was already sent; nothing to send" in capsys.readouterr().out


def test_per_topic_mode_sends_one_message_per_topic(tmp_path, env):
    site = digest_site(tmp_path / "site", 'mode = "per-topic"\n')
    with smtp_server() as box:
        env(box.port)
        assert run(site, "--send") == 0
    subjects = [r.message["Subject"] for r in box.received]
    assert subjects == ["Test Feeds · Vision · Thu 13 Aug 2026 · 2 papers",
                        "Test Feeds · Language Models · Thu 13 Aug 2026 · 3 papers"]
    assert ids_in(parts(box.received[1].message)[0]) == LLM_ALL  # every paper of the topic
    assert set(json.loads(state_of(site))["sent"]["2026-08-13"]) == {"vision", "llm"}


def test_topic_option_and_an_earlier_day(site, env):
    with smtp_server() as box:
        env(box.port)
        assert run(site, "--send", "--day", EARLIER.isoformat(), "--topic", "vision") == 0
    (got,) = box.received
    assert got.message["Subject"] == "Test Feeds · Wed 12 Aug 2026 · 1 paper on 1 topic"
    assert json.loads(state_of(site))["sent"] == {
        "2026-08-12": {"combined_vision": {"message_id": got.message["Message-ID"], "papers": 1}}}


def test_starttls_with_login(site, env, tmp_path, monkeypatch):
    server_ctx, ca_pem = tls_contexts(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_pem))  # the client trusts the test CA, and checks it
    with smtp_server(auth=True, starttls=server_ctx) as box:
        env(box.port, user=box.user, password=box.password)
        assert run(site, "--send") == 0
    assert box.logins == [(box.user, box.password)]  # percent-decoded from the URL
    assert len(box.received) == 1


def test_starttls_with_an_untrusted_certificate_fails(site, env, tmp_path, capsys):
    server_ctx, _ = tls_contexts(tmp_path)  # SSL_CERT_FILE not set: the test CA is not trusted
    with smtp_server(auth=True, starttls=server_ctx) as box:
        env(box.port, user=box.user, password=box.password)
        assert run(site, "--send") == 1
    assert box.logins == [] and box.received == []
    err = capsys.readouterr().err
    assert "certificate" in err and PASSWORD not in err
    assert state_of(site) is None


def test_smtps_implicit_tls(site, env, tmp_path, monkeypatch):
    server_ctx, ca_pem = tls_contexts(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_pem))
    with smtp_server(auth=True, implicit_tls=server_ctx) as box:
        env(box.port, scheme="smtps", user=box.user, password=box.password)
        assert run(site, "--send") == 0
    assert len(box.received) == 1 and box.logins == [(box.user, box.password)]


def assert_failed_cleanly(site, capsys, *needles):
    out = capsys.readouterr()
    text = out.out + out.err
    assert state_of(site) is None, "a failed send must leave the state untouched"
    lines = out.err.strip().splitlines()
    assert len(lines) == 1, text
    assert "the next run tries again" in lines[0]
    assert f"smtp://{HOST}:" in lines[0] or f"smtps://{HOST}:" in lines[0], "the message names the server"
    for secret in (PASSWORD, quote(PASSWORD, safe=""), "digest@example.org:"):
        assert secret not in text
    for needle in needles:
        assert needle in lines[0]


def test_login_refused(site, env, capsys):
    with smtp_server(auth=True) as box:
        env(box.port, user=box.user, password=PASSWORD + "-wrong")
        assert run(site, "--send") == 1
    assert box.received == []
    assert_failed_cleanly(site, capsys, "refused the user name or password", "app password")
    # the wrong password is a password too: never shown
    assert PASSWORD + "-wrong" not in capsys.readouterr().err


def test_login_required_but_not_given(site, env, capsys):
    with smtp_server(auth=True) as box:
        env(box.port)  # no user or password in the URL
        assert run(site, "--send") == 1
    assert box.received == []
    assert_failed_cleanly(site, capsys, "requires a login", "SITEGEN_SMTP_URL")


def test_the_password_never_shows_in_a_real_process(site, env, tmp_path):
    # The command as the workflow runs it: a separate process, every byte it prints checked.
    import os
    import subprocess
    import sys

    with smtp_server(auth=True) as box:
        env(box.port, user=box.user, password=PASSWORD + "-wrong")
        done = subprocess.run([sys.executable, "-m", "sitegen", "digest", "--config", str(site.config_path),
                               "--send"], env=dict(os.environ), capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    output = done.stdout + done.stderr
    assert "Traceback" not in output and "refused the user name or password" in output
    for secret in (PASSWORD, quote(PASSWORD, safe=""), "s3cret"):
        assert secret not in output
    assert state_of(site) is None


def test_server_down(site, env, capsys):
    env(free_port(), user="digest@example.org", password=PASSWORD)  # nothing listens there
    assert run(site, "--send") == 1
    assert_failed_cleanly(site, capsys, "cannot talk to")


def test_recipient_refused_sends_to_no_one(site, env, capsys):
    with smtp_server(Mailbox(refuse={RECIPIENTS[1]})) as box:
        env(box.port)
        assert run(site, "--send") == 1
    assert box.received == [], "all or nothing: the accepted recipient must not get it either"
    assert_failed_cleanly(site, capsys, "refused 1 of 2 recipients", "g***@example.net")
    assert RECIPIENTS[1] not in capsys.readouterr().err


@pytest.mark.slow
def test_timeout(site, env, capsys):
    site.config_path.write_text(site.config_path.read_text() + "timeout = 1\n")
    with silent_server() as port:
        env(port)
        start = time.monotonic()
        assert run(site, "--send") == 1
        assert time.monotonic() - start < 10
    assert_failed_cleanly(site, capsys, "did not answer within 1 s")


def test_password_is_not_sent_over_plain_text_to_a_remote_host(site, env, capsys, monkeypatch):
    # A server without STARTTLS, reached as if it were remote: the client must not log in.
    with smtp_server(auth=True) as box:
        real = smtplib.SMTP._get_socket
        monkeypatch.setattr(smtplib.SMTP, "_get_socket",
                            lambda self, host, port, timeout: real(self, HOST, box.port, timeout))
        monkeypatch.setenv("SITEGEN_SMTP_URL", f"smtp://user:{quote(PASSWORD, safe='')}@mail.example.org:587")
        assert run(site, "--send") == 1
    assert box.logins == [] and box.received == []
    err = capsys.readouterr().err
    assert "does not offer STARTTLS: refusing to send the password unencrypted" in err
    assert PASSWORD not in err and state_of(site) is None


def test_a_failure_after_an_accepted_message_keeps_its_record(tmp_path, env, capsys):
    # Per-topic: the first message goes out, the second is refused; only the first is recorded.
    site = digest_site(tmp_path / "site", 'mode = "per-topic"\n')

    class RefuseSecond(Mailbox):
        async def handle_DATA(self, server, session, envelope):
            if self.received:
                return "554 5.7.1 Message rejected"
            return await super().handle_DATA(server, session, envelope)

    with smtp_server(RefuseSecond()) as box:
        env(box.port)
        assert run(site, "--send") == 1
    assert len(box.received) == 1
    assert set(json.loads(state_of(site))["sent"]["2026-08-13"]) == {"vision"}
    err = capsys.readouterr().err
    assert "could not send 2026-08-13-llm" in err and "554" in err
    with smtp_server() as box:  # the next run sends only what is missing
        env(box.port)
        assert run(site, "--send") == 0
    assert [r.message["Subject"] for r in box.received] == ["Test Feeds · Language Models · Thu 13 Aug 2026 · 3 papers"]


def test_catch_up_after_a_missed_day(site, env, capsys):
    (site.root / "digests-sent.json").write_text(json.dumps(
        {"version": 1, "sent": {"2026-08-11": {"combined": {"message_id": "<x@y>", "papers": 1}}}}))
    with smtp_server() as box:
        env(box.port)
        assert run(site, "--send") == 0
    dates = [r.message["Date"] for r in box.received]
    assert dates == ["Wed, 12 Aug 2026 00:00:00 +0000", "Thu, 13 Aug 2026 00:00:00 +0000"]  # oldest first
    assert sorted(json.loads(state_of(site))["sent"]) == ["2026-08-11", "2026-08-12", "2026-08-13"]


def test_first_run_sends_only_the_newest_day(site, env):
    with smtp_server() as box:
        env(box.port)
        assert run(site, "--send") == 0
    assert [r.message["Date"][:16] for r in box.received] == ["Thu, 13 Aug 2026"]


def test_send_without_settings_is_a_usage_error(site, monkeypatch, capsys):
    for name in ("SITEGEN_SMTP_URL", "SITEGEN_DIGEST_TO", "SITEGEN_DIGEST_FROM"):
        monkeypatch.delenv(name, raising=False)
    assert run(site, "--send") == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    for name in ("SITEGEN_SMTP_URL", "SITEGEN_DIGEST_TO", "SITEGEN_DIGEST_FROM"):
        assert name in err
    assert state_of(site) is None


def test_send_without_recipients_is_a_usage_error(site, env, monkeypatch, capsys):
    monkeypatch.delenv("SITEGEN_DIGEST_TO")
    env(free_port())
    assert run(site, "--send") == 2
    assert "SITEGEN_DIGEST_TO" in capsys.readouterr().err


def test_no_papers_that_day_sends_nothing(site, env, capsys):
    with smtp_server() as box:
        env(box.port)
        assert run(site, "--send", "--day", "2026-08-14") == 0
    assert box.received == [] and state_of(site) is None
    out = capsys.readouterr().out.strip().splitlines()
    assert out == ["sitegen digest: no papers on the configured topics were announced on 2026-08-14; nothing to send"]


@pytest.mark.parametrize("url,problem", [
    ("http://host:25", "scheme"), ("smtp://", "no host"), ("smtp://u:p@host:notaport", "port"),
    ("smtp://:secretpw@host:587", "user name"), ("smtp://u:secretpw@host:587/path?x=1", "nothing may follow"),
])
def test_bad_smtp_urls_are_usage_errors_that_do_not_repeat_the_url(url, problem):
    with pytest.raises(UsageError) as info:
        parse_smtp_url(url)
    assert problem in str(info.value) and "secretpw" not in str(info.value)


def test_smtp_url_parsing():
    server = parse_smtp_url("smtps://me%40gmail.com:ab%20cd%2Fef@smtp.gmail.com")
    assert server == SmtpServer("smtps", "smtp.gmail.com", 465, "me@gmail.com", "ab cd/ef")
    assert "ab cd/ef" not in repr(server) and server.shown == "smtps://smtp.gmail.com:465"
    assert parse_smtp_url("smtp://localhost").port == 587 and parse_smtp_url("smtp://[::1]:25").loopback
    assert server.redact("x ab cd/ef y ab%20cd%2Fef") == "x *** y ***"
