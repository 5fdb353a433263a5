"""Source-owned snapshot keys (sitegen.snapshot.extras): Hugging Face moved onto them without a
byte of any snapshot changing, and a key registered from outside sitegen/ is read, written,
merged and checked like the built-in ones."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pytest
import yaml

from sitegen.model import Paper
from sitegen.snapshot import extras
from sitegen.snapshot.format import SnapshotError, _paper_from_mapping, check_paper, dump_paper, parse_snapshot
from sitegen.snapshot.merge import annotate, merge
from sitegen.sources.huggingface.record import HuggingFace
from tests.conftest import make_paper

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted([*(ROOT / "content" / "papers").rglob("*.md"), *(ROOT / "tests" / "golden" / "site").rglob("*.md")])
SHIPPED = [p for p in SHIPPED if "papers" in p.parts]


def test_every_shipped_snapshot_re_dumps_to_its_own_bytes():
    """The shipped snapshots were written before Hugging Face's key moved onto Paper.extras:
    each one, read by the fast canonical reader or by YAML, is written back byte for byte."""
    assert len(SHIPPED) >= 297
    with_hf = 0
    for path in SHIPPED:
        data = path.read_bytes()
        text = data.decode("utf-8")
        paper = parse_snapshot(text)
        assert dump_paper(paper).encode("utf-8") == data, path
        front = text[4:text.index("\n---\n", 3) + 1]
        body = text[text.index("\n---\n", 3) + 5:]
        by_yaml = _paper_from_mapping(yaml.safe_load(front), front, body)
        assert by_yaml == paper and dump_paper(by_yaml).encode("utf-8") == data, path
        with_hf += paper.extra("huggingface") is not None
    assert with_hf >= 34  # the Hugging Face papers are among them, not only papers without the key


def test_hugging_face_is_a_record_in_extras_not_a_field_of_paper():
    path = next(p for p in SHIPPED if "ai_summary" in p.read_text())
    paper = parse_snapshot(path.read_text())
    assert isinstance(paper.extras["huggingface"], HuggingFace) and paper.extras["huggingface"].ai_summary
    assert "huggingface" not in Paper.__dataclass_fields__
    plain = replace(paper, extras={})
    assert "\nhuggingface: null\n" in dump_paper(plain)  # the key every snapshot has, as before


# --- a key registered from outside sitegen/ ----------------------------------------------------

@dataclass(frozen=True)
class Stars:
    count: int


class StarsKey(extras.SnapshotKey):
    """A toy source's key: how many stars a reading list gave the paper."""

    name = "reading_list"

    def parse(self, value, fail):
        if value is None:
            return None
        if not isinstance(value, dict) or set(value) != {"stars"} or not isinstance(value["stars"], int):
            raise fail(self.name, "must be a mapping {stars: N}")
        return Stars(value["stars"])

    def dump(self, record, scalar, quote):
        return None if record is None else "{stars: " + scalar(record.count) + "}"

    def merge(self, old, new):
        return Stars(max(old.count, new.count))

    def as_mapping(self, record):
        return {"stars": record.count}


@pytest.fixture
def stars_key():
    key = extras.register(StarsKey())
    yield key
    extras.unregister(key.name)


def test_a_registered_key_is_written_in_name_order_only_when_it_has_a_value(stars_key):
    paper = make_paper()
    before = dump_paper(paper)
    assert "reading_list" not in before  # a paper it knows nothing of: no line, same bytes as ever
    text = dump_paper(replace(paper, extras={**paper.extras, "reading_list": Stars(4)}))
    keys = [line.split(":", 1)[0] for line in text.split("---\n")[1].splitlines()]
    assert keys[keys.index("comment") + 1:keys.index("sources")] == ["huggingface", "reading_list"]
    again = parse_snapshot(text)
    assert again.extra("reading_list") == Stars(4) and dump_paper(again) == text
    check_paper(again)


def test_a_registered_key_merges_by_its_own_rule(stars_key):
    old = replace(make_paper(), extras={"reading_list": Stars(5)})
    new = replace(make_paper(), extras={"reading_list": Stars(3), "huggingface": HuggingFace(upvotes=1)})
    merged = merge(old, new)
    assert merged.extras == {"reading_list": Stars(5), "huggingface": HuggingFace(upvotes=1)}
    noted = annotate(make_paper(), "toy", "reading_list", Stars(2))
    assert noted.extra("reading_list") == Stars(2) and "toy" in noted.sources
    assert annotate(noted, "toy", "reading_list", Stars(1)) == noted  # nothing new: the same paper


def test_a_bad_value_of_a_registered_key_names_its_line(stars_key):
    text = dump_paper(replace(make_paper(), extras={"reading_list": Stars(4)})).replace("{stars: 4}", "[4]")
    with pytest.raises(SnapshotError) as info:
        parse_snapshot(text)
    assert info.value.message == "reading_list: must be a mapping {stars: N}"
    assert text.splitlines()[info.value.line - 1].startswith("reading_list:")


def test_a_key_no_source_registered_is_an_unknown_key_and_cannot_be_written():
    text = dump_paper(make_paper()).replace("sources:", "reading_list: {stars: 4}\nsources:")
    with pytest.raises(SnapshotError, match=r"reading_list: unknown key; expected one of .*comment, huggingface, "):
        parse_snapshot(text)
    with pytest.raises(ValueError, match="no source registered the snapshot key 'reading_list'"):
        dump_paper(replace(make_paper(), extras={"reading_list": Stars(1)}))


@pytest.mark.parametrize("name", ["title", "sources", "Bad-Name", "has space"])
def test_a_key_may_not_take_a_core_key_or_an_unreadable_name(name):
    bad = type("Bad", (StarsKey,), {"name": name})()
    with pytest.raises(ValueError):
        extras.register(bad)
    assert name not in extras.names()
