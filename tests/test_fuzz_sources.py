"""Issue 17, point 6: every source parser, fed arbitrary and hostile answers.

The recorded answers in tests/fixtures/ (arXiv API, RSS and listing pages, Hugging Face's
daily papers and paper detail) are cut short, bit-flipped, given hostile values (numbers past
every bound, dates of year 9999 with an offset, nesting, unclosed markup, 100 KB fields) and
random bytes. The property, per parser and through the unit that calls it (with a stub HTTP
client): a result whose every paper the store would write, or a one-line error naming the
URL; never any other exception, and each example within the deadline (tests/fuzz_support.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from sitegen.errors import ParseError, SourceError
from sitegen.fetch.http.policy import SitePolicy
from sitegen.model import Paper
from sitegen.snapshot.format import check_paper
from sitegen.sources.arxiv.api import parse_api_feed
from sitegen.sources.arxiv.fetch import ArxivRequests
from sitegen.sources.arxiv.listing import parse_listing
from sitegen.sources.arxiv.rss import parse_rss
from sitegen.sources.arxiv.rss_memory import RssMemory
from sitegen.sources.arxiv.source import ArxivSettings
from sitegen.sources.base import FetchContext
from sitegen.sources.huggingface.daily import parse_daily_page, parse_paper
from sitegen.sources.huggingface.source import HuggingFaceSettings, HuggingFaceSource
from sitegen.sources.records import check_record
from sitegen.sources.semanticscholar.batch import parse_batch
from sitegen.sources.semanticscholar.snapshot_key import KEY as S2_KEY
from tests.fetch_fixtures import fixture_bytes
from tests.fuzz_support import FUZZ, HOSTILE, JSON_VALUES, mutated, one_line

pytestmark = pytest.mark.slow  # Hypothesis

API = fixture_bytes("arxiv-api/api2026-search-all-transformer-AND-cat-cs.LG-5-entries.xml")
API_OLD = fixture_bytes("arxiv-api/api2016-idlist-1111.2011v2.xml")
API_ERROR = fixture_bytes("arxiv-api/api2026-error-bad-start-param.xml")
RSS = fixture_bytes("arxiv-rss/rss-cs.CL-2026-08-14.xml")
RSS_SMALL = RSS[:RSS.index(b"<item>", RSS.index(b"<item>", RSS.index(b"<item>") + 1) + 1)] + b"</channel>\n</rss>\n"
LISTING = fixture_bytes("arxiv-html/list-cs.CL-recent-skip0-show50-2026-08-14.html")
HF_DAY = fixture_bytes("hf-daily-papers/daily_papers-limit3-2026-08-03-reindented.json")
HF_PAPER = fixture_bytes("hf-daily-papers/api-papers-2605.15320-detail.json")
S2_BATCH = fixture_bytes("semanticscholar/s2-batch-with-null-first-dec2024.json")
S2_BATCH_IDS = [f"2401.{n:05d}" for n in range(len(json.loads(S2_BATCH)))]


def usable(papers: tuple[Paper, ...] | list[Paper]) -> None:
    """What a parser returns is within every bound, and the store would write it."""
    event(f"a result of {min(len(papers), 2)}+ papers")
    for paper in papers:
        check_record(paper)
        check_paper(paper)


def parse_error(exc: ParseError) -> None:
    event("a ParseError")
    one_line(str(exc))


# --- the pure parsers --------------------------------------------------------------------------

@FUZZ
@given(st.one_of(mutated(API), mutated(API_OLD), mutated(API_ERROR), st.binary(max_size=300)))
def test_the_api_parser(body):
    try:
        page = parse_api_feed(body)
    except ParseError as exc:
        return parse_error(exc)
    usable(page.papers)
    assert page.total >= 0 and page.start >= 0 and page.skipped >= len(page.rejected)
    for rejected in page.rejected:
        event("a record rejected")
        one_line(str(rejected))


@FUZZ
@given(st.one_of(mutated(RSS_SMALL), st.binary(max_size=300)))
def test_the_rss_parser(body):
    try:
        batch = parse_rss(body)
    except ParseError as exc:
        return parse_error(exc)
    usable([item.paper for item in batch.items])
    for rejected in batch.rejected:
        one_line(str(rejected))


@FUZZ
@given(st.one_of(mutated(LISTING), st.binary(max_size=300)))
def test_the_listing_parser(body):
    try:
        page = parse_listing(body)
    except ParseError as exc:
        return parse_error(exc)
    usable(page.papers)
    assert page.total is None or page.total >= 0


@FUZZ
@given(st.one_of(mutated(HF_DAY, where=JSON_VALUES), st.binary(max_size=300)))
def test_the_hugging_face_day_parser(body):
    try:
        page = parse_daily_page(body, date(2026, 8, 3))
    except ParseError as exc:
        return parse_error(exc)
    usable(page.papers)


@FUZZ
@given(st.one_of(mutated(HF_PAPER, where=JSON_VALUES), st.binary(max_size=300)))
def test_the_hugging_face_paper_parser(body):
    try:
        paper = parse_paper(body)
    except ParseError as exc:
        return parse_error(exc)
    usable([paper])


@FUZZ
@given(st.one_of(mutated(S2_BATCH, where=JSON_VALUES), st.binary(max_size=300)))
def test_the_semantic_scholar_batch_parser(body):
    """An answer matched by position to the ids asked: records within their bounds (the
    source's own snapshot key accepts each), or a one-line ParseError."""
    try:
        answer = parse_batch(body, S2_BATCH_IDS)
    except ParseError as exc:
        return parse_error(exc)
    asked = set(S2_BATCH_IDS)
    for paper_id, record in answer.records:
        assert paper_id in asked
        S2_KEY.parse(S2_KEY.as_mapping(record), lambda key, message: AssertionError(f"{key}: {message}"))
    assert {i for i, _ in answer.records}.isdisjoint(answer.unknown)


# Hostile values put in the real answer's structure (not just its bytes): any leaf of any item
# replaced by a value of any JSON type, huge numbers, deep lists included.
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30) | st.sampled_from(HOSTILE)
    | st.just("__BIG__") | st.just("__DEEP__"),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)


@st.composite
def hostile_day(draw) -> bytes:
    items = json.loads(HF_DAY)
    for _ in range(draw(st.integers(1, 5))):
        node = items
        path = []
        while isinstance(node, (list, dict)) and node and draw(st.integers(0, 3)):
            key = draw(st.sampled_from(range(len(node)) if isinstance(node, list) else sorted(node)))
            path.append((node, key))
            node = node[key]
        if path:
            parent, key = path[-1]
            parent[key] = draw(_JSON)
    text = json.dumps(items, allow_nan=True)
    return text.replace('"__BIG__"', "9" * 5000).replace('"__DEEP__"', "[" * 100_000 + "]" * 100_000).encode()


@FUZZ
@given(hostile_day())
def test_the_hugging_face_parser_on_hostile_values_in_place(body):
    try:
        page = parse_daily_page(body, date(2026, 8, 3))
    except ParseError as exc:
        return parse_error(exc)
    usable(page.papers)


# --- through the units that call them --------------------------------------------------------

@dataclass
class _Answer:
    url: str
    status: int
    body: bytes


class StubClient:
    """Answers every request with one body, as the HTTP client would hand it over."""

    def __init__(self, body: bytes, status: int = 200):
        self.body, self.status, self.urls = body, status, []

    def get(self, url, policy, *, accept, params=None, ok_status=(200,)):
        self.urls.append(url)
        return _Answer(url, self.status, self.body)


def context(warnings: list[str]) -> FetchContext:
    return FetchContext(since=date(2026, 8, 1), until=date(2026, 8, 13), today=date(2026, 8, 13),
                        note=lambda text: None, warn=warnings.append, status=lambda text: None, unit="fuzz",
                        needs_lookup=lambda paper_id: False)


def requests(body: bytes) -> ArxivRequests:
    settings = ArxivSettings(api_url="https://api.example/query", rss_url="https://rss.example/",
                             list_url="https://list.example/", max_pages=3, max_list_pages=3)
    return ArxivRequests(StubClient(body), settings, SitePolicy("arxiv"), RssMemory(None))


def unit_result(run, warnings: list[str]) -> None:
    """A unit's result: a harvest of papers the store would write, or a one-line SourceError
    naming the URL; its warnings one line each."""
    try:
        harvest = run()
    except SourceError as exc:
        one_line(str(exc))
        assert exc.url.startswith("https://") and str(exc).startswith(exc.url)
    else:
        usable([*harvest.accepted, *harvest.candidates, *harvest.updates])
    for warning in warnings:
        one_line(warning)


@FUZZ
@given(st.one_of(mutated(API), mutated(API_ERROR)))
def test_the_api_search_unit(body):
    from sitegen.config.settings import TopicConfig

    warnings: list[str] = []
    topic = TopicConfig(slug="lg", title="LG", categories=("cs.LG",))
    arxiv = requests(body)
    unit_result(lambda: arxiv.search(topic, context(warnings)), warnings)


@FUZZ
@given(st.one_of(mutated(RSS_SMALL), mutated(LISTING)))
def test_the_announcement_unit(body):
    warnings: list[str] = []
    arxiv = requests(body)
    unit_result(lambda: arxiv.announcements(("cs.CL",), context(warnings)), warnings)


@FUZZ
@given(st.one_of(mutated(HF_DAY, where=JSON_VALUES), hostile_day()))
def test_the_hugging_face_day_unit(body):
    warnings: list[str] = []
    source = HuggingFaceSource(HuggingFaceSettings(api_url="https://hf.example/api/daily_papers"),
                               StubClient(body), None)  # type: ignore[arg-type]
    unit_result(lambda: source.day(date(2026, 8, 3), context(warnings)), warnings)
