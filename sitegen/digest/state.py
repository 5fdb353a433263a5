"""digests-sent.json: which digests the SMTP server has accepted, so none goes out twice.

Kept in the repository, not in a cache: GitHub Actions runners start empty, and the nightly
workflow commits this file after sending.

Never twice: a digest is written down as *pending* before it is handed to the server, and
*settled* (the mark removed) once the server accepted it. If the server refuses it, the
pending record is taken back and the next run tries again. A record still pending when a
run starts means a run sent it, or may have, and could not say so (the file could not be
written, the connection broke after the whole message was handed over, the process was
killed): that digest is not sent again until the user says so (`sitegen digest --mark-sent`
if it arrived, `--send --resend` if not). And if the pending record cannot be written,
nothing is sent.

Format (sorted keys, two-space indent, trailing newline: the same record gives the same
bytes, and a nightly commit shows one new line per digest):

    {
      "sent": {
        "2026-08-13": {
          "combined": {
            "message_id": "<2026-08-13-combined.3150c5ad08dec35c1e79@owner.github.io>",
            "papers": 139
          }
        }
      },
      "version": 1
    }

A pending record also has `"pending": true`. Files written before pending records existed
load unchanged, and an older sitegen reads a pending record as sent: the safe side.

Only announcement days within KEEP_DAYS of the newest recorded day are kept (counted from
the data, not the clock, so pruning is deterministic too); a pending record is kept until it
is settled. No recipient is ever stored: the file is public in a public repository. What is
loaded is checked and bounded (size, days, numbers, lengths): a damaged file is one line
naming it, and nothing is sent.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from sitegen.atomic import atomic_write
from sitegen.errors import SitegenError
from sitegen.safe_fs import UnsafeFile, read_regular_file

VERSION = 1
KEEP_DAYS = 90
# Bounds on what is loaded. 90 days of per-topic digests for 300 topics is about 4 MB.
MAX_BYTES = 16 * 1024 * 1024
FIRST_DAY = date(1991, 8, 14)  # arXiv's first day: no announcement is older
MAX_KEY_CHARS = 1000  # "combined_<slug>_<slug>..." for a --topic subset
MAX_MESSAGE_ID_CHARS = 998  # RFC 5322's line limit
MAX_PAPERS = 1_000_000
_FIELDS = {"message_id", "papers", "pending"}


class StateError(SitegenError):
    """The state file cannot be read or understood; sending nothing is the safe answer."""

    exit_code = 1


class StateWriteError(StateError):
    """The state file could not be saved; `why` is the system's reason, for the caller's line."""

    def __init__(self, path: Path, why: str):
        self.path, self.why = path, why
        super().__init__(f"{path}: cannot write ({why})")


@dataclass
class SentState:
    path: Path
    sent: dict[str, dict[str, dict]] = field(default_factory=dict)  # day -> key -> record
    existed: bool = True  # False: there was no file, so taking back the only record removes it

    @classmethod
    def load(cls, path: Path) -> SentState:
        raw = _read(path)
        if raw is None:
            return cls(path, existed=False)  # no digest sent yet
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise _damaged(path, f"not valid JSON (line {exc.lineno}: {exc.msg})") from None
        except (ValueError, RecursionError):  # an integer of 5000 digits; "[[[[..." nested too deep
            raise _damaged(path, "not valid JSON (a number too long or nesting too deep)") from None
        if not isinstance(data, dict) or type(data.get("version")) is not int or data["version"] != VERSION:
            raise StateError(f"{path}: not a sitegen digest record (expected \"version\": {VERSION})")
        sent = data.get("sent")
        if not isinstance(sent, dict):
            raise _damaged(path, "\"sent\" must map YYYY-MM-DD days to digests")
        for day, digests in sent.items():
            problem = _day_problem(day) or _digests_problem(digests)
            if problem:
                raise _damaged(path, f"\"sent\" {_shown(day)}: {problem}")
        return cls(path, {d: {k: dict(r) for k, r in v.items()} for d, v in sent.items()})

    # --- questions ------------------------------------------------------------------------

    def was_sent(self, day: date, key: str) -> bool:
        """True when the server accepted this digest (a settled record)."""
        record = self.sent.get(day.isoformat(), {}).get(key)
        return record is not None and not record.get("pending")

    def is_pending(self, day: date, key: str) -> bool:
        record = self.sent.get(day.isoformat(), {}).get(key)
        return record is not None and bool(record.get("pending"))

    def pending(self, keys) -> list[tuple[date, str]]:
        """(day, key) of every pending record of `keys`, oldest first."""
        wanted = set(keys)
        return sorted((date.fromisoformat(d), k) for d, records in self.sent.items()
                      for k, r in records.items() if k in wanted and r.get("pending"))

    def last_sent(self, key: str) -> date | None:
        """The newest day whose digest `key` went out, or may have (a pending record)."""
        days = [d for d, keys in self.sent.items() if key in keys]
        return date.fromisoformat(max(days)) if days else None

    def record_of(self, day: date, key: str) -> dict | None:
        return self.sent.get(day.isoformat(), {}).get(key)

    # --- changes, each saved at once ------------------------------------------------------

    def begin(self, day: date, key: str, message_id: str, papers: int) -> None:
        """Write the digest down as pending, before it is handed to the server."""
        self._set(day, key, {"message_id": message_id, "papers": papers, "pending": True})

    def settle(self, day: date, key: str) -> None:
        """The server accepted it (or the user says it arrived): no longer pending."""
        record = self.record_of(day, key)
        assert record is not None, "settle() follows begin()"
        self._set(day, key, {k: v for k, v in record.items() if k != "pending"})

    def forget(self, day: date, key: str) -> None:
        """The server refused it: take the pending record back, so the next run tries again."""
        records = self.sent.get(day.isoformat(), {})
        if records.pop(key, None) is None:
            return
        if not records:
            del self.sent[day.isoformat()]
        if self.sent or self.existed:
            self.save()
            return
        try:  # the file this run made for that one record: as if nothing had happened
            os.unlink(self.path)
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise StateWriteError(self.path, exc.strerror or type(exc).__name__) from None

    def record(self, day: date, key: str, message_id: str, papers: int) -> None:
        """Note an accepted digest and save at once."""
        self._set(day, key, {"message_id": message_id, "papers": papers})

    def _set(self, day: date, key: str, record: dict) -> None:
        self.sent.setdefault(day.isoformat(), {})[key] = record
        self._prune()
        self.save()

    def save(self) -> None:
        """Write the file atomically; StateWriteError (naming the file and why) if it cannot."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, self.to_bytes(), durable=True)
        except FileExistsError:  # what mkdir says when a file stands where a folder should
            raise StateWriteError(self.path, "a file stands where its folder should be") from None
        except OSError as exc:
            raise StateWriteError(self.path, exc.strerror or type(exc).__name__) from None

    def to_bytes(self) -> bytes:
        data = {"sent": self.sent, "version": VERSION}
        return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=True) + "\n").encode("ascii")

    def _prune(self) -> None:
        if not self.sent:
            return
        oldest = date.fromisoformat(max(self.sent)) - timedelta(days=KEEP_DAYS)
        self.sent = {d: v for d, v in self.sent.items()
                     if date.fromisoformat(d) > oldest or any(r.get("pending") for r in v.values())}


def _read(path: Path) -> bytes | None:
    """The file's bytes; None when there is none. Never through a link, never from a FIFO or
    device, never more than MAX_BYTES (safe_fs.read_regular_file)."""
    try:
        return read_regular_file(path, MAX_BYTES, "a record of sent digests")
    except (FileNotFoundError, NotADirectoryError):
        return None  # a folder on the way that is a file: there is no record there either
    except UnsafeFile as exc:
        raise StateError(f"{exc}; put the record of sent digests there, or set [digest] state to another path "
                         "(nothing was sent)") from None
    except OSError as exc:
        raise StateError(f"{path}: cannot read ({exc.strerror}); fix or restore the file, then run again") from None


def _damaged(path: Path, what: str) -> StateError:
    return StateError(f"{path}: {what}; restore it from git (git checkout -- {path.name}) or fix it, "
                      "then run again (nothing was sent)")


def _shown(value) -> str:
    text = value if isinstance(value, str) else repr(value)
    text = "".join(c if c.isprintable() else "?" for c in text[:40])
    return json.dumps(text + ("…" if len(str(value)) > 40 else ""), ensure_ascii=False)


def _day_problem(text) -> str | None:
    try:
        day = date.fromisoformat(text) if isinstance(text, str) and len(text) == 10 else None
    except ValueError:
        day = None
    if day is None or day.isoformat() != text:
        return "not a day in the form YYYY-MM-DD"
    if day < FIRST_DAY:
        return f"a day before {FIRST_DAY.isoformat()}, when arXiv began"
    return None


def _digests_problem(digests) -> str | None:
    if not isinstance(digests, dict):
        return "must map digest names to records"
    for key, record in digests.items():
        if not (0 < len(key) <= MAX_KEY_CHARS and key.isprintable() and not any(c.isspace() for c in key)):
            return f"{_shown(key)} is not a digest name"
        problem = _record_problem(record)
        if problem:
            return f"{_shown(key)}: {problem}"
    return None


def _record_problem(record) -> str | None:
    if not isinstance(record, dict):
        return "must be a record with message_id and papers"
    unknown = sorted(set(record) - _FIELDS)
    if unknown:
        return f"unknown field {_shown(unknown[0])}"
    message_id = record.get("message_id")
    if not (isinstance(message_id, str) and 0 < len(message_id) <= MAX_MESSAGE_ID_CHARS
            and message_id.isascii() and message_id.isprintable()):
        return f"message_id must be a Message-ID of at most {MAX_MESSAGE_ID_CHARS} characters"
    papers = record.get("papers")
    if type(papers) is not int or not 0 <= papers <= MAX_PAPERS:
        return f"papers must be a whole number from 0 to {MAX_PAPERS}"
    if "pending" in record and record["pending"] is not True:
        return "pending, when present, must be true"
    return None
