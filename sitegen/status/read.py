"""Reading the nightly records back, on a disk sitegen does not trust.

A record is read only if its name is a day (`2026-08-13.json`), it is a regular file and not
a symbolic link (sitegen.safe_fs), and it is at most MAX_BYTES; its JSON is parsed with every
number bounded (no `NaN`, no float, at most MAX_DIGITS digits: a 5,000-digit number is a short
message, not Python's), nesting past what the format has is refused, and every key, day, name
and count is checked. A record that fails is skipped with one line naming the file and the
problem: the status page and `sitegen status` judge the nights that are readable, and one
damaged night never hides the others nor stops a build.
"""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sitegen.echo import one_line
from sitegen.limits import EARLIEST_DAY, LATEST_DAY, MAX_COUNT, MAX_DIGITS
from sitegen.safe_fs import UnsafeFile, read_regular_file
from sitegen.status.record import (
    LABEL_CHARS,
    MAX_COUNTS,
    MAX_FAILURES,
    MAX_RUNS,
    REASON_CHARS,
    TYPES,
    VERSION,
    Failure,
    Night,
    Run,
    SourceRun,
    UpstreamCount,
)

# The largest record: MAX_RUNS runs of a few sources, each with MAX_FAILURES lines and a
# count per topic category set, is some 300 KB; a night's real record is 1-3 KB.
MAX_BYTES = 1_000_000
MAX_SOURCES = 50
MAX_CATEGORIES = 500  # a topic's categories; the config allows no more topics than this
# A folder holding more entries than this is not sitegen's: stop listing rather than walk it.
MAX_ENTRIES = 100_000
NAME = re.compile(r"(\d{4})-(\d{2})-(\d{2})\.json")
_SOURCE_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
_CATEGORY = re.compile(r"[A-Za-z0-9.-]{1,40}")
_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


class BadRecord(ValueError):
    """One line: what is wrong with a record, without its file (the caller names it)."""


def night_day(name: str) -> date | None:
    """The day a record's file name gives (`2026-08-13.json`), or None for any other name."""
    m = NAME.fullmatch(name)
    if m is None:
        return None
    try:
        day = date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None
    return day if EARLIEST_DAY <= day <= LATEST_DAY else None


def record_names(folder: Path) -> tuple[list[str], list[str]]:
    """(the record names in `folder`, oldest first; problems). Missing folder: none."""
    names: list[str] = []
    try:
        with os.scandir(folder) as entries:
            for seen, entry in enumerate(entries):
                if seen >= MAX_ENTRIES:
                    return sorted(names), [f"{folder}: holds more than {MAX_ENTRIES:,} entries; read the "
                                           "records among the first ones only (is it really the status folder?)"]
                if night_day(entry.name) is not None:
                    names.append(entry.name)
    except (FileNotFoundError, NotADirectoryError):
        return [], []
    except OSError as exc:
        return [], [f"{folder}: cannot list the nightly records ({exc.strerror or exc})"]
    return sorted(names), []


def load_nights(folder: Path, newest: int) -> tuple[list[Night], list[str]]:
    """The `newest` readable records in `folder`, oldest first, and one line per record
    skipped. Only the newest `newest` names are opened, so reading is bounded whatever
    the folder holds."""
    names, problems = record_names(folder)
    nights = []
    for name in names[-newest:] if newest > 0 else []:
        path = folder / name
        try:
            nights.append(read_night(path))
        except UnsafeFile as exc:
            problems.append(f"{exc}; skipped this night")
        except OSError as exc:
            problems.append(f"{path}: cannot read ({exc.strerror or exc}); skipped this night")
        except BadRecord as exc:
            problems.append(f"{path}: {exc}; skipped this night (fix or delete it)")
    return nights, problems


def read_night(path: Path) -> Night:
    """One record; UnsafeFile (a link, not a regular file, too big), OSError or BadRecord."""
    day = night_day(path.name)
    if day is None:
        raise BadRecord("not a nightly record's name (YYYY-MM-DD.json)")
    raw = read_regular_file(path, MAX_BYTES, "a nightly record")
    night = parse_night(raw)
    if night.day != day:
        raise BadRecord(f"\"day\" is {night.day}, not the {day} of its file name")
    return night


def parse_night(raw: bytes) -> Night:
    """A record from its bytes; BadRecord with a short reason for anything malformed."""
    try:
        text = raw.decode("utf-8")
        data = json.loads(text, parse_constant=_no_constant, parse_float=_no_float, parse_int=_bounded_int)
    except UnicodeDecodeError:
        raise BadRecord("not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise BadRecord(f"not valid JSON (line {exc.lineno}: {exc.msg})") from None
    except RecursionError:  # "[[[[..." a million deep
        raise BadRecord("not a nightly record (nested far deeper than the format)") from None
    except ValueError as exc:  # from the three hooks below
        raise BadRecord(str(exc)) from None
    obj = _object(data, "the record", {"day", "runs", "version"})
    if obj["version"] != VERSION or type(obj["version"]) is not int:
        raise BadRecord(f"not a sitegen nightly record (expected \"version\": {VERSION})")
    runs = _list(obj["runs"], "runs", MAX_RUNS)
    return Night(_day(obj["day"], "day"), tuple(_run(r, f"runs[{i}]") for i, r in enumerate(runs, 1)))


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number here (counts are whole numbers)")


def _no_float(text: str) -> Any:
    raise ValueError(f"{text[:20]!r} is not a whole number (counts are whole numbers)")


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise ValueError(f"a {len(text.lstrip('-')):,}-digit number (counts have at most {MAX_DIGITS} digits)")
    return int(text)


def _run(value: Any, where: str) -> Run:
    obj = _object(value, where, {"backfill", "finished", "since", "until", "sources"})
    if not isinstance(obj["backfill"], bool):
        raise BadRecord(f"{where}.backfill: expected true or false")
    sources = _object(obj["sources"], f"{where}.sources", None)
    if len(sources) > MAX_SOURCES:
        raise BadRecord(f"{where}.sources: more than {MAX_SOURCES} sources")
    parsed = []
    for name, source in sources.items():
        if not _SOURCE_NAME.fullmatch(name):
            raise BadRecord(f"{where}.sources: {_shown(name)} is not a source name")
        parsed.append((name, _source(source, f"{where}.sources.{name}")))
    return Run(finished=_stamp(obj["finished"], f"{where}.finished"), since=_day(obj["since"], f"{where}.since"),
               until=_day(obj["until"], f"{where}.until"), backfill=obj["backfill"], sources=tuple(parsed))


_SOURCE_KEYS = {"asked", "answered", "failed", "failures", "new", "updated", "unchanged", "left_out", "counts"}


def _source(value: Any, where: str) -> SourceRun:
    obj = _object(value, where, _SOURCE_KEYS)
    n = {key: _count(obj[key], f"{where}.{key}") for key in sorted(_SOURCE_KEYS - {"failures", "counts"})}
    failures = tuple(_failure(f, f"{where}.failures[{i}]")
                     for i, f in enumerate(_list(obj["failures"], f"{where}.failures", MAX_FAILURES), 1))
    counts = tuple(_upstream(c, f"{where}.counts[{i}]")
                   for i, c in enumerate(_list(obj["counts"], f"{where}.counts", MAX_COUNTS), 1))
    return SourceRun(asked=n["asked"], answered=n["answered"], failed=n["failed"], failures=failures,
                     new=n["new"], updated=n["updated"], unchanged=n["unchanged"], left_out=n["left_out"],
                     counts=counts)


def _failure(value: Any, where: str) -> Failure:
    obj = _object(value, where, {"unit", "reason"})
    return Failure(_text(obj["unit"], f"{where}.unit", LABEL_CHARS), _text(obj["reason"], f"{where}.reason",
                                                                          REASON_CHARS))


def _upstream(value: Any, where: str) -> UpstreamCount:
    obj = _object(value, where, {"feed", "categories", "day", "announced", "types"})
    if obj["feed"] not in ("rss", "listing"):
        raise BadRecord(f"{where}.feed: expected \"rss\" or \"listing\"")
    categories = _list(obj["categories"], f"{where}.categories", MAX_CATEGORIES)
    for i, category in enumerate(categories, 1):
        if not isinstance(category, str) or not _CATEGORY.fullmatch(category):
            raise BadRecord(f"{where}.categories[{i}]: {_shown(category)} is not an arXiv category")
    types = _object(obj["types"], f"{where}.types", None)
    for key in types:
        if key not in TYPES:
            raise BadRecord(f"{where}.types: {_shown(key)} is not one of {', '.join(TYPES)}")
    day = None if obj["day"] is None else _day(obj["day"], f"{where}.day")
    return UpstreamCount(feed=obj["feed"], categories=tuple(categories), day=day,
                         announced=_count(obj["announced"], f"{where}.announced"),
                         types=tuple((k, _count(types[k], f"{where}.types.{k}")) for k in TYPES if k in types))


# --- one value each ------------------------------------------------------------------------

def _object(value: Any, where: str, keys: set[str] | None) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise BadRecord(f"{where}: expected an object")
    if keys is not None and set(value) != keys:
        extra, missing = sorted(set(value) - keys), sorted(keys - set(value))
        what = f"unknown key {_shown(extra[0])}" if extra else f"no {_shown(missing[0])}"
        raise BadRecord(f"{where}: {what}")
    return value


def _list(value: Any, where: str, most: int) -> list[Any]:
    if not isinstance(value, list):
        raise BadRecord(f"{where}: expected a list")
    if len(value) > most:
        raise BadRecord(f"{where}: {len(value):,} items; at most {most:,}")
    return value


def _count(value: Any, where: str) -> int:
    if type(value) is not int or not 0 <= value <= MAX_COUNT:
        raise BadRecord(f"{where}: expected a whole number in 0..{MAX_COUNT:,}")
    return value


def _day(value: Any, where: str) -> date:
    try:
        day = date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        day = None
    if day is None or not EARLIEST_DAY <= day <= LATEST_DAY:
        raise BadRecord(f"{where}: expected a day YYYY-MM-DD in {EARLIEST_DAY}..{LATEST_DAY}")
    return day


def _stamp(value: Any, where: str) -> datetime:
    try:
        if isinstance(value, str) and _STAMP.fullmatch(value):
            when = datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
            if EARLIEST_DAY <= when.date() <= LATEST_DAY:
                return when
    except ValueError:
        pass
    raise BadRecord(f"{where}: expected a UTC time YYYY-MM-DDTHH:MM:SSZ")


def _text(value: Any, where: str, most: int) -> str:
    if not isinstance(value, str) or len(value) > most or one_line(value) != value:
        raise BadRecord(f"{where}: expected one line of at most {most} characters")
    return value


def _shown(value: object) -> str:
    from sitegen.errors import quoted

    return quoted(value)

