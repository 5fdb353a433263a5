"""content/ on a hostile disk: a snapshot that is a symbolic link, a FIFO, a device or a file
of gigabytes is one line naming it (exit 1), never read, never followed, never a hang; a
linked folder is not descended into. Real files and links in tmp, the link targets outside."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sitegen.arxiv_ids import safe_name, shard
from sitegen.fetch.write import SnapshotWriter
from sitegen.snapshot.format import dump_paper
from sitegen.snapshot.store import MAX_BYTES, read_snapshot_bytes, snapshot_path, write_snapshot
from sitegen.sources.base import Harvest
from tests.conftest import SiteDir, make_paper
from tests.hostile_disk import make_outside, run_sitegen, state

pytestmark = pytest.mark.slow  # builds sites round hostile files

SECRET_ID = "2311.09999"
SECRET_TITLE = "Outside Secret Title"
LINK_SAYS = "is a symbolic link, which sitegen never follows"


@pytest.fixture
def outside(tmp_path_factory) -> Path:
    """Someone's folder outside the project, holding (among others) a valid snapshot."""
    folder = make_outside(tmp_path_factory.mktemp("outside"))
    (folder / "secret.md").write_text(dump_paper(make_paper(SECRET_ID, title=SECRET_TITLE)))
    return folder


def _snapshot_place(site: SiteDir, paper_id: str = SECRET_ID) -> Path:
    path = site.root / "content" / "papers" / shard(paper_id) / f"{safe_name(paper_id)}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _published(site: SiteDir) -> str:
    return "".join(p.read_text(errors="replace") for p in site.output.rglob("*") if p.is_file()) \
        if site.output.exists() else ""


def _build(site: SiteDir):
    return run_sitegen("build", "--config", str(site.config_path), cwd=site.root)


def test_a_snapshot_linked_to_a_file_outside_is_a_bad_snapshot_never_published(sample_site, outside):
    before = state(outside)
    link = _snapshot_place(sample_site)
    link.symlink_to(outside / "secret.md")
    done = _build(sample_site)
    rel = link.relative_to(sample_site.root)
    assert done.returncode == 1, done.stderr
    assert f"  {rel}:1: {LINK_SAYS}" in done.stderr and "Traceback" not in done.stderr
    assert SECRET_TITLE not in _published(sample_site) + done.stdout + done.stderr
    assert state(outside) == before


def test_an_outside_yaml_files_key_names_are_never_echoed(sample_site, outside):
    link = _snapshot_place(sample_site)
    link.symlink_to(outside / "settings.yml")
    rel = str(link.relative_to(sample_site.root))
    for done in (_build(sample_site), run_sitegen("check", rel, cwd=sample_site.root)):
        assert done.returncode == 1
        said = done.stdout + done.stderr
        assert f"{rel}:1: {LINK_SAYS}" in said
        assert "aws_secret_access_key" not in said and "private_token_name" not in said and "hunter2" not in said


def test_a_linked_folder_in_content_is_not_descended_into(sample_site, outside):
    folder = outside / "papers"
    folder.mkdir()
    (folder / f"{SECRET_ID}.md").write_text((outside / "secret.md").read_text())
    before = state(outside)
    link = sample_site.root / "content" / "papers" / "more"
    link.symlink_to(folder, target_is_directory=True)
    done = _build(sample_site)
    assert done.returncode == 1 and f"  content/papers/more:1: {LINK_SAYS}" in done.stderr, done.stderr
    assert SECRET_TITLE not in _published(sample_site)
    link.unlink()  # the link gone, the same site builds
    assert _build(sample_site).returncode == 0
    assert state(outside) == before


def test_content_papers_itself_a_link_is_refused(site_dir, outside):
    papers = site_dir.root / "content" / "papers"
    papers.rmdir()
    papers.symlink_to(outside, target_is_directory=True)
    done = _build(site_dir)
    assert done.returncode == 1 and f"content/papers:1: {LINK_SAYS}" in done.stderr, done.stderr


def test_an_editors_hidden_lock_link_is_left_alone(sample_site):
    # Emacs marks a file being edited with a dangling link `.#name`; it is no snapshot.
    (sample_site.root / "content" / "papers" / ".#2311.02077.md").symlink_to("someone@host.1234:1")
    done = _build(sample_site)
    assert done.returncode == 0, done.stderr


# --- files that are no regular file, or far too big -------------------------------------------

def _plant(path: Path, kind: str) -> None:
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "link to /dev/zero":
        path.symlink_to("/dev/zero")
    else:  # "2 GB": sparse, so it costs no disk
        with open(path, "wb") as f:
            f.truncate(2 * 1024 ** 3)


SAYS = {
    "fifo": "is a FIFO (named pipe), not a regular file; sitegen reads only regular files here",
    "link to /dev/zero": LINK_SAYS,
    "2 GB": f"is 2,147,483,648 bytes, over the {MAX_BYTES:,}-byte cap for a snapshot",
}


@pytest.mark.parametrize("kind", SAYS)
def test_a_snapshot_that_would_hang_or_exhaust_the_build_is_one_line(sample_site, kind):
    path = _snapshot_place(sample_site)
    _plant(path, kind)
    rel = path.relative_to(sample_site.root)
    for done in (_build(sample_site), run_sitegen("check", str(rel), cwd=sample_site.root)):
        assert done.returncode == 1, done.stderr
        assert f"{rel}:1: {SAYS[kind]}" in done.stdout + done.stderr
        assert "Traceback" not in done.stderr and "internal error" not in done.stderr


def test_check_refuses_a_device_given_by_name(tmp_path):
    done = run_sitegen("check", "/dev/zero", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout == ("/dev/zero:1: is a character device, not a regular file; sitegen reads only regular "
                           "files here: remove it\n")


def test_the_cap_reads_at_most_cap_plus_one_bytes(tmp_path):
    path = tmp_path / "x.md"
    path.write_bytes(b"a" * MAX_BYTES)
    assert len(read_snapshot_bytes(path)) == MAX_BYTES  # a snapshot of exactly the cap is read
    path.write_bytes(b"a" * (MAX_BYTES + 1))
    with pytest.raises(OSError, match="over the 1,000,000-byte cap for a snapshot"):
        read_snapshot_bytes(path)


def test_fetch_never_writes_a_snapshot_the_build_would_refuse_to_read(tmp_path):
    # Within the author cap (20,000 names, each under 1,000 characters), over the byte cap.
    huge = make_paper(SECRET_ID, authors=tuple(f"Author Number{i} {'Long' * 20}" for i in range(15_000)))
    with pytest.raises(ValueError, match="over the 1,000,000-byte cap for a snapshot"):
        write_snapshot(tmp_path, huge)
    assert not snapshot_path(tmp_path, SECRET_ID).exists()


def test_fetch_leaves_a_linked_snapshot_alone_with_a_warning(tmp_path, outside):
    before = state(outside)
    content = tmp_path / "content"
    link = snapshot_path(content, SECRET_ID)
    link.parent.mkdir(parents=True)
    link.symlink_to(outside / "secret.md")
    warnings: list[str] = []
    counts = SnapshotWriter(content, warn=warnings.append).write(
        Harvest(accepted=[make_paper(SECRET_ID, title="A newer title")]), keep=lambda paper: True)
    assert counts.skipped == 1 and counts.new == counts.updated == 0
    assert warnings == [f"{link}: {LINK_SAYS} (it could lead anywhere): put what it points to there instead, "
                        "or remove it; left as it is"]
    assert link.is_symlink() and state(outside) == before


def test_fetch_writes_through_no_linked_folder(tmp_path, outside):
    before = state(outside)
    content = tmp_path / "content"
    (content / "papers" / "2311").mkdir(parents=True)
    (content / "papers" / "2311" / "09").symlink_to(outside, target_is_directory=True)
    with pytest.raises(ValueError, match="follow a link"):
        write_snapshot(content, make_paper(SECRET_ID))
    assert state(outside) == before
