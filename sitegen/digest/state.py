"""digests-sent.json: which digests the SMTP server has accepted, so none goes out twice.

Kept in the repository, not in a cache: GitHub Actions runners start empty, and the nightly
workflow commits this file after sending. A digest is recorded only after the server
accepted it, so a failed send leaves no trace and the next run tries again.

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

Only announcement days within KEEP_DAYS of the newest recorded day are kept (counted from
the data, not the clock, so pruning is deterministic too). No recipient is ever stored: the
file is public in a public repository.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from sitegen.atomic import atomic_write
from sitegen.errors import SitegenError

VERSION = 1
KEEP_DAYS = 90


class StateError(SitegenError):
    """The state file cannot be read or understood; sending nothing is the safe answer."""

    exit_code = 1


@dataclass
class SentState:
    path: Path
    sent: dict[str, dict[str, dict]] = field(default_factory=dict)  # day -> key -> record

    @classmethod
    def load(cls, path: Path) -> SentState:
        try:
            raw = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls(path)  # no digest sent yet
        except (OSError, UnicodeDecodeError) as exc:
            raise StateError(f"{path}: cannot read ({exc}); fix or restore the file, then run again") from None
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise StateError(f"{path}: not valid JSON (line {exc.lineno}: {exc.msg}); restore it from git "
                             "(git checkout -- the file) and run again") from None
        if not isinstance(data, dict) or data.get("version") != VERSION:
            raise StateError(f"{path}: not a sitegen digest record (expected \"version\": {VERSION})")
        sent = data.get("sent")
        if not isinstance(sent, dict) or not all(_is_day(d) and isinstance(v, dict) for d, v in sent.items()):
            raise StateError(f"{path}: \"sent\" must map YYYY-MM-DD days to digests; restore it from git")
        return cls(path, {d: dict(v) for d, v in sent.items()})

    def was_sent(self, day: date, key: str) -> bool:
        return key in self.sent.get(day.isoformat(), {})

    def last_sent(self, key: str) -> date | None:
        """The newest day whose digest `key` went out."""
        days = [d for d, keys in self.sent.items() if key in keys]
        return date.fromisoformat(max(days)) if days else None

    def record(self, day: date, key: str, message_id: str, papers: int) -> None:
        """Note an accepted digest and save at once: a later failure in the same run must not
        lose the record of what already went out."""
        self.sent.setdefault(day.isoformat(), {})[key] = {"message_id": message_id, "papers": papers}
        self._prune()
        self.save()

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(self.path, self.to_bytes(), durable=True)

    def to_bytes(self) -> bytes:
        data = {"sent": self.sent, "version": VERSION}
        return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=True) + "\n").encode("ascii")

    def _prune(self) -> None:
        if not self.sent:
            return
        oldest = date.fromisoformat(max(self.sent)) - timedelta(days=KEEP_DAYS)
        self.sent = {d: v for d, v in self.sent.items() if date.fromisoformat(d) > oldest}


def _is_day(text) -> bool:
    try:
        return isinstance(text, str) and date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False
