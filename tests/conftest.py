"""Shared fixtures: small sites written inline, built with the real templates; the replay
server and fake clock of the fetch tests; and the rule that CI never skips silently.

With SITEGEN_REQUIRE_TOOLS=1 (set by .ci/run and ci.yml) a skipped test is a failure: a test
that skips because Chromium, Java, newsboat, Pagefind, git or a linter is missing would
otherwise pass CI without having run."""

from __future__ import annotations

import os
import textwrap
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from sitegen.arxiv_ids import safe_name, shard
from sitegen.model import Paper
from sitegen.snapshot.format import dump_paper
from sitegen.sources.huggingface.record import HuggingFace

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"

BASE_CONFIG = """\
[site]
title = "Test Feeds"
description = "Papers for tests."
base_url = "https://owner.github.io/repo/"
feed_items = 5
per_page = 2

[build]
templates = "{templates}"
search = false

[[topics]]
slug = "vision"
title = "Vision"
categories = ["cs.CV"]

[[topics]]
slug = "llm"
title = "Language Models"
keywords = ["language model", "LLM"]
exclude = ["survey"]

[[topics]]
slug = "physics"
title = "String Theory"
categories = ["hep-th"]
"""


def make_paper(paper_id: str = "2311.02077", **changes) -> Paper:
    day = changes.pop("announced", date(2023, 11, 6))
    paper = Paper(
        id=paper_id,
        version=2,
        title="EmerNeRF: Emergent Spatial-Temporal Scene Decomposition",
        authors=("Jiawei Yang", "Boris Ivanovic"),
        published=datetime(2023, 11, 3, 17, 59, 55, tzinfo=UTC),
        updated=datetime(2023, 11, 6, 2, 10, 41, tzinfo=UTC),
        announced=day,
        categories=("cs.CV", "cs.LG"),
        links={"abs": f"https://arxiv.org/abs/{paper_id}", "pdf": f"https://arxiv.org/pdf/{paper_id}v2"},
        comment="23 pages",
        extras={"huggingface": HuggingFace(upvotes=12, comments=3, featured=day, github_stars=410)},
        sources=("arxiv", "huggingface"),
        abstract="We present EmerNeRF, a simple yet powerful approach with $\\alpha > 0$.",
    )
    if "huggingface" in changes:  # a shorthand for the Hugging Face record in `extras` (None: none)
        hf = changes.pop("huggingface")
        extras = {k: v for k, v in changes.pop("extras", paper.extras).items() if k != "huggingface"}
        changes["extras"] = extras if hf is None else {**extras, "huggingface": hf}
    return replace(paper, **changes)


_WORDS = ("language model", "attention", "benchmark", "reasoning", "alignment", "retrieval", "agents",
          "fine-tuning", "tokens", "evaluation", "transformer", "dataset", "robustness", "inference")


def busy_day_papers(n: int, day: date) -> list[Paper]:
    """`n` cs.CL papers announced on one day, sized like the shipped ones: a title of ~75
    characters, five authors, an abstract of ~1,350 characters with some TeX, abs and pdf links."""
    papers = []
    for i in range(n):
        words = [_WORDS[(i * 7 + k) % len(_WORDS)] for k in range(24)]
        abstract = (f"We study {words[0]} and {words[1]} at scale $O(n^{{{i % 5 + 1}}})$. "
                    + " ".join(f"Our {a} improves {b} on {c} tasks by {i % 17 + k}%." for k, (a, b, c)
                               in enumerate(zip(words[2::3], words[3::3], words[4::3], strict=False))) * 3)
        paper_id = f"{day:%y%m}.{i + 1:05d}"
        papers.append(make_paper(
            paper_id, title=f"Paper {i + 1} on {words[0].title()} and {words[5].title()} for {words[9].title()}: "
                      "A Study at Scale",
            authors=tuple(f"Author{i}-{k} Surname{(i + k) % 97}" for k in range(5)), categories=("cs.CL", "cs.LG"),
            announced=day, extras={}, abstract=abstract, comment=None,
            links={"abs": f"https://arxiv.org/abs/{paper_id}", "pdf": f"https://arxiv.org/pdf/{paper_id}v1"}))
    return papers


class SiteDir:
    """A project folder in tmp: sitegen.toml, content/papers/..., built into output/."""

    def __init__(self, root: Path, config: str):
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.config_path = root / "sitegen.toml"
        self.config_path.write_text(config, encoding="utf-8")
        (root / "content" / "papers").mkdir(parents=True, exist_ok=True)

    @property
    def output(self) -> Path:
        return self.root / "output"

    def add(self, paper: Paper) -> Path:
        return self.write(f"{shard(paper.id)}/{safe_name(paper.id)}.md", dump_paper(paper))

    def write(self, rel: str, text: str) -> Path:
        path = self.root / "content" / "papers" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text) if text.startswith("\n") else text, encoding="utf-8")
        return path

    def load(self, **kw):
        from sitegen.config.load import load_config

        return load_config(self.config_path, **kw)

    def build(self, **kw):
        from sitegen.build import build

        return build(self.load(), **kw)

    def tree(self) -> dict[str, bytes]:
        return {p.relative_to(self.output).as_posix(): p.read_bytes()
                for p in sorted(self.output.rglob("*")) if p.is_file()}


@pytest.fixture
def site_dir(tmp_path) -> SiteDir:
    return SiteDir(tmp_path, BASE_CONFIG.format(templates=REPO / "templates"))


@pytest.fixture
def sample_site(site_dir) -> SiteDir:
    """Five papers over three announcement days (a weekend between two of them)."""
    site_dir.add(make_paper("2311.02077"))
    site_dir.add(make_paper("2311.01001", title="A Large Language Model for Scenes", categories=("cs.CL",),
                            announced=date(2023, 11, 6), extras={}, sources=("arxiv",)))
    site_dir.add(make_paper("2311.00002", title="Survey of LLM methods", categories=("cs.CL", "cs.CV"),
                            announced=date(2023, 11, 3)))
    site_dir.add(make_paper("2311.00001", title="Vision Transformers Revisited", announced=date(2023, 11, 3),
                            extras={"huggingface": HuggingFace(upvotes=40)}))
    site_dir.add(make_paper("hep-th/9711200", title="The Large N Limit of Superconformal Field Theories",
                            categories=("hep-th",), announced=date(1997, 11, 27), extras={},
                            version=3, links={"abs": "https://arxiv.org/abs/hep-th/9711200"}))
    return site_dir


@pytest.fixture
def replay():
    """A local HTTP server replaying recorded responses (tests/replay_server.py), on 127.0.0.1."""
    from tests.replay_server import ReplayServer

    with ReplayServer() as server:
        yield server


@pytest.fixture
def clock():
    """A fake clock that only moves when something sleeps (tests/fetch_fixtures.FakeClock)."""
    from tests.fetch_fixtures import FakeClock

    return FakeClock()


REQUIRE_TOOLS = os.environ.get("SITEGEN_REQUIRE_TOOLS") == "1"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if REQUIRE_TOOLS and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped, but SITEGEN_REQUIRE_TOOLS=1 forbids skipping: {reason}"
