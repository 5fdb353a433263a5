"""Snapshots in dump_paper's form are read without YAML, into exactly what YAML reads."""

from datetime import date

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.limits import MAX_VERSION
from sitegen.snapshot import canonical
from sitegen.snapshot.format import (
    SnapshotError,
    _paper_from_mapping,
    dump_paper,
    parse_snapshot,
    split_front_matter,
)
from sitegen.sources.huggingface.record import HuggingFace
from tests.conftest import make_paper


def with_yaml(text: str):
    """The paper as YAML reads the snapshot (what parse_snapshot did before the fast reader)."""
    front, body, _ = split_front_matter(text)
    return _paper_from_mapping(yaml.load(front, Loader=yaml.CSafeLoader), front, body)


def read_fast(text: str) -> bool:
    return canonical.front_matter(split_front_matter(text)[0]) is not None


HOSTILE = ['He said "hi" \\ back', "tab\there", "line\nbreak", "\x00\x07\x1b\x7f\x85\xa0", "\u2028\u2029\ufeff",
           "😀 astral", "ключ: value, [x] {y}", "null", "yes", "- dash", "#hash", "a: b", "'quote'", "\\x41"]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_strings_read_the_same_as_yaml_reads_them(text):
    paper = make_paper(title="T " + text, authors=(text, "B"), comment=text or None, journal_ref=text,
                       extras={"huggingface": HuggingFace(upvotes=0, comments=None, featured=date(2024, 2, 29),
                                               github_stars=7, ai_summary=text, ai_keywords=(text, "k"),
                                               submitter="u", organization=text)},
                       links={"abs": "https://arxiv.org/abs/2311.02077", "code": "https://github.com/a/b?x=1&y=\"2\""})
    dumped = dump_paper(paper)
    assert read_fast(dumped)
    fast = parse_snapshot(dumped)
    assert fast == with_yaml(dumped) and repr(fast) == repr(with_yaml(dumped))


@settings(max_examples=200, deadline=None)
@given(title=st.text(min_size=1).filter(str.strip), authors=st.lists(st.text(), max_size=4),
       summary=st.none() | st.text(min_size=1), abstract=st.text(), version=st.none() | st.integers(1, MAX_VERSION),
       hidden=st.booleans())
def test_dumped_papers_read_the_same_with_and_without_yaml(title, authors, summary, abstract, version, hidden):
    paper = make_paper(title=title, authors=tuple(authors), abstract=abstract.strip("\n"), version=version,
                       hidden=hidden, extras={"huggingface": HuggingFace(upvotes=3, ai_summary=summary)})
    text = dump_paper(paper)
    fast = parse_snapshot(text)
    assert fast == with_yaml(text) and repr(fast) == repr(with_yaml(text))


def test_other_forms_go_to_yaml():
    text = dump_paper(make_paper())
    assert read_fast(text)
    for old, new in [("version: 2", "version: 02"),  # YAML 1.1 reads a leading zero as octal
                     ("sources: [arxiv, huggingface]", "sources: [arxiv, yes]"),  # a bool to YAML
                     ('title: "', "title:  \""), ('title: "', "title: '"), ("updated: 2023", "updated:  2023")]:
        changed = text.replace(old, new, 1)
        assert changed != text
        assert not read_fast(changed) or dump_paper(parse_snapshot(changed)) != changed
        try:
            expected = with_yaml(changed)
        except (yaml.YAMLError, SnapshotError):  # parse_snapshot words YAML's errors as its own
            with pytest.raises(SnapshotError):
                parse_snapshot(changed)
        else:
            assert parse_snapshot(changed) == expected


def test_hand_written_snapshot_reads_as_yaml_reads_it():
    text = ('---\nid: "2401.00001"\ntitle: Plain title\nauthors:\n  - A. Author\npublished: 2024-01-01\n'
            "categories: [cs.LG]\n---\nBody.\n")
    assert not read_fast(text)
    assert parse_snapshot(text) == with_yaml(text)


def test_an_escaped_surrogate_is_still_an_error_with_its_line():
    text = dump_paper(make_paper()).replace('title: "', 'title: "\\ud800', 1)
    assert not read_fast(text)
    with pytest.raises(SnapshotError) as info:
        parse_snapshot(text)
    assert info.value.line == 4
