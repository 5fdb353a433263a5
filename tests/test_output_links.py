"""output/ on a hostile disk: no write, rename or delete goes through a symbolic link. A link
to a folder outside, put where sitegen writes, prunes or indexes, leaves that folder as it
was: same files, same bytes, same mtimes. Real files and links in tmp, the targets outside."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from sitegen.atomic import atomic_write
from sitegen.cli import main
from sitegen.errors import DiskError
from sitegen.safe_fs import UnsafeFile, remove_tree, unlink_under
from sitegen.search import index as search
from sitegen.snapshot.format import dump_paper, parse_snapshot
from sitegen.write import writer
from tests.conftest import SiteDir, make_paper
from tests.hostile_disk import make_outside, state


@pytest.fixture
def outside(tmp_path_factory) -> Path:
    return make_outside(tmp_path_factory.mktemp("outside"))


def _build(site: SiteDir, capsys, *args: str) -> tuple[int, str]:
    code = main(["build", "--config", str(site.config_path), *args])
    return code, capsys.readouterr().err


def _hide(site: SiteDir, paper_id: str) -> None:
    path = next(site.root.glob(f"content/papers/**/{paper_id}.md"))
    path.write_text(dump_paper(replace(parse_snapshot(path.read_text()), hidden=True)))


def _swap_for_link(path: Path, target: Path) -> None:
    remove_tree(path)
    path.symlink_to(target, target_is_directory=target.is_dir())


@pytest.mark.skipif(search.find_pagefind() is None, reason="the pagefind binary is not installed")
def test_pagefind_swapped_for_a_link_to_an_outside_folder_touches_nothing_there(sample_site, outside, capsys):
    sample_site.config_path.write_text(sample_site.config_path.read_text().replace("search = false", "search = true"))
    assert _build(sample_site, capsys)[0] == 0
    before = state(outside)
    bundle = sample_site.output / "pagefind"
    _swap_for_link(bundle, outside)
    code, err = _build(sample_site, capsys)
    assert code == 0, err
    assert state(outside) == before  # nothing deleted, nothing indexed into it
    assert not bundle.is_symlink() and (bundle / search.SHARDS).is_file()  # the link went, as a link
    assert any(bundle.glob(f"*/{search.ENTRY}"))


@pytest.mark.slow
@pytest.mark.skipif(search.find_pagefind() is None, reason="the pagefind binary is not installed")
def test_a_search_record_that_is_a_link_is_never_indexed(sample_site, outside, capsys):
    # Pagefind follows a link to a file: what it points to would be in the published index.
    sample_site.config_path.write_text(sample_site.config_path.read_text().replace("search = false", "search = true"))
    assert _build(sample_site, capsys)[0] == 0
    (outside / "page.html").write_text("<html><body><h1>zebraword</h1></body></html>\n")
    before = state(outside)
    planted = sample_site.output / search.RECORDS / "papers" / "2311.99998" / "index.html"
    planted.parent.mkdir(parents=True)
    planted.symlink_to(outside / "page.html")
    sample_site.add(make_paper("2311.05555", title="A New Vision Paper"))  # its month is indexed again
    code, err = _build(sample_site, capsys)
    assert code == 0, err
    assert (f"sitegen: warning: search index not built: {planted} is a symbolic link sitegen did not make, "
            "which Pagefind would follow into the published index; remove it and build again") in err
    assert not (sample_site.output / "pagefind").exists() and state(outside) == before
    planted.unlink()
    code, err = _build(sample_site, capsys)
    assert code == 0 and "warning" not in err and (sample_site.output / "pagefind" / search.SHARDS).is_file()


def test_a_hidden_papers_folder_swapped_for_a_link_loses_nothing_outside(sample_site, outside, capsys):
    assert _build(sample_site, capsys)[0] == 0
    before = state(outside)
    folder = sample_site.output / "papers" / "2311.00001"
    _swap_for_link(folder, outside / "sub")  # holds an index.html, where the paper's page was
    _hide(sample_site, "2311.00001")  # its page is stale now: the build prunes it
    code, err = _build(sample_site, capsys)
    assert code == 0, err
    assert state(outside) == before
    assert folder.is_symlink()  # not sitegen's: left alone, not followed
    assert "papers/2311.00001/index.html" not in (sample_site.output / writer.MARKER).read_text()


def test_a_link_where_the_build_writes_a_page_is_refused_or_replaced_with_force(sample_site, outside, capsys):
    assert _build(sample_site, capsys)[0] == 0
    before = state(outside)
    folder = sample_site.output / "papers" / "2311.00001"
    _swap_for_link(folder, outside / "sub")
    code, err = _build(sample_site, capsys)
    assert code == 2 and "'papers/2311.00001' (a symbolic link) was not written by sitegen" in err, err
    assert state(outside) == before
    code, err = _build(sample_site, capsys, "--force")
    assert code == 0, err
    assert not folder.is_symlink() and (folder / "index.html").is_file()  # the link itself replaced
    assert state(outside) == before


def test_a_page_swapped_for_a_link_is_replaced_not_written_through(sample_site, outside, capsys):
    assert _build(sample_site, capsys)[0] == 0
    before = state(outside)
    page = sample_site.output / "index.html"
    page.unlink()
    page.symlink_to(outside / "notes.txt")
    code, err = _build(sample_site, capsys)  # nothing else changed: the link alone makes it rebuild
    assert code == 0, err
    assert not page.is_symlink() and "<html" in page.read_text()
    assert state(outside) == before


def test_a_marker_that_is_a_link_is_not_read(sample_site, outside, capsys):
    assert _build(sample_site, capsys)[0] == 0
    (outside / "claims.txt").write_text("sitegen-output 1\nrobots.txt\n")
    before = state(outside)
    marker = sample_site.output / writer.MARKER
    marker.unlink()
    marker.symlink_to(outside / "claims.txt")
    code, err = _build(sample_site, capsys)
    assert code == 2 and f"holds a {writer.MARKER} that sitegen does not read: it is a symbolic link" in err, err
    assert state(outside) == before


# --- the writers themselves ----------------------------------------------------------------------

def test_a_link_at_a_pages_temp_name_is_replaced_not_written_through(tmp_path, outside):
    before = state(outside)
    out = tmp_path / "out"
    out.mkdir()
    (out / ("index.html" + writer.TMP_SUFFIX)).symlink_to(outside / "notes.txt")
    assert writer.stage(out, "index.html", b"<p>page</p>", {})
    tmp = out / ("index.html" + writer.TMP_SUFFIX)
    assert not tmp.is_symlink() and tmp.read_bytes() == b"<p>page</p>"
    assert state(outside) == before


def test_a_pages_folder_that_is_a_link_is_never_written_into(tmp_path, outside):
    before = state(outside)
    out = tmp_path / "out"
    out.mkdir()
    (out / "papers").symlink_to(outside, target_is_directory=True)
    writer.forget_folders()
    with pytest.raises(DiskError, match="papers: cannot write \\(a symbolic link\\); remove the link"):
        writer.stage(out, "papers/2311.00001/index.html", b"<p>page</p>", {})
    assert state(outside) == before


def test_atomic_write_refuses_a_linked_folder_below_its_root(tmp_path, outside):
    before = state(outside)
    (tmp_path / "cache").symlink_to(outside, target_is_directory=True)
    with pytest.raises(UnsafeFile, match="is a symbolic link"):
        atomic_write(tmp_path / "cache" / "notes.txt", b"overwritten", root=tmp_path)
    assert state(outside) == before


def test_atomic_write_replaces_a_link_at_the_destination_itself(tmp_path, outside):
    before = state(outside)
    (tmp_path / "digests-sent.json").symlink_to(outside / "notes.txt")
    atomic_write(tmp_path / "digests-sent.json", b"{}\n")
    assert not (tmp_path / "digests-sent.json").is_symlink()
    assert state(outside) == before


def test_pruning_deletes_a_link_itself_and_nothing_behind_one(tmp_path, outside):
    before = state(outside)
    out = tmp_path / "out"
    (out / "papers").mkdir(parents=True)
    (out / "papers" / "a").symlink_to(outside / "sub", target_is_directory=True)
    (out / "papers" / "b.html").symlink_to(outside / "notes.txt")
    removed, failed = writer.prune(out, {"papers/a/index.html", "papers/b.html"})
    assert (removed, failed) == (1, set())  # b.html, the link; a/index.html is behind a link
    assert not os.path.lexists(out / "papers" / "b.html") and (out / "papers" / "a").is_symlink()
    with pytest.raises(UnsafeFile):
        unlink_under(out, "papers/a/index.html")
    assert remove_tree(out / "papers") == 1  # the folder with the link in it: the link goes, as a link
    assert state(outside) == before
