"""The merge rule, on records parsed from the recorded responses."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from sitegen.snapshot.format import dump_paper, parse_snapshot
from sitegen.snapshot.merge import merge
from sitegen.sources.arxiv.api import parse_api_feed
from sitegen.sources.arxiv.listing import parse_listing
from sitegen.sources.arxiv.rss import parse_rss
from sitegen.sources.huggingface.daily import parse_daily
from sitegen.sources.huggingface.record import HuggingFace

FIXTURES = Path(__file__).parent / "fixtures"


def api(name: str):
    return parse_api_feed((FIXTURES / "arxiv-api" / name).read_bytes()).papers


@pytest.fixture(scope="module")
def arxiv_paper():
    # 2606.13677 v1 (June 2026, cs.RO primary): a paper Hugging Face could have featured.
    return api("api2026-search-all-transformer-AND-cat-cs.LG-5-entries.xml")[0]


@pytest.fixture(scope="module")
def hf_paper(arxiv_paper):
    """A real Hugging Face record, moved to the arXiv paper's id (no id is in both fixtures)."""
    real = next(p for p in parse_daily((FIXTURES / "hf-daily-papers" / "daily_papers-30items-2026-06-12-raw.json")
                                       .read_bytes()) if p.id == "2606.10423")
    links = {"abs": f"https://arxiv.org/abs/{arxiv_paper.id}", "pdf": f"https://arxiv.org/pdf/{arxiv_paper.id}",
             "code": real.links["code"], "project": real.links["project"]}
    return replace(real, id=arxiv_paper.id, links=links)


@pytest.fixture(scope="module")
def rss_items():
    return {i.paper.id: i for i in parse_rss((FIXTURES / "arxiv-rss" / "rss-cs.CL-2026-08-14.xml").read_bytes()).items}


@pytest.fixture(scope="module")
def listing():
    page = FIXTURES / "arxiv-html" / "list-cs.CL-recent-skip0-show50-2026-08-14.html"
    return parse_listing(page.read_bytes()).papers


# --- arXiv + Hugging Face --------------------------------------------------------------------

def test_hugging_face_adds_but_never_replaces_arxiv(arxiv_paper, hf_paper):
    merged = merge(arxiv_paper, hf_paper)
    for field in ("title", "abstract", "authors", "categories", "version", "published", "updated", "comment"):
        assert getattr(merged, field) == getattr(arxiv_paper, field), field
    assert merged.title != hf_paper.title  # the HF record really said something else
    assert merged.extra("huggingface") == hf_paper.extra("huggingface")
    assert merged.links == {
        "abs": arxiv_paper.links["abs"], "pdf": arxiv_paper.links["pdf"], "html": arxiv_paper.links["html"],
        "code": hf_paper.links["code"], "project": hf_paper.links["project"],
    }
    assert list(merged.links) == ["abs", "pdf", "html", "code", "project"]
    assert merged.sources == ("arxiv", "huggingface")
    # Submitted Thursday 11 June 13:59:49 US Eastern, 11 s before the cutoff: announced that
    # evening, dated Friday 12 June, the day Hugging Face featured its record too.
    assert merged.announced == min(arxiv_paper.announced, hf_paper.announced) == date(2026, 6, 12)


def test_order_of_arrival_does_not_matter_for_arxiv_and_hf(arxiv_paper, hf_paper):
    assert merge(hf_paper, arxiv_paper) == merge(arxiv_paper, hf_paper)
    assert merge(merge(None, hf_paper), arxiv_paper) == merge(merge(None, arxiv_paper), hf_paper)


def test_hf_only_paper_is_completed_by_arxiv(arxiv_paper, hf_paper):
    merged = merge(hf_paper, arxiv_paper)
    assert merged.categories == ("cs.RO", "cs.AI", "cs.CV", "cs.LG")  # HF had ()
    assert merged.published == arxiv_paper.published  # exact time, not HF's midnight


def test_newer_hf_stats_update_first_featured_day_stays(arxiv_paper, hf_paper):
    merged = merge(arxiv_paper, hf_paper)
    later = replace(hf_paper, announced=date(2026, 6, 20),
                    extras={"huggingface": HuggingFace(upvotes=50, comments=None, featured=date(2026, 6, 20),
                                                       github_stars=9)})
    again = merge(merged, later)
    # Unknown in the later record (comments, the AI summary and keywords): the earlier value stays.
    assert again.extra("huggingface") == replace(hf_paper.extra("huggingface"), upvotes=50, github_stars=9)
    assert again.extra("huggingface").ai_summary and again.extra("huggingface").ai_keywords
    assert again.announced == merged.announced


# --- arXiv versions --------------------------------------------------------------------------

def test_rss_replace_updates_version_but_not_announced(rss_items):
    replaced = rss_items["2608.10694"].paper  # replace-cross, v2
    v1 = replace(replaced, version=1, updated=None, title="An earlier title", comment="v1: 8 pages",
                 published=datetime(2026, 8, 10, 17, 2, 3, tzinfo=UTC), announced=date(2026, 8, 11),
                 links={**replaced.links, "pdf": "https://arxiv.org/pdf/2608.10694v1"})
    merged = merge(v1, replaced)
    assert (merged.version, merged.updated) == (2, replaced.updated)
    assert merged.title == replaced.title and merged.links["pdf"].endswith("v2")
    assert merged.announced == date(2026, 8, 11)  # first appearance, not the replacement day
    assert merged.published == v1.published  # RSS only knows an upper bound
    # v1's comment was v1's: the feed gives none for v2 (fetch asks the API for it), and a
    # version mark must not say "v2: v1: 8 pages".
    assert merged.comment is None


def test_older_version_never_wins():
    newest = api("api2026-idlist-1706.03762-max1.xml")[0]  # v7
    old = replace(newest, version=1, updated=newest.published, title="Old title", abstract="Old abstract.")
    assert merge(newest, old) == merge(None, newest)
    assert merge(old, newest).title == "Attention Is All You Need"


def test_same_version_newer_updated_wins_tie_keeps_existing():
    paper = api("api2016-idlist-1111.2011v2.xml")[0]
    fixed = replace(paper, title="Corrected title", updated=paper.updated + timedelta(hours=1))
    assert merge(paper, fixed).title == "Corrected title"
    assert merge(fixed, paper).title == "Corrected title"
    edited = replace(paper, title="Hand-edited title")
    assert merge(edited, paper).title == "Hand-edited title"  # a re-fetch of the same version


def test_listing_completes_rss_record(rss_items, listing):
    for entry in listing:
        rss = rss_items[entry.id].paper
        merged = merge(rss, entry)
        assert merged.abstract == rss.abstract != ""
        assert merged.comment == entry.comment  # only the listing shows comments
        assert merged.authors == rss.authors and merged.categories == rss.categories
        assert merged.announced == date(2026, 8, 13)
        assert merged == merge(merged, entry) == merge(merged, rss)


# --- hand edits, sources, idempotence --------------------------------------------------------

def test_hidden_and_hand_added_values_survive(arxiv_paper, hf_paper):
    hand = replace(arxiv_paper, hidden=True, doi="10.1000/hand", journal_ref="Hand J. 1 (2026)",
                   links={**arxiv_paper.links, "code": "https://example.org/hand-code"})
    newer = replace(arxiv_paper, version=2, updated=arxiv_paper.updated + timedelta(days=2), title="v2 title")
    merged = merge(hand, newer)
    assert merged.hidden and merged.title == "v2 title" and merged.version == 2
    assert (merged.doi, merged.journal_ref) == ("10.1000/hand", "Hand J. 1 (2026)")
    assert merged.links["code"] == "https://example.org/hand-code"
    assert merge(hand, hf_paper).hidden
    assert merge(hand, hf_paper).links["code"] == hf_paper.links["code"]  # the source gives one


def test_sources_are_the_sorted_union(arxiv_paper, hf_paper):
    assert merge(hf_paper, arxiv_paper).sources == ("arxiv", "huggingface")
    assert merge(None, replace(arxiv_paper, sources=("huggingface", "arxiv", "arxiv"))).sources == \
        ("arxiv", "huggingface")


def test_merge_is_idempotent_on_real_pairs(arxiv_paper, hf_paper, rss_items, listing):
    v1 = api("api2026-idlist-1706.03762-max1.xml")[0]
    pairs = [
        (arxiv_paper, hf_paper), (hf_paper, arxiv_paper), (None, arxiv_paper), (None, hf_paper),
        (replace(v1, version=3, title="x"), v1), (v1, replace(v1, version=3, title="x")),
        *((rss_items[p.id].paper, p) for p in listing), *((p, rss_items[p.id].paper) for p in listing),
    ]
    for existing, incoming in pairs:
        once = merge(existing, incoming)
        assert merge(once, incoming) == once
        assert merge(once, once) == once


def test_refetch_after_a_round_trip_through_disk_changes_nothing(arxiv_paper, hf_paper, rss_items, listing):
    for incoming in [arxiv_paper, hf_paper, *(i.paper for i in rss_items.values())]:
        stored = merge(None, incoming)
        text = dump_paper(stored)
        again = merge(parse_snapshot(text), incoming)
        assert dump_paper(again) == text


def test_ids_must_match(arxiv_paper, hf_paper):
    with pytest.raises(ValueError):
        merge(arxiv_paper, replace(hf_paper, id="2606.00001"))


def test_hf_summary_is_added_beside_the_abstract_never_instead(arxiv_paper, hf_paper):
    assert hf_paper.extra("huggingface").ai_summary
    merged = merge(arxiv_paper, hf_paper)
    assert merged.abstract == arxiv_paper.abstract  # arXiv's abstract, not Hugging Face's
    assert merged.extra("huggingface").ai_summary == hf_paper.extra("huggingface").ai_summary
    assert merged.extra("huggingface").ai_keywords == hf_paper.extra("huggingface").ai_keywords
    assert merged.extra("huggingface").submitter == hf_paper.extra("huggingface").submitter
    # A newer summary replaces the older one; a record without one keeps it.
    newer_hf = replace(hf_paper.extra("huggingface"), ai_summary="Newer.", ai_keywords=())
    newer = replace(hf_paper, extras={"huggingface": newer_hf})
    again = merge(merged, newer)
    assert again.extra("huggingface").ai_summary == "Newer."
    assert again.extra("huggingface").ai_keywords == hf_paper.extra("huggingface").ai_keywords
    assert merge(again, newer) == again  # idempotent
