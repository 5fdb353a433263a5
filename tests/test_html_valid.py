"""Every built HTML page passes the Nu Html Checker (vnu.jar from npm, run with Java)."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date

import pytest

from sitegen.sources.semanticscholar.record import SemanticScholar
from tests.conftest import REPO, make_paper

VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# Slow (runs the Nu Html Checker (Java)): `pytest -m "not slow"` leaves it out.
pytestmark = [pytest.mark.slow, pytest.mark.skipif(
    not (VNU.is_file() and shutil.which("java")),
    reason="needs the Nu Html Checker: `npm ci` (vnu-jar) and a Java runtime",
)]


def vnu_errors(folder) -> list[str]:
    run = subprocess.run(
        ["java", "-jar", str(VNU), "--skip-non-html", "--errors-only", "--format", "json", str(folder)],
        capture_output=True, text=True, timeout=300,
    )
    messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    return [f"{m.get('url')}:{m.get('lastLine')}: {m.get('message')}" for m in messages]


def test_sample_site_with_hostile_text_is_valid_html(sample_site):
    # Semantic Scholar's fields too: on the card, the paper page and the index's "most cited" box.
    s2 = SemanticScholar(citations=12, influential_citations=1, venue='<b>Conf</b> "2024" & Co',
                         tldr="<script>x</script> A TLDR & more", pdf="https://example.org/a b.pdf",
                         paper_id="204e3073870fae3d05bcbc2f6a8e263d9b72e776")
    sample_site.add(make_paper("2401.00666", title='<script>x</script> "Evil" & $\\frac{a}{b}$ $\\bad{',
                               abstract="[x](javascript:alert(1)) <iframe></iframe> $$\\sum_i x_i$$",
                               # a version mark whose comment is hostile too (v2: make_paper's version)
                               comment='v2: <b>camera</b>-ready & "ICLR" $\\bad{ $x<y$',
                               announced=date(2024, 1, 8), extras={"semanticscholar": s2}))
    sample_site.build()
    # Its week and month pages too: the hostile title with its citations, among the picks.
    week = (sample_site.output / "weeks/2024-W02/index.html").read_text()
    assert "12 citations" in week and "&lt;script&gt;x&lt;/script&gt;" in week
    assert (sample_site.output / "months/2024-01/index.html").is_file()
    assert vnu_errors(sample_site.output) == []


def test_shipped_site_is_valid_html(tmp_path):
    from tests.test_crawl import SiteDir

    shutil.copytree(REPO / "content", tmp_path / "content")
    config = (REPO / "sitegen.toml").read_text().replace(
        "[fetch]", f'[build]\ntemplates = "{REPO / "templates"}"\nsearch = false\n\n[fetch]', 1)
    site = SiteDir(tmp_path, config)
    site.build()
    assert vnu_errors(site.output) == []


def test_status_page_with_failures_and_every_state_is_valid_html(sample_site):
    from tests.test_status_page import failing_nights

    failing_nights(sample_site.root / "status")
    (sample_site.root / "status" / "2023-11-10.json").write_text("[" * 1000)  # listed as left out
    sample_site.build()
    assert vnu_errors(sample_site.output / "status") == []
    badge = sample_site.output / "status" / "badge.svg"
    run = subprocess.run(["java", "-jar", str(VNU), "--also-check-svg", "--errors-only", str(badge)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0 and run.stderr == "", run.stderr


def test_follow_pages_with_hostile_names_are_valid_html(tmp_path):
    """Author and venue pages, the follows list, and paper pages with a linked venue mark: an
    author rule and a Semantic Scholar venue name full of markup (tests/follows_support)."""
    from tests.follows_support import follow_site

    site = follow_site(tmp_path / "site")
    site.build()
    assert vnu_errors(site.output / "follows") == []
    for folder in ("authors", "venues"):
        assert vnu_errors(site.output / folder) == []
    assert vnu_errors(site.output / "papers" / "2608.00002") == []  # "Accepted at" links venues/iclr/
