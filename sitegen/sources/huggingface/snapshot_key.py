"""The `huggingface:` key of a snapshot, Hugging Face's own: read, written and merged here.

The first four keys (upvotes, comments, featured, github_stars) are always written, null when
unknown, as every snapshot since the first has them. The keys added later (ai_summary,
ai_keywords, submitter, organization) are written only when they have a value, so a snapshot
written before they existed re-dumps to the same bytes and a fetch that learns nothing new
about a paper rewrites no file. Every snapshot has the key: `huggingface: null` when Hugging
Face has not listed the paper (as every snapshot since the first has it).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sitegen.limits import MAX_COUNT, count_problem, day_problem
from sitegen.snapshot.extras import FunctionKey, known, register
from sitegen.sources.huggingface.record import NAME, HuggingFace

ALWAYS = ("upvotes", "comments", "featured", "github_stars")
WHEN_KNOWN = ("ai_summary", "ai_keywords", "submitter", "organization")
HF_KEYS = ALWAYS + WHEN_KNOWN  # the order they are written in
_COUNTS = ("upvotes", "comments", "github_stars")
_TEXTS = ("ai_summary", "submitter", "organization")


def as_mapping(hf: HuggingFace) -> dict:
    """The values a snapshot holds for `hf` (for check_paper: the parser's own checks)."""
    data = {k: getattr(hf, k) for k in ALWAYS}
    data.update({k: list(v) if isinstance(v, tuple) else v for k in WHEN_KNOWN if (v := getattr(hf, k))})
    return data


def parse(value: Any, fail: Callable[[str, str], Exception]) -> HuggingFace | None:
    """The mapping as read from YAML, checked; `fail(key, message)` makes the error to raise."""
    if value is None:
        return None
    if not isinstance(value, dict) or any(k not in HF_KEYS for k in value):
        raise fail("huggingface", f"must be a mapping with keys among {', '.join(HF_KEYS)}")
    for key in _COUNTS:
        v = value.get(key)
        problem = None if v is None else count_problem(v, 0, MAX_COUNT)
        if problem:
            raise fail("huggingface", f"{key}: {problem}, or null")
    featured = value.get("featured")
    if featured is not None and (not isinstance(featured, date) or isinstance(featured, datetime)):
        raise fail("huggingface", "featured: must be a date such as 2023-11-06")
    problem = day_problem(featured) if featured is not None else None
    if problem:
        raise fail("huggingface", f"featured: {problem}")
    for key in _TEXTS:
        v = value.get(key)
        if v is not None and not isinstance(v, str):
            raise fail("huggingface", f"{key}: must be text in quotes or null")
    keywords = value.get("ai_keywords") or []
    if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
        raise fail("huggingface", "ai_keywords: must be a list of keywords in quotes")
    return HuggingFace(value.get("upvotes"), value.get("comments"), featured, value.get("github_stars"),
                       value.get("ai_summary") or None, tuple(keywords), value.get("submitter") or None,
                       value.get("organization") or None)


def dump(hf: HuggingFace | None, scalar: Callable[[object], str], quote: Callable[[str], str]) -> str:
    """The mapping's one line of YAML (flow style), keys in HF_KEYS order."""
    if hf is None:
        return "null"
    parts = [f"{k}: {scalar(getattr(hf, k))}" for k in ALWAYS]
    for key in WHEN_KNOWN:
        v = getattr(hf, key)
        if v and key == "ai_keywords":
            parts.append(f"{key}: [" + ", ".join(quote(k) for k in v) + "]")
        elif v:
            parts.append(f"{key}: {quote(v)}")
    return "{" + ", ".join(parts) + "}"


def merge(old: HuggingFace | None, new: HuggingFace | None) -> HuggingFace | None:
    """The incoming value where it has one; `featured` stays the first day it was featured."""
    if old is None or new is None:
        return old if new is None else new
    featured = [d for d in (old.featured, new.featured) if d is not None]
    return HuggingFace(
        upvotes=known(new.upvotes, old.upvotes),
        comments=known(new.comments, old.comments),
        featured=min(featured) if featured else None,
        github_stars=known(new.github_stars, old.github_stars),
        ai_summary=new.ai_summary or old.ai_summary,
        ai_keywords=new.ai_keywords or old.ai_keywords,
        submitter=new.submitter or old.submitter,
        organization=new.organization or old.organization,
    )


def texts(record: HuggingFace) -> dict[str, str | None]:
    return {"ai_summary": record.ai_summary, "organization": record.organization}


def days(record: HuggingFace) -> list[tuple[str, date]]:
    return [("featured", record.featured)] if record.featured is not None else []


KEY = register(FunctionKey(NAME, parse=parse, dump=dump, merge=merge, as_mapping=as_mapping, texts=texts, days=days))
