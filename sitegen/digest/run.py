"""The `sitegen digest` command: pick what to send, compose it, write it out or send it.

- `--out DIR`: the chosen day's messages as .eml files (a preview; the state is not read).
- `--send`: every digest not yet sent, through the SMTP server, recording each one in the
  state file as soon as the server accepted it. Without `--day` that is the newest day with
  papers plus, when an earlier run failed or did not run, the days since the last digest
  that went out (at most CATCH_UP of them), oldest first. With no record at all only the
  newest day goes out: a new subscriber list does not get the archive.

Exit status: 0 sent, written or nothing to do (said in one line); 1 the server failed or
refused (nothing recorded for that message: the next run retries) or bad content; 2 usage
or configuration errors, including `--send` without SMTP settings.
"""

from __future__ import annotations

import os
from datetime import date
from email.headerregistry import Address
from pathlib import Path
from urllib.parse import urlsplit

from sitegen.build.load import load_entries
from sitegen.config.settings import Config, TopicConfig
from sitegen.digest import select as sel
from sitegen.digest.compose import Composed, Composer, as_bytes, write_eml
from sitegen.digest.settings import DEFAULT_STATE, ENV_FROM, ENV_TO, recipients, sender_address
from sitegen.digest.smtp import ENV_URL, Mailer, MailError, parse_smtp_url
from sitegen.digest.state import SentState
from sitegen.errors import UsageError

CATCH_UP = 5  # announcement days: one week of arXiv's Sunday-to-Thursday announcements


def run_digest(config: Config, day: date | None = None, topics: list[str] | tuple[str, ...] = (),
               out: Path | None = None, send: bool = False, environ=None, echo=print) -> int:
    environ = os.environ if environ is None else environ
    if (out is None) == (not send):
        raise UsageError("give one of --out DIR or --send")
    chosen = _topics(config, topics)
    if send:  # settings first: a missing secret should not wait for content to load
        server, to, sender = _mail_settings(config, environ)
    else:
        sender = sender_address(config.digest, environ)
        note = "" if sender else f" (no sender set: From is a placeholder until [digest] from or {ENV_FROM})"
        sender = sender or _placeholder_sender(config)
    verb = "send" if send else "write"

    entries = sel.in_scope(load_entries(config), chosen)
    days = sel.days_with_papers(entries)
    if day is not None and day not in days:
        echo(f"sitegen digest: no papers on {_topic_names(chosen, config)} were announced on {day.isoformat()}; "
             f"nothing to {verb}")
        return 0
    if not days:
        echo(f"sitegen digest: no papers on {_topic_names(chosen, config)} in {config.build.content}; "
             f"nothing to {verb}")
        return 0

    keys = sel.digest_keys(config.digest.mode, chosen, config.topics)
    composer = Composer(config, sender)
    if out is not None:  # --out: write, send nothing
        target = day or days[-1]
        made = _compose(composer, entries, [(target, k) for k in keys], chosen)
        paths = [write_eml(out, c) for c in made]
        echo(f"sitegen digest: wrote {len(paths)} message{'s' if len(paths) != 1 else ''} for {target.isoformat()} "
             f"to {out}: {', '.join(p.name for p in paths)}{note}")
        return 0

    state = SentState.load(config.digest.state or config.root / DEFAULT_STATE)
    todo = pending(state, days, keys, day)
    made = _compose(composer, entries, todo, chosen)
    if not made:
        newest = day or days[-1]
        echo(f"sitegen digest: the digest for {newest.isoformat()} ({', '.join(keys)}) was already sent; "
             "nothing to send")
        return 0
    _send_all(made, state, server, to, sender, config.digest.timeout, echo)
    return 0


def pending(state: SentState, days: list[date], keys: list[str], day: date | None) -> list[tuple[date, str]]:
    """(day, key) of every digest to send now, oldest day first."""
    todo = []
    for key in keys:
        if day is not None:
            candidates = [day]
        else:
            last = state.last_sent(key)
            candidates = days[-1:] if last is None else [d for d in days if d > last][-CATCH_UP:]
        todo += [(d, key) for d in candidates if not state.was_sent(d, key)]
    order = {k: i for i, k in enumerate(keys)}
    return sorted(todo, key=lambda t: (t[0], order[t[1]]))


def _compose(composer: Composer, entries, targets, chosen: tuple[TopicConfig, ...]) -> list[Composed]:
    made = []
    for d, key in targets:
        selection = sel.select(entries, d, key, chosen)
        if selection is not None:  # a topic without papers that day gets no message
            made.append(composer.compose(selection, chosen))
    return made


def _send_all(made: list[Composed], state: SentState, server, to: list[str], sender: Address,
              timeout: float, echo) -> None:
    current = ", ".join(c.name for c in made)  # what failed, if the connection itself fails
    try:
        with Mailer(server, timeout) as mailer:
            for composed in made:
                current = composed.name
                mailer.send(as_bytes(composed.message), sender.addr_spec, to)
                # Recorded (and saved) the moment the server accepted it, before the next one.
                state.record(composed.selection.day, composed.selection.key, composed.message_id,
                             composed.selection.count)
                count = composed.selection.count
                echo(f"sitegen digest: sent {composed.name} ({count} paper{'s' if count != 1 else ''}) to "
                     f"{len(to)} recipient{'s' if len(to) != 1 else ''} through {server.shown}")
    except MailError as exc:
        raise MailError(f"could not send {current}: {exc}; nothing was recorded as sent for it, "
                        "so the next run tries again") from None


def _mail_settings(config: Config, environ):
    url = environ.get(ENV_URL, "").strip()
    if not url:
        raise UsageError(f"--send needs the SMTP server in {ENV_URL} (smtp://user:password@host:587 or "
                         f"smtps://user:password@host:465), recipients in {ENV_TO} or [digest] to, and a "
                         f"sender in [digest] from or {ENV_FROM}")
    server = parse_smtp_url(url)
    to = recipients(config.digest, environ)
    if not to:
        raise UsageError(f"--send needs recipients: set {ENV_TO} (comma-separated) or [digest] to")
    sender = sender_address(config.digest, environ)
    if sender is None:
        raise UsageError(f"--send needs a sender: set [digest] from or {ENV_FROM}")
    return server, to, sender


def _placeholder_sender(config: Config) -> Address:
    # --out is a preview: it may run before any address is chosen.
    host = urlsplit(config.site.base_url).hostname or "localhost"
    return Address(display_name=config.site.title, username="noreply", domain=host)


def _topics(config: Config, slugs) -> tuple[TopicConfig, ...]:
    known = {t.slug: t for t in config.topics}
    for slug in slugs:
        if slug not in known:
            raise UsageError(f"--topic {slug!r} is not a topic in {config.path.name}; "
                             f"expected one of {', '.join(known) or '(none configured)'}")
    if not config.topics:
        raise UsageError(f"{config.path.name} has no [[topics]]: a digest lists the papers of its topics")
    wanted = set(slugs)
    return tuple(t for t in config.topics if not wanted or t.slug in wanted)  # config order


def _topic_names(chosen: tuple[TopicConfig, ...], config: Config) -> str:
    if len(chosen) == len(config.topics):
        return "the configured topics"
    return ", ".join(t.title for t in chosen)
