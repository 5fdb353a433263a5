"""What the fuzz tests (tests/test_fuzz_*.py) share: their Hypothesis settings, hostile values,
and mutations of real inputs.

Reproducible and bounded: `derandomize=True` and no example database, so CI runs the same
examples every time and a failure found once is found again; `max_examples` sized so the three
files run in well under a minute together; a deadline per example, the time bound the issue
asks for (generous: the machines are shared, and what it catches is seconds, not jitter).
"""

from __future__ import annotations

import html
import json
import os
import re
from datetime import timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# SITEGEN_FUZZ_EXAMPLES=5000 searches longer, with fresh random examples each run (to look
# for new failures; CI keeps the fixed, fast ones).
_LONGER = os.environ.get("SITEGEN_FUZZ_EXAMPLES", "")
FUZZ = settings(
    max_examples=int(_LONGER) if _LONGER.isdigit() else 200,
    derandomize=not _LONGER,
    database=None,
    deadline=timedelta(seconds=5),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)

# Values that broke, or could break, something: numbers past every bound (5,000 digits is past
# Python's int() limit), dates Python cannot hold in UTC or at all, nesting, markup that opens
# and never closes, control and bidi characters, and a 100 KB field.
HOSTILE = [
    "9" * 5000, "-" + "9" * 30, "1" + "0" * 20, "-1", "0", "1e999", "-1e999", "nan", ".nan", ".inf", "-.inf", "inf",
    "0x1F", "1_000", "０１２", "9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00", "0000-00-00",
    "2026-02-30", "2026-13-01T00:00:00Z", "2026-08-13T25:61:61Z", "99999-01-01", "2026-08-13T12:00:00+24:00",
    "Fri, 31 Dec 9999 23:59:59 -0100", "Mon, 01 Jan 0001 00:00:00 +2359", "Thu, 13 Aug 99999999999999999999 00:00:00",
    "[" * 2000, "{" * 2000, "]" * 10, "<a>" * 2000, "<div>" * 1000, "<ul><li>" * 600, "\x00", "\u202e", "\u2028",
    "\ufeff", "&#0;", "&#x110000;", "&bogus;", "]]>", "<![CDATA[", "<!DOCTYPE x [<!ENTITY a 'b'>]>", "<!--",
    "x" * 100_000, "'", '"', "\\", "\\u", "&amp;" * 500, "&", "<", ">", "", " ", "\n", "\t",
    "https://arxiv.org/abs/2311.02077v" + "9" * 40, "2311.02077v0", "hep-th/9711200v99999999999", "../../x",
    "javascript:alert(1)", "http://[::1", "https://x.org:99999/",
]
# YAML's own tricks, for snapshots.
YAML_HOSTILE = HOSTILE + [
    "!!python/object/apply:os.system [echo]", "!!binary AAAA", "!!set {a}", "!!omap [a: 1]", "&a x", "*a", "*nope",
    "? [a]\n: b", "- x", "%YAML 1.1", "---", "...", "|", ">", "!!timestamp 2020-01-01", "!!float 1e999",
    "!!int " + "9" * 5000, "!!str", "<<: *a", "@", "`", "{a: 1, a: 2}", "[a, [b, [c]]]",
    "[" + "&a [x]," + ", ".join(["*a"] * 50) + "]",
]


def tokens(values: list[str]) -> st.SearchStrategy[bytes]:
    return st.sampled_from([v.encode("utf-8") for v in values]) | st.binary(max_size=12)


# Hostile values by the kind of value they replace: a date where a date was, a number where a
# number was, so they reach the checks behind the parser instead of failing it at once.
DATES = [v for v in HOSTILE if v[:1].isdigit() and ("-" in v or ":" in v) or v[:3] in ("Fri", "Mon", "Thu")]
NUMBERS = [v for v in HOSTILE if v.lstrip("-+").replace(".", "").replace("_", "").isalnum() and v not in DATES
           and len(v) < 6000 and not v.startswith("x")]
_DATE_SLOT = re.compile(rb"\d{4}-\d\d-\d\d|[A-Z][a-z]{2}, \d")
_NUMBER_SLOT = re.compile(rb"-?\d+")

# Where a seed holds values, by format: an XML element's text (not the whitespace between
# tags), a JSON value, a YAML value (after "key: "), a TOML value (after "key = ").
XML_VALUES = re.compile(rb">([^<\s][^<]{0,199})<")
JSON_VALUES = re.compile(rb'": ("[^"\n]{0,200}"|[-0-9.eE+]{1,30}|true|false|null)')
YAML_VALUES = re.compile(rb"^[a-z_]+: (.{1,200})$|[{,] ?[a-z_]+: ([^,}\n]{1,200})", re.M)
TOML_VALUES = re.compile(rb"^[A-Za-z_.\"-]+ *= *(.{1,200})$", re.M)


def _slot_values(value: bytes, values: list[str]) -> st.SearchStrategy[bytes]:
    """Hostile values for one slot: mostly those of its kind (a date for a date, a number for
    a number), written as the slot was (in quotes, JSON-escaped, for a quoted value; escaped
    for XML text) so that they get past the parser to the checks; sometimes any value raw, or
    random bytes."""
    quoted = value[:1] == b'"'
    bare = value.strip(b'"')
    kind = DATES if _DATE_SLOT.match(bare) else NUMBERS if _NUMBER_SLOT.fullmatch(bare) else values

    def written(token: str) -> bytes:
        return json.dumps(token).encode() if quoted else html.escape(token, quote=False).encode()

    return st.one_of(st.sampled_from(kind).map(written), st.sampled_from(kind).map(str.encode),
                     st.sampled_from(values).map(written), st.sampled_from(values).map(str.encode),
                     st.binary(max_size=12))


@st.composite
def mutated(draw, seed: bytes, values: list[str] = HOSTILE, where: re.Pattern[bytes] = XML_VALUES) -> bytes:
    """`seed` changed in one to three places: mostly one of its values (`where` finds them)
    replaced by a hostile one; else cut short, a bit flipped, a hostile value or random bytes
    put in, or a stretch taken out."""
    data = bytearray(seed)
    slots = [m.span(next(i for i in range(1, (where.groups or 0) + 1) if m.group(i) is not None))
             for m in where.finditer(seed)]
    for _ in range(draw(st.sampled_from((1, 1, 1, 2, 3)))):
        op = draw(st.sampled_from(("value",) * 8 + ("truncate", "flip", "insert", "delete")))
        pos = draw(st.integers(0, len(data)))
        if op == "value" and slots:
            start, end = draw(st.sampled_from(slots))
            if end <= len(data):
                data[start:end] = draw(_slot_values(bytes(data[start:end]), values))
                slots = [s for s in slots if s[1] <= start]  # those before it are where they were
        elif op == "truncate":
            del data[pos:]
        elif op == "flip" and pos < len(data):
            data[pos] ^= 1 << draw(st.integers(0, 7))
        elif op == "insert":
            data[pos:pos] = draw(tokens(values))
        elif op == "delete":
            del data[pos:pos + draw(st.integers(1, 64))]
    return bytes(data)


def one_line(message: str) -> None:
    """The shape every error here must have: one line, saying something."""
    assert message.strip(), "an empty message"
    assert "\n" not in message and "\r" not in message, f"not one line: {message[:300]!r}"
    assert "Traceback" not in message
