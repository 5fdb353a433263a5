"""The Markdown snapshot format, both ways: `parse_snapshot(text, path)` and `dump_paper(paper)`.

A snapshot is YAML front matter between `---` lines, keys in a fixed order, then the abstract.
`dump_paper` writes one canonical form so re-fetching an unchanged paper changes no byte and
`dump_paper(parse_snapshot(text)) == text` for every file it wrote.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import yaml

from sitegen import limits
from sitegen.categories import CATEGORY
from sitegen.errors import quoted
from sitegen.model import Paper
from sitegen.snapshot import canonical, extras, keys
from sitegen.snapshot.keys import CORE_KEYS, REQUIRED, SnapshotError  # noqa: F401  (the format's names)

_Base: type[yaml.CSafeLoader] | type[yaml.SafeLoader]
try:  # libyaml is ~10x faster; fall back so a machine without it still works.
    _Base = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Base = yaml.SafeLoader


class _Loader(_Base):  # type: ignore[valid-type,misc]  # one of two bases, chosen above
    """YAML's safe loader, except that an integer of more than limits.MAX_DIGITS digits is a
    LongNumber: its key's check then names it ("upvotes: a 5000-digit number; ..."), where
    int() would fail with Python's own limit, reported as if it were a date."""


def _bounded_int(loader: yaml.SafeLoader, node: yaml.ScalarNode):
    value = loader.construct_scalar(node)
    if isinstance(value, str) and sum(c.isdigit() for c in value) > limits.MAX_DIGITS:
        return limits.LongNumber(value)
    return yaml.SafeLoader.construct_yaml_int(loader, node)


_KINDS = {"int": "a whole number", "float": "a number", "bool": "true or false", "timestamp": "a date"}


def _explicit(construct, errors: tuple[type[Exception], ...]):
    """A constructor that turns what `construct` raises on a value its tag does not fit into
    a YAML error at the value's line. Only an explicit tag (`!!int x`, `!!bool x`,
    `!!timestamp x`) brings such a value: PyYAML then raised ValueError (reported as a bad
    date), KeyError or AttributeError (an internal error)."""
    def guarded(loader: yaml.SafeLoader, node: yaml.ScalarNode):
        try:
            return construct(loader, node)
        except errors:
            kind = _KINDS.get(node.tag.rsplit(":", 1)[-1], node.tag)
            raise yaml.constructor.ConstructorError(None, None, f"{quoted(node.value)} cannot be read as {kind}",
                                                    node.start_mark) from None
    return guarded


# A date YAML cannot build (month 13) stays a ValueError, reported as an invalid date.
_Loader.add_constructor("tag:yaml.org,2002:int", _explicit(_bounded_int, (ValueError,)))
_Loader.add_constructor("tag:yaml.org,2002:float", _explicit(yaml.SafeLoader.construct_yaml_float, (ValueError,)))
_Loader.add_constructor("tag:yaml.org,2002:bool", _explicit(yaml.SafeLoader.construct_yaml_bool, (KeyError,)))
_Loader.add_constructor("tag:yaml.org,2002:timestamp",
                        _explicit(yaml.SafeLoader.construct_yaml_timestamp, (AttributeError, KeyError, TypeError)))

# Characters YAML may not hold raw in a double-quoted scalar, or would fold as line breaks.
_UNSAFE = re.compile("[^\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029\ufeff]")


# --- parsing ---------------------------------------------------------------------------------

def split_front_matter(text: str) -> tuple[str, str, int]:
    """Return (front matter, body, line number where the body starts)."""
    if not text.startswith("---\n"):
        raise SnapshotError(1, "a snapshot must start with a '---' line opening the YAML front matter")
    end = text.find("\n---\n", 3)
    if end == -1:
        if text.endswith("\n---"):
            end = len(text) - 4
        else:
            raise SnapshotError(1, "the YAML front matter has no closing '---' line")
    front = text[4:end + 1]
    body = text[end + 5:]
    return front, body, front.count("\n") + 3


def parse_snapshot(text: str) -> Paper:
    """Parse one snapshot; raise SnapshotError naming the line of the first problem."""
    front, body, _ = split_front_matter(text)
    data = canonical.front_matter(front)  # dump_paper's form, read without YAML's cost
    if data is not None:
        try:
            paper = _paper_from_mapping(data, front, body)
        except SnapshotError:
            paper = None  # reported as YAML reads it, below
        if paper is not None and dump_paper(paper) == text:
            return paper  # what YAML reads too (sitegen.snapshot.canonical says why)
    try:
        data = yaml.load(front, Loader=_Loader)
    except yaml.YAMLError as exc:
        # Where the broken construct started (an unclosed quote) beats where parsing gave up.
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise SnapshotError(line, f"broken YAML front matter: {reason}") from None
    except ValueError as exc:  # PyYAML builds dates itself and fails on e.g. month 13
        raise SnapshotError(_bad_date_line(front), f"invalid date: {exc}; write dates as YYYY-MM-DD") from None
    except RecursionError:  # lists in lists ... past Python's stack (libyaml stops at 1,000 levels)
        raise SnapshotError(1, "the front matter is nested too deeply (lists or mappings inside each other "
                               "hundreds of levels down); a snapshot's values are flat") from None
    if not isinstance(data, dict):
        raise SnapshotError(2, "the front matter must be a mapping of keys to values")
    return _paper_from_mapping(data, front, body)


def check_paper(paper: Paper) -> None:
    """Raise SnapshotError if the build would reject this paper's snapshot.

    Runs the same checks as parse_snapshot on the paper's values, without writing and
    re-reading YAML (five times cheaper; the dumper's quoting is tested on its own)."""
    data = {
        "id": paper.id, "version": paper.version, "title": paper.title, "authors": list(paper.authors),
        "published": paper.published, "updated": paper.updated, "announced": paper.announced,
        "categories": list(paper.categories), "links": dict(paper.links), "doi": paper.doi,
        "journal_ref": paper.journal_ref, "comment": paper.comment,
        "sources": list(paper.sources), "hidden": paper.hidden,
    }
    try:
        data.update(extras.as_mappings(paper.extras))
    except ValueError as exc:
        raise SnapshotError(1, str(exc)) from None
    _paper_from_mapping(data, "", paper.abstract)


def _bad_date_line(front: str) -> int:
    for number, line in enumerate(front.splitlines(), start=2):
        for value in re.findall(r"\d{4}-\d\d-\d\d(?:[Tt ][\d:.]+)?", line):
            try:
                datetime.fromisoformat(value)
            except ValueError:
                return number
    return 1


def _line_of(front: str, key: str) -> int:
    m = re.search(rf"^{re.escape(key)}\s*:", front, re.M)
    return front.count("\n", 0, m.start()) + 2 if m else 1


def _paper_from_mapping(data: dict, front: str, body: str) -> Paper:
    """The paper the front matter describes; the first problem, in the order checked here,
    is the one reported."""
    def fail(key: str, message: str) -> SnapshotError:
        return SnapshotError(_line_of(front, key), f"{key}: {message}")

    keys.check_keys(data, fail, extras.names())
    paper_id = keys.paper_id(data["id"], fail)
    title = keys.title(data["title"], fail)
    authors = keys.authors(data["authors"], fail)
    published = keys.timestamp(data["published"], fail, "published")
    updated = keys.timestamp(data["updated"], fail, "updated") if data.get("updated") is not None else None
    announced = keys.announced(data.get("announced"), published, fail)
    categories = keys.categories(data["categories"], fail)
    version = keys.version(data.get("version"), fail)
    sources = keys.sources(data.get("sources") or [], fail)
    hidden = keys.hidden(data.get("hidden", False), fail)
    return Paper(
        id=paper_id,
        version=version,
        title=title,
        authors=tuple(authors),
        published=published,
        updated=updated,
        announced=announced,
        categories=tuple(categories),
        links=keys.links(data.get("links"), paper_id, fail),
        doi=keys.optional_text(data.get("doi"), fail, "doi"),
        journal_ref=keys.optional_text(data.get("journal_ref"), fail, "journal_ref"),
        comment=keys.optional_text(data.get("comment"), fail, "comment"),
        extras=extras.parse_all(data, fail),
        sources=tuple(sources),
        hidden=hidden,
        abstract=body.strip("\n"),
    )


# --- dumping ---------------------------------------------------------------------------------

def quote(text: str) -> str:
    """A YAML double-quoted scalar that PyYAML reads back as exactly `text`."""
    out = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + _UNSAFE.sub(_escape_char, out) + '"'


def _escape_char(m: re.Match) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _scalar(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return format_timestamp(value)
    if isinstance(value, date):
        return value.isoformat()
    return quote(str(value))


def format_timestamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _plain_list(items, pattern: re.Pattern) -> str:
    # Categories and source names are written bare (as in DESIGN) when they are safe to.
    return "[" + ", ".join(i if pattern.fullmatch(i) else quote(i) for i in items) + "]"


def dump_paper(paper: Paper) -> str:
    """The canonical snapshot text for a paper."""
    lines = [
        "---",
        f"id: {quote(paper.id)}",
        f"version: {_scalar(paper.version)}",
        f"title: {quote(paper.title)}",
        "authors: [" + ", ".join(quote(a) for a in paper.authors) + "]",
        f"published: {_scalar(paper.published)}",
        f"updated: {_scalar(paper.updated)}",
        f"announced: {_scalar(paper.announced)}",
        f"categories: {_plain_list(paper.categories, CATEGORY)}",
        "links: {" + ", ".join(f"{k}: {quote(v)}" for k, v in paper.links.items()) + "}",
        f"doi: {_scalar(paper.doi)}",
        f"journal_ref: {_scalar(paper.journal_ref)}",
        f"comment: {_scalar(paper.comment)}",
        *extras.dump_lines(paper.extras, _scalar, quote),
        f"sources: {_plain_list(paper.sources, keys.SOURCE)}",
    ]
    if paper.hidden:
        lines.append("hidden: true")
    lines.append("---")
    body = paper.abstract.strip("\n")
    return "\n".join(lines) + "\n" + (body + "\n" if body else "")
