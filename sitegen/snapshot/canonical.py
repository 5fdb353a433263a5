"""Reading a snapshot in the one form `dump_paper` writes, without YAML.

PyYAML builds each front matter's ~40 nodes in Python: most of what loading a snapshot costs.
Snapshots sitegen wrote are in dump_paper's canonical form, whose lines hold only flow-style
values: null, true/false, decimal integers, UTC timestamps, dates, double-quoted strings with
dump_paper's escapes, bare words, and lists and mappings of these. This reader takes those and
nothing else; its result is used only if dump_paper writes it back as the very same text. YAML
reads a dump_paper text back as the paper it was dumped from (the format's round trip, tested),
so that result is what YAML would have given. Anything else (hand edits, other quoting,
errors) is None here and goes to YAML, which also words every error.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_ESCAPE = re.compile(r'\\(?:([\\"])|x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|(.))')
_TIMESTAMP = re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)Z")
_DATE = re.compile(r"(\d{4})-(\d\d)-(\d\d)")
_INT = re.compile(r"-?(?:0|[1-9][0-9]{0,17})")  # longer: YAML reads it, and its key's check refuses it
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9._-]*")
# Bare words YAML 1.1 (PyYAML) reads as something other than a string.
_NOT_STRINGS = {"null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE", "yes", "Yes",
                "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF"}
_CONSTANTS = {"null": None, "true": True, "false": False}
_LINE = re.compile(r"([a-z_]+): (.*)")


class NotCanonical(Exception):
    """The text is not in the form this reader takes: YAML reads it."""


def front_matter(front: str) -> dict | None:
    """The mapping a canonical front matter (between the `---` lines, each line ending in a
    newline) holds, or None when it is not in that form."""
    data: dict = {}
    try:
        for line in front.split("\n")[:-1]:
            m = _LINE.fullmatch(line)
            if m is None or m[1] in data:
                return None
            value, end = _value(m[2], 0, 0)
            if end != len(m[2]):
                return None
            data[m[1]] = value
    except (NotCanonical, ValueError):  # ValueError: a date that does not exist
        return None
    return data


# dump_paper nests at most two levels (huggingface: {ai_keywords: [...]}); deeper is not its form.
_MAX_DEPTH = 2


def _value(text: str, pos: int, depth: int):
    """(the value starting at pos, where it ends); `depth`: the lists and mappings around it."""
    first = text[pos:pos + 1]
    if first == '"':
        m = _STRING.match(text, pos)
        if m is None:
            raise NotCanonical
        return (_ESCAPE.sub(_unescape, m[1]) if "\\" in m[1] else m[1]), m.end()
    if first in "[{" and depth >= _MAX_DEPTH:
        raise NotCanonical
    if first == "[":
        return _sequence(text, pos + 1, "]", depth + 1)
    if first == "{":
        return _sequence(text, pos + 1, "}", depth + 1)
    for pattern, make in _NUMBERS if first.isdigit() or first == "-" else _WORDS:
        m = pattern.match(text, pos)
        if m is not None and not _continues(text, m.end()):
            return make(m), m.end()
    raise NotCanonical


def _continues(text: str, end: int) -> bool:
    """True when a bare value matched so far goes on (so it is some other value)."""
    return end < len(text) and text[end] not in ",]}"


def _sequence(text: str, pos: int, close: str, depth: int):
    """A flow list (close "]") or mapping (close "}") whose items start at pos."""
    items: list = []
    mapping: dict = {}
    if text.startswith(close, pos):
        return (mapping if close == "}" else items), pos + 1
    while True:
        if close == "}":
            key = _WORD.match(text, pos)
            if key is None or not text.startswith(": ", key.end()) or key[0] in mapping:
                raise NotCanonical
            mapping[_word(key)], pos = _value(text, key.end() + 2, depth)
        else:
            item, pos = _value(text, pos, depth)
            items.append(item)
        if text.startswith(close, pos):
            return (mapping if close == "}" else items), pos + 1
        if not text.startswith(", ", pos):
            raise NotCanonical
        pos += 2


def _unescape(m: re.Match) -> str:
    if m[1]:
        return m[1]
    code = int(m[2] or m[3] or m[4] or "d800", 16)  # (.): an escape dump_paper never writes
    if 0xD800 <= code <= 0xDFFF:  # YAML refuses a surrogate; so, with its message, does the build
        raise NotCanonical
    return chr(code)


def _int(m: re.Match) -> int:
    return int(m[0])


def _timestamp(m: re.Match) -> datetime:
    year, month, day, hour, minute, second = map(int, m.groups())
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def _date(m: re.Match) -> date:
    year, month, day = map(int, m.groups())
    return date(year, month, day)


def _word(m: re.Match):
    word = m[0]
    if word in _CONSTANTS:
        return _CONSTANTS[word]
    if word in _NOT_STRINGS:
        raise NotCanonical
    return word


# What a bare value starting with a digit or '-' may be, and one starting with anything else.
_NUMBERS = ((_TIMESTAMP, _timestamp), (_DATE, _date), (_INT, _int))
_WORDS = ((_WORD, _word),)
