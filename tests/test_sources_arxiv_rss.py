"""arXiv RSS: the recorded cs.CL feed of 13 Aug 2026 (139 items)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from sitegen import arxiv_ids
from sitegen.errors import ParseError
from sitegen.sources.arxiv.calendar import announcement_day
from sitegen.sources.arxiv.rss import feed_url, parse_rss

RSS = Path(__file__).parent / "fixtures" / "arxiv-rss" / "rss-cs.CL-2026-08-14.xml"
ANNOUNCED = datetime(2026, 8, 13, 4, 0, tzinfo=UTC)  # Thu, 13 Aug 2026 00:00:00 -0400


@pytest.fixture(scope="module")
def batch():
    return parse_rss(RSS.read_bytes())


@pytest.fixture(scope="module")
def by_id(batch):
    return {item.paper.id: item for item in batch.items}


def test_counts_and_channel(batch):
    assert len(batch.items) == 139 and batch.skipped == 0
    assert Counter(i.announce_type for i in batch.items) == {
        "new": 56, "cross": 36, "replace": 32, "replace-cross": 15}
    assert batch.announced == date(2026, 8, 13)
    assert batch.build_date == "Thu, 13 Aug 2026 04:00:13 +0000"


def test_every_item_is_well_formed(batch):
    ids = [i.paper.id for i in batch.items]
    assert len(set(ids)) == 139 and all(arxiv_ids.is_valid_id(i) for i in ids)
    for item in batch.items:
        p = item.paper
        assert p.announced == date(2026, 8, 13) and p.sources == ("arxiv",)
        assert p.version is not None and p.title and p.authors and p.abstract
        assert not p.abstract.startswith(("arXiv:", "Abstract")) and "Announce Type" not in p.abstract
        assert p.published == ANNOUNCED and p.published.tzinfo is not None
        assert p.links["pdf"] == f"https://arxiv.org/pdf/{p.id}v{p.version}"
        assert p.extra("huggingface") is None and p.categories


def test_new_item_fields(by_id):
    item = by_id["2608.11232"]
    p = item.paper
    assert item.announce_type == "new"
    assert p.title == "Backtrader-Bench: Benchmarking LLM Agents on Algorithmic Trading with Self-Generated MCQs"
    assert p.authors == ("Ruoxi Zhao", "Maziar Raissi")
    assert (p.version, p.updated) == (1, None)
    assert p.categories == ("cs.CL", "cs.AI")
    assert p.abstract.startswith("Evaluating LLM coding agents in algorithmic trading is difficult")
    assert p.abstract.endswith("quantitative trading workflows.")
    assert p.links == {"abs": "https://arxiv.org/abs/2608.11232", "pdf": "https://arxiv.org/pdf/2608.11232v1",
                       "html": "https://arxiv.org/html/2608.11232v1"}


def test_replace_items_carry_id_and_version(batch, by_id):
    replaced = [i for i in batch.items if i.announce_type in ("replace", "replace-cross")]
    assert len(replaced) == 47
    assert all(i.paper.version and i.paper.version > 1 for i in replaced)
    item = by_id["2608.10694"]
    assert (item.announce_type, item.paper.version) == ("replace-cross", 2)
    # The closest bound the feed gives for v2's date: Wednesday's 14:00 New York cutoff, less a
    # second, the last moment a submission could make Thursday's mailing; the calendar maps it
    # back to that mailing (the mailing's own midnight would map to Friday's).
    assert item.paper.updated == datetime(2026, 8, 12, 17, 59, 59, tzinfo=UTC)
    assert announcement_day(item.paper.updated) == date(2026, 8, 13)
    assert {i.paper.updated for i in replaced} == {item.paper.updated}
    assert (by_id["2505.13252"].paper.version, by_id["2505.13252"].announce_type) == (5, "replace")


def test_cross_lists_keep_their_primary_first(by_id):
    p = by_id["2608.11513"].paper
    assert by_id["2608.11513"].announce_type == "cross"
    assert p.categories == ("cs.SE", "cs.AI", "cs.CL")
    assert p.doi == "10.1007/s10664-026-10934-z"
    assert p.journal_ref == "Empirical Software Engineering 32 (2026) 13"


def test_doi_and_journal_reference(by_id):
    p = by_id["2608.11788"].paper
    assert p.doi == "10.18653/v1/2026.findings-eacl.84"
    assert p.journal_ref == "Findings of the Association for Computational Linguistics: EACL 2026, pages 1655-1677"


def test_paragraphs_kept(by_id):
    abstract = by_id["2608.11242"].paper.abstract
    first, second = abstract.split("\n\n")
    assert first.startswith("When the context window is under pressure")
    assert second.startswith("Current compactors retain only 17%")


def test_tex_accents_in_creators_are_decoded(by_id):
    authors = [a for item in by_id.values() for a in item.paper.authors]
    assert "Bernal Jiménez Gutiérrez" in authors
    assert not [a for a in authors if re.search(r"[\\{}]", a)]


def test_latex_title_kept(by_id):
    titles = [i.paper.title for i in by_id.values()]
    assert any(t.startswith(r"CT-$\Delta$Bench: ") for t in titles)


def test_empty_feed_is_normal():
    body = re.sub(rb"\s*<item>.*?</item>", b"", RSS.read_bytes(), flags=re.S)
    result = parse_rss(body)
    assert result.items == () and result.announced == date(2026, 8, 13)


def test_truncated_body_raises():
    body = RSS.read_bytes()
    with pytest.raises(ParseError):
        parse_rss(body[: len(body) // 2])


@pytest.mark.parametrize("body", [b"", b"Rate exceeded.", b"<html><body>hi</body></html>", b"<rss><channel>"])
def test_malformed_or_foreign_body_raises(body):
    with pytest.raises(ParseError):
        parse_rss(body)


def test_hostile_guid_is_skipped():
    body = RSS.read_bytes().replace(b"oai:arXiv.org:2608.11232v1", b"oai:arXiv.org:../../x", 1)
    result = parse_rss(body)
    assert len(result.items) == 138 and result.skipped == 1
    assert "2608.11232" not in {i.paper.id for i in result.items}


def test_feed_url():
    assert feed_url("https://rss.arxiv.org/rss/", ["cs.CL", "cs.LG"]) == "https://rss.arxiv.org/rss/cs.CL+cs.LG"
    assert feed_url("https://rss.arxiv.org/rss", ["cs.CL"]) == "https://rss.arxiv.org/rss/cs.CL"
    with pytest.raises(ValueError):
        feed_url("https://rss.arxiv.org/rss/", [])
