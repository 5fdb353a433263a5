"""Shared helpers and pytest fixtures for the fetch tests.

Test modules import the helpers they use (`from tests.fetch_fixtures import ...`); the
`replay` and `clock` fixtures live in tests/conftest.py. Nothing here sleeps for real: `FakeClock` is both the
clock and the sleep that run_fetch and HttpClient accept.
"""

from __future__ import annotations

import hashlib
import json
import textwrap
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sitegen.config.load import parse_config
from sitegen.config.settings import Config
from tests.replay_server import FIXTURES, ReplayServer

ET = ZoneInfo("America/New_York")

# The recorded RSS batch is the mailing of Thursday 2026-08-13; the listing page was captured
# on Friday 2026-08-14. Tests run "at" noon New York time on the day they need.
THURSDAY = datetime(2026, 8, 13, 12, 0, tzinfo=ET)
SATURDAY = datetime(2026, 8, 15, 12, 0, tzinfo=ET)


class FakeClock:
    """Epoch seconds that only move when something sleeps; every sleep is recorded."""

    def __init__(self, start: datetime = THURSDAY):
        self.now = start.timestamp()
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.now += seconds


DEFAULT_TOPICS = """
[[topics]]
slug = "nlp"
title = "Language"
categories = ["cs.CL"]
"""


def make_config(root: Path, base: str, *, topics: str = DEFAULT_TOPICS, fetch: str = "",
                arxiv: str = "", huggingface: str = "", semanticscholar: str = "", timeout: float = 0.2,
                retries: int = 1) -> Config:
    """Write a sitegen.toml under `root` whose sources all point at `base` (the replay server)."""
    text = textwrap.dedent(f"""
        [site]
        title = "Test"
        base_url = "https://example.org/feeds/"

        [fetch]
        contact = "https://example.org/contact"
        {fetch}

        [sources.arxiv]
        api_url = "{base}/api/query"
        rss_url = "{base}/rss/"
        list_url = "{base}/list/"
        min_interval = 0.0
        timeout = {timeout}
        retries = {retries}
        {arxiv}

        [sources.huggingface]
        api_url = "{base}/api/daily_papers"
        min_interval = 0.0
        timeout = {timeout}
        retries = {retries}
        {huggingface}

        [sources.semanticscholar]
        api_url = "{base}/graph/v1/paper/batch"
        min_interval = 0.0
        timeout = {timeout}
        retries = {retries}
        {semanticscholar}
    """) + textwrap.dedent(topics)
    path = root / "sitegen.toml"
    path.write_text(text, encoding="utf-8")
    return parse_config(text, path)


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (relative path -> bytes): compare two to prove nothing changed."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def hf_with_ids(name: str, ids: dict[str, str]) -> bytes:
    """A recorded HF daily_papers body with some paper ids rewritten (test-made variant).

    The recorded HF days and the recorded arXiv API answers share no paper, so to follow one
    paper through both sources a test renames an HF item to an id the API fixtures know.
    """
    items = json.loads(fixture_bytes(name))
    for item in items:
        old = item["paper"]["id"]
        if old in ids:
            item["paper"]["id"] = ids[old]
    return json.dumps(items).encode("utf-8")


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


# --- a replayed arXiv + Hugging Face, and a fetch that records what it printed ------------------

RSS_FILE = "arxiv-rss/rss-cs.CL-2026-08-14.xml"
LISTING_FILE = "arxiv-html/list-cs.CL-recent-skip0-show50-2026-08-14.html"
ZERO_RESULTS = "arxiv-api/api2026-search-zero-results.xml"


def empty_rss() -> bytes:
    """The recorded feed with every <item> removed: what arXiv serves when nothing was announced."""
    text = fixture_bytes(RSS_FILE).decode("utf-8")
    head, _, rest = text.partition("    <item>")
    _, _, tail = rest.rpartition("</item>\n")
    return (head + tail).encode("utf-8")


def empty_listing() -> bytes:
    """The recorded listing page with its article list emptied (a page past the last entry)."""
    text = fixture_bytes(LISTING_FILE).decode("utf-8")
    start = text.index("<dl id='articles'>") + len("<dl id='articles'>")
    end = text.index("</dl>", start)
    return (text[:start] + text[end:]).encode("utf-8")


def serve_defaults(server: ReplayServer) -> None:
    """Routes every source answers with when a test does not override them: an empty API
    result, no HF papers, the recorded cs.CL RSS batch and listing page."""
    from tests.replay_server import Reply

    server.route("/api/query", Reply(file=ZERO_RESULTS))
    server.route("/api/daily_papers", Reply(body=b"[]"))
    server.route("/rss/cs.CL", Reply(file=RSS_FILE))
    server.route("/list/cs.CL/recent", Reply(body=empty_listing()))
    server.route("/list/cs.CL/recent", Reply(file=LISTING_FILE), query={"skip": "0"})


def fetch(config: Config, clock: FakeClock, **kw) -> tuple[int, str]:
    """run_fetch with the fake clock, no progress display; returns (exit code, printed text)."""
    import io

    from sitegen.fetch.pipeline import run_fetch

    out = io.StringIO()
    kw.setdefault("days", 1)
    code = run_fetch(config, clock=clock, sleep=clock.sleep, progress=False, out=out, **kw)
    return code, out.getvalue()
