"""scripts/commit-content.sh, run in throwaway git repositories.

The publish workflow calls it after `sitegen fetch`: it commits what changed under
content/ as github-actions[bot] (message `content: snapshot YYYY-MM-DD (N files)`),
exits 0 without a commit when nothing changed, and with --push BRANCH pushes,
rebasing once more for each refused push.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "commit-content.sh"
BOT_NAME = "github-actions[bot]"
BOT_EMAIL = "41898282+github-actions[bot]@users.noreply.github.com"

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None or shutil.which("bash") is None, reason="needs git and bash"
)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """An environment that no user or system git configuration leaks into."""
    home = tmp_path / "home"
    home.mkdir()
    e = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "GITHUB_"))}
    e.update(
        HOME=str(home),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=str(home / ".gitconfig"),
        GIT_AUTHOR_NAME="A Person",
        GIT_AUTHOR_EMAIL="person@example.org",
        GIT_COMMITTER_NAME="A Person",
        GIT_COMMITTER_EMAIL="person@example.org",
        LC_ALL="C",
    )
    (home / ".gitconfig").write_text("[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n")
    return e


def git(cwd: Path, env: dict[str, str], *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
    assert done.returncode == 0, f"git {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def run_script(cwd: Path, env: dict[str, str], *args: str, output: Path | None = None,
               **extra: str) -> subprocess.CompletedProcess:
    e = dict(env)
    e.update(extra)
    if output is not None:
        e["GITHUB_OUTPUT"] = str(output)
    return subprocess.run(["bash", str(SCRIPT), *args], cwd=cwd, env=e, capture_output=True,
                          text=True, timeout=60)


@pytest.fixture
def repo(tmp_path: Path, env: dict[str, str]) -> Path:
    """A repository on main with two papers and a README, all committed."""
    r = tmp_path / "repo"
    (r / "content" / "papers").mkdir(parents=True)
    (r / "content" / "papers" / "2401.00001.md").write_text("---\nid: 2401.00001\n---\nOne\n")
    (r / "content" / "papers" / "2401.00002.md").write_text("---\nid: 2401.00002\n---\nTwo\n")
    (r / "README.md").write_text("readme\n")
    git(r, env, "init", "--quiet", "--initial-branch=main")
    git(r, env, "add", "--all")
    git(r, env, "commit", "--quiet", "-m", "initial")
    return r


def head(r: Path, env: dict[str, str]) -> str:
    return git(r, env, "rev-parse", "HEAD").strip()


def outputs(path: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if line)


def utc_dates_around_now() -> set[str]:
    now = datetime.now(timezone.utc)
    return {(now + timedelta(minutes=m)).strftime("%Y-%m-%d") for m in (-5, 0, 5)}


def test_script_is_executable_and_bash():
    assert SCRIPT.is_file()
    assert os.access(SCRIPT, os.X_OK), "the workflow runs it directly: it must be executable (git mode 100755)"
    assert SCRIPT.read_text().startswith("#!/usr/bin/env bash\n")


def test_nothing_changed_makes_no_commit(repo: Path, env, tmp_path: Path):
    before = head(repo, env)
    out = tmp_path / "github_output"
    done = run_script(repo, env, output=out)
    assert done.returncode == 0, done.stderr
    assert "nothing to commit" in done.stdout
    assert head(repo, env) == before
    assert outputs(out) == {"committed": "false", "files": "0"}


def test_unrelated_changes_alone_make_no_commit(repo: Path, env):
    before = head(repo, env)
    (repo / "README.md").write_text("changed\n")
    (repo / "notes.txt").write_text("new\n")
    git(repo, env, "add", "notes.txt")
    done = run_script(repo, env)
    assert done.returncode == 0, done.stderr
    assert head(repo, env) == before


def test_changes_are_committed_as_the_bot(repo: Path, env, tmp_path: Path):
    papers = repo / "content" / "papers"
    (papers / "2401.00003.md").write_text("---\nid: 2401.00003\n---\nThree\n")  # added
    (papers / "2401.00001.md").write_text("---\nid: 2401.00001\n---\nOne, v2\n")  # modified
    (papers / "2401.00002.md").unlink()  # deleted
    # Changes outside content/, one staged and one not, must stay out of the commit.
    (repo / "README.md").write_text("work in progress\n")
    (repo / "notes.txt").write_text("staged elsewhere\n")
    git(repo, env, "add", "notes.txt")
    before = head(repo, env)
    out = tmp_path / "github_output"

    done = run_script(repo, env, output=out)

    assert done.returncode == 0, done.stderr
    assert git(repo, env, "rev-parse", "HEAD~1").strip() == before
    author = git(repo, env, "log", "-1", "--format=%an <%ae>|%cn <%ce>").strip()
    assert author == f"{BOT_NAME} <{BOT_EMAIL}>|{BOT_NAME} <{BOT_EMAIL}>"
    subject = git(repo, env, "log", "-1", "--format=%s").strip()
    m = re.fullmatch(r"content: snapshot (\d{4}-\d{2}-\d{2}) \((\d+) files\)", subject)
    assert m, subject
    assert m.group(1) in utc_dates_around_now()
    assert m.group(2) == "3"
    changed = git(repo, env, "show", "--name-status", "--format=", "HEAD").split("\n")
    assert sorted(filter(None, changed)) == [
        "A\tcontent/papers/2401.00003.md",
        "D\tcontent/papers/2401.00002.md",
        "M\tcontent/papers/2401.00001.md",
    ]
    status = git(repo, env, "status", "--porcelain")
    assert " M README.md" in status and "A  notes.txt" in status
    assert "content/" not in status
    assert outputs(out) == {"committed": "true", "files": "3"}
    assert subject in done.stdout

    again = run_script(repo, env)  # and a second run finds nothing left
    assert again.returncode == 0 and "nothing to commit" in again.stdout


def test_one_file_is_singular(repo: Path, env):
    (repo / "content" / "papers" / "2401.00009.md").write_text("new\n")
    assert run_script(repo, env).returncode == 0
    subject = git(repo, env, "log", "-1", "--format=%s").strip()
    assert re.fullmatch(r"content: snapshot \d{4}-\d{2}-\d{2} \(1 file\)", subject), subject


def test_new_content_folder_is_committed(tmp_path: Path, env):
    r = tmp_path / "fresh"
    r.mkdir()
    (r / "README.md").write_text("x\n")
    git(r, env, "init", "--quiet", "--initial-branch=main")
    git(r, env, "add", "--all")
    git(r, env, "commit", "--quiet", "-m", "initial")
    assert run_script(r, env).returncode == 0  # no content/ yet: nothing to do
    (r / "content" / "papers").mkdir(parents=True)
    (r / "content" / "papers" / "a.md").write_text("a\n")
    (r / "content" / "papers" / "b.md").write_text("b\n")
    assert run_script(r, env).returncode == 0
    assert "(2 files)" in git(r, env, "log", "-1", "--format=%s")


def test_other_dir(repo: Path, env):
    (repo / "data").mkdir()
    (repo / "data" / "x.md").write_text("x\n")
    (repo / "content" / "papers" / "2401.00009.md").write_text("new\n")
    assert run_script(repo, env, "--dir", "data").returncode == 0
    assert git(repo, env, "show", "--name-only", "--format=", "HEAD").split() == ["data/x.md"]


def test_a_single_file_with_its_own_title(repo: Path, env):
    # The publish workflow's digest job commits its record of sent digests this way.
    assert run_script(repo, env, "--dir", "digests-sent.json", "--title", "digest: record sent digests").returncode == 0
    (repo / "digests-sent.json").write_text('{"sent": {}, "version": 1}\n')
    (repo / "content" / "papers" / "2401.00009.md").write_text("new\n")
    done = run_script(repo, env, "--dir", "digests-sent.json", "--title", "digest: record sent digests")
    assert done.returncode == 0, done.stderr
    assert git(repo, env, "show", "--name-only", "--format=", "HEAD").split() == ["digests-sent.json"]
    subject = git(repo, env, "log", "-1", "--format=%s").strip()
    assert re.fullmatch(r"digest: record sent digests \d{4}-\d{2}-\d{2} \(1 file\)", subject), subject
    assert git(repo, env, "log", "-1", "--format=%an").strip() == BOT_NAME


def test_bad_argument_is_a_usage_error(repo: Path, env):
    done = run_script(repo, env, "--bogus")
    assert done.returncode == 2
    assert "unknown argument" in done.stderr


@pytest.fixture
def remote(tmp_path: Path, repo: Path, env) -> Path:
    """A bare origin holding the repo's main, and the repo cloned back from it."""
    bare = tmp_path / "origin.git"
    git(tmp_path, env, "clone", "--quiet", "--bare", str(repo), str(bare))
    git(repo, env, "remote", "add", "origin", str(bare))
    git(repo, env, "fetch", "--quiet", "origin")
    git(repo, env, "branch", "--quiet", "--set-upstream-to=origin/main", "main")
    return bare


def test_push(repo: Path, remote: Path, env):
    (repo / "content" / "papers" / "2401.00009.md").write_text("new\n")
    done = run_script(repo, env, "--push", "main", GIT_PUSH_TOKEN="not-a-real-token")
    assert done.returncode == 0, done.stderr
    assert git(remote, env, "rev-parse", "main").strip() == head(repo, env)
    # The token is handed to git per command, never stored.
    config = (repo / ".git" / "config").read_text()
    assert "not-a-real-token" not in config


def test_push_with_nothing_changed_pushes_nothing(repo: Path, remote: Path, env):
    before = git(remote, env, "rev-parse", "main").strip()
    done = run_script(repo, env, "--push", "main")
    assert done.returncode == 0, done.stderr
    assert git(remote, env, "rev-parse", "main").strip() == before


def test_push_rebases_when_main_moved(tmp_path: Path, repo: Path, remote: Path, env):
    # Someone pushes a template change while the nightly fetch runs.
    other = tmp_path / "other"
    git(tmp_path, env, "clone", "--quiet", str(remote), str(other))
    (other / "README.md").write_text("edited meanwhile\n")
    git(other, env, "commit", "--quiet", "-am", "docs: edit")
    git(other, env, "push", "--quiet", "origin", "main")
    theirs = head(other, env)

    (repo / "content" / "papers" / "2401.00009.md").write_text("new\n")
    done = run_script(repo, env, "--push", "main")

    assert done.returncode == 0, done.stderr
    log = git(remote, env, "log", "--format=%s|%an", "main").splitlines()
    assert log[0].startswith("content: snapshot ") and log[0].endswith(f"|{BOT_NAME}")
    assert log[1] == "docs: edit|A Person"
    assert git(remote, env, "rev-parse", "main~1").strip() == theirs


def test_push_failure_fails(repo: Path, env, tmp_path: Path):
    git(repo, env, "remote", "add", "origin", str(tmp_path / "no-such-remote.git"))
    (repo / "content" / "papers" / "2401.00009.md").write_text("new\n")
    done = run_script(repo, env, "--push", "main")
    assert done.returncode != 0
    # The commit itself was made; only the push failed.
    assert git(repo, env, "log", "-1", "--format=%an").strip() == BOT_NAME
