"""Version marks, what content/ keeps: arXiv's v2+ of a known paper arrives with its own date
and comment (the RSS feed's replacement, completed from the API), and re-fetching changes no byte."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from sitegen import arxiv_ids
from sitegen.snapshot.format import dump_paper, parse_snapshot
from sitegen.snapshot.merge import merge
from sitegen.snapshot.store import read_snapshot, snapshot_path, write_snapshot
from sitegen.sources.arxiv.api import parse_api_feed
from sitegen.sources.arxiv.calendar import announcement_day
from sitegen.sources.arxiv.rss import parse_rss
from sitegen.versions import revision_day, version_mark
from tests.fetch_fixtures import RSS_FILE, fetch, fixture_bytes, make_config, serve_defaults, tree
from tests.replay_server import Reply

FIXTURES = Path(__file__).parent / "fixtures"
RSS = FIXTURES / "arxiv-rss" / "rss-cs.CL-2026-08-14.xml"
# Thursday 13 Aug 2026's mailing closed at Wednesday's 14:00 New York cutoff.
CUTOFF = datetime(2026, 8, 12, 17, 59, 59, tzinfo=UTC)


def api(name: str):
    return parse_api_feed((FIXTURES / "arxiv-api" / name).read_bytes()).papers


def moved(paper, paper_id: str):
    """A real record moved to another paper's id (no paper is in both recorded answers)."""
    return replace(paper, id=paper_id, links=arxiv_ids.links(paper_id, paper.version))


@pytest.fixture(scope="module")
def chain():
    """2502.00837 as content/ would see it: v1 from the API, then the feed's v3 replacement (the
    recorded item), then the API's record of v3 (the recorded v3 of hep-th/9711200, whose comment
    says what v2 and v3 changed)."""
    feed_v3 = next(i.paper for i in parse_rss(RSS.read_bytes()).items if i.paper.id == "2502.00837")
    v1 = moved(next(p for p in api("api2026-search-testing-100-entries.xml") if p.id == "2301.05651"), feed_v3.id)
    api_v3 = moved(api("api2026-idlist-hep-th_9711200-max1.xml")[0], feed_v3.id)
    return v1, feed_v3, api_v3


# --- content/: what a version mark needs -----------------------------------------------------

def test_a_v1_then_the_feeds_v3_keeps_no_word_of_v1s_comment(chain):
    v1, feed_v3, _ = chain
    assert v1.version == 1 and v1.comment.startswith("Accepted to the International Conference")
    merged = merge(merge(None, v1), feed_v3)
    assert merged.version == 3 and merged.title == feed_v3.title
    assert merged.updated == CUTOFF  # the feed's closest bound: the mailing's cutoff
    assert merged.comment is None  # v1's words are not v3's: the mark must not show them as v3's
    assert (merged.announced, merged.published) == (v1.announced, v1.published)  # its first day stays
    assert merged.links["pdf"].endswith("2502.00837v3")


def test_the_apis_v3_brings_its_comment_and_exact_date(chain):
    v1, feed_v3, api_v3 = chain
    after_feed = merge(merge(None, v1), feed_v3)
    done = merge(after_feed, api_v3)
    assert done.version == 3
    assert done.comment == api_v3.comment and "v3: More references" in done.comment
    assert done.updated == api_v3.updated  # one version, two dates: the exact one beats the bound
    # The API's v3 straight after v1 (what fetch does when its lookup answers) says the same.
    direct = merge(merge(None, v1), api_v3)
    assert (direct.version, direct.comment, direct.updated) == (3, done.comment, done.updated)


def test_refetching_any_of_them_changes_no_byte(chain):
    v1, feed_v3, api_v3 = chain
    for records in ([v1, feed_v3], [v1, feed_v3, api_v3], [v1, api_v3]):
        paper = None
        for record in records:
            paper = merge(paper, record)
        text = dump_paper(paper)
        stored = parse_snapshot(text)
        for record in records:  # each again, in the order a later fetch might bring them
            assert dump_paper(merge(stored, record)) == text, record.version


def test_the_version_mark_and_the_mailing_of_the_version(chain):
    v1, feed_v3, api_v3 = chain
    assert version_mark(v1) is None and revision_day(v1) is None  # a first version has none
    mark = version_mark(merge(merge(None, v1), api_v3))
    assert (mark.version, mark.day, mark.url) == (3, date(1998, 1, 22), "https://arxiv.org/abs/2502.00837v3")
    assert mark.day_text == "22 Jan 1998" and mark.comment == api_v3.comment
    revised = merge(merge(None, v1), feed_v3)
    assert revision_day(revised) == date(2026, 8, 13) == announcement_day(revised.updated)
    # The feed's replacement alone dates v3 by the mailing it was announced in, which is all it
    # knows of v1 too: no date of a revision, no mark (the shipped snapshots made from replacements).
    first_seen = merge(None, feed_v3)
    assert version_mark(first_seen) is None and revision_day(first_seen) is None
    legacy_new = replace(first_seen, published=datetime(2026, 8, 13, 4, tzinfo=UTC),
                         updated=datetime(2026, 8, 13, 4, tzinfo=UTC))
    assert version_mark(legacy_new) is None
    # An older sitegen dated the feed's replacements by the mailing's midnight: the same mailing.
    legacy = replace(revised, updated=datetime(2026, 8, 13, 4, tzinfo=UTC))
    assert revision_day(legacy) == date(2026, 8, 13)
    assert revision_day(revised, since=date(2026, 8, 14)) == date(2026, 8, 13)  # `since` only skips the hopeless
    assert revision_day(revised, since=date(2026, 12, 1)) is None


# --- fetch: the feed's replacement, completed from the API --------------------------------------

def rss_with_attention_v7() -> bytes:
    """The recorded feed with one replace item (2502.00837v3) moved to 1706.03762v7, the paper
    whose recorded id_list answer is v7 (a test-made variant of two real answers)."""
    return fixture_bytes(RSS_FILE).replace(b"2502.00837v3", b"1706.03762v7").replace(b"2502.00837", b"1706.03762")


def seed_attention(config, version: int = 5):
    paper = moved(api("api2026-idlist-1706.03762-max1.xml")[0], "1706.03762")
    old = replace(paper, version=version, comment="an older version's comment", title="Attention (v5 title)",
                  updated=datetime(2017, 12, 6, 3, 30, 2, tzinfo=UTC), links=arxiv_ids.links(paper.id, version))
    write_snapshot(config.build.content, old)
    return old


def test_a_replacement_of_a_known_paper_is_completed_from_the_api(replay, clock, tmp_path):
    serve_defaults(replay)
    replay.route("/rss/cs.CL", Reply(body=rss_with_attention_v7()))
    replay.route("/api/query", Reply(file="arxiv-api/api2026-idlist-1706.03762-max1.xml"),
                 query={"id_list": "1706.03762"})
    config = make_config(tmp_path, replay.url)
    seed_attention(config)
    code, out = fetch(config, clock, sources=["arxiv"])
    assert code == 0, out
    assert [c.query["id_list"] for c in replay.hits("/api/query") if c.query.get("id_list")] == ["1706.03762"]
    paper = read_snapshot(snapshot_path(config.build.content, "1706.03762"))
    assert paper.version == 7 and paper.title == "Attention Is All You Need"  # the API's record, not the feed's
    assert paper.comment == "15 pages, 5 figures"  # v7's own comment, not v5's
    assert paper.updated == datetime(2023, 8, 2, 0, 41, 18, tzinfo=UTC)  # its exact date
    # Fetching the same day again changes no byte.
    before = tree(config.build.content)
    code, out = fetch(config, clock, sources=["arxiv"])
    assert code == 0, out
    assert tree(config.build.content) == before


def test_a_failed_lookup_still_saves_the_new_version_and_says_so(replay, clock, tmp_path):
    serve_defaults(replay)
    replay.route("/rss/cs.CL", Reply(body=rss_with_attention_v7()))
    replay.route("/api/query", Reply(status=503), query={"id_list": "1706.03762"})
    config = make_config(tmp_path, replay.url, retries=0)
    seed_attention(config)
    code, out = fetch(config, clock, sources=["arxiv"])
    assert code == 0, out  # the feed's batch is saved: the replacement is not seen again
    assert "looking up 1 new versions of known papers failed" in out and "without their comments" in out
    paper = read_snapshot(snapshot_path(config.build.content, "1706.03762"))
    assert (paper.version, paper.updated, paper.comment) == (7, CUTOFF, None)


def test_no_lookup_for_unknown_papers_or_versions_already_known(replay, clock, tmp_path):
    serve_defaults(replay)
    replay.route("/rss/cs.CL", Reply(body=rss_with_attention_v7()))
    config = make_config(tmp_path, replay.url)
    seed_attention(config, version=7)
    code, out = fetch(config, clock, sources=["arxiv"])
    assert code == 0, out
    assert not [c for c in replay.hits("/api/query") if c.query.get("id_list")]
