"""arXiv identifiers: validate, strip versions, and map ids to safe file and URL names.

Ids arrive from untrusted sources, so everything that turns an id into a path goes through
`safe_name`, which only accepts the two real id schemes and can never yield `..` or `/`.
"""

from __future__ import annotations

import re

# New style (0704.0001 onwards): YYMM.NNNN or YYMM.NNNNN; old style (before April 2007):
# archive[.subject]/YYMMNNN. Either may carry a version suffix vN.
_NEW_BASE = r"\d{4}\.\d{4,5}"
_OLD_BASE = r"[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{7}"
_NEW = re.compile(rf"(?P<base>{_NEW_BASE})(?:v(?P<v>\d+))?")
_OLD = re.compile(rf"(?P<base>{_OLD_BASE})(?:v(?P<v>\d+))?")
_BASE = re.compile(rf"{_NEW_BASE}|{_OLD_BASE}")
# Where ids appear inside URLs or OAI identifiers.
_PREFIXES = ("oai:arXiv.org:", "arXiv:", "arxiv:")
_URL = re.compile(r"^https?://(?:export\.|www\.)?arxiv\.org/(?:abs|pdf|html)/(?P<rest>.+?)(?:\.pdf)?/?$")


def split_id(raw: str) -> tuple[str, int | None]:
    """Return (version-less id, version or None); raise ValueError for anything else.

    Accepts bare ids, `arXiv:` / OAI prefixes and arxiv.org abs/pdf/html URLs.
    """
    text = raw.strip()
    m = _URL.match(text)
    if m:
        text = m.group("rest")
    for prefix in _PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix):]
            break
    for pattern in (_NEW, _OLD):
        m = pattern.fullmatch(text)
        if m:
            version = m.group("v")
            return m.group("base"), int(version) if version else None
    raise ValueError(f"not an arXiv id: {raw!r}")


def is_valid_id(raw: str) -> bool:
    """True for a version-less arXiv id in either scheme."""
    return bool(_BASE.fullmatch(raw))


def safe_name(paper_id: str) -> str:
    """The file and URL segment for an id: `hep-th/9711200` -> `hep-th_9711200`."""
    base, version = split_id(paper_id)
    if version is not None or base != paper_id:
        raise ValueError(f"expected a version-less arXiv id, got {paper_id!r}")
    return base.replace("/", "_")


def shard(paper_id: str) -> str:
    """The content/papers/ sub-folder for an id, so no folder holds more than 1,000 files.

    New-style ids shard by year-month and all but the last three digits (`2311/02` for
    2311.02077); old-style ids by archive and year-month (`hep-th/9711`), which caps a
    folder at the 1,000 numbers one archive can issue in a month.
    """
    base, _ = split_id(paper_id)
    if "/" in base:
        archive, number = base.split("/")
        return f"{archive.replace('.', '_')}/{number[:4]}"
    yymm, number = base.split(".")
    return f"{yymm}/{number[:-3]}"


def abs_url(paper_id: str) -> str:
    return f"https://arxiv.org/abs/{paper_id}"


def pdf_url(paper_id: str, version: int | None = None) -> str:
    return f"https://arxiv.org/pdf/{paper_id}" + (f"v{version}" if version else "")


def html_url(paper_id: str, version: int | None = None) -> str:
    return f"https://arxiv.org/html/{paper_id}" + (f"v{version}" if version else "")
