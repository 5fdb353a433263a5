"""Issue 17, point 6: the config loader (sitegen/config/load.py), fed arbitrary TOML text and
hostile values in the real keys.

Seeds: the repository's sitegen.toml and the golden site's, cut short, bit-flipped and given
hostile values; and documents built from the real tables and keys, each value drawn from
every TOML type (numbers past every bound, nan and inf, dates, nested arrays and tables, long
and odd strings). The property: a Config, or a ConfigError naming the file in one line; never
any other exception, and each example within the deadline.
"""

from __future__ import annotations

import math
from datetime import date, datetime, time
from pathlib import Path

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from sitegen.config.load import parse_config
from sitegen.config.settings import Config
from sitegen.errors import ConfigError
from tests.fuzz_support import FUZZ, HOSTILE, TOML_VALUES, mutated, one_line

pytestmark = pytest.mark.slow  # Hypothesis

REPO = Path(__file__).resolve().parent.parent
SEEDS = [(REPO / "sitegen.toml").read_bytes(), (REPO / "tests" / "golden" / "site" / "sitegen.toml").read_bytes()]
PATH = Path("/fuzz/sitegen.toml")


def judged(text: str) -> None:
    try:
        config = parse_config(text, PATH)
    except ConfigError as exc:
        event("a ConfigError")
        one_line(str(exc))
        assert str(exc).startswith(f"{PATH}: ")
        return
    event("a Config")
    assert isinstance(config, Config)
    for value in (config.build.max_site_mb, config.fetch.deadline, config.digest.timeout,
                  *(getattr(s, f) for s in config.sources.values() for f in type(s).RANGES)):
        assert math.isfinite(value)  # every number that got through is a usable one


@FUZZ
@given(st.sampled_from(range(len(SEEDS))).flatmap(lambda i: mutated(SEEDS[i], HOSTILE, TOML_VALUES)))
def test_mutated_configs(data):
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:  # load_config reports that itself, before parsing
        return
    judged(text)


@FUZZ
@given(st.text(max_size=400))
def test_arbitrary_text(text):
    judged(text)


# --- documents of the real tables and keys, with values of every TOML type --------------------

KEYS = {
    "site": ["title", "base_url", "description", "feed_days", "feed_items", "per_page", "language", "thumbnails"],
    "build": ["content", "output", "templates", "overrides", "search", "cache", "publish_unmatched", "max_site_mb"],
    "fetch": ["sources", "days", "contact", "cache", "deadline", "host_failures"],
    "sources.arxiv": ["api_url", "rss_url", "list_url", "min_interval", "timeout", "retries", "deadline", "max_bytes",
                      "max_redirects", "page_size", "max_pages", "max_list_pages"],
    "sources.huggingface": ["api_url", "min_interval", "timeout", "retries", "deadline", "max_bytes", "max_redirects"],
    "digest": ["mode", "from", "to", "contact", "state", "timeout"],
    "topics": ["slug", "title", "description", "categories", "keywords", "exclude", "authors"],
}


def toml_string(text: str) -> str:
    escaped = "".join(c if c.isprintable() and c not in '"\\' else f"\\U{ord(c):08x}" for c in text)
    return f'"{escaped}"'


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(map(toml_value, value)) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{toml_string(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    return toml_string(value)


_SCALAR = (st.booleans() | st.integers(-2**63, 2**63 - 1) | st.integers(-10**60, 10**60) | st.floats()
           | st.text(max_size=30) | st.sampled_from(HOSTILE) | st.dates() | st.datetimes() | st.times()
           | st.sampled_from(["https://example.org/", "cs.CL", "cs", "en", "pt-BR", "x@example.org", "arxiv",
                              "combined", "per-topic", "self-supervised", "Daniel Khashabi"]))
_VALUE = st.recursive(_SCALAR, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=8)


@st.composite
def documents(draw) -> str:
    lines = ['[site]', 'title = "T"', 'base_url = "https://example.org/"']
    tables: dict[str, list[str]] = {}
    for _ in range(draw(st.integers(1, 8))):
        table = draw(st.sampled_from(sorted(KEYS)))
        key = draw(st.sampled_from(KEYS[table]) | st.text(min_size=1, max_size=8))
        tables.setdefault(table, []).append(f"{toml_string(key)} = {toml_value(draw(_VALUE))}")
    for table, entries in tables.items():
        if table == "site":
            lines += entries
        elif table == "topics":
            lines += ["", "[[topics]]", 'slug = "t"', 'title = "T"', 'keywords = ["k"]', *entries]
        else:
            lines += ["", f"[{table}]", *entries]
    return "\n".join(lines) + "\n"


@FUZZ
@given(documents())
def test_hostile_values_in_the_real_keys(text):
    judged(text)
