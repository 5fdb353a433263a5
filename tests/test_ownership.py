"""Output ownership: sitegen writes and prunes only in a folder it made, and in it only its files."""

from __future__ import annotations

import os
import pickle
import subprocess
from datetime import date
from pathlib import Path

import pytest

from sitegen.cli import main
from sitegen.write import writer as output
from tests.conftest import BASE_CONFIG, REPO, SiteDir, make_paper


def _snapshot(folder: Path) -> dict[str, tuple]:
    """Every file and folder under folder (hidden ones and .git included): bytes and stamps."""
    found = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            path = Path(dirpath, name)
            st = path.lstat()
            data = path.read_bytes() if path.is_file() and not path.is_symlink() else None
            found[path.relative_to(folder).as_posix()] = (data, st.st_mtime_ns, st.st_ctime_ns)
    return found


def _build(site: SiteDir, capsys, *args: str) -> tuple[int, str]:
    code = main(["build", "--config", str(site.config_path), *args])
    err = capsys.readouterr().err
    assert err.count("\n") <= 1, err  # one line, never a traceback
    return code, err.strip()


def _foreign(folder: Path) -> Path:
    (folder / "sub").mkdir(parents=True)
    (folder / "notes.txt").write_bytes(b"my notes\x00\xff")
    (folder / "sub" / "index.html").write_text("<p>my page</p>")
    return folder


def test_a_folder_holding_foreign_files_is_refused_and_left_byte_identical(sample_site, tmp_path, capsys):
    theirs = _foreign(tmp_path / "theirs")
    before = _snapshot(theirs)
    code, err = _build(sample_site, capsys, "--output", str(theirs))
    assert code == 2
    assert f"output folder {theirs} (--output) holds files sitegen did not write (e.g. 'notes.txt')" in err
    assert "choose an empty folder, delete it, or pass --force to replace its contents" in err
    assert _snapshot(theirs) == before


def test_output_dot_in_a_git_checkout_is_refused_and_nothing_is_deleted(sample_site, capsys):
    root = sample_site.root
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    sample_site.config_path.write_text(sample_site.config_path.read_text().replace(
        "search = false", 'search = false\noutput = "."'))
    before = _snapshot(root)
    for extra in ((), ("--force",)):
        code, err = _build(sample_site, capsys, *extra)
        assert code == 2
        assert f"output folder {root} (build.output) is the project folder {root}" in err
        assert "not even with --force" in err
        assert _snapshot(root) == before


def test_force_replaces_a_foreign_folder_which_is_then_sitegens(sample_site, tmp_path, capsys):
    theirs = _foreign(tmp_path / "theirs")
    (theirs / "papers").write_text("a file where the build needs a folder")
    os.symlink(tmp_path / "elsewhere", theirs / "days")  # a dangling link where a folder goes
    code, err = _build(sample_site, capsys, "--output", str(theirs), "--force")
    assert code == 0, err
    files = {p.relative_to(theirs).as_posix() for p in theirs.rglob("*") if p.is_file()}
    assert "notes.txt" not in files and "sub/index.html" not in files
    assert {"index.html", "papers/2311.02077/index.html", "days/2023-11-06/index.html", output.MARKER} <= files
    assert not (tmp_path / "elsewhere").exists()  # nothing written through the link
    assert _build(sample_site, capsys, "--output", str(theirs)) == (0, "")  # now sitegen's own


@pytest.mark.parametrize("case", ["project", "parent", "content", "templates", "git", "git-file", "other-project"])
def test_force_never_takes_the_project_content_templates_or_a_repository(tmp_path, capsys, case):
    project = tmp_path / "project"
    templates = project / "my-templates"
    site = SiteDir(project, BASE_CONFIG.format(templates=templates).replace(
        'search = false', 'search = false\ncontent = "data/content"'))
    (project / "data" / "content" / "papers").mkdir(parents=True)
    site.write("x.md", "")  # content that must survive
    (templates).mkdir()
    for path in (REPO / "templates").rglob("*"):
        if path.is_file():
            (templates / path.relative_to(REPO / "templates")).parent.mkdir(parents=True, exist_ok=True)
            (templates / path.relative_to(REPO / "templates")).write_bytes(path.read_bytes())
    other = tmp_path / "other"
    target, words = {
        "project": (project, "is the project folder"),
        "parent": (tmp_path, "holds the project folder"),
        "content": (project / "data", "holds the build.content folder"),
        "templates": (templates, "is the build.templates folder"),
        "git": (other, "holds '.git/HEAD'"),
        "git-file": (other, "holds '.git'"),
        "other-project": (other, "holds 'sitegen.toml'"),
    }[case]
    other.mkdir()
    if case == "git":
        (other / ".git").mkdir()
        (other / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    elif case == "git-file":
        (other / ".git").write_text("gitdir: /somewhere/else\n")
    elif case == "other-project":
        (other / "sitegen.toml").write_text("[site]\n")
    before = _snapshot(tmp_path)
    code, err = _build(site, capsys, "--output", str(target), "--force")
    assert code == 2 and words in err and "not even with --force" in err, err
    assert _snapshot(tmp_path) == before


@pytest.mark.parametrize("where", ["content/papers/site", "content", "templates/site"])
def test_output_inside_content_or_templates_is_refused(sample_site, capsys, where):
    templates = sample_site.root / "templates"
    templates.mkdir()
    for path in (REPO / "templates").glob("*.*"):
        (templates / path.name).write_bytes(path.read_bytes())
    config = sample_site.config_path
    config.write_text(config.read_text().replace(str(REPO / "templates"), "templates"))
    code, err = _build(sample_site, capsys, "--output", str(sample_site.root / where))
    assert code == 2 and ("is inside the build." in err or "is the build.content folder" in err), err


def test_the_root_and_the_home_folder_are_refused(sample_site, capsys):
    for folder, words in (("/", "is the root of the file system"), (str(Path.home()), "is your home folder")):
        code, err = _build(sample_site, capsys, "--output", folder, "--force")
        assert code == 2 and words in err


def test_a_foreign_file_in_an_owned_folder_survives_rebuilds_and_keeps_the_no_op_path(sample_site, monkeypatch):
    sample_site.build()
    mine = {"CNAME": b"papers.example.org\n", ".nojekyll": b"", "extra/notes.txt": b"\xff\x00 notes"}
    for rel, data in mine.items():
        (sample_site.output / rel).parent.mkdir(parents=True, exist_ok=True)
        (sample_site.output / rel).write_bytes(data)
    (sample_site.output / "days" / "my-empty-folder").mkdir()
    import sitegen.build
    def fail(*a, **k):
        raise AssertionError("an unchanged site must not be loaded again")

    with monkeypatch.context() as m:
        m.setattr(sitegen.build, "load_entries", fail)
        assert sample_site.build().written == 0  # the no-op path, despite the foreign files
    sample_site.add(make_paper("2311.00001", title="Vision Transformers Revisited Again", announced=date(2023, 11, 3)))
    (sample_site.root / "content/papers/hep-th/9711/hep-th_9711200.md").unlink()
    result = sample_site.build()
    # The paper's page and its day's, week's and month's pages (it was their only paper).
    assert result.written > 0 and result.removed == 4
    assert {rel: (sample_site.output / rel).read_bytes() for rel in mine} == mine
    assert (sample_site.output / "days" / "my-empty-folder").is_dir()  # pruning days/ left it
    marker = (sample_site.output / output.MARKER).read_text()
    assert "CNAME" not in marker and "papers/hep-th_9711200/index.html" not in marker


def test_pruning_survives_a_lost_build_cache(sample_site):
    sample_site.build()
    import shutil

    shutil.rmtree(sample_site.root / ".sitegen-cache")
    (sample_site.root / "content/papers/hep-th/9711/hep-th_9711200.md").unlink()
    assert sample_site.build().removed == 4  # the paper's page, its day's, week's and month's
    assert not (sample_site.output / "papers/hep-th_9711200").exists()


def test_marker_lists_every_file_sorted_and_is_written_only_when_it_changes(sample_site):
    sample_site.build()
    path = sample_site.output / output.MARKER
    lines = path.read_text().splitlines()
    assert lines[0] == "sitegen-output 1" and lines[1].startswith("# ")
    files = {p.relative_to(sample_site.output).as_posix() for p in sample_site.output.rglob("*") if p.is_file()}
    assert lines[2:] == sorted(files - {output.MARKER})
    stamp = path.stat().st_mtime_ns, path.stat().st_ctime_ns
    sample_site.add(make_paper("2311.00001", title="A New Title", announced=date(2023, 11, 3)))
    assert sample_site.build().written > 0  # same files, other bytes: the marker stays
    assert (path.stat().st_mtime_ns, path.stat().st_ctime_ns) == stamp
    sample_site.add(make_paper("2311.00009", announced=date(2023, 11, 6)))
    sample_site.build()
    assert "papers/2311.00009/index.html" in path.read_text().splitlines()


def test_an_output_folder_built_before_the_marker_is_adopted_through_the_manifest(sample_site, capsys):
    sample_site.build()
    # As sitegen left output/ before markers: no marker, a manifest without a marker stamp.
    (sample_site.output / output.MARKER).unlink()
    manifest = next((sample_site.root / ".sitegen-cache/build").glob("manifest-*.pickle"))
    key, pages, inputs, counts, *_ = pickle.loads(manifest.read_bytes())
    stale = sample_site.output / "papers/2311.99999/index.html"
    stale.parent.mkdir()
    stale.write_text("a page the old sitegen wrote")
    pages["papers/2311.99999/index.html"] = ("fp", 0, 0, 0)
    manifest.write_bytes(pickle.dumps(("old-key", pages, inputs, counts)))
    code, err = _build(sample_site, capsys)
    assert code == 0, err
    assert not stale.exists() and (sample_site.output / output.MARKER).is_file()


def test_an_unmarked_folder_with_a_file_the_manifest_does_not_know_is_refused(sample_site, capsys):
    sample_site.build()
    (sample_site.output / output.MARKER).unlink()
    (sample_site.output / "CNAME").write_text("x")
    code, err = _build(sample_site, capsys)
    assert code == 2 and "holds files with no record that sitegen wrote them (e.g. 'CNAME';" in err
    assert (sample_site.output / "CNAME").read_text() == "x"
    import shutil

    shutil.rmtree(sample_site.root / ".sitegen-cache")  # an old build, its cache gone
    code, err = _build(sample_site, capsys)
    assert code == 2 and "(e.g. '404.html'; built by a sitegen older than .sitegen-output" in err
    assert _build(sample_site, capsys, "--force") == (0, "")
    assert (sample_site.output / "CNAME").exists() is False  # --force replaced the contents


@pytest.mark.slow
def test_a_foreign_file_where_the_build_writes_is_refused_unless_forced(sample_site, capsys):
    sample_site.build()
    theirs = sample_site.output / "papers/2311.00009/index.html"
    theirs.parent.mkdir()
    theirs.write_text("my own page")
    sample_site.add(make_paper("2311.00009", announced=date(2023, 11, 6)))
    before = _snapshot(sample_site.output)
    code, err = _build(sample_site, capsys)
    assert code == 2 and "'papers/2311.00009/index.html' was not written by sitegen" in err
    assert _snapshot(sample_site.output) == before
    assert _build(sample_site, capsys, "--force") == (0, "")
    assert "citation_title" in theirs.read_text()


def test_leftovers_of_a_killed_first_build_do_not_block_the_next(sample_site):
    (sample_site.output / "papers/2311.02077").mkdir(parents=True)
    (sample_site.output / "papers/2311.02077/index.html.sitegen-tmp").write_text("half")
    (sample_site.output / ".sitegen-output.abc123.tmp").write_text("half")
    sample_site.build()
    names = [p.name for p in sample_site.output.rglob("*")]
    assert not [n for n in names if n.endswith(".sitegen-tmp") or n.endswith(".tmp")]


def test_an_unreadable_marker_is_refused_with_the_reason(sample_site, capsys):
    sample_site.build()
    (sample_site.output / output.MARKER).write_text("sitegen-output 9\n")
    code, err = _build(sample_site, capsys, "--base-url", "https://other.example/")
    assert code == 2 and "not 'sitegen-output 1'" in err and "--force" in err


def test_a_cache_inside_the_output_folder_is_left_alone(tmp_path, capsys):
    site = SiteDir(tmp_path, BASE_CONFIG.format(templates=REPO / "templates").replace(
        "search = false", 'search = false\ncache = "output/.cache"'))
    site.add(make_paper())
    site.add(make_paper("2311.00002", title="An LLM"))  # a paper on each topic: no warning
    site.add(make_paper("hep-th/9711200", categories=("hep-th",)))
    site.build()
    assert (site.output / ".cache").is_dir()
    assert ".cache" not in (site.output / output.MARKER).read_text()
    assert _build(site, capsys, "--base-url", "https://other.example/") == (0, "")
