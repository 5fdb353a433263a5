"""Never twice: a digest is written down as pending before it is sent and settled after.

Against a real SMTP server (aiosmtpd on 127.0.0.1) that counts what it receives across
reruns: the record of an accepted digest cannot be saved (a folder replaced by a file, a
full disk), the record cannot be written before sending (then nothing is sent), the client
is killed between the server's receipt and the record, the connection breaks after the
last byte. In each case the mail arrives exactly once unless the user says to send it
again, and every message is one line naming the file and the command to run.
"""

from __future__ import annotations

import asyncio
import errno
import json
import os
import re
import shlex
import subprocess
import sys
import time

import pytest

import sitegen.digest.state
from sitegen.cli import main
from sitegen.digest.state import MAX_BYTES, SentState, StateError
from tests.digest_support import DAY, digest_site, run
from tests.smtp_support import HOST, Mailbox, smtp_server

RECORD = "digests-sent.json"


@pytest.fixture
def site(tmp_path):
    return digest_site(tmp_path / "site")


@pytest.fixture
def env(monkeypatch):
    for name in ("SITEGEN_SMTP_URL", "SITEGEN_DIGEST_TO", "SITEGEN_DIGEST_FROM", "SITEGEN_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SITEGEN_DIGEST_TO", "ada@example.org")

    def point_at(port: int) -> None:
        monkeypatch.setenv("SITEGEN_SMTP_URL", f"smtp://{HOST}:{port}")

    return point_at


def one_error(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    return err


def command_in(line: str, option: str) -> list[str]:
    """The `sitegen digest ... OPTION ...` a message tells the user to run, as argv."""
    (cmd,) = [c for c in re.findall(r"`(sitegen digest [^`]*)`", line) if option in c]
    return shlex.split(cmd)[1:]


def record(path) -> dict:
    return json.loads(path.read_text())["sent"]


# --- the record cannot be saved after the server accepted ------------------------------------

class ReplaceFolderOnReceipt(Mailbox):
    """Once it has the message, the state's folder becomes a file: the settle must fail."""

    folder = None

    async def handle_DATA(self, server, session, envelope):
        status = await super().handle_DATA(server, session, envelope)
        self.folder.rename(self.folder.with_name("state-moved"))
        self.folder.write_text("not a folder\n")
        return status


def test_sent_but_not_recorded_then_never_again_until_recorded(tmp_path, env, capsys):
    site = digest_site(tmp_path / "site", 'state = "state/digests-sent.json"\n')
    box = ReplaceFolderOnReceipt()
    box.folder = site.root / "state"
    with smtp_server(box):
        env(box.port)
        assert run(site, "--send") == 1
        err = one_error(capsys)
        assert len(box.received) == 1
        assert f"sent 2026-08-13-combined but not recorded: {site.root / 'state' / RECORD} could not be written" in err
        assert "; fix " in err and "then record it with `sitegen digest --config " in err
        mark = command_in(err, "--mark-sent")
        assert mark[-3:] == ["--mark-sent", "--day", "2026-08-13"]
        # The user fixes the folder: the pending record written before sending is back.
        (site.root / "state").unlink()
        (site.root / "state-moved").rename(site.root / "state")
        assert record(site.root / "state" / RECORD)["2026-08-13"]["combined"]["pending"] is True
        for _ in range(2):  # every run refuses, and says what to run
            assert run(site, "--send") == 1
            err = one_error(capsys)
            assert "2026-08-13-combined may have gone out already" in err and "holds it as pending" in err
            assert command_in(err, "--mark-sent") == mark
            assert command_in(err, "--resend")[-4:] == ["--send", "--resend", "--day", "2026-08-13"]
        assert main(mark) == 0
        assert "recorded 2026-08-13-combined (pending) as sent" in capsys.readouterr().out
        assert "pending" not in record(site.root / "state" / RECORD)["2026-08-13"]["combined"]
        assert run(site, "--send") == 0
        assert "was already sent; nothing to send" in capsys.readouterr().out
    assert len(box.received) == 1, "exactly one message across every rerun"


def test_disk_full_when_settling_the_second_of_two(tmp_path, env, capsys, monkeypatch):
    # Per-topic: the first digest is settled, the second is accepted and then the disk is full.
    site = digest_site(tmp_path / "site", 'mode = "per-topic"\n')
    real, writes = sitegen.digest.state.atomic_write, []

    def atomic_write(path, data, durable=False):
        writes.append(json.loads(data))
        if len(writes) == 4:  # vision pending, vision settled, llm pending, llm settled: full
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(path, data, durable)

    monkeypatch.setattr(sitegen.digest.state, "atomic_write", atomic_write)
    with smtp_server() as box:
        env(box.port)
        assert run(site, "--send") == 1
        err = one_error(capsys)
        assert "sent 2026-08-13-llm but not recorded" in err and "(No space left on device)" in err
        assert command_in(err, "--mark-sent")[-5:] == ["--mark-sent", "--day", "2026-08-13", "--topic", "llm"]
        monkeypatch.setattr(sitegen.digest.state, "atomic_write", real)  # space again
        sent = record(site.root / RECORD)["2026-08-13"]
        assert "pending" not in sent["vision"] and sent["llm"]["pending"] is True
        assert run(site, "--send") == 1
        assert "2026-08-13-llm may have gone out already" in one_error(capsys)
    assert [r.message["Subject"].split(" · ")[1] for r in box.received] == ["Vision", "Language Models"]


# --- the record cannot be written before sending: nothing is sent ----------------------------

def test_a_state_path_under_a_file_sends_nothing(tmp_path, env, capsys):
    site = digest_site(tmp_path / "site", 'state = "not-a-folder/digests-sent.json"\n')
    (site.root / "not-a-folder").write_text("a file\n")
    with smtp_server() as box:
        env(box.port)
        assert run(site, "--send") == 1
    err = one_error(capsys)
    assert f"cannot write {site.root / 'not-a-folder' / RECORD} (a file stands where its folder should be)" in err
    assert "so it was not sent: fix" in err
    assert box.received == []


def test_a_read_only_folder_sends_nothing(site, env, capsys, monkeypatch):
    # The tests run as root, where permission bits stop no write: the write itself fails.
    def read_only(path, data, durable=False):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))

    monkeypatch.setattr(sitegen.digest.state, "atomic_write", read_only)
    with smtp_server() as box:
        env(box.port)
        assert run(site, "--send") == 1
    err = one_error(capsys)
    assert "(Read-only file system)" in err and "so it was not sent: fix" in err
    assert box.received == [] and not (site.root / RECORD).exists()


# --- a crash between the server's receipt and the record -------------------------------------

class HoldsItsAnswer(Mailbox):
    """Receives the message, then waits before answering 250 until the test says so."""

    released = False

    async def handle_DATA(self, server, session, envelope):
        status = await super().handle_DATA(server, session, envelope)
        while not self.released:
            await asyncio.sleep(0.02)
        return status


def test_killed_after_handing_over_leaves_it_pending_and_it_goes_again_only_on_resend(site, env, capsys):
    box = HoldsItsAnswer()
    with smtp_server(box):
        env(box.port)
        client = subprocess.Popen([sys.executable, "-m", "sitegen", "digest", "--config", str(site.config_path),
                                   "--send"], env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while not box.received and time.monotonic() < deadline and client.poll() is None:
            time.sleep(0.02)
        client.kill()  # the server has the message; the client never hears "250"
        client.communicate(timeout=30)
        box.released = True
        assert len(box.received) == 1
        assert record(site.root / RECORD)["2026-08-13"]["combined"]["pending"] is True
        assert run(site, "--send") == 1
        err = one_error(capsys)
        assert "2026-08-13-combined may have gone out already" in err
        assert run(site, "--send") == 1 and len(box.received) == 1
        capsys.readouterr()
        assert run(site, "--send", "--resend") == 0  # the user's word: it did not arrive
        assert len(box.received) == 2
        assert "pending" not in record(site.root / RECORD)["2026-08-13"]["combined"]
        assert run(site, "--send", "--resend") == 0 and len(box.received) == 2  # settled: not again


class HangsUpAfterTheMessage(Mailbox):
    """Takes the whole message, then closes the connection without a word."""

    async def handle_DATA(self, server, session, envelope):
        await super().handle_DATA(server, session, envelope)
        server.transport.close()
        return None


def test_a_connection_broken_after_the_last_byte_stays_pending(site, env, capsys):
    with smtp_server(HangsUpAfterTheMessage()) as box:
        env(box.port)
        assert run(site, "--send") == 1
        err = one_error(capsys)
        assert "2026-08-13-combined may have been sent: the whole message was handed over, but " in err
        assert "closed the connection before confirming it" in err and "holds it as pending" in err
        assert command_in(err, "--mark-sent")[-3:] == ["--mark-sent", "--day", "2026-08-13"]
        assert run(site, "--send") == 1 and "may have gone out already" in one_error(capsys)
    assert len(box.received) == 1


def test_a_refusal_takes_the_pending_record_back(site, env, capsys):
    class Refuses(Mailbox):
        async def handle_DATA(self, server, session, envelope):
            return "554 5.7.1 Message rejected"

    with smtp_server(Refuses()) as box:
        env(box.port)
        assert run(site, "--send") == 1
        assert "554 5.7.1 Message rejected" in one_error(capsys)
    assert not (site.root / RECORD).exists(), "as if nothing had happened: the next run tries again"


# --- --mark-sent and --resend ----------------------------------------------------------------

def test_mark_sent_with_nothing_pending_and_resend_without_send(site, env, capsys):
    assert run(site, "--mark-sent") == 0
    assert "nothing to record" in capsys.readouterr().out
    assert run(site, "--mark-sent", "--day", DAY.isoformat()) == 0  # a lost record: the day's digest
    assert "recorded 2026-08-13-combined as sent (no record before)" in capsys.readouterr().out
    message_id = record(site.root / RECORD)["2026-08-13"]["combined"]["message_id"]
    assert message_id.startswith("<2026-08-13-combined.")
    assert main(["digest", "--config", str(site.config_path), "--resend", "--out", "x"]) == 2
    assert "--resend goes with --send" in capsys.readouterr().err


# --- the file: old ones load, bad ones are one line and nothing is sent -----------------------

def test_a_file_from_before_pending_records_loads_and_keeps_its_bytes(tmp_path):
    path = tmp_path / RECORD
    old = (b'{\n  "sent": {\n    "2026-08-13": {\n      "combined": {\n        "message_id": '
           b'"<2026-08-13-combined.3150c5ad08dec35c1e79@owner.github.io>",\n        "papers": 139\n'
           b'      }\n    }\n  },\n  "version": 1\n}\n')
    path.write_bytes(old)
    state = SentState.load(path)
    assert state.was_sent(DAY, "combined") and state.pending(["combined"]) == []
    assert state.to_bytes() == old


DAMAGED = {
    "papers as a 5000-digit number": '{"version": 1, "sent": {"2026-08-13": {"combined": '
                                     '{"message_id": "<a@b>", "papers": ' + "9" * 5000 + '}}}}',
    "papers negative": '{"version": 1, "sent": {"2026-08-13": {"combined": {"message_id": "<a@b>", "papers": -1}}}}',
    "papers true": '{"version": 1, "sent": {"2026-08-13": {"combined": {"message_id": "<a@b>", "papers": true}}}}',
    "papers NaN": '{"version": 1, "sent": {"2026-08-13": {"combined": {"message_id": "<a@b>", "papers": NaN}}}}',
    "version true": '{"version": true, "sent": {}}',
    "year 0001": '{"version": 1, "sent": {"0001-01-01": {}}}',
    "a day before arXiv": '{"version": 1, "sent": {"1970-01-01": {}}}',
    "a day not ISO": '{"version": 1, "sent": {"20260813": {}}}',
    "a 2000-character name": '{"version": 1, "sent": {"2026-08-13": {"' + "k" * 2000 + '": {}}}}',
    "an unknown field": '{"version": 1, "sent": {"2026-08-13": {"combined": '
                        '{"message_id": "<a@b>", "papers": 1, "to": "x@y"}}}}',
    "pending false": '{"version": 1, "sent": {"2026-08-13": {"combined": '
                     '{"message_id": "<a@b>", "papers": 1, "pending": false}}}}',
    "a message id with a line break": '{"version": 1, "sent": {"2026-08-13": {"combined": '
                                      '{"message_id": "<a@b>\\r\\nBcc: x", "papers": 1}}}}',
    "nested 100k deep": "[" * 100_000 + "]" * 100_000,
}


@pytest.mark.parametrize("content", DAMAGED.values(), ids=list(DAMAGED))
def test_a_damaged_file_is_one_line_naming_it_and_nothing_is_sent(site, env, capsys, content):
    (site.root / RECORD).write_text(content)
    with smtp_server() as box:
        env(box.port)
        assert run(site, "--send") == 1
    err = one_error(capsys)
    assert str(site.root / RECORD) in err and len(err) < 400
    assert box.received == []


def test_a_huge_a_linked_or_a_fifo_record_is_refused_without_reading_it(tmp_path):
    path = tmp_path / RECORD
    with open(path, "wb") as f:
        f.truncate(MAX_BYTES + 1)  # sparse: the size alone refuses it
    with pytest.raises(StateError, match="over the 16,777,216-byte cap"):
        SentState.load(path)
    path.unlink()
    outside = tmp_path / "outside.json"
    outside.write_text('{"version": 1, "sent": {}}')
    path.symlink_to(outside)
    with pytest.raises(StateError, match="is a symbolic link"):
        SentState.load(path)
    path.unlink()
    os.mkfifo(path)  # reading a FIFO would wait forever for a writer
    with pytest.raises(StateError, match="not a regular file"):
        SentState.load(path)


def test_a_pending_record_outlives_pruning(tmp_path):
    from datetime import timedelta

    from sitegen.digest.state import KEEP_DAYS

    state = SentState.load(tmp_path / RECORD)
    state.begin(DAY, "combined", "<old@x>", 3)  # never settled
    state.record(DAY + timedelta(days=KEEP_DAYS + 30), "combined", "<new@x>", 5)
    again = SentState.load(tmp_path / RECORD)
    assert again.pending(["combined"]) == [(DAY, "combined")]
    assert again.last_sent("combined") == DAY + timedelta(days=KEEP_DAYS + 30)
