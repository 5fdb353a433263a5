"""Rendering in worker processes writes what one process writes: with long-lived workers,
and with a fresh worker per task (what a site of FRESH_WORKER_PAPERS papers or more gets, to
keep each worker's copy of the model small); a template error names the page either way."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from sitegen.render import staging
from sitegen.render.staging import RenderError
from tests.conftest import BASE_CONFIG, REPO, SiteDir, busy_day_papers

pytestmark = pytest.mark.slow  # forks render workers


def _site(root) -> SiteDir:
    site = SiteDir(root, BASE_CONFIG.format(templates=REPO / "templates"))
    for day in (date(2023, 11, 6), date(2023, 11, 7), date(2023, 11, 8)):
        for i, paper in enumerate(busy_day_papers(12, day)):  # ids of their own: numbered per day
            site.add(replace(paper, id=f"2311.{day.day:02d}{i:03d}"))
    return site


@pytest.mark.parametrize("fresh", [False, True], ids=["long-lived", "fresh-per-task"])
def test_workers_write_what_one_process_writes(tmp_path, monkeypatch, fresh):
    monkeypatch.setattr(staging, "PARALLEL_MIN", 5)
    if fresh:
        monkeypatch.setattr(staging, "FRESH_WORKER_PAPERS", 1)
    one = _site(tmp_path / "one")
    one.build(workers=1)
    two = _site(tmp_path / "two")
    result = two.build(workers=2)
    assert result.written == result.files > 40
    assert two.tree() == one.tree()


def test_a_template_error_in_a_fresh_worker_names_the_page(tmp_path, monkeypatch):
    monkeypatch.setattr(staging, "PARALLEL_MIN", 5)
    monkeypatch.setattr(staging, "FRESH_WORKER_PAPERS", 1)
    site = _site(tmp_path / "site")
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    (overrides / "paper.html").write_text("{{ paper.no_such_field.deeper }}")
    site.config_path.write_text(site.config_path.read_text().replace(
        "search = false", f'search = false\noverrides = "{overrides}"'))
    with pytest.raises(RenderError, match=r"^papers/.+/index\.html: "):
        site.build(workers=2)
    assert not site.output.exists() or not any(site.output.rglob("index.html"))


def test_one_rule_decides_how_workers_live():
    """Long-lived workers with an eighth of their share a task below FRESH_WORKER_PAPERS papers;
    from there a fresh worker per task of at most FRESH_TASK_PAGES pages."""
    assert staging.worker_plan(22_000, 10_000, 2) == staging.WorkerPlan(fresh=False, task_pages=1_375)
    assert staging.worker_plan(148_000, 125_000, 2) == staging.WorkerPlan(fresh=True, task_pages=400)
    assert staging.worker_plan(2_000, 60_000, 2) == staging.WorkerPlan(fresh=True, task_pages=50)
    assert staging.worker_plan(400, 300, 2) == staging.WorkerPlan(fresh=False, task_pages=50)
