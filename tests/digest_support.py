"""A small site for the digest tests: two topics, one announcement day with upvotes, math,
a paper in both topics, papers that must stay out (no topic, hidden), and an earlier day."""

from __future__ import annotations

import email
import email.policy
from datetime import date
from pathlib import Path

from sitegen.cli import main
from sitegen.sources.huggingface.record import HuggingFace
from tests.conftest import BASE_CONFIG, REPO, SiteDir, make_paper

DAY = date(2026, 8, 13)  # a Thursday
EARLIER = date(2026, 8, 12)
BASE_URL = "https://owner.github.io/repo/"
SENDER = "Digest Bot <digest@example.org>"
RECIPIENTS = ["ada@example.org", "grace@example.net"]

# Combined digest of DAY: Vision (config order first) then Language Models; the paper in both
# topics (2608.00003) is listed once, under Vision. Within a section: most upvoted first.
VISION = ["2608.00001", "2608.00003"]
LLM = ["2608.00002", "2608.00004"]
LLM_ALL = ["2608.00002", "2608.00004", "2608.00003"]  # per-topic: every paper of the topic
OUT_OF_SCOPE = ["2608.00005", "2608.00006", "2608.00007"]


def hf(upvotes):
    return HuggingFace(upvotes=upvotes, comments=0) if upvotes is not None else None


def digest_site(root: Path, digest_toml: str = "") -> SiteDir:
    config = BASE_CONFIG.format(templates=REPO / "templates")
    config += f'\n[digest]\nfrom = "{SENDER}"\n' + digest_toml
    site = SiteDir(root, config)
    papers = [
        make_paper("2608.00001", title="Seeing Through Fog with Event Cameras", categories=("cs.CV",),
                   announced=DAY, extras={"huggingface": hf(5)}, abstract="We see through fog."),
        make_paper("2608.00002", title="A Large Language Model That Reads Papers", categories=("cs.CL",),
                   announced=DAY, extras={"huggingface": hf(40)}, abstract="An LLM reads papers. " * 40),
        make_paper("2608.00003", title="Vision and Language Model Alignment", categories=("cs.CV", "cs.CL"),
                   announced=DAY, extras={}, sources=("arxiv",), abstract="Both topics."),
        make_paper("2608.00004", title=r"$\alpha$-Tuning of a Language Model in $O(n \log n)$",
                   categories=("cs.LG",), announced=DAY, extras={"huggingface": hf(12)},
                   authors=tuple(f"Author Number{i}" for i in range(1, 10)),
                   abstract=r"We show $\alpha > 0$ and $\frac{a}{b} \leq \sqrt{x^2 + 1}$ for every LLM."),
        make_paper("2608.00005", title="Sorting Networks", categories=("cs.DS",), announced=DAY,
                   extras={"huggingface": hf(99)}, abstract="No topic here."),
        make_paper("2608.00006", title="A Hidden Language Model", categories=("cs.CL",), announced=DAY,
                   extras={"huggingface": hf(98)}, hidden=True),
        make_paper("2608.00007", title="A Survey of Language Model Surveys", categories=("cs.CL",), announced=DAY,
                   extras={"huggingface": hf(97)}),
        make_paper("2608.00010", title="Yesterday's Vision Paper", categories=("cs.CV",), announced=EARLIER,
                   extras={"huggingface": hf(3)}),
    ]
    for paper in papers:
        site.add(paper)
    return site


def run(site: SiteDir, *args: str) -> int:
    return main(["digest", "--config", str(site.config_path), "--base-url", BASE_URL, *args])


def parse(data: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(data, policy=email.policy.default)


def parts(message) -> tuple[str, str]:
    """(text/plain, text/html) of a digest, checking the structure on the way."""
    assert message.get_content_type() == "multipart/alternative"
    kinds = [p.get_content_type() for p in message.iter_parts()]
    assert kinds == ["text/plain", "text/html"]
    return message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()
