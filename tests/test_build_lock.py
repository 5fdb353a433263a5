"""The build lock: one `sitegen build` (or serve rebuild) per output folder at a time, with a
true message; the flock alone decides, so a stale lock file never blocks; a link at the
lock file is refused, its target untouched."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys

import pytest

from sitegen.cli import main
from sitegen.serve import _build as serve_rebuild
from sitegen.write.lock import build_lock
from tests.conftest import REPO, SiteDir
from tests.hostile_disk import make_outside, run_sitegen, state

pytestmark = pytest.mark.slow  # builds at once in processes

_HOLD = """import sys
from pathlib import Path
from sitegen.write.lock import build_lock
from sitegen.config.load import load_config
config = load_config(Path(sys.argv[1]))
with build_lock(config, config.build.output.resolve()):
    print("held", flush=True)
    sys.stdin.read()
"""


@contextlib.contextmanager
def build_running(site: SiteDir):
    """Another process holding the build lock of site's output folder, as a build writing it
    does, until the block ends; yields its pid."""
    child = subprocess.Popen([sys.executable, "-c", _HOLD, str(site.config_path)], cwd=REPO,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "held"
        yield child.pid
    finally:
        child.stdin.close()
        child.wait(timeout=60)


def _lock_path(site: SiteDir):
    config = site.load()
    return build_lock(config, config.build.output.resolve()).path


def _build(site: SiteDir, capsys, *args: str) -> tuple[int, str]:
    code = main(["build", "--config", str(site.config_path), *args])
    return code, capsys.readouterr().err


def test_a_second_build_is_refused_with_a_true_message_and_writes_nothing(sample_site, capsys):
    assert _build(sample_site, capsys)[0] == 0
    sample_site.add(sample_site_paper := _new_paper())
    before = sample_site.tree()
    with build_running(sample_site) as pid:
        code, err = _build(sample_site, capsys)
    assert code == 1
    assert err == (f"sitegen build: error: another sitegen build is writing {sample_site.output} (pid {pid}); "
                   "wait for it to finish, then build again\n")
    assert sample_site.tree() == before
    assert _build(sample_site, capsys)[0] == 0  # once it is done, the build goes ahead
    assert (sample_site.output / "papers" / sample_site_paper.id / "index.html").is_file()
    assert not _lock_path(sample_site).exists()  # removed when released


def test_builds_into_another_folder_are_not_held_up(sample_site, capsys, tmp_path):
    with build_running(sample_site):
        code, err = _build(sample_site, capsys, "--output", str(tmp_path / "elsewhere"))
    assert code == 0, err


def test_serve_rebuilds_take_the_build_lock(sample_site, capsys):
    config = sample_site.load()
    with build_running(sample_site) as pid:
        error = serve_rebuild(config)
    assert error is not None and f"another sitegen build is writing {sample_site.output} (pid {pid})" in error
    assert not sample_site.output.exists()
    assert serve_rebuild(config) is None and (sample_site.output / "index.html").is_file()


def test_a_stale_lock_file_naming_a_live_process_does_not_block(sample_site, capsys):
    lock = _lock_path(sample_site)
    lock.parent.mkdir(parents=True, exist_ok=True)
    lock.write_text(f"{os.getppid()}\n")  # left by a build killed long ago, its pid since reused
    code, err = _build(sample_site, capsys)
    assert code == 0, err
    assert not lock.exists()


def test_a_link_at_the_build_lock_is_refused_and_its_target_untouched(sample_site, capsys, tmp_path_factory):
    outside = make_outside(tmp_path_factory.mktemp("outside"))
    before = state(outside)
    lock = _lock_path(sample_site)
    lock.parent.mkdir(parents=True, exist_ok=True)
    lock.symlink_to(outside / "notes.txt")
    code, err = _build(sample_site, capsys)
    assert code == 1 and f"the lock file {lock} is a symbolic link, which sitegen never writes through" in err
    assert err.count("\n") == 1 and state(outside) == before


def test_two_builds_at_once_never_fail_with_a_misleading_message(sample_site):
    for i in range(20):  # enough papers that the two builds overlap
        sample_site.add(_new_paper(f"2311.1{i:04d}"))
    args = ("build", "--config", str(sample_site.config_path))
    procs = [subprocess.Popen([sys.executable, "-m", "sitegen", *args], cwd=sample_site.root, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    for code, err in results:  # each built, or was told the truth; never "cannot write"
        assert code == 0 or (code == 1 and "another sitegen build is writing" in err), err
    assert any(code == 0 for code, _ in results)
    again = run_sitegen(*args, cwd=sample_site.root)  # the site they left is whole: nothing to redo
    assert again.returncode == 0 and "(0 written," in again.stdout, again.stdout


def _new_paper(paper_id: str = "2311.05555"):
    from tests.conftest import make_paper

    return make_paper(paper_id, title=f"Another Vision Paper {paper_id}")


@pytest.fixture(autouse=True)
def _no_lock_left(sample_site):
    yield
    assert not _lock_path(sample_site).exists() or _lock_path(sample_site).is_symlink()
