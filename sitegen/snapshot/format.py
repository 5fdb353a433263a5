"""The Markdown snapshot format, both ways: `parse_snapshot(text, path)` and `dump_paper(paper)`.

A snapshot is YAML front matter between `---` lines, keys in a fixed order, then the abstract.
`dump_paper` writes one canonical form so re-fetching an unchanged paper changes no byte and
`dump_paper(parse_snapshot(text)) == text` for every file it wrote.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime

import yaml

from sitegen import arxiv_ids
from sitegen.categories import CATEGORY, is_category
from sitegen.errors import ContentProblem
from sitegen.model import LINK_KINDS, Paper
from sitegen.snapshot import huggingface as hf_fields
from sitegen.snapshot.huggingface import HF_KEYS  # noqa: F401  (re-exported: the format's keys)

_Loader: type[yaml.CSafeLoader] | type[yaml.SafeLoader]
try:  # libyaml is ~10x faster; fall back so a machine without it still works.
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

KEY_ORDER = (
    "id", "version", "title", "authors", "published", "updated", "announced", "categories",
    "links", "doi", "journal_ref", "comment", "huggingface", "sources", "hidden",
)
REQUIRED = ("id", "title", "authors", "published", "categories")
_SOURCE = re.compile(r"[a-z][a-z0-9_-]*")
# Characters YAML may not hold raw in a double-quoted scalar, or would fold as line breaks.
_UNSAFE = re.compile("[^\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029\ufeff]")


class SnapshotError(ValueError):
    """A snapshot problem at a line of its file (1-based)."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line, self.message = line, message

    def problem(self, path: str) -> ContentProblem:
        return ContentProblem(path, self.line, self.message)


# --- parsing ---------------------------------------------------------------------------------

_Fail = Callable[[str, str], SnapshotError]  # makes the error for a key's problem, at its line


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
    if not isinstance(data, dict):
        raise SnapshotError(2, "the front matter must be a mapping of keys to values")
    return _paper_from_mapping(data, front, body)


def check_paper(paper: Paper) -> None:
    """Raise SnapshotError if the build would reject this paper's snapshot.

    Runs the same checks as parse_snapshot on the paper's values, without writing and
    re-reading YAML (five times cheaper; the dumper's quoting is tested on its own)."""
    hf = paper.huggingface
    data = {
        "id": paper.id, "version": paper.version, "title": paper.title, "authors": list(paper.authors),
        "published": paper.published, "updated": paper.updated, "announced": paper.announced,
        "categories": list(paper.categories), "links": dict(paper.links), "doi": paper.doi,
        "journal_ref": paper.journal_ref, "comment": paper.comment,
        "huggingface": None if hf is None else hf_fields.as_mapping(hf),
        "sources": list(paper.sources), "hidden": paper.hidden,
    }
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

    _check_keys(data, fail)
    paper_id = _paper_id(data["id"], fail)
    title = _title(data["title"], fail)
    authors = _authors(data["authors"], fail)
    published = _timestamp(data["published"], fail, "published")
    updated = _timestamp(data["updated"], fail, "updated") if data.get("updated") is not None else None
    announced = _announced(data.get("announced"), published, fail)
    categories = _categories(data["categories"], fail)
    version = _version(data.get("version"), fail)
    sources = _sources(data.get("sources") or [], fail)
    hidden = _hidden(data.get("hidden", False), fail)
    return Paper(
        id=paper_id,
        version=version,
        title=title,
        authors=tuple(authors),
        published=published,
        updated=updated,
        announced=announced,
        categories=tuple(categories),
        links=_links(data.get("links"), paper_id, fail),
        doi=_optional_text(data.get("doi"), fail, "doi"),
        journal_ref=_optional_text(data.get("journal_ref"), fail, "journal_ref"),
        comment=_optional_text(data.get("comment"), fail, "comment"),
        huggingface=hf_fields.parse(data.get("huggingface"), fail),
        sources=tuple(sources),
        hidden=hidden,
        abstract=body.strip("\n"),
    )


def _check_keys(data: dict, fail: _Fail) -> None:
    unknown = [k for k in data if k not in KEY_ORDER]
    if unknown:
        raise fail(str(unknown[0]), f"unknown key; expected one of {', '.join(KEY_ORDER)}")
    for key in REQUIRED:
        if data.get(key) is None:
            raise SnapshotError(1, f"{key}: required key is missing")


def _paper_id(value, fail: _Fail) -> str:
    if not isinstance(value, str) or not arxiv_ids.is_valid_id(value):
        raise fail("id", f"{value!r} is not a version-less arXiv id such as \"2311.02077\" or \"hep-th/9711200\"")
    return value


def _title(value, fail: _Fail) -> str:
    title = _text(value, fail, "title")
    if not title.strip():
        raise fail("title", "must not be empty")
    return title


def _authors(value, fail: _Fail) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(a, str) for a in value):
        raise fail("authors", "must be a list of names in quotes")
    return value


def _announced(value, published: datetime, fail: _Fail) -> date:
    if value is None:
        return published.date()
    if not isinstance(value, date) or isinstance(value, datetime):
        raise fail("announced", "must be a date such as 2023-11-06")
    return value


def _categories(value, fail: _Fail) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(c, str) and is_category(c) for c in value):
        raise fail("categories", "must be a list of arXiv categories such as [cs.CV, cs.LG]")
    return value


def _version(value, fail: _Fail) -> int | None:
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
        raise fail("version", "must be a positive whole number or null")
    return value


def _sources(value, fail: _Fail) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(s, str) and _SOURCE.fullmatch(s) for s in value):
        raise fail("sources", "must be a list of source names such as [arxiv, huggingface]")
    return value


def _hidden(value, fail: _Fail) -> bool:
    if not isinstance(value, bool):
        raise fail("hidden", "must be true or false")
    return value


def _text(value, fail: _Fail, key: str) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)  # a hand-written `title: 1984` is still a title
    if not isinstance(value, str):
        raise fail(key, "must be text in quotes")
    return value


def _optional_text(value, fail: _Fail, key: str) -> str | None:
    return None if value is None else _text(value, fail, key)


def _timestamp(value, fail: _Fail, key: str) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    raise fail(key, "must be a UTC timestamp such as 2023-11-03T17:59:55Z")


def _links(value, paper_id: str, fail: _Fail) -> dict[str, str]:
    if value is None:
        value = {}
    if not isinstance(value, dict):
        raise fail("links", "must be a mapping such as {abs: \"https://arxiv.org/abs/...\"}")
    for kind, url in value.items():
        if kind not in LINK_KINDS:
            raise fail("links", f"unknown link kind {kind!r}; expected one of {', '.join(LINK_KINDS)}")
        if url is not None and not (isinstance(url, str) and re.match(r"https?://", url)):
            raise fail("links", f"{kind}: must be an http(s) URL in quotes")
    links = {"abs": arxiv_ids.abs_url(paper_id)}
    links.update({k: v for k, v in value.items() if v is not None})
    return {k: links[k] for k in LINK_KINDS if k in links}


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
    hf = paper.huggingface
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
        "huggingface: " + hf_fields.dump(hf, _scalar, quote),
        f"sources: {_plain_list(paper.sources, _SOURCE)}",
    ]
    if paper.hidden:
        lines.append("hidden: true")
    lines.append("---")
    body = paper.abstract.strip("\n")
    return "\n".join(lines) + "\n" + (body + "\n" if body else "")
