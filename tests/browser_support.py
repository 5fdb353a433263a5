"""Helpers for tests that need a built site: build one in a temp folder, serve it on
127.0.0.1 under a sub-path (as GitHub project pages do), and launch Debian's Chromium.

No browser is ever downloaded: Playwright drives /usr/bin/chromium (`apt-get install chromium`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

from sitegen.arxiv_ids import safe_name
from sitegen.config.load import load_config
from sitegen.config.settings import Config
from sitegen.model import Paper
from sitegen.serve import SiteServer
from sitegen.snapshot.format import dump_paper
from sitegen.sources.huggingface.record import HuggingFace

REPO = Path(__file__).resolve().parent.parent
# Debian's Chromium by default; SITEGEN_CHROMIUM names another Chromium-based browser (CI on
# Ubuntu runners, where the chromium package is a snap, points it at the preinstalled Chrome).
CHROMIUM = Path(os.environ.get("SITEGEN_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SUB_PATH = "/repo/"

# Papers added to the copied content so some checks never depend on what was fetched: math
# (convertible and not), a Monday whose previous announcement day is the Friday before, and
# upvotes to sort by. No shipped paper is announced in the week of 9 April 2007.
FIXTURE_FRIDAY = date(2007, 4, 6)
FIXTURE_MONDAY = date(2007, 4, 9)
UNCONVERTIBLE_TEX = r"\notacommand{q}"


def fixture_papers() -> list[Paper]:
    def paper(pid, title, abstract, day, upvotes=None):
        stamp = datetime(day.year, day.month, day.day, 12, 0, tzinfo=UTC)
        return Paper(
            id=pid, title=title, authors=("Ada Fixture", "Grace Example"), published=stamp,
            categories=("cs.LG", "stat.ML"), announced=day, abstract=abstract, version=1, updated=stamp,
            links={"abs": f"https://arxiv.org/abs/{pid}", "pdf": f"https://arxiv.org/pdf/{pid}v1"},
            extras={"huggingface": HuggingFace(upvotes=upvotes, comments=0)} if upvotes is not None else {},
            sources=("arxiv", "huggingface") if upvotes is not None else ("arxiv",),
        )

    return [
        paper("0704.9990", "Friday fixture paper on group testing",
              "A fixture announced on a Friday, before the weekend.", FIXTURE_FRIDAY),
        paper("0704.9991", r"Sorting $O(n \log n)$ fixture papers with a language model",
              "We bound the error by $\\frac{a}{b} \\leq \\sqrt{x^2 + 1}$ and show\n\n"
              f"$${UNCONVERTIBLE_TEX}$$ stays as written when it cannot be converted.",
              FIXTURE_MONDAY, upvotes=5),
        # On a topic (language models), or the site would not publish them.
        paper("0704.9992", "The most upvoted fixture paper", "Many upvotes for a language model.", FIXTURE_MONDAY,
              upvotes=50),
        paper("0704.9993", "A middling fixture paper", "Some upvotes for a language model.", FIXTURE_MONDAY,
              upvotes=12),
    ]


def browser_unavailable() -> str | None:
    """Why browser tests cannot run here, or None when they can."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} not found (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401  (only: is it installed?)
    except ImportError:
        return "playwright is not installed (pip install playwright; no `playwright install` needed)"
    try:
        import axe_playwright_python  # noqa: F401  (only: is it installed?)
    except ImportError:
        return "axe-playwright-python is not installed (pip install axe-playwright-python)"
    return None


def site_config(tmp: Path, base_url: str, content: Path | None = None, search: bool = True,
                extra_papers: list[Paper] | None = None, publish_unmatched: bool = False) -> Config:
    """The repo's sitegen.toml (topics, titles) pointed at a copy of content/ inside tmp."""
    src = content or REPO / "content"
    dest = tmp / "content"
    if dest.exists():
        shutil.rmtree(dest)
    if (src / "papers").is_dir():
        shutil.copytree(src / "papers", dest / "papers")
    else:
        (dest / "papers").mkdir(parents=True)
    for p in extra_papers or []:
        path = dest / "papers" / "fixture" / f"{safe_name(p.id)}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump_paper(p), encoding="utf-8")
    config = load_config(REPO / "sitegen.toml", base_url=base_url)
    build = replace(config.build, content=dest, output=tmp / "output", templates=REPO / "templates",
                    overrides=None, cache=tmp / "cache", search=search, publish_unmatched=publish_unmatched)
    return replace(config, build=build)


def shipped_paper_count() -> int:
    return sum(1 for _ in (REPO / "content" / "papers").rglob("*.md")) if (REPO / "content").is_dir() else 0


@contextlib.contextmanager
def static_server(out_dir: Path | None = None, prefix: str = SUB_PATH):
    """Serve out_dir under prefix on a free port; yields the server (`.url`, `.out_dir`).

    The server exists before the site is built, so the site can be built with the server's
    real address as its base URL (set `server.out_dir` afterwards)."""
    server = SiteServer(("127.0.0.1", 0), out_dir or Path("/nonexistent"), prefix, live_reload=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def chromium():
    """A headless Debian Chromium driven by Playwright; yields the Browser."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
