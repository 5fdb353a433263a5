"""Source-owned snapshot keys: what a source adds to papers, read, written and merged by the source.

A source that annotates papers (Hugging Face's upvotes and AI summary, Semantic Scholar's
citations) owns one front-matter key, named after it (`huggingface:`, `semanticscholar:`),
and one `SnapshotKey` that knows that key's four operations: parse (checked, from what YAML
read), dump (one line of flow-style YAML), merge (what is known after a new record arrives)
and as_mapping (the value parse takes back: how a paper is checked without writing YAML).
Papers carry the records in `Paper.extras`, by key; the format, the merge rule and the writer
loop over the registered keys and never name a source.

Registered keys are written after `comment:` and before `sources:`, sorted by name, so the
order of a snapshot's lines never depends on which module happened to load first. A key whose
`dump` returns None is not written at all (a paper it knows nothing about), so adding a
source changes no existing snapshot.

The built-in keys load on first use, from each built-in source package's `snapshot_key`
module (sitegen.sources.registry lists the packages); a plugin registers its own through
`sitegen.sources.registry.register` (its Source's `snapshot_key`) or `register` here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, TypeVar

Fail = Callable[[str, str], Exception]  # fail(key, message) makes the error for the key's line
Scalar = Callable[[object], str]  # a YAML scalar for a number, date, bool, None or text
Quote = Callable[[str], str]  # a YAML double-quoted string

# A key the canonical reader (sitegen.snapshot.canonical) takes: lower-case letters and "_".
KEY_NAME = re.compile(r"[a-z][a-z_]*")

T = TypeVar("T")


class SnapshotKey:
    """One source's key in the snapshot, and how its record is read, written and merged."""

    name: str  # the front-matter key: the source's name (a class attribute in a subclass)

    def parse(self, value: Any, fail: Fail) -> Any:
        """The record for the value YAML read (None: the paper has none); raise fail(name, ...)
        for a value the build must refuse."""
        raise NotImplementedError

    def dump(self, record: Any, scalar: Scalar, quote: Quote) -> str | None:
        """The value's one line of flow-style YAML for `record` (which may be None), or None
        to write no line at all."""
        raise NotImplementedError

    def merge(self, old: Any, new: Any) -> Any:
        """What is known once `new` (a source's fresh record) arrives on top of `old`."""
        raise NotImplementedError

    def as_mapping(self, record: Any) -> Any:
        """The value `parse` reads back as `record` (lists, dicts and scalars, as YAML gives)."""
        raise NotImplementedError

    # What a fetched record is checked for before it is saved (sitegen.sources.records): the
    # checks `parse` makes, and these two, which the fetch day and sitegen.limits bound.
    def texts(self, record: Any) -> dict[str, str | None]:
        """{name in sitegen.limits.TEXT_CAPS: text} of the record's free texts."""
        return {}

    def days(self, record: Any) -> list[tuple[str, date]]:
        """(label, day) of the record's dates, none of which may lie past the fetch's day."""
        return []


def known(new: T | None, old: T | None) -> T | None:
    """The fresh record's value where it has one, else the one already known: a merge keeps
    what an answer did not repeat (a source that says nothing of a field has not erased it)."""
    return new if new is not None else old


class FunctionKey(SnapshotKey):
    """A key made of a source module's plain functions, which stay callable on their own (the
    built-in sources' way): no source writes a class that only passes the calls on."""

    def __init__(self, name: str, *, parse: Callable[[Any, Fail], Any],
                 dump: Callable[[Any, Scalar, Quote], str | None], merge: Callable[[Any, Any], Any],
                 as_mapping: Callable[[Any], Any], texts: Callable[[Any], dict[str, str | None]] | None = None,
                 days: Callable[[Any], list[tuple[str, date]]] | None = None) -> None:
        self.name = name
        self._parse, self._dump, self._merge, self._as_mapping = parse, dump, merge, as_mapping
        self._texts, self._days = texts, days

    def parse(self, value: Any, fail: Fail) -> Any:
        return self._parse(value, fail)

    def dump(self, record: Any, scalar: Scalar, quote: Quote) -> str | None:
        return self._dump(record, scalar, quote)

    def merge(self, old: Any, new: Any) -> Any:
        return self._merge(old, new)

    def as_mapping(self, record: Any) -> Any:
        return self._as_mapping(record)

    def texts(self, record: Any) -> dict[str, str | None]:
        return self._texts(record) if self._texts else {}

    def days(self, record: Any) -> list[tuple[str, date]]:
        return self._days(record) if self._days else []


_KEYS: dict[str, SnapshotKey] = {}
_ordered: tuple[SnapshotKey, ...] = ()  # sorted by name: the order they are written in
_names: tuple[str, ...] = ()
_known: frozenset[str] = frozenset()
_loaded = False


def _reorder() -> None:
    global _ordered, _names, _known
    _names = tuple(sorted(_KEYS))
    _ordered = tuple(_KEYS[name] for name in _names)
    _known = frozenset(_names)


def register(key: SnapshotKey) -> SnapshotKey:
    """Make a source's key known. A later key of the same name replaces the earlier one."""
    if not KEY_NAME.fullmatch(key.name):
        raise ValueError(f"snapshot key {key.name!r}: use lower-case letters and underscores")
    from sitegen.snapshot.keys import CORE_KEYS

    if key.name in CORE_KEYS:
        raise ValueError(f"snapshot key {key.name!r} is one of the format's own keys")
    _KEYS[key.name] = key
    _reorder()
    return key


def unregister(name: str) -> None:
    _KEYS.pop(name, None)
    _reorder()


def registered() -> tuple[SnapshotKey, ...]:
    """Every known key, sorted by name: the order they are written in."""
    global _loaded
    if not _loaded:
        _loaded = True
        from sitegen.sources.registry import load_snapshot_keys

        load_snapshot_keys()
    return _ordered


def names() -> tuple[str, ...]:
    """The registered keys' names, in the order they are written."""
    registered()
    return _names


def parse_all(data: Mapping[str, Any], fail: Fail) -> dict[str, Any]:
    """{name: record} of every registered key the front matter holds with a value."""
    extras: dict[str, Any] = {}
    for key in registered():
        if key.name in data:
            record = key.parse(data[key.name], fail)
            if record is not None:
                extras[key.name] = record
    return extras


def key_of(name: str) -> SnapshotKey:
    """The registered key of that name (ValueError: no source registered it)."""
    registered()
    if name not in _KEYS:
        raise ValueError(f"no source registered the snapshot key {name!r}")
    return _KEYS[name]


def as_mappings(extras: Mapping[str, Any]) -> dict[str, Any]:
    """What a snapshot holds for these records, as YAML would read it back."""
    by_name = {key.name: key for key in registered()}
    out = {}
    for name, record in extras.items():
        key = by_name.get(name)
        if key is None:
            raise ValueError(f"no source registered the snapshot key {name!r}")
        out[name] = key.as_mapping(record)
    return out


def dump_lines(extras: Mapping[str, Any], scalar: Scalar, quote: Quote) -> list[str]:
    """The front-matter lines of every registered key, in order; a key with nothing to say
    writes none."""
    lines = []
    for key in registered():
        value = key.dump(extras.get(key.name), scalar, quote)
        if value is not None:
            lines.append(f"{key.name}: {value}")
    if extras and not _known.issuperset(extras):  # never silently drop a record: its source must register its key
        unknown = sorted(extras.keys() - _known)
        raise ValueError(f"no source registered the snapshot key {unknown[0]!r}")
    return lines


def merge_all(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """Each key's records merged by its own rule; keys only one side has are kept as they are."""
    if not new:
        return dict(old)
    if not old:
        return dict(new)
    by_name = {key.name: key for key in registered()}
    merged = {}
    for name in sorted(old.keys() | new.keys()):
        key = by_name.get(name)
        if name not in new:
            record = old[name]
        elif name not in old or key is None:
            record = new[name]
        else:
            record = key.merge(old[name], new[name])
        if record is not None:
            merged[name] = record
    return merged
