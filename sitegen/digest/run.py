"""The `sitegen digest` command: pick what to send, compose it, write it out or send it.

- `--out DIR`: the chosen day's messages as .eml files (a preview; the state is not read).
- `--send`: every digest not yet sent, through the SMTP server. Each is written down as
  pending in the state file before it is handed over and settled once the server accepted
  it (sitegen.digest.state). Without `--day` that is the newest day with papers plus, when
  an earlier run failed or did not run, the days since the last digest that went out (at
  most CATCH_UP of them), oldest first. With no record at all only the newest day goes out:
  a new subscriber list does not get the archive. A digest left pending by an earlier run
  may have gone out: it is not sent again, and the run says how to decide; `--resend` sends
  it again.
- `--mark-sent`: record digests as sent without sending: the pending ones (of `--day`, or of
  every day), or with `--day` the day's digests even without a record (one that went out but
  whose record was lost).

Exit status: 0 sent, written, recorded or nothing to do (said in one line); 1 the server
failed or refused (nothing recorded for that message: the next run retries), a digest sent
but not recorded, a pending digest waiting for the user's word, or bad content; 2 usage or
configuration errors, including `--send` without SMTP settings.
"""

from __future__ import annotations

import os
from datetime import date
from email.headerregistry import Address
from pathlib import Path
from urllib.parse import urlsplit

from sitegen.config.settings import Config, TopicConfig
from sitegen.digest import select as sel
from sitegen.digest.compose import Composed, Composer, write_eml
from sitegen.digest.deliver import Commands, PendingError, pending_message, send_all, shown
from sitegen.digest.settings import DEFAULT_STATE, ENV_FROM, ENV_TO, recipients, sender_address
from sitegen.digest.smtp import ENV_URL, parse_smtp_url
from sitegen.digest.state import SentState, StateError, StateWriteError
from sitegen.errors import UsageError
from sitegen.site.load import load_entries
from sitegen.topic_citations import apply_min_citations

CATCH_UP = 5  # announcement days: one week of arXiv's Sunday-to-Thursday announcements


def run_digest(config: Config, day: date | None = None, topics: list[str] | tuple[str, ...] = (),
               out: Path | None = None, send: bool = False, mark_sent: bool = False, resend: bool = False,
               environ=None, echo=print) -> int:
    environ = os.environ if environ is None else environ
    if [out is not None, send, mark_sent].count(True) != 1:
        raise UsageError("give one of --out DIR, --send or --mark-sent")
    if resend and not send:
        raise UsageError("--resend goes with --send")
    chosen = _topics(config, topics)
    if send:  # settings first: a missing secret should not wait for content to load
        server, to, sender = _mail_settings(config, environ)
    else:
        sender = sender_address(config.digest, environ)
        note = "" if sender else f" (no sender set: From is a placeholder until [digest] from or {ENV_FROM})"
        sender = sender or _placeholder_sender(config)
    keys = sel.digest_keys(config.digest.mode, chosen, config.topics)
    if mark_sent:
        return _mark_sent(config, chosen, keys, day, sender, echo)
    verb = "send" if send else "write"

    entries = sel.in_scope(_entries(config), chosen)
    days = sel.days_with_papers(entries)
    if day is not None and day not in days:
        echo(f"sitegen digest: no papers on {_topic_names(chosen, config)} were announced on {day.isoformat()}; "
             f"nothing to {verb}")
        return 0
    if not days:
        echo(f"sitegen digest: no papers on {_topic_names(chosen, config)} in {config.build.content}; "
             f"nothing to {verb}")
        return 0

    composer = Composer(config, sender)
    if out is not None:  # --out: write, send nothing
        target = day or days[-1]
        made = _compose(composer, entries, [(target, k) for k in keys], chosen)
        paths = [write_eml(out, c) for c in made]
        echo(f"sitegen digest: wrote {len(paths)} message{'s' if len(paths) != 1 else ''} for {target.isoformat()} "
             f"to {out}: {', '.join(p.name for p in paths)}{note}")
        return 0

    state = SentState.load(_state_path(config))
    todo = pending(state, days, keys, day, resend)
    blocked = [p for p in state.pending(keys) if p not in todo]
    made = _compose(composer, entries, todo, chosen)
    if not made and not blocked:
        newest = day or days[-1]
        echo(f"sitegen digest: the digest for {newest.isoformat()} ({', '.join(keys)}) was already sent; "
             "nothing to send")
        return 0
    if made:
        send_all(made, state, server, to, sender, config.digest.timeout, echo, Commands(config, chosen))
    if blocked:
        raise PendingError(pending_message(blocked, state, Commands(config, chosen)))
    return 0


def pending(state: SentState, days: list[date], keys: list[str], day: date | None,
            resend: bool = False) -> list[tuple[date, str]]:
    """(day, key) of every digest to send now, oldest day first. A pending record is not sent
    again, unless `resend` (then every pending record of `keys` is, or those of `day`)."""
    todo = set()
    for key in keys:
        if day is not None:
            candidates = [day]
        else:
            last = state.last_sent(key)
            candidates = days[-1:] if last is None else [d for d in days if d > last][-CATCH_UP:]
        todo |= {(d, key) for d in candidates if state.record_of(d, key) is None}
    if resend:
        todo |= {(d, k) for d, k in state.pending(keys) if day is None or d == day}
    order = {k: i for i, k in enumerate(keys)}
    return sorted(todo, key=lambda t: (t[0], order[t[1]]))


def _compose(composer: Composer, entries, targets, chosen: tuple[TopicConfig, ...]) -> list[Composed]:
    made = []
    for d, key in targets:
        selection = sel.select(entries, d, key, chosen)
        if selection is not None:  # a topic without papers that day gets no message
            made.append(composer.compose(selection, chosen))
    return made


def _mark_sent(config: Config, chosen: tuple[TopicConfig, ...], keys: list[str], day: date | None,
               sender: Address, echo) -> int:
    """Record digests as sent without sending them: the user's word that they arrived."""
    state = SentState.load(_state_path(config))
    targets = [p for p in state.pending(keys) if day is None or p[0] == day]
    if day is not None:  # the day's digests, pending or not: a record may have been lost
        targets += [(day, k) for k in keys if state.record_of(day, k) is None]
    settled, recorded = [], []
    missing = [t for t in targets if state.record_of(*t) is None]
    made: dict[tuple[date, str], Composed] = {}
    if missing:  # composed for its Message-ID and count, as --send would have sent it
        composed = _compose(Composer(config, sender), sel.in_scope(_entries(config), chosen), missing, chosen)
        made = {(c.selection.day, c.selection.key): c for c in composed}
    try:
        for d, key in sorted(targets):
            if state.is_pending(d, key):
                state.settle(d, key)
                settled.append(f"{d.isoformat()}-{key}")
            elif (d, key) in made:
                c = made[(d, key)]
                state.record(d, key, c.message_id, c.selection.count)
                recorded.append(c.name)
    except StateWriteError as exc:
        raise StateError(f"cannot write {shown(state.path)} ({exc.why}); nothing was recorded: fix it, then run "
                         "the command again") from None
    if not settled and not recorded:
        where = f"on {day.isoformat()}" if day else "in " + shown(state.path)
        echo(f"sitegen digest: no digest pending or unrecorded {where} ({', '.join(keys)}); nothing to record")
        return 0
    done = [f"{', '.join(settled)} (pending) as sent"] if settled else []
    done += [f"{', '.join(recorded)} as sent (no record before)"] if recorded else []
    echo(f"sitegen digest: recorded {'; '.join(done)} in {shown(state.path)}; nothing was sent")
    return 0


def _state_path(config: Config) -> Path:
    return config.digest.state or config.root / DEFAULT_STATE


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


def _entries(config: Config) -> list:
    """content/'s papers with their topics as the site has them (min_citations included)."""
    return list(apply_min_citations(config, load_entries(config)))
