"""`sitegen fetch` end to end against the replay server: each source, merging, idempotence."""

from __future__ import annotations

import io
import os
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from sitegen.fetch.lock import LOCK_NAME, FetchLock
from sitegen.fetch.pipeline import lock_folder, run_fetch
from sitegen.model import Paper
from sitegen.snapshot.store import read_snapshot, snapshot_path, write_snapshot
from tests.fetch_fixtures import RSS_FILE, FakeClock, fetch, hf_with_ids, make_config, serve_defaults, tree
from tests.replay_server import Reply

HF_DAY = "hf-daily-papers/daily_papers-30items-2026-06-12-raw.json"
TOPIC_ATTENTION = """
[[topics]]
slug = "attention"
title = "Attention"
categories = ["cs.CL"]
"""


def content_of(config):
    return tree(config.build.content)


def paper_ids(config) -> set[str]:
    return {read_snapshot(p).id for p in config.build.content.rglob("*.md")}


# --- arXiv API ----------------------------------------------------------------------------

def test_api_search_pages_until_an_empty_page(replay, clock, tmp_path):
    serve_defaults(replay)
    pages = {"0": "start0-max10", "10": "start10-max10", "20": "start20-max10-latex-title"}
    for start, name in pages.items():
        replay.route("/api/query", Reply(file=f"arxiv-api/api2026-search-testing-{name}.xml"),
                     query={"search_query": lambda q: "testing" in q, "start": start})
    config = make_config(tmp_path, replay.url, arxiv="page_size = 10", topics="""
        [[topics]]
        slug = "testing"
        title = "Testing"
        keywords = ["testing"]
    """)
    code, out = fetch(config, clock, days=None, since=date(2026, 6, 1), until=date(2026, 6, 3),
                      sources=["arxiv"])
    assert code == 0, out
    calls = replay.hits("/api/query")
    assert [c.query["start"] for c in calls] == ["0", "10", "20", "30"]  # the 4th page is empty
    assert all(c.query["max_results"] == "10" for c in calls)
    query = calls[0].query["search_query"]
    assert '(abs:"testing" OR ti:"testing")' in query
    assert "submittedDate:[202606010000 TO 202606032359]" in query
    assert calls[0].query["sortBy"] == "submittedDate"
    assert len(paper_ids(config)) == 30
    assert "30 new" in out
    assert not replay.hits("/rss/cs.CL")  # a window in the past wants no RSS batch


def test_api_search_stops_at_total(replay, clock, tmp_path):
    serve_defaults(replay)
    replay.route("/api/query", Reply(file="arxiv-api/api2016-search-au-del_maestro-AND-ti-checkerboard.xml"),
                 query={"search_query": lambda q: 'au:"Del Maestro"' in q})  # by surname
    config = make_config(tmp_path, replay.url, topics="""
        [[topics]]
        slug = "lab"
        title = "Lab"
        authors = ["Adrian Del Maestro"]
        categories = ["cond-mat.stat-mech", "cond-mat.str-el"]
        exclude = ["survey"]
    """)
    code, out = fetch(config, clock, days=None, since=date(2006, 3, 1), until=date(2006, 3, 31),
                      sources=["arxiv"])
    assert code == 0, out
    calls = replay.hits("/api/query")
    assert len(calls) == 1  # totalResults = 1 and one entry came: no second page
    query = calls[0].query["search_query"]
    assert "(cat:cond-mat.stat-mech OR cat:cond-mat.str-el)" in query and 'ANDNOT (abs:"survey"' in query
    assert paper_ids(config) == {"cond-mat/0603029"}
    assert (config.build.content / "papers" / "cond-mat" / "0603" / "cond-mat_0603029.md").is_file()


@pytest.mark.parametrize("entry, kept", [("Adrian Del Maestro", 10), ("Del Maestro, A.", 10), ("B. Del Maestro", 0)])
def test_an_author_topic_asks_by_surname_and_keeps_what_its_rule_matches(replay, clock, tmp_path, entry, kept):
    # arXiv's answer lists the same person as "Adrian Del Maestro" on six papers and as
    # "A. Del Maestro" on four: the query by surname gets all ten, the rule keeps the matches.
    serve_defaults(replay)
    replay.route("/api/query", Reply(file="arxiv-api/api2016-search-au-del_maestro-10-entries.xml"),
                 query={"search_query": lambda q: q.startswith('(au:"Del Maestro" OR au:"DelMaestro")')})
    topic = f'[[topics]]\nslug = "lab"\ntitle = "Lab"\nauthors = ["{entry}"]\n'
    config = make_config(tmp_path, replay.url, topics=topic)
    code, out = fetch(config, clock, days=None, since=date(2006, 1, 1), until=date(2016, 12, 31), sources=["arxiv"])
    assert code == 0, out
    assert len(paper_ids(config)) == kept


@pytest.mark.slow
def test_nightly_window_covers_days_before_today(replay, clock, tmp_path):
    serve_defaults(replay)
    config = make_config(tmp_path, replay.url, fetch="days = 3")
    code, out = fetch(config, clock, days=None, sources=["arxiv"])
    assert code == 0, out
    query = replay.hits("/api/query")[0].query["search_query"]
    assert "submittedDate:[202608100000 TO 202608132359]" in query  # today (Thu 13th) and 3 days back
    assert "2026-08-10 to 2026-08-13" in out


# --- arXiv RSS ------------------------------------------------------------------------------

def seed(config, paper_id: str, version: int, **changes) -> Paper:
    paper = Paper(id=paper_id, version=version, title="An older title", authors=("A. Author",),
                  published=datetime(2025, 2, 2, 10, 0, tzinfo=UTC),
                  updated=datetime(2025, 3, 3, 10, 0, tzinfo=UTC),
                  categories=("cs.CL",), announced=date(2025, 2, 3), abstract="Old abstract.",
                  links={"abs": f"https://arxiv.org/abs/{paper_id}"}, sources=("arxiv",), **changes)
    write_snapshot(config.build.content, paper)
    return paper


def test_rss_adds_new_and_cross_and_updates_only_known_replacements(replay, clock, tmp_path):
    serve_defaults(replay)
    config = make_config(tmp_path, replay.url)
    seed(config, "2502.00837", 2)  # announced today as a replace to v3
    seed(config, "2505.13252", 6)  # the feed's v5 is older than what we have
    code, out = fetch(config, clock, sources=["arxiv"])
    assert code == 0, out
    ids = paper_ids(config)
    assert len(ids) == 56 + 36 + 2  # new + cross + the two seeded; other replacements skipped
    assert "2507.15100" not in ids and "2508.02038" not in ids  # replace of unknown papers
    updated = read_snapshot(snapshot_path(config.build.content, "2502.00837"))
    assert updated.version == 3
    # The API (an empty answer here) had no record of v3: the feed's bound, Wednesday's cutoff.
    assert updated.updated == datetime(2026, 8, 12, 17, 59, 59, tzinfo=UTC)
    lookups = [c.query["id_list"] for c in replay.hits("/api/query") if c.query.get("id_list")]
    assert lookups == ["2502.00837"]  # only the known paper the feed brings a newer version of
    assert updated.announced == date(2025, 2, 3) and updated.published.year == 2025
    assert updated.links["pdf"].endswith("2502.00837v3")
    kept = read_snapshot(snapshot_path(config.build.content, "2505.13252"))
    assert kept.version == 6 and kept.title == "An older title"
    new = read_snapshot(snapshot_path(config.build.content, "2608.11232"))
    assert new.announced == date(2026, 8, 13) and new.categories == ("cs.CL", "cs.AI")
    assert "92 new, 1 updated" in out


def test_rss_candidates_must_match_a_topic(replay, clock, tmp_path):
    serve_defaults(replay)
    config = make_config(tmp_path, replay.url, topics="""
        [[topics]]
        slug = "mt"
        title = "Translation"
        categories = ["cs.CL"]
        keywords = ["translation"]
    """)
    code, out = fetch(config, clock, sources=["arxiv"])
    assert code == 0, out
    assert len(paper_ids(config)) == 4  # the new/cross items mentioning "translation"


@pytest.mark.slow
def test_topics_sharing_categories_share_one_feed(replay, clock, tmp_path):
    serve_defaults(replay)
    config = make_config(tmp_path, replay.url, topics="""
        [[topics]]
        slug = "a"
        title = "A"
        categories = ["cs.CL"]
        [[topics]]
        slug = "b"
        title = "B"
        categories = ["cs.CL"]
        keywords = ["benchmark"]
        [[topics]]
        slug = "c"
        title = "C"
        authors = ["Nobody Atall"]
    """)
    code, out = fetch(config, clock, sources=["arxiv"])
    assert code == 0, out
    assert len(replay.hits("/rss/cs.CL")) == 1
    assert len(replay.hits("/api/query")) == 3  # one search per topic


def test_only_chosen_topic_and_source(replay, clock, tmp_path):
    serve_defaults(replay)
    config = make_config(tmp_path, replay.url, topics="""
        [[topics]]
        slug = "a"
        title = "A"
        categories = ["cs.CL"]
        [[topics]]
        slug = "b"
        title = "B"
        categories = ["cs.LG"]
    """)
    replay.route("/rss/cs.LG", Reply(file=RSS_FILE))
    code, out = fetch(config, clock, topics=["b"], sources=["arxiv"])
    assert code == 0, out
    calls = replay.hits("/api/query")
    assert len(calls) == 1 and "cat:cs.LG" in calls[0].query["search_query"]
    assert not replay.hits("/rss/cs.CL") and not replay.hits("/api/daily_papers")
    assert len(replay.hits("/rss/cs.LG")) == 1


# --- Hugging Face ---------------------------------------------------------------------------

def serve_hf_day(replay, body: bytes):
    replay.route("/api/daily_papers", Reply(body=body), query={"date": "2026-06-12"})


def test_hf_paper_completed_from_arxiv_and_merged(replay, clock, tmp_path):
    """The recorded HF day and API answers share no paper, so one HF item is renamed to the
    id of a recorded id_list answer: that paper must come out with arXiv's metadata and
    categories plus HF's upvotes, comments and repo."""
    serve_defaults(replay)
    serve_hf_day(replay, hf_with_ids(HF_DAY, {"2606.00467": "1706.03762"}))
    replay.route("/api/query", Reply(file="arxiv-api/api2026-idlist-1706.03762-max1.xml"),
                 query={"id_list": lambda v: "1706.03762" in v.split(",")})
    config = make_config(tmp_path, replay.url, topics=TOPIC_ATTENTION)
    code, out = fetch(config, clock, days=None, since=date(2026, 6, 12), until=date(2026, 6, 12),
                      sources=["huggingface"])
    assert code == 0, out
    lookups = [c for c in replay.hits("/api/query") if "id_list" in c.query]
    assert len(lookups) == 1 and len(lookups[0].query["id_list"].split(",")) == 30  # one batch
    assert paper_ids(config) == {"1706.03762"}  # the other 29 have no category: off-topic
    paper = read_snapshot(snapshot_path(config.build.content, "1706.03762"))
    assert paper.title == "Attention Is All You Need" and paper.version == 7
    assert paper.categories[0] == "cs.CL"
    assert paper.sources == ("arxiv", "huggingface")
    assert paper.extra("huggingface") is not None and paper.extra("huggingface").featured == date(2026, 6, 12)
    assert paper.extra("huggingface").upvotes is not None and paper.extra("huggingface").comments is not None
    assert "1 new" in out


def test_hf_fields_added_to_a_paper_arxiv_gave(replay, clock, tmp_path):
    serve_defaults(replay)
    serve_hf_day(replay, hf_with_ids(HF_DAY, {"2606.00467": "1706.03762"}))
    replay.route("/api/query", Reply(file="arxiv-api/api2026-idlist-1706.03762-max1.xml"),
                 query={"search_query": lambda q: "cat:cs.CL" in q, "start": "0"})
    config = make_config(tmp_path, replay.url, topics=TOPIC_ATTENTION)
    code, out = fetch(config, clock, days=None, since=date(2026, 6, 12), until=date(2026, 6, 12))
    assert code == 0, out
    lookups = [c for c in replay.hits("/api/query") if "id_list" in c.query]
    assert lookups and all("1706.03762" not in c.query["id_list"] for c in lookups)  # already fetched
    paper = read_snapshot(snapshot_path(config.build.content, "1706.03762"))
    assert paper.version == 7 and paper.extra("huggingface") is not None and paper.sources == ("arxiv", "huggingface")
    assert paper.title == "Attention Is All You Need"  # HF never replaces arXiv's metadata


def test_hf_only_paper_kept_for_a_topic_without_categories(replay, clock, tmp_path):
    serve_defaults(replay)
    serve_hf_day(replay, hf_with_ids(HF_DAY, {}))
    config = make_config(tmp_path, replay.url, topics="""
        [[topics]]
        slug = "agents"
        title = "Agents"
        keywords = ["agent", "agents"]
    """)
    code, out = fetch(config, clock, days=None, since=date(2026, 6, 12), until=date(2026, 6, 12),
                      sources=["huggingface"])
    assert code == 0, out
    ids = paper_ids(config)
    assert ids and len(ids) < 30
    paper = read_snapshot(snapshot_path(config.build.content, sorted(ids)[0]))
    assert paper.categories == () and paper.sources == ("huggingface",)


def test_hf_lookups_are_batched(replay, clock, tmp_path, monkeypatch):
    import sitegen.sources.arxiv.fetch
    monkeypatch.setattr(sitegen.sources.arxiv.fetch, "ID_BATCH", 12)
    serve_defaults(replay)
    serve_hf_day(replay, hf_with_ids(HF_DAY, {}))
    config = make_config(tmp_path, replay.url, topics=TOPIC_ATTENTION)
    code, _ = fetch(config, clock, days=None, since=date(2026, 6, 12), until=date(2026, 6, 12),
                    sources=["huggingface"])
    lookups = [c.query["id_list"].split(",") for c in replay.hits("/api/query") if "id_list" in c.query]
    assert code == 0 and [len(ids) for ids in lookups] == [12, 12, 6]


def test_one_request_per_day_in_the_window(replay, clock, tmp_path):
    serve_defaults(replay)
    config = make_config(tmp_path, replay.url)
    code, _ = fetch(config, clock, days=None, since=date(2026, 8, 1), until=date(2026, 8, 5),
                    sources=["huggingface"])
    days = [c.query["date"] for c in replay.hits("/api/daily_papers")]
    assert code == 0 and days == [f"2026-08-0{d}" for d in range(1, 6)]


# --- writing: idempotence, hand edits, nothing deleted --------------------------------------

def full_routes(replay):
    """Every source answers: API search, RSS batch, and an HF day (today, the 13th)."""
    serve_defaults(replay)
    replay.route("/api/daily_papers", Reply(body=hf_with_ids(HF_DAY, {"2606.00467": "1706.03762"})),
                 query={"date": "2026-08-13"})
    replay.route("/api/query", Reply(file="arxiv-api/api2026-idlist-1706.03762-max1.xml"),
                 query={"id_list": lambda v: "1706.03762" in v.split(",")})
    replay.route("/api/query", Reply(file="arxiv-api/api2026-search-all-transformer-AND-cat-cs.LG-5-entries.xml"),
                 query={"search_query": lambda q: "cat:cs.CL" in q, "start": "0"})


def test_second_fetch_changes_no_file(replay, clock, tmp_path):
    full_routes(replay)
    config = make_config(tmp_path, replay.url)
    code, out = fetch(config, clock)
    assert code == 0, out
    first = content_of(config)
    assert len(first) > 90
    mtimes = {p: p.stat().st_mtime_ns for p in config.build.content.rglob("*.md")}
    code, out = fetch(config, clock)
    assert code == 0, out
    assert content_of(config) == first
    assert {p: p.stat().st_mtime_ns for p in config.build.content.rglob("*.md")} == mtimes
    assert "0 new, 0 updated" in out
    assert not (lock_folder(config) / LOCK_NAME).exists()


@pytest.mark.slow
def test_hand_edits_and_hidden_survive(replay, clock, tmp_path):
    full_routes(replay)
    config = make_config(tmp_path, replay.url)
    assert fetch(config, clock)[0] == 0
    path = snapshot_path(config.build.content, "1706.03762")
    paper = read_snapshot(path)
    assert paper.doi is None
    edited = replace(paper, hidden=True, doi="10.5555/hand.edit",
                     links={**paper.links, "project": "https://example.org/hand-added"})
    write_snapshot(config.build.content, edited)
    by_hand = path.read_bytes()
    assert b"hidden: true" in by_hand
    code, out = fetch(config, clock)
    assert code == 0, out
    assert path.read_bytes() == by_hand


@pytest.mark.slow
def test_nothing_is_deleted(replay, clock, tmp_path):
    serve_defaults(replay)
    config = make_config(tmp_path, replay.url)
    old = seed(config, "2101.00001", 1)  # no source mentions it any more
    (config.build.content / "notes.txt").write_text("a file fetch knows nothing about")
    code, out = fetch(config, clock)
    assert code == 0, out
    assert read_snapshot(snapshot_path(config.build.content, "2101.00001")) == old
    assert (config.build.content / "notes.txt").read_text() == "a file fetch knows nothing about"


def test_broken_snapshot_is_left_alone(replay, clock, tmp_path):
    serve_defaults(replay)
    config = make_config(tmp_path, replay.url)
    seed(config, "2608.11232", 1)
    path = snapshot_path(config.build.content, "2608.11232")
    path.write_text("---\nid: [broken\n---\n")
    code, out = fetch(config, clock, sources=["arxiv"])
    assert code == 0, out
    assert path.read_text() == "---\nid: [broken\n---\n"
    assert "left as it is" in out and str(path) in out


# --- lock, usage, output ----------------------------------------------------------------------

def test_running_fetch_blocks_a_second_one(replay, clock, tmp_path):
    serve_defaults(replay)
    config = make_config(tmp_path, replay.url)
    lock = lock_folder(config) / LOCK_NAME
    assert lock == tmp_path / ".sitegen-cache" / "fetch.lock"  # beside the fetch cache, not in content/
    with FetchLock(lock.parent, pid=os.getppid()):  # held (flock) as if by the fetch running as our parent
        code, out = fetch(config, clock)
        assert lock.read_text() == f"{os.getppid()}\n"
    assert code == 1
    assert out.count("\n") == 1 and f"another sitegen fetch (pid {os.getppid()}) is running" in out
    assert not replay.requests


def test_a_stale_lock_naming_a_live_process_does_not_block(replay, clock, tmp_path):
    # What a fetch killed long ago leaves, its pid since reused by a live process (our parent):
    # no one holds the lock, so the fetch runs. The pid in the file never decides.
    serve_defaults(replay)
    config = make_config(tmp_path, replay.url)
    lock = lock_folder(config) / LOCK_NAME
    lock.parent.mkdir(parents=True)
    lock.write_text(f"{os.getppid()}\n")
    code, out = fetch(config, clock)
    assert code == 0, out
    assert "another sitegen fetch" not in out and f"stale lock left by pid {os.getppid()}" in out
    assert not lock.exists()


@pytest.mark.slow
def test_stale_lock_is_taken_over(replay, clock, tmp_path):
    import subprocess
    import sys

    serve_defaults(replay)
    config = make_config(tmp_path, replay.url)
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    lock = lock_folder(config) / LOCK_NAME
    lock.parent.mkdir(parents=True)
    lock.write_text(f"{proc.pid}\n")
    code, out = fetch(config, clock)
    assert code == 0, out
    assert f"stale lock left by pid {proc.pid}" in out
    assert not lock.exists() and not list(config.build.content.rglob("*.lock"))


@pytest.mark.parametrize("kw, message", [
    (dict(topics=["nope"]), "unknown topic 'nope'"),
    (dict(sources=["semantic-scholar"]), "unknown source 'semantic-scholar'"),
    (dict(days=None, since=date(2026, 8, 10), until=date(2026, 8, 1)), "is after --until"),
    (dict(days=2, since=date(2026, 8, 10)), "either --days or --since"),
    (dict(days=None, until=date(2026, 8, 10)), "--until needs --since"),
])
def test_usage_errors_exit_2(replay, clock, tmp_path, kw, message):
    config = make_config(tmp_path, replay.url)
    code, out = fetch(config, clock, **kw)
    assert code == 2 and message in out and out.count("\n") == 1
    assert not replay.requests and not config.build.content.exists()


@pytest.mark.slow
def test_progress_display_on_a_terminal(replay, clock, tmp_path):
    serve_defaults(replay)
    config = make_config(tmp_path, replay.url)

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    out = Terminal()
    code = run_fetch(config, days=1, since=None, until=None, topics=[], sources=[],
                     clock=clock, sleep=clock.sleep, out=out)
    text = out.getvalue()
    assert code == 0
    assert "arxiv api nlp" in text and "arxiv rss cs.CL" in text and "huggingface 2026-08-13" in text
    assert "every source answered" in text


@pytest.mark.slow
def test_no_progress_display_off_a_terminal(replay, clock, tmp_path):
    serve_defaults(replay)
    config = make_config(tmp_path, replay.url)
    out = io.StringIO()
    code = run_fetch(config, days=1, since=None, until=None, topics=[], sources=[],
                     clock=clock, sleep=clock.sleep, out=out)
    assert code == 0
    assert "arxiv api nlp" not in out.getvalue()
    assert out.getvalue().startswith("sitegen fetch: 2026-08-12 to 2026-08-13")
    assert "source" in out.getvalue() and "huggingface" in out.getvalue()


def test_politeness_interval_from_config(replay, tmp_path):
    serve_defaults(replay)
    config = make_config(tmp_path, replay.url, arxiv="", fetch="")
    text = config.path.read_text().replace("min_interval = 0.0", "min_interval = 3.0", 1)
    config.path.write_text(text)
    from sitegen.config.load import parse_config

    config = parse_config(text, config.path)
    clock = FakeClock()
    code, out = fetch(config, clock, sources=["arxiv"])
    assert code == 0, out
    assert clock.sleeps == [3.0]  # API search, then 3 s, then the RSS feed
