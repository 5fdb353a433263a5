"""`sitegen migrate announced-days`: snapshots the old API path dated by their submission day
get the RSS day; everything else, and every other byte, stays as it is."""

from __future__ import annotations

import io
import os
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from sitegen.cli import main
from sitegen.fetch.lock import FetchLock
from sitegen.fetch.pipeline import lock_folder
from sitegen.migrate import announced_days
from sitegen.migrate.announced_days import api_dated, migrate_announced_days
from sitegen.snapshot.format import dump_paper
from sitegen.snapshot.store import read_snapshot
from sitegen.sources.arxiv.api import parse_api_feed
from sitegen.sources.arxiv.calendar import announcement_day
from sitegen.sources.arxiv.rss import parse_rss
from sitegen.sources.huggingface.daily import parse_daily
from tests.conftest import FIXTURES


def api_paper(name: str, paper_id: str):
    page = parse_api_feed((FIXTURES / "arxiv-api" / name).read_bytes())
    return next(p for p in page.papers if p.id == paper_id)


def as_old_api_path(paper):
    """The snapshot the API path wrote before the calendar: announced = the submission date."""
    return replace(paper, announced=paper.published.date())


@pytest.fixture
def old_site(site_dir):
    """Real records: three API papers as the old path dated them (one submitted on a Sunday,
    one on a Saturday night, one with a hand-edited front matter), an RSS paper, an HF paper."""
    sunday = as_old_api_path(api_paper("api2026-search-testing-start10-max10.xml", "2202.06271"))
    saturday = as_old_api_path(api_paper("api2026-search-testing-start0-max10.xml", "1812.11470"))
    hand = as_old_api_path(api_paper("api2026-idlist-1706.03762-max1.xml", "1706.03762"))
    rss = next(i.paper for i in parse_rss((FIXTURES / "arxiv-rss" / "rss-cs.CL-2026-08-14.xml").read_bytes()).items)
    hf = parse_daily((FIXTURES / "hf-daily-papers" / "daily_papers-30items-2026-06-12-raw.json").read_bytes())[0]
    paths = {p.id: site_dir.add(p) for p in (sunday, saturday, hand, rss, hf)}
    # A hand edit: a comment line and spacing dump_paper would not write. Only `announced` may change.
    text = paths["1706.03762"].read_text(encoding="utf-8")
    text = text.replace("\ndoi: null\n", "\n# checked by hand\ndoi:   null\n")
    paths["1706.03762"].write_text(text, encoding="utf-8")
    site_dir.paths = paths
    return site_dir


def changed_ids(paths) -> list[str]:
    return [Path(p).stem for p in paths]


def run(site, dry_run=False) -> tuple[int, str]:
    out = io.StringIO()
    code = migrate_announced_days(site.load(), dry_run=dry_run, out=out)
    return code, out.getvalue()


def files(site) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted((site.root / "content").rglob("*")) if p.is_file()}


def test_which_snapshots_the_api_path_dated():
    sunday = api_paper("api2026-search-testing-start10-max10.xml", "2202.06271")
    assert api_dated(as_old_api_path(sunday))
    assert not api_dated(sunday)  # dated by the calendar already
    rss = next(i.paper for i in parse_rss((FIXTURES / "arxiv-rss" / "rss-cs.CL-2026-08-14.xml").read_bytes()).items)
    assert rss.announced == rss.published.date() and not api_dated(rss)  # 00:00 New York: the RSS day
    hf = parse_daily((FIXTURES / "hf-daily-papers" / "daily_papers-30items-2026-06-12-raw.json").read_bytes())[0]
    assert not api_dated(replace(hf, announced=hf.published.date()))  # no arXiv record, no submission time


def test_dry_run_prints_and_changes_nothing(old_site):
    before = files(old_site)
    mtimes = {p: os.stat(p).st_mtime_ns for p in before}
    code, out = run(old_site, dry_run=True)
    assert code == 0, out
    assert "would re-date" in out and "2202.06271.md: announced 2022-02-13 -> 2022-02-15 (Tue; " \
           "submitted Sun 2022-02-13 04:42 US Eastern)" in out
    assert out.rstrip().endswith("would re-date 3 of 5 snapshots in " + str(old_site.load().build.content)
                                 + " (2 were on a Saturday or Sunday); 0 problems")
    assert files(old_site) == before and {p: os.stat(p).st_mtime_ns for p in before} == mtimes


def test_migration_rewrites_only_the_announced_line_then_nothing(old_site):
    before = files(old_site)
    code, out = run(old_site)
    assert code == 0, out
    assert "re-dated 3 of 5 snapshots" in out and "would" not in out
    after = files(old_site)
    changed = {p for p in before if before[p] != after[p]}
    assert {Path(p).name for p in changed} == {"2202.06271.md", "1812.11470.md", "1706.03762.md"}
    for path in changed:
        old_lines, new_lines = before[path].decode().splitlines(), after[path].decode().splitlines()
        assert len(old_lines) == len(new_lines)
        diff = [(a, b) for a, b in zip(old_lines, new_lines, strict=True) if a != b]
        assert len(diff) == 1 and diff[0][0].startswith("announced: ") and diff[0][1].startswith("announced: ")
    assert b"# checked by hand\ndoi:   null" in after[str(old_site.paths["1706.03762"])]
    papers = {p.id: p for p in map(read_snapshot, old_site.paths.values())}
    assert papers["2202.06271"].announced == date(2022, 2, 15)
    assert papers["1812.11470"].announced == date(2019, 1, 1)
    # Attention Is All You Need: Monday 12 June 2017, 13:57 US Eastern, three minutes before the cutoff.
    assert papers["1706.03762"].announced == date(2017, 6, 13)
    assert all(papers[i].announced == announcement_day(papers[i].published) for i in changed_ids(changed))
    assert papers["2608.11232"].announced == date(2026, 8, 13)  # the RSS day, kept
    # A second run finds nothing: same bytes, same mtimes.
    mtimes = {p: os.stat(p).st_mtime_ns for p in after}
    code, out = run(old_site)
    assert code == 0 and "re-dated 0 of 5 snapshots" in out
    assert files(old_site) == after and {p: os.stat(p).st_mtime_ns for p in after} == mtimes


def test_canonical_snapshots_stay_canonical(old_site):
    assert run(old_site)[0] == 0
    for paper_id in ("2202.06271", "1812.11470"):
        path = old_site.paths[paper_id]
        assert dump_paper(read_snapshot(path)) == path.read_text(encoding="utf-8")


def test_a_broken_snapshot_is_named_and_the_rest_is_migrated(old_site):
    bad = old_site.write("2202/99/2202.99999.md", "---\nid: \"2202.99999\"\ntitle: [unclosed\n---\n")
    code, out = run(old_site)
    assert code == 1
    assert f"sitegen migrate: {bad}:" in out and "left as it is" in out
    assert "re-dated 3 of 5 snapshots" in out and "; 1 problem" in out
    assert bad.read_text(encoding="utf-8").endswith("[unclosed\n---\n")


def test_symlinks_are_never_followed(old_site, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    target = outside / "2202.06271.md"
    target.write_bytes(old_site.paths["2202.06271"].read_bytes())
    (old_site.root / "content" / "papers" / "linked").symlink_to(outside, target_is_directory=True)
    (old_site.root / "content" / "papers" / "2202" / "link.md").symlink_to(target)
    before = target.read_bytes()
    code, out = run(old_site)
    assert code == 0 and "re-dated 3 of 5" in out and "elsewhere" not in out and "link.md" not in out
    assert target.read_bytes() == before


def test_a_failed_write_keeps_what_was_written(old_site, monkeypatch):
    real, calls = announced_days.atomic_write, []

    def flaky(path, data, durable=False):
        calls.append(path)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real(path, data, durable)

    monkeypatch.setattr(announced_days, "atomic_write", flaky)
    before = files(old_site)
    code, out = run(old_site)
    assert code == 1
    assert f"cannot write {calls[1]}: No space left on device; the 1 re-dated before it are saved" in out
    assert read_snapshot(calls[0]).announced != read_snapshot(calls[0]).published.date()
    assert before[str(calls[1])] == calls[1].read_bytes()  # untouched, not half-written
    assert not [p for p in (old_site.root / "content").rglob(".*.tmp")]


def test_a_running_fetch_is_waited_for(old_site):
    config = old_site.load()
    with FetchLock(lock_folder(config)):
        code = main(["migrate", "announced-days", "--config", str(old_site.config_path)])
    assert code == 1
    assert all(read_snapshot(p).announced == read_snapshot(p).published.date()
               for i, p in old_site.paths.items() if i in ("2202.06271", "1812.11470"))


def test_the_command_line(old_site, capsys):
    assert main(["migrate", "announced-days", "--dry-run", "--config", str(old_site.config_path)]) == 0
    assert "would re-date 3 of 5" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exc:
        main(["migrate", "announced-weeks", "--config", str(old_site.config_path)])
    assert exc.value.code == 2
    assert main(["migrate", "announced-days", "--config", str(old_site.config_path)]) == 0
    assert "re-dated 3 of 5" in capsys.readouterr().out
