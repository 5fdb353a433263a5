"""Issue 17, point 4: every number and date a snapshot holds is range-checked, and a front
matter nested past any depth is a one-line error naming the file.

Before: a 5000-digit `upvotes` read "invalid date: Exceeds the limit (4300 digits)", a
`published` of year 9999 with an offset (no UTC datetime) was an internal OverflowError, and
front matter nested 100k deep an internal RecursionError naming no file.
"""

from __future__ import annotations

import time
from datetime import date

import pytest
import yaml

from sitegen.cli import main
from sitegen.errors import ContentError
from sitegen.limits import MAX_AUTHORS
from sitegen.snapshot import format as snapshot_format
from sitegen.snapshot.format import SnapshotError, dump_paper, parse_snapshot
from sitegen.sources.huggingface.record import hf_of
from tests.conftest import make_paper

BASE = dump_paper(make_paper("2311.02077"))  # upvotes: 12, version: 2, published 2023-11-03T17:59:55Z


def line_of(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(start))


def problem(text: str) -> SnapshotError:
    with pytest.raises(SnapshotError) as info:
        parse_snapshot(text)
    assert "\n" not in info.value.message and len(info.value.message) < 300
    return info.value


@pytest.mark.parametrize("old, new, key, message", [
    ("upvotes: 12", "upvotes: " + "9" * 5000, "huggingface",
     "huggingface: upvotes: a 5000-digit number; expected a whole number in 0..1,000,000,000, or null"),
    ("upvotes: 12", "upvotes: 1000000000001", "huggingface",
     "huggingface: upvotes: 1,000,000,000,001 is out of range; expected a whole number in 0..1,000,000,000"),
    ("comments: 3", "comments: -1", "huggingface", "huggingface: comments: -1 is out of range"),
    ("github_stars: 410", "github_stars: " + "1" * 19, "huggingface", "huggingface: github_stars: a 19-digit number"),
    ("version: 2", "version: 100000", "version",
     "version: 100,000 is out of range; expected a whole number in 1..1,000"),
    ("version: 2", "version: " + "7" * 5000, "version", "version: a 5000-digit number"),
    ("published: 2023-11-03T17:59:55Z", "published: 9999-12-31T23:59:59-01:00", "published",
     "published: 9999-12-31 is not a day in 1991-01-01..2999-12-31"),
    ("published: 2023-11-03T17:59:55Z", "published: 0001-01-01T00:00:00+01:00", "published",
     "published: 0001-01-01 is not a day in 1991-01-01..2999-12-31"),
    ("published: 2023-11-03T17:59:55Z", "published: 1990-12-31T23:00:00Z", "published", "published: 1990-12-31"),
    ("updated: 2023-11-06T02:10:41Z", "updated: 3000-01-01T00:00:00Z", "updated", "updated: 3000-01-01"),
    ("announced: 2023-11-06", "announced: 9999-12-31", "announced", "announced: 9999-12-31 is not a day"),
    ("featured: 2023-11-06", "featured: 0001-01-01", "huggingface", "huggingface: featured: 0001-01-01 is not a day"),
])
def test_a_number_or_date_out_of_range_names_its_key_and_line(old, new, key, message):
    assert old in BASE
    text = BASE.replace(old, new, 1)
    error = problem(text)
    assert error.message.startswith(message), error.message
    assert error.line == line_of(text, f"{key}:")


def test_every_bound_itself_is_accepted():
    text = (BASE.replace("upvotes: 12", "upvotes: 1000000000").replace("version: 2", "version: 1000")
            .replace("published: 2023-11-03T17:59:55Z", "published: 1991-01-01T00:00:00Z")
            .replace("announced: 2023-11-06", "announced: 2999-12-31"))
    paper = parse_snapshot(text)
    assert (hf_of(paper).upvotes, paper.version, paper.announced) == (1_000_000_000, 1000, date(2999, 12, 31))


def test_a_title_of_forty_digits_is_still_a_title():
    paper = parse_snapshot(BASE.replace('title: "EmerNeRF: Emergent Spatial-Temporal Scene Decomposition"',
                                        "title: " + "4" * 40))
    assert paper.title == "4" * 40


def test_the_author_list_is_bounded():
    names = ", ".join(f'"A{n}"' for n in range(MAX_AUTHORS))
    text = BASE.replace('authors: ["Jiawei Yang", "Boris Ivanovic"]', f"authors: [{names}]")
    assert len(parse_snapshot(text).authors) == MAX_AUTHORS
    error = problem(text.replace("authors: [", 'authors: ["One more", ', 1))
    assert error.message == ("authors: 20,001 names; at most 20,000 (a sanity cap four times the longest real "
                             "author list)")


@pytest.mark.parametrize("opening, closing", [("[", "]"), ("{a: ", "}")])
def test_front_matter_nested_100k_deep_is_one_line_naming_the_file(site_dir, capsys, opening, closing):
    text = BASE.replace("doi: null", "doi: " + opening * 100_000 + closing * 100_000)
    error = problem(text)
    assert error.message.startswith("broken YAML front matter")
    path = site_dir.write("2311/02/2311.02077.md", text)
    with pytest.raises(ContentError) as info:
        site_dir.build()
    assert f"content/papers/2311/02/2311.02077.md:{error.line}: broken YAML front matter" in str(info.value)
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.startswith(f"{path}:{error.line}: broken YAML front matter")


@pytest.mark.slow
def test_recursion_in_a_pure_python_yaml_is_a_snapshot_error(monkeypatch):
    """Without libyaml, PyYAML's own parser recurses once per level: past Python's stack that
    is a RecursionError, reported like any broken front matter."""
    class PureLoader(yaml.SafeLoader):
        pass

    PureLoader.add_constructor("tag:yaml.org,2002:int", snapshot_format._bounded_int)
    monkeypatch.setattr(snapshot_format, "_Loader", PureLoader)
    error = problem(BASE.replace("doi: null", "doi: " + "[" * 100_000 + "]" * 100_000))
    assert (error.line, error.message) == (1, "the front matter is nested too deeply (lists or mappings inside "
                                              "each other hundreds of levels down); a snapshot's values are flat")


def test_a_yaml_alias_bomb_is_a_quick_short_error():
    """Aliases multiply a value without bound (2^31 strings here, shared in memory); the checks
    and their messages never walk it whole (the id's message once showed repr() of it)."""
    anchors = ["&a0 [lol, lol]"] + [f"&a{i} [*a{i - 1}, *a{i - 1}]" for i in range(1, 31)]
    text = BASE.replace('id: "2311.02077"', "id: [" + ", ".join(anchors) + "]")
    start = time.perf_counter()
    error = problem(text)
    assert time.perf_counter() - start < 1  # the bound the issue asks for, with a wide margin
    assert error.message.startswith("id: [['lol', 'lol'], [[...], [...]], ") and error.line == 2


@pytest.mark.parametrize("value, reason", [
    ("!!timestamp x", "'x' cannot be read as a date"),  # was AttributeError
    ("!!timestamp 99999-01-01", "'99999-01-01' cannot be read as a date"),
    ("!!bool maybe", "'maybe' cannot be read as true or false"),  # was KeyError
    ("!!int x", "'x' cannot be read as a whole number"),  # was "invalid date: invalid literal for int()"
    ("!!float x", "'x' cannot be read as a number"),
])
def test_an_explicit_yaml_tag_on_a_value_it_does_not_fit(value, reason):
    """Found by the fuzz suite (tests/test_fuzz_snapshot.py)."""
    text = BASE.replace("doi: null", f"doi: {value}")
    error = problem(text)
    assert error.message == f"broken YAML front matter: {reason}" and error.line == line_of(text, "doi:")
