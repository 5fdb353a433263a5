"""arXiv identifiers: validate, strip versions, and map ids to safe file and URL names.

Ids arrive from untrusted sources, so everything that turns an id into a path goes through
`safe_name`, which only accepts the two real id schemes and can never yield `..` or `/`.
"""

from __future__ import annotations

import re

from sitegen.errors import quoted

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
            if version and len(version) > 9:  # before int(), which refuses 4,300 digits its own way
                raise ValueError(f"not an arXiv id: {quoted(raw)} (a version of {len(version):,} digits)")
            return m.group("base"), int(version) if version else None
    raise ValueError(f"not an arXiv id: {quoted(raw)}")


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


def abs_url(paper_id: str, version: int | None = None) -> str:
    """arXiv's page of the paper (its newest version), or of one version."""
    return f"https://arxiv.org/abs/{paper_id}" + (f"v{version}" if version else "")


def pdf_url(paper_id: str, version: int | None = None) -> str:
    return f"https://arxiv.org/pdf/{paper_id}" + (f"v{version}" if version else "")


def html_url(paper_id: str, version: int | None = None) -> str:
    return f"https://arxiv.org/html/{paper_id}" + (f"v{version}" if version else "")


# arXiv's HTML rendering exists only for papers submitted from December 2023 on; ar5iv
# renders the older ones.
HTML_VIEW_SINCE = "2312"


def has_html_view(paper_id: str) -> bool:
    """True when arXiv itself renders the paper as HTML (new-style ids from 2312 on)."""
    return "/" not in paper_id and paper_id[:4] >= HTML_VIEW_SINCE


def html_view(paper_id: str) -> tuple[str, str]:
    """(URL, label) of the paper's HTML rendering: arXiv's own, or ar5iv's for older papers."""
    if has_html_view(paper_id):
        return html_url(paper_id), "HTML"
    return f"https://ar5iv.labs.arxiv.org/html/{paper_id}", "HTML (ar5iv)"


def links(paper_id: str, version: int | None, html: bool | None = None) -> dict[str, str]:
    """abs, pdf and (where arXiv renders one) html links for a paper, in LINK_KINDS order.
    `html=None` decides from the id (has_html_view)."""
    found = {"abs": abs_url(paper_id), "pdf": pdf_url(paper_id, version)}
    if html if html is not None else has_html_view(paper_id):
        found["html"] = html_url(paper_id, version)
    return found


def id_month(paper_id: str) -> tuple[int, int]:
    """(year, month) an id was issued in: `2311.02077` -> (2023, 11), `hep-th/9711200` ->
    (1997, 11). Two-digit years 91-99 are the 1990s (arXiv began in August 1991)."""
    digits = paper_id.split("/")[-1][:4]
    return year_of(digits[:2]), int(digits[2:4])


def year_of(yy: str) -> int:
    """The year of an id's two-digit year."""
    year = int(yy)
    return 1900 + year if year >= 91 else 2000 + year


_SAFE_NAME = re.compile(rf"(?P<new>{_NEW_BASE})|{_OLD_BASE.replace('/', '_')}")


def month_of_safe_name(name: str) -> str | None:
    """The YYMM an id was issued in, from its file or URL name (`safe_name`): `2311.02077` ->
    "2311", `hep-th_9711200` -> "9711"; None when `name` is no id's safe name."""
    m = _SAFE_NAME.fullmatch(name)
    if m is None:
        return None
    return name[:4] if m["new"] else name.rsplit("_", 1)[1][:4]
