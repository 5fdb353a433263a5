"""Issue 8, end to end: no server can crash, hang or exhaust a fetch.

One test (or a few) per case that broke: a redirect loop, a gzip bomb, a trickling server,
a listing announcing a billion entries, DNS down, a host that never answers, kill -9 in the
middle of writing, and one id twice in one answer. Each runs `sitegen fetch` against the
replay server on 127.0.0.1 (the kill and the bomb in a real subprocess), checks that the
failing unit fails with one line and exit 1, that what the healthy sources gave is saved,
and that it all ends in a bounded number of requests and a few seconds at most.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sitegen.atomic import atomic_write, is_leftover
from sitegen.config.load import parse_config
from sitegen.fetch.lock import LOCK_NAME
from sitegen.fetch.pipeline import lock_folder
from sitegen.snapshot.store import read_snapshot, snapshot_path
from tests.fetch_fixtures import (
    LISTING_FILE,
    RSS_FILE,
    ZERO_RESULTS,
    empty_rss,
    fetch,
    fixture_bytes,
    hf_with_ids,
    make_config,
    serve_defaults,
    tree,
)
from tests.replay_server import FIXTURES, Reply, SilentServer, gzip_bomb

HF_DAY = "hf-daily-papers/daily_papers-30items-2026-06-12-raw.json"
RSS_PAPERS = 92  # what the recorded cs.CL batch gives topic nlp
ROOT = Path(__file__).resolve().parent.parent


def assert_one_line_failures(out: str) -> None:
    assert "Traceback" not in out
    for line in out.splitlines():
        assert line.startswith(("sitegen fetch: ", "  ", "note: ", "warning: ", "failed: ")) or \
            re.match(r"\d+ new, ", line), f"not a summary line: {line!r}"


def arxiv_at(config, base: str, keys=("api_url", "rss_url", "list_url")):
    """The config with [sources.arxiv]'s URLs (`keys`) on `base` instead (Hugging Face stays)."""
    text = config.path.read_text()
    paths = {"api_url": "/api/query", "rss_url": "/rss/", "list_url": "/list/"}
    for key in keys:
        text = re.sub(rf'{key} = "[^"]*"', f'{key} = "{base}{paths[key]}"', text, count=1)
    config.path.write_text(text)
    return parse_config(text, config.path)


AGENTS = """
[[topics]]
slug = "agents"
title = "Agents"
keywords = ["agent", "agents"]
"""


def hf_agents_day(replay) -> None:
    """Hugging Face answers every day with the recorded day: its agent papers fit topic agents."""
    replay.route("/api/daily_papers", Reply(body=hf_with_ids(HF_DAY, {})))


def hf_saved(out: str) -> int:
    row = next(line for line in out.splitlines() if line.strip().startswith("huggingface "))
    return int(row.split()[1])


# --- arXiv answers 302 to the same URL ---------------------------------------------------------

def test_arxiv_redirect_loop_fails_that_unit_and_huggingface_still_runs(replay, clock, tmp_path):
    serve_defaults(replay)
    hf_agents_day(replay)
    replay.route("/api/query", Reply(status=302, location="{self}"),
                 query={"search_query": lambda q: "agent" in q, "start": "0"})
    config = make_config(tmp_path, replay.url, topics=AGENTS, retries=4)
    code, out = fetch(config, clock)
    assert code == 1, out
    assert re.search(r"failed: arxiv api agents: http://\S+: redirect loop: '\S+' was already visited; the "
                     r"service redirects in a circle", out), out
    assert len([r for r in replay.hits("/api/query") if "search_query" in r.query and r.query["search_query"]]) == 1
    assert hf_saved(out) > 0
    assert_one_line_failures(out)


# --- a gzip bomb ---------------------------------------------------------------------------------

CHILD_MEASURED = """
import resource, sys
import sitegen.cli, sitegen.fetch  # all the fetch imports, so the baseline holds them
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
code = sitegen.cli.main(sys.argv[1:])
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"peak RSS growth {after - before} KiB", file=sys.stderr)
sys.exit(code)
"""


@pytest.mark.slow
def test_gzip_bomb_fails_that_day_cleanly_with_bounded_memory(replay, tmp_path):
    """1 MB of gzip inflating to 1 GiB for every Hugging Face day, against the real command
    with the default cap (50 MB): each day fails with one line, exit 1, the arXiv batch is
    saved, and the process grows by little more than the cap (it was 2.1 GB)."""
    serve_defaults(replay)
    replay.route("/api/daily_papers", Reply(stream=gzip_bomb, headers={"Content-Encoding": "gzip"}))
    config = make_config(tmp_path, replay.url)
    done = subprocess.run([sys.executable, "-c", CHILD_MEASURED, "fetch", "--config", str(config.path), "--days", "1"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, done.stderr
    failures = [line for line in done.stderr.splitlines() if line.startswith("failed: ")]
    assert len(failures) == 2 and all(re.fullmatch(
        r"failed: huggingface \d{4}-\d\d-\d\d: \S+: the answer is larger than 50000000 bytes after decompression; "
        r"refused it; raise \[sources.huggingface\] max_bytes if this is a real answer", f) for f in failures), failures
    assert "Traceback" not in done.stderr
    assert len(tree(config.build.content)) == RSS_PAPERS  # arXiv's papers are saved
    growth = int(re.search(r"peak RSS growth (\d+) KiB", done.stderr).group(1))
    assert growth < 200 * 1024, f"{growth} KiB"
    assert len(replay.hits("/api/daily_papers")) == 2  # refused, not retried


# --- a server that sends one byte at a time ------------------------------------------------------

@pytest.mark.slow
def test_trickling_server_is_cut_at_the_deadline(replay, clock, tmp_path):
    serve_defaults(replay)
    replay.route("/api/query", Reply(file=ZERO_RESULTS, trickle=0.05),
                 query={"search_query": lambda q: "cat:cs.CL" in q})
    config = make_config(tmp_path, replay.url, timeout=5.0, arxiv="deadline = 0.5")
    start = time.monotonic()
    code, out = fetch(config, clock, sources=["arxiv"])
    took = time.monotonic() - start
    assert code == 1
    assert re.search(r"failed: arxiv api nlp: \S+: no complete answer within 0.5 s after 2 tries; the service is "
                     r"slow or down; try again later or raise \[sources.arxiv\] deadline", out), out
    assert took < 3.0 and f"{RSS_PAPERS} new" in out
    assert_one_line_failures(out)


# --- a listing claiming "Total of 1000000000 entries" ---------------------------------------------

def billion(page: bytes) -> bytes:
    return page.replace(b"Total of 528 entries", b"Total of 1000000000 entries")


def fresh_listing(query: dict[str, str]) -> bytes:
    """The recorded listing page with new ids for each `skip`: an endless, ever-new listing."""
    page = billion(fixture_bytes(LISTING_FILE)).decode("utf-8")
    ids = list(dict.fromkeys(re.findall(r"2608\.\d{5}", page)))
    skip = int(query.get("skip", "0"))
    for i, old in enumerate(ids):
        page = page.replace(old, f"2607.{skip + i + 1:05d}")
    return page.encode("utf-8")


def test_listing_claiming_a_billion_entries_stops_when_a_page_repeats(replay, clock, tmp_path):
    serve_defaults(replay)
    replay.route("/rss/cs.CL", Reply(body=empty_rss()))  # Thursday: the listing is asked
    replay.route("/list/cs.CL/recent", Reply(body=billion(fixture_bytes(LISTING_FILE))))  # every skip, forever
    config = make_config(tmp_path, replay.url)
    start = time.monotonic()
    code, out = fetch(config, clock, sources=["arxiv"])
    assert time.monotonic() - start < 1.0
    assert code == 0, out
    assert len(replay.hits("/list/cs.CL/recent")) == 2
    assert ("warning: arxiv rss cs.CL: the cs.CL listing page at skip=50 brought no paper not seen before; "
            "stopped after 2 pages; fetch a narrower window") in out
    assert len(tree(config.build.content)) == 50


def test_endless_fresh_listing_pages_stop_at_max_list_pages(replay, clock, tmp_path):
    serve_defaults(replay)
    replay.route("/rss/cs.CL", Reply(body=empty_rss()))
    replay.route("/list/cs.CL/recent", Reply(body_fn=fresh_listing))
    config = make_config(tmp_path, replay.url, arxiv="max_list_pages = 4")
    start = time.monotonic()
    code, out = fetch(config, clock, sources=["arxiv"])
    assert time.monotonic() - start < 2.0
    assert code == 0, out
    assert [r.query["skip"] for r in replay.hits("/list/cs.CL/recent")] == ["0", "50", "100", "150"]
    assert ("warning: arxiv rss cs.CL: the cs.CL listing claims 1000000000 entries; stopped after 4 pages "
            "([sources.arxiv] max_list_pages = 4); fetch a narrower window") in out
    assert len(tree(config.build.content)) == 200


API_PAGE = "arxiv-api/api2026-search-testing-start0-max10.xml"


def fresh_api_page(query: dict[str, str]) -> bytes:
    page = fixture_bytes(API_PAGE).decode("utf-8").replace("214881", "1000000000")
    ids = list(dict.fromkeys(re.findall(r"abs/(\d{4}\.\d{5})", page)))
    start = int(query.get("start", "0"))
    for i, old in enumerate(ids):
        page = page.replace(old, f"2607.{start + i + 1:05d}")
    return page.encode("utf-8")


TESTING = """
[[topics]]
slug = "testing"
title = "Testing"
keywords = ["testing"]
"""


def test_api_search_that_repeats_a_page_stops(replay, clock, tmp_path):
    serve_defaults(replay)
    replay.route("/api/query", Reply(file=API_PAGE), query={"search_query": lambda q: "testing" in q})
    config = make_config(tmp_path, replay.url, topics=TESTING, arxiv="page_size = 10")
    code, out = fetch(config, clock, sources=["arxiv"])
    assert code == 0, out
    assert [r.query["start"] for r in replay.hits("/api/query")] == ["0", "10"]
    assert "warning: arxiv api testing: the page at start=10 brought no paper not seen before; stopped after " \
           "2 pages" in out


def test_api_search_of_endless_fresh_pages_stops_at_max_pages(replay, clock, tmp_path):
    serve_defaults(replay)
    replay.route("/api/query", Reply(body_fn=fresh_api_page), query={"search_query": lambda q: "testing" in q})
    config = make_config(tmp_path, replay.url, topics=TESTING, arxiv="page_size = 10\nmax_pages = 3")
    code, out = fetch(config, clock, sources=["arxiv"])
    assert code == 0, out
    assert [r.query["start"] for r in replay.hits("/api/query")] == ["0", "10", "20"]
    assert ("warning: arxiv api testing: 1000000000 papers match; only the newest 30 were fetched (3 pages, "
            "[sources.arxiv] max_pages = 3); fetch a narrower --since/--until window") in out


# --- arXiv or DNS down ------------------------------------------------------------------------------

@pytest.fixture
def no_dns(monkeypatch):
    """*.invalid fails to resolve here and now, with no packet sent (the real resolver would
    still ask the configured name server); other names resolve as usual."""
    real = socket.getaddrinfo
    calls: list[str] = []

    def fake(host, *args, **kwargs):
        if isinstance(host, str) and host.endswith(".invalid"):
            calls.append(host)
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return calls


def test_dns_down_is_not_retried_and_the_host_is_given_up(replay, clock, tmp_path, no_dns):
    serve_defaults(replay)
    hf_agents_day(replay)
    config = arxiv_at(make_config(tmp_path, replay.url, topics=AGENTS + DEFAULT_NLP, retries=4), "http://arxiv.invalid")
    start = time.monotonic()
    code, out = fetch(config, clock)
    assert time.monotonic() - start < 2.0
    assert code == 1
    # api agents, api nlp, rss cs.CL: one lookup each, no retry; the breaker opens at the third;
    # the listing fallback and Hugging Face's id lookups are refused without a lookup.
    assert no_dns == ["arxiv.invalid"] * 3 and clock.sleeps == []
    assert out.count("cannot resolve the host name (Name or service not known); check the network") == 3
    assert out.count("warning: arxiv.invalid: skipped the rest of this host's work after 3 failures in a row: "
                     "cannot resolve the host name (Name or service not known)") == 1
    assert "huggingface 2026-08-13: http://arxiv.invalid/api/query?" in out and "not asked: arxiv.invalid" in out
    assert_one_line_failures(out)


DEFAULT_NLP = """
[[topics]]
slug = "nlp"
title = "Language"
categories = ["cs.CL"]
"""


# --- a dead host that accepts and never answers ------------------------------------------------------

@pytest.mark.slow
def test_host_that_never_answers_costs_three_deadlines_at_most(replay, clock, tmp_path):
    """The API host accepts and never answers (it used to cost 5 x 30 s per request): three
    cut attempts, then nothing more is asked of it; the RSS host is another host and works."""
    serve_defaults(replay)
    hf_agents_day(replay)
    with SilentServer() as silent:
        config = make_config(tmp_path, replay.url, topics=AGENTS + DEFAULT_NLP, timeout=30.0, retries=4,
                             arxiv="deadline = 0.3")
        config = arxiv_at(config, silent.url, keys=("api_url",))
        start = time.monotonic()
        code, out = fetch(config, clock, days=None, since=clock_day(clock), until=clock_day(clock))
        took = time.monotonic() - start
        assert silent.accepted == 3  # then the breaker: no more connections
    assert code == 1 and took < 3.0
    assert out.count("no complete answer within 0.3 s after 3 tries") == 1, out  # api agents, where it gave up
    host = silent.url.removeprefix("http://")
    assert out.count(f"warning: {host}: skipped the rest of this host's work after 3 failures in a row: "
                     "no complete answer within 0.3 s") == 1
    assert f"failed: arxiv api nlp: {silent.url}/api/query?" in out and f"not asked: {host}" in out
    assert f"{RSS_PAPERS} new" in out  # the RSS batch, from a healthy host
    assert_one_line_failures(out)


def clock_day(clock):
    from sitegen.sources.arxiv.calendar import eastern_today

    return eastern_today(clock())


# --- the whole fetch's deadline -------------------------------------------------------------------

def test_whole_fetch_deadline_skips_what_is_left_and_keeps_what_finished(replay, clock, tmp_path):
    """Each arXiv answer "takes" 60 s of the fake clock: past the 100 s deadline the Hugging
    Face days are skipped and reported as failed, and arXiv's batch is written."""

    def slow(name: str):
        def body(query):
            clock.now += 60
            return fixture_bytes(name)
        return body

    serve_defaults(replay)
    replay.route("/api/query", Reply(body_fn=slow(ZERO_RESULTS)), query={"search_query": lambda q: "cat:cs.CL" in q})
    replay.route("/rss/cs.CL", Reply(body_fn=slow(RSS_FILE)))
    config = make_config(tmp_path, replay.url, fetch="deadline = 100")
    start = time.monotonic()
    code, out = fetch(config, clock)
    assert time.monotonic() - start < 1.0
    assert code == 1
    assert out.count("skipped: the fetch ran past its deadline ([fetch] deadline = 100 s); fetch again, or raise "
                     "[fetch] deadline for a long backfill") == 2
    assert "failed: huggingface 2026-08-12: skipped" in out and "failed: huggingface 2026-08-13: skipped" in out
    assert not replay.hits("/api/daily_papers")
    assert len(tree(config.build.content)) == RSS_PAPERS
    assert_one_line_failures(out)


def test_default_deadline_fits_the_publish_job():
    """1500 s of fetching leaves 20 of the build job's 45 minutes for install, build, upload."""
    import yaml

    from sitegen.config.settings import FetchConfig

    job = yaml.safe_load((ROOT / ".github" / "workflows" / "publish.yml").read_text())["jobs"]["build"]
    assert FetchConfig().deadline <= job["timeout-minutes"] * 60 - 15 * 60


# --- kill -9 during a fetch ------------------------------------------------------------------------

CHILD_SLOW_DISK = """
import os, sys, time
real = os.fsync
def slow(fd):  # a slow disk: every fsync takes 0.3 s, so a kill lands mid-write
    time.sleep(0.3)
    real(fd)
os.fsync = slow
from sitegen.cli import main
sys.exit(main(sys.argv[1:]))
"""


def leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if is_leftover(p.name)]


def test_kill_9_mid_write_leaves_temp_files_the_next_fetch_removes(replay, clock, tmp_path):
    serve_defaults(replay)
    config = make_config(tmp_path, replay.url)
    child = subprocess.Popen([sys.executable, "-c", CHILD_SLOW_DISK, "fetch", "--config", str(config.path),
                              "--source", "arxiv"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while not leftovers(config.build.content) and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        os.kill(child.pid, signal.SIGKILL)  # while a snapshot's temp file is being fsynced
    finally:
        child.kill()
        child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL
    left = leftovers(config.build.content)
    assert left, "the kill did not land mid-write"
    written = [p for p in config.build.content.rglob("*.md")]
    for path in written:  # whatever was renamed into place is whole
        read_snapshot(path)
    assert not list(config.build.content.rglob("*.lock"))  # the lock was never in content/
    assert (lock_folder(config) / LOCK_NAME).exists()  # a killed fetch cannot remove its lock

    code, out = fetch(config, clock, sources=["arxiv"])
    assert code == 0, out
    assert not leftovers(config.build.content)
    names = ", ".join(str(p.relative_to(config.build.content)) for p in sorted(left)[:3])
    assert f"note: removed {len(left)} temp file{'s' if len(left) > 1 else ''} an interrupted fetch left in " \
           f"{config.build.content}: {names}" in out
    assert f"took over a stale lock left by pid {child.pid}" in out
    assert len(tree(config.build.content)) == RSS_PAPERS


def test_only_exact_temp_file_names_are_removed(replay, clock, tmp_path):
    serve_defaults(replay)
    config = make_config(tmp_path, replay.url)
    content = config.build.content
    shard = content / "papers" / "2608" / "11"
    shard.mkdir(parents=True)
    removed = [shard / ".2608.11232.md.k3x_9qzd.tmp", content / "papers" / ".x.md.abcdefgh.tmp"]
    kept = [shard / ".2608.11232.md.abc.tmp",  # not 8 characters
            shard / "2608.11232.md.abcdefgh.tmp",  # no leading dot
            shard / ".2608.11232.md.ABCDEFGH.tmp",  # not mkstemp's alphabet
            shard / ".2608.11232.md.abcdefgh.tmp.bak",
            shard / ".abcdefgh.tmp",  # no target name
            content / ".sitegen-fetch.lock", content / "notes.txt", content / "papers" / ".keep"]
    for path in removed + kept:
        path.write_text("x")
    (content / "dir.md.abcdefgh.tmp").mkdir()  # a folder is never removed
    (content / ".y.md.abcdefgh.tmp").symlink_to(content / "notes.txt")  # nor a symlink
    code, out = fetch(config, clock, sources=["arxiv"])
    assert code == 0, out
    assert not any(p.exists() for p in removed)
    assert all(p.exists() for p in kept)
    assert (content / "dir.md.abcdefgh.tmp").is_dir() and (content / ".y.md.abcdefgh.tmp").is_symlink()
    assert "note: removed 2 temp files an interrupted fetch left in" in out


def test_atomic_write_temp_names_are_what_the_sweep_removes(tmp_path, monkeypatch):
    seen: list[str] = []
    real = os.replace

    def spy(src, dst):
        seen.append(Path(src).name)
        return real(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    for name in ("2608.11232.md", "hep-th_9711200.md", "rss-batches.json"):
        atomic_write(tmp_path / name, b"data", durable=True)
    assert len(seen) == 3 and all(is_leftover(name) for name in seen), seen


# --- Hugging Face returns one id twice ------------------------------------------------------------

def test_duplicate_id_in_one_hf_day_keeps_the_first_record_whole(replay, clock, tmp_path):
    items = json.loads((FIXTURES / HF_DAY).read_bytes())
    first = next(i for i in items if i["paper"]["id"] == "2606.10423")
    twin = json.loads(json.dumps(first))
    twin["paper"]["title"] = "A Different Agent Paper"
    twin["paper"]["upvotes"] = 999
    twin["numComments"] = 77
    items.append(twin)  # later in the answer: dropped whole
    serve_defaults(replay)
    replay.route("/api/daily_papers", Reply(body=json.dumps(items).encode()), query={"date": "2026-08-13"})
    config = make_config(tmp_path, replay.url, topics=AGENTS)
    code, out = fetch(config, clock, sources=["huggingface"])
    assert code == 0, out
    paper = read_snapshot(snapshot_path(config.build.content, "2606.10423"))
    assert paper.title == first["paper"]["title"] == "WebChallenger: A Reliable and Efficient Generalist Web Agent"
    assert paper.extra("huggingface").upvotes == first["paper"]["upvotes"] == 2
    assert paper.extra("huggingface").comments == first["numComments"]
    assert out.count("warning: huggingface 2026-08-13: one answer lists 2606.10423 more than once; kept the first "
                     "record of each whole and dropped the later ones") == 1


def test_the_first_record_wins_whatever_it_says(replay, clock, tmp_path):
    """Position decides, not content: with the twin first, the twin is what is kept."""
    items = json.loads((FIXTURES / HF_DAY).read_bytes())
    first = next(i for i in items if i["paper"]["id"] == "2606.10423")
    twin = json.loads(json.dumps(first))
    twin["paper"]["title"] = "A Different Agent Paper"
    twin["paper"]["upvotes"] = 999
    items.insert(0, twin)
    serve_defaults(replay)
    replay.route("/api/daily_papers", Reply(body=json.dumps(items).encode()), query={"date": "2026-08-13"})
    config = make_config(tmp_path, replay.url, topics=AGENTS)
    assert fetch(config, clock, sources=["huggingface"])[0] == 0
    paper = read_snapshot(snapshot_path(config.build.content, "2606.10423"))
    assert (paper.title, paper.extra("huggingface").upvotes) == ("A Different Agent Paper", 999)


def test_duplicate_id_in_one_rss_batch_keeps_the_first(replay, clock, tmp_path):
    text = fixture_bytes(RSS_FILE).decode("utf-8")
    start = text.index("    <item>")
    end = text.index("</item>", start) + len("</item>\n")
    item = text[start:end]
    twin = re.sub(r"<title>[^<]*</title>", "<title>Not The Real Title</title>", item, count=1)
    serve_defaults(replay)
    replay.route("/rss/cs.CL", Reply(body=(text[:end] + twin + text[end:]).encode()))
    config = make_config(tmp_path, replay.url)
    code, out = fetch(config, clock, sources=["arxiv"])
    assert code == 0, out
    paper_id = re.search(r"<guid[^>]*>oai:arXiv.org:(\d{4}\.\d{5})", item).group(1)
    assert read_snapshot(snapshot_path(config.build.content, paper_id)).title != "Not The Real Title"
    assert f"warning: arxiv rss cs.CL: one answer lists {paper_id} more than once" in out
