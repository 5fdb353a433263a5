"""The `semanticscholar:` key of a snapshot, Semantic Scholar's own: read, written and merged here.

Written only for a paper Semantic Scholar answered for, and inside it only the fields it has
a value for, so snapshots of papers it does not know (and every snapshot written before this
source existed) keep their bytes:

    semanticscholar: {citations: 136941, influential_citations: 17456, venue: "Neural Information
    Processing Systems", paper_id: "204e3073870fae3d05bcbc2f6a8e263d9b72e776"}

(one line in the file).
"""

from __future__ import annotations

import re
from typing import Any

from sitegen.snapshot.extras import Fail, FunctionKey, Quote, Scalar, known, register
from sitegen.sources.semanticscholar.record import NAME, TLDR_CHARS, VENUE_CHARS, SemanticScholar

FIELDS = ("citations", "influential_citations", "venue", "tldr", "pdf", "paper_id")  # the order written
_COUNTS = ("citations", "influential_citations")
MAX_COUNT = 100_000_000  # the most cited papers have some 300k citations
_PAPER_ID = re.compile(r"[0-9a-f]{40}")
_URL = re.compile(r"https?://", re.I)  # as `links:` takes them: pages get them percent-encoded (sitegen.urls)
URL_CHARS = 2000
_TEXT_CHARS = {"venue": VENUE_CHARS, "tldr": TLDR_CHARS}


def parse(value: Any, fail: Fail) -> SemanticScholar | None:
    """The mapping as YAML read it, checked; None for null or a mapping with nothing in it."""
    if value is None:
        return None
    if not isinstance(value, dict) or any(k not in FIELDS for k in value):
        raise fail(NAME, f"must be a mapping with keys among {', '.join(FIELDS)}")
    for key in _COUNTS:
        v = value.get(key)
        if v is not None and (not isinstance(v, int) or isinstance(v, bool) or not 0 <= v <= MAX_COUNT):
            raise fail(NAME, f"{key}: must be a whole number from 0 to {MAX_COUNT:,} or null")
    for key, limit in _TEXT_CHARS.items():
        v = value.get(key)
        if v is not None and (not isinstance(v, str) or len(v) > limit):
            raise fail(NAME, f"{key}: must be text in quotes of at most {limit} characters, or null")
    pdf = value.get("pdf")
    if pdf is not None and not (isinstance(pdf, str) and _URL.match(pdf) and len(pdf) <= URL_CHARS):
        raise fail(NAME, "pdf: must be an http(s) URL in quotes, or null")
    paper_id = value.get("paper_id")
    if paper_id is not None and not (isinstance(paper_id, str) and _PAPER_ID.fullmatch(paper_id)):
        raise fail(NAME, "paper_id: must be Semantic Scholar's id, 40 hexadecimal digits in quotes, or null")
    record = SemanticScholar(value.get("citations"), value.get("influential_citations"), value.get("venue") or None,
                             value.get("tldr") or None, pdf or None, paper_id or None)
    return record if record != SemanticScholar() else None


def dump(record: SemanticScholar | None, scalar: Scalar, quote: Quote) -> str | None:
    """One line of flow-style YAML with the fields that have a value; None (no line) without."""
    if record is None:
        return None
    parts = [f"{k}: {scalar(v)}" for k in FIELDS if (v := getattr(record, k)) is not None]
    return "{" + ", ".join(parts) + "}" if parts else None


def merge(old: SemanticScholar | None, new: SemanticScholar | None) -> SemanticScholar | None:
    """The newer answer's value wherever it has one (counts go down too: Semantic Scholar
    merges duplicate records); a field the newer answer lacks keeps what was known."""
    if old is None or new is None:
        return old if new is None else new
    return SemanticScholar(*(known(getattr(new, k), getattr(old, k)) for k in FIELDS))


def as_mapping(record: SemanticScholar) -> dict:
    return {k: v for k in FIELDS if (v := getattr(record, k)) is not None}


KEY = register(FunctionKey(NAME, parse=parse, dump=dump, merge=merge, as_mapping=as_mapping))
