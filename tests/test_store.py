"""The snapshot store: paths, atomic writes, unchanged writes, and the shipped content/."""

from __future__ import annotations

import os
import stat
from dataclasses import replace
from pathlib import Path

import pytest

from sitegen.snapshot.format import dump_paper, parse_snapshot
from sitegen.snapshot.store import read_snapshot, snapshot_path, write_snapshot
from sitegen.sources.arxiv.api import parse_api_feed

FIXTURES = Path(__file__).parent / "fixtures"
CONTENT = Path(__file__).resolve().parent.parent / "content"


def api_paper(name: str):
    return parse_api_feed((FIXTURES / "arxiv-api" / name).read_bytes()).papers[0]


@pytest.fixture
def paper():
    return api_paper("api2026-idlist-1707.08567-many-authors.xml")


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") or p.suffix == ".tmp")


# --- paths -----------------------------------------------------------------------------------

def test_paths_for_both_id_schemes(tmp_path):
    assert snapshot_path(tmp_path, "2311.02077") == tmp_path / "papers" / "2311" / "02" / "2311.02077.md"
    assert snapshot_path(tmp_path, "hep-th/9711200") == tmp_path / "papers" / "hep-th" / "9711" / "hep-th_9711200.md"


@pytest.mark.parametrize("bad", [
    "../../x", "../2311.02077", "/etc/passwd", "", "2311.02077v2", "2311.02077/../../x",
    "hep-th/../../etc", "2311.02077\x00", " 2311.02077", "..", "papers/2311.02077",
])
def test_paths_outside_content_are_refused(tmp_path, bad):
    with pytest.raises(ValueError):
        snapshot_path(tmp_path, bad)


def test_symlinked_folder_leading_out_is_refused(tmp_path):
    content, outside = tmp_path / "content", tmp_path / "outside"
    (content / "papers" / "2311").mkdir(parents=True)
    outside.mkdir()
    (content / "papers" / "2311" / "02").symlink_to(outside, target_is_directory=True)
    with pytest.raises(ValueError, match="leave"):
        snapshot_path(content, "2311.02077")


# --- writing ---------------------------------------------------------------------------------

def test_new_unchanged_updated(tmp_path, paper):
    path = snapshot_path(tmp_path, paper.id)
    assert write_snapshot(tmp_path, paper) == "new"
    assert path.read_bytes() == dump_paper(paper).encode("utf-8")
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))  # an mtime no write could produce by chance
    assert write_snapshot(tmp_path, paper) == "unchanged"
    assert path.stat().st_mtime_ns == 1_000_000_000
    changed = replace(paper, comment="45 pages")
    assert write_snapshot(tmp_path, changed) == "updated"
    assert read_snapshot(path).comment == "45 pages"
    assert leftovers(path.parent) == []


def test_read_back_equals_written(tmp_path):
    for name in ("api2026-idlist-hep-th_9711200-max1.xml", "api2016-idlist-1111.2011v2.xml",
                 "api2026-search-testing-start20-max10-latex-title.xml"):
        paper = api_paper(name)
        write_snapshot(tmp_path, paper)
        assert read_snapshot(snapshot_path(tmp_path, paper.id)) == paper


def test_failed_replace_leaves_old_file_and_no_temp(tmp_path, paper, monkeypatch):
    path = snapshot_path(tmp_path, paper.id)
    write_snapshot(tmp_path, paper)
    before = path.read_bytes()

    def disk_full(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(OSError, match="No space left"):
        write_snapshot(tmp_path, replace(paper, title="A new title"))
    assert path.read_bytes() == before
    assert leftovers(path.parent) == []


def test_failed_first_write_leaves_nothing(tmp_path, paper, monkeypatch):
    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_snapshot(tmp_path, paper)
    folder = snapshot_path(tmp_path, paper.id).parent
    assert list(folder.iterdir()) == []


def test_invalid_record_is_not_written(tmp_path, paper):
    with pytest.raises(ValueError):
        write_snapshot(tmp_path, replace(paper, title=""))
    with pytest.raises(ValueError):
        write_snapshot(tmp_path, replace(paper, id="../../x"))
    assert not (tmp_path / "papers").exists() or not any((tmp_path / "papers").rglob("*.md"))


# --- the shipped snapshot --------------------------------------------------------------------

def test_shipped_content_round_trips_and_sits_where_its_id_says():
    files = sorted((CONTENT / "papers").rglob("*.md"))
    assert len(files) >= 150
    days = set()
    for path in files:
        text = path.read_text(encoding="utf-8")
        paper = parse_snapshot(text)
        assert dump_paper(paper) == text, path
        assert snapshot_path(CONTENT, paper.id) == path
        days.add(paper.announced)
    assert len(days) >= 5
