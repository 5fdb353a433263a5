"""Issue 17, point 4: every date, number and size a source sends is range-checked.

A record with a value out of bounds (a date of year 9999 or 0001 with an offset, which has no
UTC datetime; a date past the fetch's day; a 5000-digit count; a 100 KB title; 30,000 authors)
is skipped with one warning naming the URL and its id, and the healthy records of the same
answer are saved. Bounds: sitegen.limits (README, "Limits").
"""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from sitegen.errors import ParseError
from sitegen.limits import MAX_AUTHORS
from sitegen.snapshot.store import read_snapshot, snapshot_path
from sitegen.sources.arxiv.api import parse_api_feed
from sitegen.sources.arxiv.listing import parse_listing
from sitegen.sources.arxiv.rss import parse_rss
from sitegen.sources.huggingface.daily import parse_daily_page, parse_paper
from sitegen.sources.huggingface.record import hf_of
from tests.fetch_fixtures import LISTING_FILE, RSS_FILE, fetch, fixture_bytes, make_config, serve_defaults
from tests.replay_server import Reply

HF_DAY = "hf-daily-papers/daily_papers-30items-2026-06-12-raw.json"
API_FIVE = "arxiv-api/api2026-search-all-transformer-AND-cat-cs.LG-5-entries.xml"
AGENTS = """
[[topics]]
slug = "agents"
title = "Agents"
keywords = ["agent", "agents"]
"""
BIG = "9" * 5000


def hf_items() -> list[dict]:
    return json.loads(fixture_bytes(HF_DAY))


def hostile_hf_day() -> tuple[bytes, list[str]]:
    """The recorded day with five agent papers made hostile, one way each; their ids."""
    items = hf_items()
    chosen = [i for i in items if "agent" in i["paper"]["title"].lower() and i["paper"]["id"] != "2606.10423"][:5]
    assert len(chosen) == 5
    chosen[0]["paper"]["publishedAt"] = "9999-12-31T23:59:59-01:00"
    chosen[1]["paper"]["publishedAt"] = "0001-01-01T00:00:00+01:00"
    chosen[2]["paper"]["upvotes"] = "__BIG__"
    chosen[3]["paper"]["title"] = "An agent " + "x" * 100_000
    chosen[4]["paper"]["authors"] = [{"name": f"Author {n}"} for n in range(MAX_AUTHORS + 1)]
    body = json.dumps(items).encode().replace(b'"__BIG__"', BIG.encode())
    return body, [i["paper"]["id"] for i in chosen]


def test_hostile_records_are_skipped_and_the_healthy_ones_saved(replay, clock, tmp_path):
    body, bad = hostile_hf_day()
    serve_defaults(replay)
    replay.route("/api/daily_papers", Reply(body=body), query={"date": "2026-06-12"})
    config = make_config(tmp_path, replay.url, topics=AGENTS)

    code, out = fetch(config, clock, days=None, since=date(2026, 6, 12), until=date(2026, 6, 12),
                      sources=["huggingface"])

    assert code == 0, out
    assert "Traceback" not in out and "Overflow" not in out
    warnings = [line for line in out.splitlines() if "value out of bounds" in line]
    assert len(warnings) == 1, out
    line = warnings[0]
    assert line.startswith(f"warning: huggingface 2026-06-12: {replay.url}/api/daily_papers?date=2026-06-12: "
                           "skipped 5 records with a value out of bounds (kept the other 25): ")
    for paper_id in bad:
        assert paper_id in line
        assert not snapshot_path(config.build.content, paper_id).exists()
    assert "publishedAt '9999-12-31T23:59:59-01:00': 9999-12-31 is not a day in 1991-01-01..2999-12-31" in line
    assert "publishedAt '0001-01-01T00:00:00+01:00': 0001-01-01 is not a day in 1991-01-01..2999-12-31" in line
    assert "upvotes: a 5000-digit number; expected a whole number in 0..1,000,000,000" in line
    assert "title: 100,009 characters; at most 2,000" in line
    assert "20,001 authors; at most 20,000" in line
    assert len(line) < 1500  # one readable line, whatever the records held
    # The healthy agent papers of the same answer are saved, as they would be without the others.
    healthy = read_snapshot(snapshot_path(config.build.content, "2606.10423"))
    assert healthy.title == "WebChallenger: A Reliable and Efficient Generalist Web Agent"
    saved = list(config.build.content.rglob("*.md"))
    agents = [i for i in hf_items() if i["paper"]["id"] not in bad and re.search(
        r"\bagents?\b", i["paper"]["title"] + " " + i["paper"]["summary"], re.I)]
    assert len(saved) == len(agents) > 0


def test_a_record_dated_past_the_fetch_day_is_skipped(replay, clock, tmp_path):
    """The fetch runs on 2026-08-13 (arXiv's day): a record may be dated two days later at
    most (UTC is ahead of New York), never a month."""
    text = fixture_bytes(API_FIVE).decode()
    text = text.replace("<published>2026-06-11T17:59:49Z</published>", "<published>2026-09-20T00:00:00Z</published>")
    text = text.replace("<published>2026-06-11T17:12:11Z</published>", "<published>2026-08-15T20:00:00Z</published>")
    serve_defaults(replay)
    replay.route("/api/query", Reply(body=text.encode()), query={"start": "0"})  # one page, then none
    config = make_config(tmp_path, replay.url, topics="""
        [[topics]]
        slug = "lg"
        title = "Learning"
        categories = ["cs.LG"]
    """)
    code, out = fetch(config, clock, days=None, since=date(2026, 6, 1), until=date(2026, 6, 30), sources=["arxiv"])
    assert code == 0, out
    assert out.count("value out of bounds") == 1
    assert "skipped 1 record with a value out of bounds (kept the other 4): 2606.13677 (published 2026-09-20 is " \
           "not a day in 1991-01-01..2026-08-15)" in out
    assert not snapshot_path(config.build.content, "2606.13677").exists()
    assert snapshot_path(config.build.content, "2606.13591").exists()  # the 15th: within the margin


@pytest.mark.slow
def test_an_rss_item_of_year_9999_is_skipped_and_the_batch_kept(replay, clock, tmp_path):
    text = fixture_bytes(RSS_FILE).decode()
    first = text.index("<item>")
    item_date = text.index("<pubDate>", first)
    end = text.index("</pubDate>", item_date)
    text = text[:item_date] + "<pubDate>Fri, 31 Dec 9999 23:59:59 -0100" + text[end:]
    serve_defaults(replay)
    replay.route("/rss/cs.CL", Reply(body=text.encode()))
    config = make_config(tmp_path, replay.url)
    code, out = fetch(config, clock, sources=["arxiv"])
    assert code == 0, out
    assert "skipped 1 record with a value out of bounds (kept the other 138)" in out
    assert "pubDate '9999-12-31T23:59:59-01:00': 9999-12-31 is not a day" in out
    assert len(list(config.build.content.rglob("*.md"))) == 91  # of the 92 the batch gives topic nlp


# --- the parsers, record by record ---------------------------------------------------------------

def test_api_entries_out_of_bounds_are_rejected_by_id():
    text = fixture_bytes(API_FIVE).decode()
    text = text.replace("<published>2026-06-11T17:59:49Z</published>",
                        "<published>9999-12-31T23:59:59-01:00</published>")
    page = parse_api_feed(text.encode())
    assert len(page.papers) == 4 and page.skipped == 1
    assert [r.what for r in page.rejected] == ["2606.13677"]
    assert "9999-12-31 is not a day in 1991-01-01..2999-12-31" in page.rejected[0].reason


def test_a_huge_result_count_is_a_short_parse_error():
    text = re.sub(r"<opensearch:totalResults>\d+", "<opensearch:totalResults>" + BIG,
                  fixture_bytes(API_FIVE).decode())
    with pytest.raises(ParseError) as info:
        parse_api_feed(text.encode())
    message = str(info.value)
    assert "opensearch:totalResults" in message and "a 5000-digit number; expected a whole number in 0..1,000,000,000" \
        in message
    assert len(message) < 300


def test_a_listing_with_a_huge_total_or_a_day_of_year_9999():
    text = fixture_bytes(LISTING_FILE).decode()
    total = re.sub(r"Total of \d+ entries", f"Total of {BIG} entries", text)
    with pytest.raises(ParseError, match="a 5000-digit number"):
        parse_listing(total.encode())
    heading = re.search(r"<h3>[^<]*\b(\d{4})\b", text)
    assert heading is not None
    future = text[:heading.start(1)] + "9999" + text[heading.end(1):]
    page = parse_listing(future.encode())
    assert page.rejected and all("9999" in r.reason for r in page.rejected)
    assert len(page.papers) + len(page.rejected) == 50


def test_an_rss_channel_date_of_year_9999_rejects_its_items_not_the_parser():
    text = fixture_bytes(RSS_FILE).decode().replace("Thu, 13 Aug 2026 00:00:00 -0400",
                                                    "Fri, 31 Dec 9999 23:59:59 -0100")
    batch = parse_rss(text.encode())
    assert not batch.items and len(batch.rejected) == 139


@pytest.mark.parametrize("key, value, reason", [
    ("upvotes", -1, "upvotes: -1 is out of range"),
    ("upvotes", 10**12, "upvotes: 1,000,000,000,000 is out of range"),
    ("githubStars", "__BIG__", "githubStars: a 5000-digit number"),
    ("summary", "x" * 20_001, "abstract: 20,001 characters; at most 20,000"),
    ("ai_summary", "x" * 5_001, "ai_summary: 5,001 characters; at most 5,000"),
    ("submittedOnDailyAt", "9999-12-31T23:00:00-05:00", "submittedOnDailyAt '9999-12-31T23:00:00-05:00'"),
])
def test_hf_items_out_of_bounds_are_rejected_by_id(key, value, reason):
    items = hf_items()
    items[0]["paper"][key] = value
    page = parse_daily_page(json.dumps(items).encode().replace(b'"__BIG__"', BIG.encode()))
    assert len(page.papers) == 29
    assert [r.what for r in page.rejected] == [items[0]["paper"]["id"]]
    assert page.rejected[0].reason.startswith(reason), page.rejected[0].reason


def test_a_count_that_is_no_number_stays_unknown():
    items = hf_items()
    items[0]["paper"]["upvotes"] = "many"
    page = parse_daily_page(json.dumps(items).encode())
    assert not page.rejected and hf_of(page.papers[0]).upvotes is None


def test_one_hf_paper_out_of_bounds_is_a_parse_error():
    detail = json.loads(fixture_bytes("hf-daily-papers/api-papers-2605.15320-detail.json"))
    detail["publishedAt"] = "0001-01-01T00:00:00+01:00"
    with pytest.raises(ParseError, match="publishedAt '0001-01-01T00:00:00[+]01:00': 0001-01-01 is not a day"):
        parse_paper(json.dumps(detail).encode())


@pytest.mark.parametrize("encoding", ["TTF-8", "utf-16", "x" * 300])
def test_an_xml_declaration_of_an_unknown_encoding_is_a_parse_error(encoding):
    """Found by the fuzz suite (tests/test_fuzz_sources.py): an unknown one was a LookupError."""
    declared = f"encoding='{encoding}'".encode()
    for parse, body, what in ((parse_api_feed, fixture_bytes(API_FIVE), "arXiv API"),
                              (parse_rss, fixture_bytes(RSS_FILE), "arXiv RSS")):
        changed = body.replace(b"encoding='UTF-8'", declared, 1)
        assert changed != body
        with pytest.raises(ParseError, match=f"{what}: (XML in an unreadable encoding|malformed)") as info:
            parse(changed)
        assert len(str(info.value)) < 200


def test_a_content_length_of_thousands_of_digits_is_refused_in_a_short_line():
    from sitegen.fetch.http.body import TooLarge, check_length

    for digits in (19, 4000, 5000):
        with pytest.raises(TooLarge) as info:
            check_length("9" * digits, 50_000_000)
        assert f"a {digits:,}-digit number of bytes" in str(info.value) and len(str(info.value)) < 150
    check_length("50000000", 50_000_000)  # at the cap: read
