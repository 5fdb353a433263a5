"""Papers whose categories are unknown (Hugging Face's, `categories: []`): a topic's other
rules decide until arXiv's id lookup fills them, and every fetch that asks arXiv also asks
about the snapshots content/ still holds without them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from sitegen.config.settings import TopicConfig
from sitegen.fetch.complete import id_months, incomplete_ids
from sitegen.snapshot.store import read_snapshot, snapshot_path, write_snapshot
from sitegen.sources.arxiv.api import parse_api_feed
from sitegen.sources.arxiv.calendar import announcement_day
from sitegen.sources.huggingface.daily import parse_daily
from sitegen.topics import matches
from tests.fetch_fixtures import ET, FakeClock, fetch, hf_with_ids, make_config, serve_defaults
from tests.replay_server import FIXTURES, Reply

HF_DAY = "hf-daily-papers/daily_papers-30items-2026-06-12-raw.json"
LANGUAGE = TopicConfig(slug="language-models", title="Language Models", categories=("cs.CL", "cs.LG", "cs.AI"),
                       keywords=("language model", "language models", "LLM", "LLMs"))
VISION = TopicConfig(slug="vision", title="Computer Vision", categories=("cs.CV",))
TOPICS = """
[[topics]]
slug = "language-models"
title = "Language Models"
categories = ["cs.CL", "cs.LG", "cs.AI"]
keywords = ["language model", "language models", "LLM", "LLMs"]

[[topics]]
slug = "vision"
title = "Computer Vision"
categories = ["cs.CV"]

[[topics]]
slug = "nlp"
title = "Computation and Language"
categories = ["cs.CL"]
"""


def hf_day() -> dict:
    return {p.id: p for p in parse_daily((FIXTURES / HF_DAY).read_bytes())}


@pytest.fixture(scope="module")
def robust_u1():
    """2606.08063, 74 upvotes: "Can MLLMs Self-Recover ...", multimodal large language models."""
    paper = hf_day()["2606.08063"]
    assert paper.categories == () and paper.extra("huggingface").upvotes == 74
    return paper


def test_keywords_decide_when_the_categories_are_unknown(robust_u1):
    assert matches(LANGUAGE, robust_u1)
    excluding = replace(LANGUAGE, exclude=("corrupted",))
    assert not matches(excluding, robust_u1)  # exclusions still apply
    assert not matches(replace(LANGUAGE, keywords=("diffusion",)), robust_u1)


def test_authors_decide_when_the_categories_are_unknown(robust_u1):
    assert matches(TopicConfig(slug="a", title="A", categories=("cs.CV",), authors=("Jiaqi Tang",)), robust_u1)
    assert not matches(TopicConfig(slug="a", title="A", categories=("cs.CV",), authors=("Yann LeCun",)), robust_u1)


def test_a_topic_of_categories_alone_waits_for_them(robust_u1):
    assert not matches(VISION, robust_u1)
    assert not matches(TopicConfig(slug="cs", title="CS", categories=("cs",)), robust_u1)
    assert not matches(replace(VISION, exclude=("survey",)), robust_u1)  # an exclusion admits nothing


def test_known_categories_decide_again(robust_u1):
    """Given the categories of a real id_list answer (cs.CL, cs.LG): the language topic keeps
    it by category and keyword, the vision topic still does not take it."""
    entry = parse_api_feed((FIXTURES / "arxiv-api" / "api2026-idlist-1706.03762-max1.xml").read_bytes()).papers[0]
    completed = replace(robust_u1, categories=entry.categories)
    assert completed.categories == ("cs.CL", "cs.LG")
    assert matches(LANGUAGE, completed) and not matches(VISION, completed)
    elsewhere = replace(completed, categories=("cs.RO",))
    assert not matches(LANGUAGE, elsewhere)  # known and not the topic's: the keywords no longer suffice


def test_the_build_publishes_them(site_dir, robust_u1):
    site_dir.config_path.write_text(site_dir.config_path.read_text(encoding="utf-8")
                                    + TOPICS.replace('slug = "vision"', 'slug = "cv"'), encoding="utf-8")
    site_dir.add(robust_u1)
    site_dir.build()
    assert (site_dir.output / "papers" / "2606.08063" / "index.html").is_file()
    assert "2606.08063" in (site_dir.output / "topics" / "language-models" / "index.html").read_text()
    assert "2606.08063" not in (site_dir.output / "topics" / "cv" / "index.html").read_text()


# --- fetch ------------------------------------------------------------------------------------

def test_an_hf_day_keeps_what_keywords_place_before_arxiv_answers(replay, clock, tmp_path):
    """arXiv's id_list answers for one of the 30 (a recorded answer, the HF item renamed to
    its id): it is kept by its category (nlp). The 29 others stay `categories: []` and are
    kept when the language topic's keywords match them; the topics of categories alone
    (vision, nlp) take none of them."""
    serve_defaults(replay)
    replay.route("/api/daily_papers", Reply(body=hf_with_ids(HF_DAY, {"2606.00467": "1706.03762"})),
                 query={"date": "2026-06-12"})
    replay.route("/api/query", Reply(file="arxiv-api/api2026-idlist-1706.03762-max1.xml"),
                 query={"id_list": lambda v: "1706.03762" in v.split(",")})
    config = make_config(tmp_path, replay.url, topics=TOPICS)
    code, out = fetch(config, clock, days=None, since=date(2026, 6, 12), until=date(2026, 6, 12),
                      sources=["huggingface"])
    assert code == 0, out
    papers = {p.id: p for p in map(read_snapshot, config.build.content.rglob("*.md"))}
    assert papers["1706.03762"].categories == ("cs.CL", "cs.LG")
    assert papers["2606.08063"].categories == ()  # Robust-U1, placed by "language models"
    unknown = [p for p in papers.values() if not p.categories]
    assert unknown and all(matches(LANGUAGE, p) and not matches(VISION, p) for p in unknown)
    skipped = set(hf_day()) - set(papers) - {"2606.00467"}
    assert skipped and not any(matches(LANGUAGE, hf_day()[i]) for i in skipped)


def test_every_fetch_asks_arxiv_about_snapshots_without_categories(replay, tmp_path):
    """Two snapshots only Hugging Face gave (real records renamed to July 2017 ids, the month
    of a recorded id_list answer), on a night long after their HF day: the nightly fetch of
    31 July 2017 looks both up in one request; the one arXiv answers for gets its categories,
    its arXiv day and keeps HF's fields; the other is asked about again the next night."""
    clock = FakeClock(datetime(2017, 7, 31, 12, 0, tzinfo=ET))
    serve_defaults(replay)
    replay.route("/api/query", Reply(file="arxiv-api/api2026-idlist-0808.05394_and_1707.08567-partial.xml"),
                 query={"id_list": lambda v: "1707.08567" in v.split(",")})
    config = make_config(tmp_path, replay.url)
    renamed = {"2606.00467": "1707.08567", "2606.08063": "1707.09999"}
    day = {p.id: p for p in parse_daily(hf_with_ids(HF_DAY, renamed))}
    for paper_id in renamed.values():
        write_snapshot(config.build.content, day[paper_id])
    window = dict(days=None, since=date(2017, 7, 28), until=date(2017, 7, 30), sources=["arxiv"])
    code, out = fetch(config, clock, **window)
    assert code == 0, out
    lookups = [c.query["id_list"].split(",") for c in replay.hits("/api/query") if c.query.get("id_list")]
    assert lookups == [["1707.08567", "1707.09999"]]  # one batch
    done = read_snapshot(snapshot_path(config.build.content, "1707.08567"))
    assert done.categories and done.sources == ("arxiv", "huggingface")
    assert done.extra("huggingface") == day["1707.08567"].extra("huggingface")
    assert done.announced == announcement_day(done.published) < date(2026, 6, 12)  # its arXiv day
    assert read_snapshot(snapshot_path(config.build.content, "1707.09999")).categories == ()
    assert "0 new, 1 updated, 0 unchanged; every source answered" in out
    assert fetch(config, clock, **window)[0] == 0
    lookups = [c.query["id_list"].split(",") for c in replay.hits("/api/query") if c.query.get("id_list")]
    assert lookups[1:] == [["1707.09999"]]


def test_a_fetch_without_arxiv_does_not_ask(replay, clock, tmp_path):
    serve_defaults(replay)
    config = make_config(tmp_path, replay.url, topics=TOPICS)
    write_snapshot(config.build.content, hf_day()["2606.08063"])
    code, out = fetch(config, clock, sources=["huggingface"])
    assert code == 0, out
    assert not [c for c in replay.hits("/api/query") if c.query.get("id_list")]


def test_which_snapshots_are_asked_about(tmp_path):
    assert id_months(date(2026, 1, 15)) == ["2601", "2512", "2511", "2510"]
    content = tmp_path / "content"
    day = hf_day()
    for paper in day.values():
        write_snapshot(content, paper)
    completed = replace(day["2606.13681"], categories=("cs.CL",), sources=("arxiv", "huggingface"))
    write_snapshot(content, completed)
    write_snapshot(content, replace(day["2606.10423"], id="2601.00001"))  # older than four months
    crowd = tuple(f"Author Number{i}" for i in range(400))  # its categories line past the first 4 KB
    write_snapshot(content, replace(day["2606.09304"], authors=crowd))
    assert snapshot_path(content, "2606.09304").read_bytes().index(b"\ncategories:") > 4096
    outside = tmp_path / "outside.md"
    outside.write_bytes(snapshot_path(content, "2606.08063").read_bytes().replace(b"2606.08063", b"2606.99999"))
    (snapshot_path(content, "2606.08063").parent / "2606.99999.md").symlink_to(outside)
    ids = incomplete_ids(content, date(2026, 8, 13))
    assert ids == sorted(set(day) - {"2606.13681"}, reverse=True)  # newest first, no link, no complete one
    assert incomplete_ids(content, date(2026, 8, 13), limit=5) == ids[:5]
    assert incomplete_ids(content, date(2026, 8, 13), known=lambda i: i == ids[0]) == ids[1:]  # not read
    assert incomplete_ids(content, date(2026, 1, 20)) == ["2601.00001"]
