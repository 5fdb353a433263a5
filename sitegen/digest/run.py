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

With `[digest] cadence = "weekly"` the same holds for weeks (sitegen.digest.weekly): a digest
per week that is over, `--day` naming any day of a week, at most weekly.CATCH_UP weeks a run.

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
from sitegen.digest import weekly as wk
from sitegen.digest.compose import Composed, Composer, write_eml
from sitegen.digest.deliver import Commands, PendingError, pending_message, send_all, shown
from sitegen.digest.settings import DEFAULT_STATE, ENV_FROM, ENV_TO, recipients, sender_address
from sitegen.digest.smtp import ENV_URL, parse_smtp_url
from sitegen.digest.state import SentState, StateError, StateWriteError
from sitegen.errors import UsageError
from sitegen.site.load import load_entries
from sitegen.site.periods import week_of
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
    weekly = config.digest.cadence == "weekly"
    keys, day = _keys(config, chosen, day, weekly)
    if mark_sent:
        return _mark_sent(config, chosen, keys, day, sender, echo, weekly)
    verb = "send" if send else "write"

    entries, days, every = _periods(config, chosen, weekly)
    if day is not None and day not in every:
        echo(f"sitegen digest: no papers on {_topic_names(chosen, config)} were announced {_when(day, weekly)}; "
             f"nothing to {verb}")
        return 0
    if not every:
        echo(f"sitegen digest: no papers on {_topic_names(chosen, config)} in {config.build.content}; "
             f"nothing to {verb}")
        return 0

    composer = Composer(config, sender)
    if out is not None:  # --out: write, send nothing (a week not over yet too: a preview)
        target = day or (days or every)[-1]
        paths = [write_eml(out, c) for c in _compose(composer, entries, [(target, k) for k in keys], chosen, weekly)]
        echo(f"sitegen digest: wrote {len(paths)} message{'s' if len(paths) != 1 else ''} for "
             f"{_named(target, weekly)} to {out}: {', '.join(p.name for p in paths)}{note}")
        return 0
    if (day not in days) if day is not None else not days:  # weekly: a week not over yet is not sent
        echo(f"sitegen digest: {_named(day or every[-1], weekly)} is not over yet (its digest goes out once papers "
             "of a later week arrive); nothing to send")
        return 0

    state = SentState.load(_state_path(config))
    todo = pending(state, days, keys, day, resend, wk.CATCH_UP if weekly else CATCH_UP)
    blocked = [p for p in state.pending(keys) if p not in todo]
    made = _compose(composer, entries, todo, chosen, weekly)
    if not made and not blocked:
        last = day or days[-1]
        echo(f"sitegen digest: the digest for {_named(last, weekly)} ({', '.join(keys)}) was already sent; "
             "nothing to send")
        return 0
    if made:
        send_all(made, state, server, to, sender, config.digest.timeout, echo, Commands(config, chosen))
    if blocked:
        raise PendingError(pending_message(blocked, state, Commands(config, chosen)))
    return 0


def _keys(config: Config, chosen: tuple[TopicConfig, ...], day: date | None,
          weekly: bool) -> tuple[list[str], date | None]:
    """The run's digest keys, and `--day` as its record's day: a week's digests are recorded
    under its Monday (weekly.WEEKLY keys), and any day of the week names it."""
    keys = sel.digest_keys(config.digest.mode, chosen, config.topics)
    if not weekly:
        return keys, day
    return wk.weekly_keys(keys), week_of(day).first if day is not None else None


def _periods(config: Config, chosen: tuple[TopicConfig, ...], weekly: bool) -> tuple[list, list[date], list[date]]:
    """The papers of the chosen topics, the days whose digests may go out (oldest first), and
    every day with papers: the same days, or for a weekly digest the Mondays of the weeks
    that are over, and of every week."""
    loaded = _entries(config)
    entries = sel.in_scope(loaded, chosen)
    if not weekly:
        days = sel.days_with_papers(entries)
        return entries, days, days
    newest = wk.newest_day(loaded)
    return entries, wk.week_days(entries, newest), wk.week_days(entries, newest, over_only=False)


def pending(state: SentState, days: list[date], keys: list[str], day: date | None,
            resend: bool = False, catch_up: int = CATCH_UP) -> list[tuple[date, str]]:
    """(day, key) of every digest to send now, oldest day first (a weekly digest's day: its
    week's Monday). A pending record is not sent again, unless `resend` (then every pending
    record of `keys` is, or those of `day`)."""
    todo = set()
    for key in keys:
        if day is not None:
            candidates = [day]
        else:
            last = state.last_sent(key)
            candidates = days[-1:] if last is None else [d for d in days if d > last][-catch_up:]
        todo |= {(d, key) for d in candidates if state.record_of(d, key) is None}
    if resend:
        todo |= {(d, k) for d, k in state.pending(keys) if day is None or d == day}
    order = {k: i for i, k in enumerate(keys)}
    return sorted(todo, key=lambda t: (t[0], order[t[1]]))


def _compose(composer: Composer, entries, targets, chosen: tuple[TopicConfig, ...],
             weekly: bool = False) -> list[Composed]:
    made = []
    select = wk.select_week if weekly else sel.select
    for d, key in targets:
        selection = select(entries, d, key, chosen)
        if selection is not None:  # a topic without papers that day gets no message
            made.append(composer.compose(selection, chosen))
    return made


def _mark_sent(config: Config, chosen: tuple[TopicConfig, ...], keys: list[str], day: date | None,
               sender: Address, echo, weekly: bool = False) -> int:
    """Record digests as sent without sending them: the user's word that they arrived."""
    state = SentState.load(_state_path(config))
    targets = [p for p in state.pending(keys) if day is None or p[0] == day]
    if day is not None:  # the day's digests, pending or not: a record may have been lost
        targets += [(day, k) for k in keys if state.record_of(day, k) is None]
    settled, recorded = [], []
    missing = [t for t in targets if state.record_of(*t) is None]
    made: dict[tuple[date, str], Composed] = {}
    if missing:  # composed for its Message-ID and count, as --send would have sent it
        composed = _compose(Composer(config, sender), sel.in_scope(_entries(config), chosen), missing, chosen,
                            weekly)
        made = {(c.selection.day, c.selection.key): c for c in composed}
    try:
        for d, key in sorted(targets):
            if state.is_pending(d, key):
                state.settle(d, key)
                settled.append(sel.record_name(d, key))
            elif (d, key) in made:
                c = made[(d, key)]
                state.record(d, key, c.message_id, c.selection.count)
                recorded.append(c.name)
    except StateWriteError as exc:
        raise StateError(f"cannot write {shown(state.path)} ({exc.why}); nothing was recorded: fix it, then run "
                         "the command again") from None
    if not settled and not recorded:
        where = _when(day, weekly) if day else "in " + shown(state.path)
        echo(f"sitegen digest: no digest pending or unrecorded {where} ({', '.join(keys)}); nothing to record")
        return 0
    done = [f"{', '.join(settled)} (pending) as sent"] if settled else []
    done += [f"{', '.join(recorded)} as sent (no record before)"] if recorded else []
    echo(f"sitegen digest: recorded {'; '.join(done)} in {shown(state.path)}; nothing was sent")
    return 0


def _named(day: date, weekly: bool) -> str:
    """"2026-08-13", or "week 2026-W33" (the week holding `day`)."""
    return f"week {week_of(day).key}" if weekly else day.isoformat()


def _when(day: date, weekly: bool) -> str:
    """"on 2026-08-13", or "in week 2026-W33"."""
    return f"{'in' if weekly else 'on'} {_named(day, weekly)}"


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
