"""Handing digests to the server so that none goes out twice: pending, send, settle.

Each digest is written down as pending in the state file before it is handed over, settled
once the server accepted it, taken back when the server refused it. Every way this can go
wrong is one line saying what was sent and what to run (`Commands`): the state file cannot
be written (nothing is sent), the connection broke after the whole message went out (it
stays pending: the user decides), the record of an accepted message cannot be saved ("sent
but not recorded"), or an earlier run left a digest pending (`PendingError`).
"""

from __future__ import annotations

import os
import shlex
from datetime import date
from email.headerregistry import Address
from pathlib import Path

from sitegen.config.settings import Config, TopicConfig
from sitegen.digest import select as sel
from sitegen.digest.compose import Composed, as_bytes
from sitegen.digest.smtp import Mailer, MailError
from sitegen.digest.state import SentState, StateWriteError
from sitegen.errors import SitegenError


class PendingError(SitegenError):
    """Digests an earlier run may have sent: not sent again without the user's word."""

    exit_code = 1


class Reported(MailError):
    """A failure of one message whose line already says everything (what was sent, what to run)."""


def send_all(made: list[Composed], state: SentState, server, to: list[str], sender: Address,
             timeout: float, echo, commands: Commands) -> None:
    """Send every digest in `made` over one connection, each under the pending protocol."""
    current = ", ".join(c.name for c in made)  # what failed, if the connection itself fails
    try:
        with Mailer(server, timeout) as mailer:
            for composed in made:
                current = composed.name
                send_one(mailer, composed, state, sender, to, commands)
                count = composed.selection.count
                echo(f"sitegen digest: sent {composed.name} ({count} paper{'s' if count != 1 else ''}) to "
                     f"{len(to)} recipient{'s' if len(to) != 1 else ''} through {server.shown}")
    except Reported:
        raise
    except MailError as exc:  # the server could not be reached or refused: nothing is pending
        raise MailError(f"could not send {current}: {exc}; nothing was recorded as sent for it, "
                        "so the next run tries again") from None


def send_one(mailer: Mailer, composed: Composed, state: SentState, sender: Address, to: list[str],
             commands: Commands) -> None:
    """Pending record, hand over, settle; every failure is one line saying what to do."""
    d, key, name, path = composed.selection.day, composed.selection.key, composed.name, shown(state.path)
    try:
        state.begin(d, key, composed.message_id, composed.selection.count)
    except StateWriteError as exc:
        raise Reported(f"cannot write {path} ({exc.why}), where {name} is written down before it is sent, so "
                       f"it was not sent: fix {path} (or [digest] state), then run again") from None
    try:
        mailer.send(as_bytes(composed.message), sender.addr_spec, to)
    except MailError as exc:
        if exc.maybe_sent:
            raise Reported(f"{name} may have been sent: the whole message was handed over, but {exc}; {path} "
                           f"holds it as pending, so no run sends it again on its own: {commands.decide(d, key)}"
                           ) from None
        try:
            state.forget(d, key)
        except StateWriteError as again:
            raise Reported(f"could not send {name}: {exc}; nothing was sent, but {path} could not be updated "
                           f"({again.why}) and still holds it as pending: fix {path}, then send it with "
                           f"`{commands.resend(d, key)}`") from None
        raise
    try:
        state.settle(d, key)
    except StateWriteError as exc:
        raise Reported(f"sent {name} but not recorded: {path} could not be written ({exc.why}); fix {path}, "
                       f"then record it with `{commands.mark_sent(d, key)}`") from None


def pending_message(blocked: list[tuple[date, str]], state: SentState, commands: Commands) -> str:
    """Why the pending digests were not sent, and the two commands to decide with."""
    names = ", ".join(sel.record_name(d, k) for d, k in blocked)
    one = len(blocked) == 1
    d, key = blocked[0] if one else (None, None)
    return (f"{names} may have gone out already: {'its' if one else 'their'} send was not confirmed "
            f"({shown(state.path)} holds {'it' if one else 'them'} as pending), so {'it is' if one else 'they are'} "
            f"not sent again on {'its' if one else 'their'} own: {commands.decide(d, key)}")


def shown(path: Path) -> str:
    """A path as the user would type it: relative to the current folder when inside it."""
    rel = os.path.relpath(path)
    return str(path) if rel.startswith("..") else rel


class Commands:
    """The commands a message tells the user to run, for the digests of this run."""

    def __init__(self, config: Config, chosen: tuple[TopicConfig, ...]):
        self.base = "sitegen digest"
        if config.path.resolve() != Path("sitegen.toml").resolve():
            self.base += f" --config {shlex.quote(shown(config.path))}"
        self.topics = "" if len(chosen) == len(config.topics) else "".join(f" --topic {t.slug}" for t in chosen)

    def _args(self, day: date | None, key: str | None) -> str:
        topics = self.topics
        if key is not None and not sel.daily_key(key).startswith(sel.COMBINED):
            topics = f" --topic {sel.daily_key(key)}"  # per-topic: the one digest
        return (f" --day {day.isoformat()}" if day else "") + topics

    def mark_sent(self, day: date | None, key: str | None) -> str:
        return f"{self.base} --mark-sent{self._args(day, key)}"

    def resend(self, day: date | None, key: str | None) -> str:
        return f"{self.base} --send --resend{self._args(day, key)}"

    def decide(self, day: date | None, key: str | None) -> str:
        it = "it" if day else "they"
        return (f"if {it} arrived, record {'it' if day else 'them'} with `{self.mark_sent(day, key)}`; "
                f"if not, send {'it' if day else 'them'} again with `{self.resend(day, key)}`")


