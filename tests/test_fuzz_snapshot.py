"""Issue 17, point 6: the snapshot reader (sitegen/snapshot/format.py and keys.py), fed
arbitrary and hostile text.

Seeds are real snapshots (the golden site's, and dump_paper's form of every field); they are
cut short, bit-flipped and given hostile values (numbers past every bound, dates of year 9999
with an offset, deep nesting, YAML tags, anchors and aliases, 100 KB fields), and front
matter is also built whole from hostile values. The property: a Paper that the format writes
back and reads again as itself, or a SnapshotError with a line and a one-line message (which
the build and `sitegen check` print after the file's name); never any other exception, and
each example within the deadline.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from hypothesis import event, given
from hypothesis import strategies as st

from sitegen.snapshot.format import SnapshotError, dump_paper, parse_snapshot
from sitegen.snapshot.keys import CORE_KEYS
from sitegen.snapshot.store import check_snapshot_file
from sitegen.sources.huggingface.record import HuggingFace
from tests.conftest import make_paper
from tests.fuzz_support import FUZZ, YAML_HOSTILE, YAML_VALUES, mutated, one_line

pytestmark = pytest.mark.slow  # Hypothesis

GOLDEN = Path(__file__).resolve().parent / "golden" / "site" / "content"
SEEDS = [p.read_bytes() for p in sorted(GOLDEN.rglob("*.md"))] + [
    dump_paper(make_paper("2311.02077", huggingface=HuggingFace(1, 2, date(2023, 11, 6), 3, "A summary.", ("a", "b"),
                                                                 "someone", "An Org"))).encode(),
    dump_paper(make_paper("hep-th/9711200", hidden=True, huggingface=None)).encode(),
]


def judged(text: str) -> None:
    try:
        paper = parse_snapshot(text)
    except SnapshotError as exc:
        event("a SnapshotError")
        assert exc.line >= 1
        one_line(exc.message)
        return
    event("a paper")
    again = dump_paper(paper)  # what a fetch would write: read back as the same paper
    assert parse_snapshot(again) == paper


def decoded(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:  # the loader reports that itself, before parsing
        return None


@FUZZ
@given(st.sampled_from(range(len(SEEDS))).flatmap(lambda i: mutated(SEEDS[i], YAML_HOSTILE, YAML_VALUES)))
def test_mutated_snapshots(data):
    text = decoded(data)
    if text is not None:
        judged(text)


@FUZZ
@given(st.text(max_size=400))
def test_arbitrary_text(text):
    judged(text)


@FUZZ
@given(st.text(max_size=300))
def test_arbitrary_front_matter(front):
    judged(f"---\n{front}\n---\nAn abstract.\n")


# Front matter built whole from hostile values under the real keys.
_TZ = st.integers(-23 * 60 - 59, 23 * 60 + 59).map(lambda m: timezone(timedelta(minutes=m)))
_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers(-10**40, 10**40) | st.floats() | st.text(max_size=40)
    | st.dates() | st.datetimes(timezones=st.none() | _TZ) | st.sampled_from(YAML_HOSTILE),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=10,
)


@st.composite
def front_matter(draw) -> str:
    data = {"id": "2311.02077", "title": "A title", "authors": ["A. Person"],
            "published": datetime(2023, 11, 3, tzinfo=UTC), "categories": ["cs.CL"]}
    for key in draw(st.lists(st.sampled_from([*CORE_KEYS, "huggingface", "huggingface.upvotes", "huggingface.featured",
                                              "semanticscholar", "semanticscholar.citations",
                                              "links.abs", "extra"]), min_size=1, max_size=4)):
        top, _, sub = key.partition(".")
        value = draw(_VALUE)
        if sub:
            data[top] = {**(data.get(top) if isinstance(data.get(top), dict) else {}), sub: value}
        else:
            data[top] = value
    flow = draw(st.booleans())
    return "---\n" + yaml.safe_dump(data, default_flow_style=flow, allow_unicode=draw(st.booleans())) + "---\n"


@FUZZ
@given(front_matter())
def test_front_matter_of_hostile_values(text):
    judged(text)


@FUZZ
@given(st.sampled_from(range(len(SEEDS))).flatmap(lambda i: mutated(SEEDS[i], YAML_HOSTILE, YAML_VALUES)))
def test_sitegen_check_names_the_file_in_one_line(tmp_path_factory, data):
    """What `sitegen check` and the build print: the file, its line, one line of reason."""
    path = tmp_path_factory.mktemp("fuzz") / "2311.02077.md"
    path.write_bytes(data)
    problem = check_snapshot_file(path)
    if problem is not None:
        text = str(problem)
        one_line(text)
        assert text.startswith(f"{path}:{problem.line}: ")
        assert "cannot parse (" not in text  # the catch-all for what the reader failed to judge
