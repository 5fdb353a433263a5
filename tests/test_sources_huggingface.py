"""Hugging Face Daily Papers: the recorded 30-item and 3-item lists and the paper detail."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from sitegen.errors import ParseError
from sitegen.sources.huggingface.daily import daily_url, parse_daily, parse_paper
from sitegen.sources.huggingface.record import HuggingFace

HF = Path(__file__).parent / "fixtures" / "hf-daily-papers"
DAILY = HF / "daily_papers-30items-2026-06-12-raw.json"


def raw_items() -> list:
    return json.loads(DAILY.read_bytes())


def dumped(items) -> bytes:
    return json.dumps(items).encode()


@pytest.fixture(scope="module")
def papers():
    return {p.id: p for p in parse_daily(DAILY.read_bytes())}


def test_thirty_items(papers):
    assert len(papers) == 30
    for p in papers.values():
        assert p.categories == () and p.sources == ("huggingface",)
        assert p.version is None and p.updated is None
        assert p.announced == date(2026, 6, 12) == p.extra("huggingface").featured
        assert p.published.tzinfo is not None and p.published.microsecond == 0
        assert p.title and p.authors and p.abstract
        assert list(p.links)[:2] == ["abs", "pdf"] and "html" not in p.links


def test_fields_of_a_popular_paper(papers):
    p = papers["2606.13392"]
    assert p.title == "MiniMax Sparse Attention"
    assert p.extra("huggingface") == HuggingFace(
        upvotes=103, comments=4, featured=date(2026, 6, 12), github_stars=251,
        ai_summary="MiniMax Sparse Attention enables efficient processing of ultra-long contexts in large language "
                   "models through blockwise sparsity and optimized GPU execution, achieving significant speedups "
                   "while maintaining performance.",
        ai_keywords=("sparse attention", "Grouped Query Attention", "Top-k selection", "blockwise sparse attention",
                     "tensor-core utilization", "prefill", "decoding", "attention compute", "context length"),
        submitter="ryanlee-dev", organization="MiniMax")
    assert p.links == {"abs": "https://arxiv.org/abs/2606.13392", "pdf": "https://arxiv.org/pdf/2606.13392",
                       "code": "https://github.com/MiniMax-AI/MSA"}
    assert p.published == datetime(2026, 6, 11, tzinfo=UTC)
    assert p.authors[0] == "Xunhao Lai" and len(p.authors) == 11


def test_code_and_project_links_in_order(papers):
    p = papers["2606.10423"]
    assert list(p.links) == ["abs", "pdf", "code", "project"]
    assert p.links["code"] == "https://github.com/jayoohwang1/webchallenger"
    assert p.links["project"] == "https://jayoohwang1.github.io/webchallenger-site/"
    assert papers["2606.13594"].links.get("code") is None
    assert papers["2606.00467"].extra("huggingface").upvotes == 0  # zero is a count, not "unknown"
    assert papers["2606.00467"].extra("huggingface").github_stars is None


def test_every_item_of_the_day_has_an_ai_summary_and_keywords(papers):
    for p in papers.values():
        hf = p.extra("huggingface")
        assert hf.ai_summary and "\n" not in hf.ai_summary and 3 <= len(hf.ai_keywords) <= 20
        assert len(set(hf.ai_keywords)) == len(hf.ai_keywords) and hf.submitter
    # The caltech item: the organization's full name, as Hugging Face writes it; the user's handle.
    assert papers["2606.00467"].extra("huggingface").organization == "California institute of technology"
    assert papers["2606.00467"].extra("huggingface").submitter == "RKocielnik"


def test_odd_hf_fields_are_dropped_not_fatal():
    item = raw_items()[0]
    item["paper"]["ai_summary"] = 42
    item["paper"]["ai_keywords"] = ["ok", 7, "", "ok", "x" * 200, "  two\nlines "]
    item["submittedBy"] = {"name": "../../etc"}
    item["paper"]["submittedOnDailyBy"] = None
    item["organization"] = "not a mapping"
    item["paper"]["organization"] = {"name": "acme"}
    hf = parse_daily(dumped([item]))[0].extra("huggingface")
    assert hf.ai_summary is None and hf.ai_keywords == ("ok", "two lines")
    assert hf.submitter is None and hf.organization == "acme"


def test_paragraphs_in_summary(papers):
    abstract = papers["2606.13120"].abstract
    assert abstract.count("\n\n") >= 1 and "\n\nIn this paper, we introduce EvoBrowseComp" in abstract


def test_reindented_three_items():
    result = parse_daily((HF / "daily_papers-limit3-2026-08-03-reindented.json").read_bytes())
    assert [p.id for p in result] == ["2607.26654", "2607.28229", "2607.27851"]
    first = result[0]
    assert first.links["project"] == "https://www.lesswrong.com/posts/n5htoDGvKKJFAjji2"
    # This older answer has no AI summary yet; the organization's full name is preferred to its handle.
    assert first.extra("huggingface") == HuggingFace(upvotes=3, comments=1, featured=date(2026, 8, 3), github_stars=2,
                                            submitter="hunarbatra", organization="University of Oxford")
    assert result[1].published == datetime(2026, 7, 30, 14, 0, 27, tzinfo=UTC)


def test_paper_detail():
    p = parse_paper((HF / "api-papers-2605.15320-detail.json").read_bytes())
    assert p.id == "2605.15320" and p.title.startswith("FFAvatar: ")
    assert p.links["project"] == "https://ffavatar.github.io/" and "code" not in p.links
    hf = p.extra("huggingface")
    assert (hf.upvotes, hf.comments, hf.featured, hf.github_stars) == (1, None, date(2026, 5, 18), None)
    # The detail answer has no submittedBy of the item: the paper's submittedOnDailyBy stands in.
    assert hf.submitter == "taesiri" and hf.ai_summary.startswith("FFAvatar enables fast, high-quality 3D head")
    assert hf.ai_keywords[:2] == ("feed-forward framework", "3D Gaussian head avatars")


def test_featured_falls_back_to_the_requested_day():
    items = raw_items()
    for item in items:
        del item["paper"]["submittedOnDailyAt"]
    result = parse_daily(dumped(items), day=date(2026, 6, 13))
    assert all(p.extra("huggingface").featured == date(2026, 6, 13) == p.announced for p in result)


def test_hostile_id_is_skipped():
    items = raw_items()
    items[0]["paper"]["id"] = "../../x"
    items[1]["paper"]["id"] = "2606.12730/../../../etc/passwd"
    result = parse_daily(dumped(items))
    assert len(result) == 28 and {"2606.00467", "2606.12730"}.isdisjoint(p.id for p in result)


def test_unsafe_urls_are_dropped():
    items = raw_items()
    paper = items[4]["paper"]  # 2606.10423 has both a repo and a project page
    paper["githubRepo"] = "javascript:alert(1)"
    paper["projectPage"] = "data:text/html,<script>alert(1)</script>"
    p = next(p for p in parse_daily(dumped(items)) if p.id == "2606.10423")
    assert list(p.links) == ["abs", "pdf"]


def test_control_characters_removed_newlines_kept():
    items = raw_items()[:1]
    items[0]["paper"]["title"] = "Bad\u0000 title\u0007 \u001b[31mred\n  wrapped"
    items[0]["paper"]["summary"] = "First\u0001 paragraph\u0085.\n  Second \ud800paragraph\u000b."
    items[0]["paper"]["upvotes"] = True  # a JSON boolean is not a count
    (p,) = parse_daily(dumped(items))
    assert p.title == "Bad title [31mred wrapped"
    assert p.abstract == "First paragraph.\n\nSecond paragraph."
    assert p.extra("huggingface").upvotes is None


@pytest.mark.parametrize("body", [b"", b"[{", b"not json", b"\xff\xfe\x00", b"[" * 100_000])
def test_malformed_json_raises(body):
    with pytest.raises(ParseError, match="malformed JSON"):
        parse_daily(body)


def test_truncated_body_raises():
    body = DAILY.read_bytes()
    with pytest.raises(ParseError):
        parse_daily(body[: len(body) // 2])


@pytest.mark.parametrize("body", [b'{"papers": []}', b"[1, 2, 3]", b'"daily"', b'[{"title": "no paper"}]'])
def test_wrong_shape_raises(body):
    with pytest.raises(ParseError):
        parse_daily(body)


def test_error_object_raises_with_its_message():
    with pytest.raises(ParseError, match="Invalid date"):
        parse_daily(b'{"error": "Invalid date"}')


def test_empty_day_is_empty():
    assert parse_daily(b"[]") == ()


def test_daily_url():
    assert daily_url("https://huggingface.co/api/daily_papers", date(2026, 6, 12)) == \
        "https://huggingface.co/api/daily_papers?date=2026-06-12"
