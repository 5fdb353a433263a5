"""`sitegen migrate announced-days`: re-date the snapshots the arXiv API path dated by their
submission day, with the mailing arXiv's calendar gives (sitegen.sources.arxiv.calendar).

Before the calendar, an API record's `announced` was its submission date (UTC): weekends
included, a day or more before the RSS feed's date. Such a snapshot is recognised by what it
holds, with no marker needed: `arxiv` among its sources, `announced` equal to the date of
`published`, and a `published` that is a real submission time, not the midnight stamp an RSS
item (00:00 New York) or a listing (00:00 UTC) carries, whose date is the RSS day already. A
re-dated snapshot no longer matches (its mailing is always after the submission's UTC date),
so a second run changes nothing. Only the `announced:` line changes, in place; each file is
replaced atomically, under the fetch lock so no fetch writes at the same time.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, time
from pathlib import Path
from typing import TextIO

from sitegen.atomic import atomic_write
from sitegen.config.settings import Config
from sitegen.fetch.lock import FetchLock
from sitegen.fetch.pipeline import lock_folder
from sitegen.model import Paper
from sitegen.safe_fs import UnsafeFile, is_link, read_regular_file, walk_files
from sitegen.snapshot.format import SnapshotError, parse_snapshot, split_front_matter
from sitegen.snapshot.store import MAX_BYTES
from sitegen.sources.arxiv.calendar import EASTERN, announcement_day


@dataclass(frozen=True)
class Change:
    path: Path
    paper: Paper
    new: date
    text: str  # the file's new text


def api_dated(paper: Paper) -> bool:
    """True when `announced` is the submission date the API path used to give."""
    stamp = paper.published
    feed_stamp = stamp.astimezone(UTC).time() == time(0) or stamp.astimezone(EASTERN).time() == time(0)
    return "arxiv" in paper.sources and paper.announced == stamp.astimezone(UTC).date() and not feed_stamp


def redate(text: str, paper: Paper, new: date) -> str | None:
    """`text` with its front matter's `announced:` line set to `new`, every other byte kept;
    None when the file has no single such line (a hand-written form)."""
    front, _, _ = split_front_matter(text)
    old_line = f"\nannounced: {paper.announced.isoformat()}\n"
    if ("\n" + front).count(old_line) != 1:
        return None
    at = text.index(old_line, 3)  # the front matter starts the file: its first match is the key
    result = text[:at] + f"\nannounced: {new.isoformat()}\n" + text[at + len(old_line):]
    return result if parse_snapshot(result) == replace(paper, announced=new) else None


def snapshot_files(folder: Path) -> Iterator[Path]:
    """Every `*.md` under folder, sorted, never through a symlink (sitegen makes none there)."""
    return iter(sorted(path for rel, path in walk_files(folder).items()
                       if rel.endswith(".md") and not path.name.startswith(".") and not is_link(path)))


def plan(content: Path) -> tuple[list[Change], list[str], int]:
    """(the changes to make, one line per file that cannot be read or re-dated, files read)."""
    changes, problems, read = [], [], 0
    for path in snapshot_files(content / "papers"):
        try:
            text = read_regular_file(path, MAX_BYTES, "a snapshot").decode("utf-8")
            paper = parse_snapshot(text)
        except SnapshotError as exc:
            problems.append(f"{path}:{exc.line}: {exc.message}; left as it is (fix it, then run again)")
            continue
        except UnsafeFile as exc:
            problems.append(f"{exc}; left as it is")
            continue
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{path}: cannot read ({exc}); left as it is")
            continue
        read += 1
        if not api_dated(paper):
            continue
        new = announcement_day(paper.published)
        if new == paper.announced:  # only at the calendar's far end (year 9999): nothing to do
            continue
        changed = redate(text, paper, new)
        if changed is None:
            problems.append(f"{path}: no single 'announced: {paper.announced}' line in its front matter; "
                            f"set it to {new} by hand")
            continue
        changes.append(Change(path, paper, new, changed))
    return changes, problems, read


def describe(change: Change) -> str:
    submitted = change.paper.published.astimezone(EASTERN)
    return (f"{change.path}: announced {change.paper.announced} -> {change.new} ({change.new:%a}; "
            f"submitted {submitted:%a %Y-%m-%d %H:%M} US Eastern)")


def migrate_announced_days(config: Config, *, dry_run: bool, out: TextIO) -> int:
    """Print every change (made, or with `dry_run` only shown) and a summary; return the exit
    code: 0 done, 1 a file could not be read, re-dated or written (the others are done)."""
    content = config.build.content
    with FetchLock(lock_folder(config)):
        changes, problems, read = plan(content)
        written = 0
        for change in changes:
            print(("would re-date " if dry_run else "") + describe(change), file=out)
            if dry_run:
                continue
            try:
                atomic_write(change.path, change.text.encode("utf-8"), durable=True)
            except OSError as exc:
                problems.append(f"cannot write {change.path}: {exc.strerror or exc}; the {written} re-dated before "
                                "it are saved; free disk space or fix permissions, then run again")
                break
            written += 1
    for problem in problems:
        print(f"sitegen migrate: {problem}", file=out)
    weekend = sum(c.paper.announced.weekday() >= 5 for c in changes)
    verb = "would re-date" if dry_run else "re-dated"
    count = len(changes) if dry_run else written
    print(f"sitegen migrate announced-days: {verb} {count} of {read} snapshots in {content} "
          f"({weekend} were on a Saturday or Sunday); {len(problems)} problem{'s' if len(problems) != 1 else ''}",
          file=out)
    return 1 if problems else 0
