"""The snapshot format: canonical dump, exact round trip, and errors with line numbers."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.snapshot.format import SnapshotError, dump_paper, parse_snapshot, quote
from tests.conftest import make_paper

REPO = Path(__file__).resolve().parent.parent
SHIPPED = sorted((REPO / "content" / "papers").rglob("*.md"))


def test_shipped_content_exists():
    assert len(SHIPPED) >= 150


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_snapshot_round_trips_byte_for_byte(path):
    text = path.read_text(encoding="utf-8")
    assert dump_paper(parse_snapshot(text)) == text


def test_dump_matches_the_documented_layout():
    text = dump_paper(make_paper())
    assert text.splitlines()[:4] == ["---", 'id: "2311.02077"', "version: 2",
                                     'title: "EmerNeRF: Emergent Spatial-Temporal Scene Decomposition"']
    assert "published: 2023-11-03T17:59:55Z\n" in text
    assert "categories: [cs.CV, cs.LG]\n" in text
    assert "huggingface: {upvotes: 12, comments: 3, featured: 2023-11-06, github_stars: 410}\n" in text
    assert text.endswith("---\nWe present EmerNeRF, a simple yet powerful approach with $\\alpha > 0$.\n")
    assert "hidden" not in text


def test_minimal_hand_written_snapshot_gets_derived_defaults():
    paper = parse_snapshot(
        '---\nid: "2401.00001"\ntitle: "Hand made"\nauthors: ["A. Person"]\n'
        "published: 2024-01-02T03:04:05Z\ncategories: [cs.LG]\nhidden: true\n---\nBody text.\n"
    )
    assert paper.announced == date(2024, 1, 2)
    assert paper.links == {"abs": "https://arxiv.org/abs/2401.00001"}
    assert paper.version is None and paper.extra("huggingface") is None
    assert paper.hidden is True
    assert paper.published == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert "hidden: true\n" in dump_paper(paper)


@pytest.mark.parametrize("text, line, words", [
    ("no front matter\n", 1, "must start with a '---' line"),
    ("---\nid: \"2401.00001\"\n", 1, "no closing '---'"),
    ('---\nid: "2401.00001"\ntitle: "x\nauthors: []\n---\n', 3, "broken YAML"),
    ('---\nid: "2401.00001"\ntitle: "x"\nauthors: ["a"]\ncategories: []\n---\n', 1,
     "published: required key is missing"),
    ('---\nid: "2401.00001"\ntitle: "x"\nauthors: ["a"]\npublished: yesterday\ncategories: []\n---\n', 5,
     "published: must be a UTC timestamp"),
    ('---\nid: "../../etc/x"\ntitle: "x"\nauthors: ["a"]\npublished: 2024-01-01\ncategories: []\n---\n', 2,
     "not a version-less arXiv id"),
    ('---\nid: "2401.00001"\ntitle: "x"\nauthors: ["a"]\npublished: 2024-01-01\ncategories: []\nstars: 3\n---\n', 7,
     "stars: unknown key"),
    ('---\nid: "2401.00001"\ntitle: "x"\nauthors: "a"\npublished: 2024-01-01\ncategories: []\n---\n', 4,
     "authors: must be a list"),
    ('---\nid: "2401.00001"\ntitle: "x"\nauthors: ["a"]\npublished: 2024-01-01\nannounced: 2024-13-01\n'
     'categories: []\n---\n', 6, "invalid date: month must be in 1..12"),
    ('---\nid: "2401.00001"\ntitle: "x"\nauthors: ["a"]\npublished: 2024-01-01\ncategories: []\n'
     'links: {code: "javascript:alert(1)"}\n---\n', 7, "links: code: must be an http(s) URL"),
])
def test_bad_snapshots_name_the_line(text, line, words):
    with pytest.raises(SnapshotError) as info:
        parse_snapshot(text)
    assert info.value.line == line, info.value.message
    assert words in info.value.message


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_quote_round_trips_any_text(text):
    import yaml

    assert yaml.load("k: " + quote(text), Loader=yaml.CSafeLoader) == {"k": text}


@settings(max_examples=100, deadline=None)
@given(title=st.text(min_size=1).filter(str.strip), authors=st.lists(st.text(), max_size=4),
       abstract=st.text())
def test_dump_parse_is_identity_on_dumped_text(title, authors, abstract):
    paper = make_paper(title=title, authors=tuple(authors), abstract=abstract.strip("\n"))
    text = dump_paper(paper)
    again = parse_snapshot(text)
    assert dump_paper(again) == text
    assert again.title == title and list(again.authors) == authors


# --- Hugging Face's AI summary, keywords, submitter and organization -----------------------------

def test_hf_fields_are_written_after_the_old_ones_and_only_when_known():
    from dataclasses import replace

    from sitegen.sources.huggingface.record import HuggingFace

    old = make_paper()
    hf = replace(old.extra("huggingface"), ai_summary='A "quoted" summary.', ai_keywords=("NeRF", "scene graphs"),
                 submitter="taesiri", organization="Caltech")
    text = dump_paper(replace(old, extras={"huggingface": hf}))
    assert ('huggingface: {upvotes: 12, comments: 3, featured: 2023-11-06, github_stars: 410, '
            'ai_summary: "A \\"quoted\\" summary.", ai_keywords: ["NeRF", "scene graphs"], '
            'submitter: "taesiri", organization: "Caltech"}\n') in text
    assert parse_snapshot(text).extra("huggingface") == hf and dump_paper(parse_snapshot(text)) == text
    # Only some of them: the others are left out, in the same order.
    some = replace(old.extra("huggingface"), ai_keywords=("NeRF",), organization="Caltech")
    assert ', github_stars: 410, ai_keywords: ["NeRF"], organization: "Caltech"}' in dump_paper(
        replace(old, extras={"huggingface": some}))
    # None of them (every snapshot written before they existed): the line as it always was.
    assert "huggingface: {upvotes: 12, comments: 3, featured: 2023-11-06, github_stars: 410}\n" in dump_paper(old)
    assert HuggingFace().ai_keywords == ()


def test_a_snapshot_from_before_the_hf_fields_re_dumps_to_the_same_bytes():
    # The shipped 2605.15320 as it was written before this format change.
    text = ('---\nid: "2605.15320"\nversion: null\ntitle: "FFAvatar"\nauthors: ["Thuan Hoang Nguyen"]\n'
            "published: 2026-05-14T00:00:00Z\nupdated: null\nannounced: 2026-05-18\ncategories: []\n"
            'links: {abs: "https://arxiv.org/abs/2605.15320", pdf: "https://arxiv.org/pdf/2605.15320"}\n'
            "doi: null\njournal_ref: null\ncomment: null\n"
            "huggingface: {upvotes: 1, comments: null, featured: 2026-05-18, github_stars: null}\n"
            "sources: [huggingface]\n---\nAvatar reconstruction.\n")
    assert dump_paper(parse_snapshot(text)) == text


@pytest.mark.parametrize("mapping, words", [
    ("{upvotes: 1, ai_summary: 3}", "ai_summary: must be text"),
    ('{upvotes: 1, ai_keywords: "one"}', "ai_keywords: must be a list"),
    ("{upvotes: 1, ai_keywords: [1, 2]}", "ai_keywords: must be a list"),
    ("{upvotes: 1, submitter: [a]}", "submitter: must be text"),
    ("{upvotes: 1, thumbnail: x}", "keys among upvotes, comments, featured, github_stars, ai_summary"),
])
def test_bad_hf_fields_name_the_line(mapping, words):
    text = ('---\nid: "2401.00001"\ntitle: "x"\nauthors: ["a"]\npublished: 2024-01-01\ncategories: []\n'
            f"huggingface: {mapping}\n---\n")
    with pytest.raises(SnapshotError) as info:
        parse_snapshot(text)
    assert info.value.line == 7 and words in info.value.message


def test_shipped_content_carries_hf_summaries():
    papers = [parse_snapshot(p.read_text(encoding="utf-8")) for p in SHIPPED]
    summaries = [p for p in papers if p.extra("huggingface") and p.extra("huggingface").ai_summary]
    assert len(summaries) >= 30 and all(p.extra("huggingface").ai_keywords for p in summaries)
    assert sum(1 for p in papers if p.extra("huggingface") and p.extra("huggingface").organization) >= 15
