"""scripts/commit-content.sh, run in throwaway git repositories.

The publish workflow calls it after `sitegen fetch`: it commits the snapshots that changed
under content/papers/ as github-actions[bot] (message `content: snapshot YYYY-MM-DD (N
files)`), exits 0 without a commit when nothing changed, and with --push BRANCH pushes,
rebasing once more for each refused push. Only valid snapshot files are ever committed:
never a temp file a killed fetch left, a lock file, or a snapshot `sitegen check` rejects.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sitegen.snapshot.format import dump_paper
from tests.conftest import make_paper

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # where `sitegen` is installed: the script finds it on PATH
SCRIPT = ROOT / "scripts" / "commit-content.sh"
BOT_NAME = "github-actions[bot]"
BOT_EMAIL = "41898282+github-actions[bot]@users.noreply.github.com"

# Slow (runs git and bash): `pytest -m "not slow"` leaves it out.
pytestmark = [pytest.mark.slow, pytest.mark.skipif(
    shutil.which("git") is None or shutil.which("bash") is None, reason="needs git and bash"
)]


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
        PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    )
    (home / ".gitconfig").write_text("[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n")
    return e


def snapshot(paper_id: str, title: str = "A paper") -> str:
    """A valid snapshot file's text (`sitegen check` accepts it as <paper_id>.md)."""
    return dump_paper(make_paper(paper_id, title=title))


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
    (r / "content" / "papers" / "2401.00001.md").write_text(snapshot("2401.00001", "One"))
    (r / "content" / "papers" / "2401.00002.md").write_text(snapshot("2401.00002", "Two"))
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
    now = datetime.now(UTC)
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
    (papers / "2401.00003.md").write_text(snapshot("2401.00003", "Three"))  # added
    (papers / "2401.00001.md").write_text(snapshot("2401.00001", "One, v2"))  # modified
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
    changed = git(repo, env, "show", "--no-renames", "--name-status", "--format=", "HEAD").split("\n")
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
    (repo / "content" / "papers" / "2401.00009.md").write_text(snapshot("2401.00009"))
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
    (r / "content" / "papers" / "2401.00011.md").write_text(snapshot("2401.00011"))
    (r / "content" / "papers" / "2401.00012.md").write_text(snapshot("2401.00012"))
    assert run_script(r, env).returncode == 0
    assert "(2 files)" in git(r, env, "log", "-1", "--format=%s")


def test_other_dir(repo: Path, env):
    (repo / "data" / "papers").mkdir(parents=True)
    (repo / "data" / "papers" / "2401.00021.md").write_text(snapshot("2401.00021"))
    (repo / "content" / "papers" / "2401.00009.md").write_text(snapshot("2401.00009"))
    assert run_script(repo, env, "--dir", "data").returncode == 0
    assert git(repo, env, "show", "--name-only", "--format=", "HEAD").split() == ["data/papers/2401.00021.md"]


def test_a_single_file_with_its_own_title(repo: Path, env):
    # The publish workflow's digest job commits its record of sent digests this way.
    title = ("--title", "digest: record sent digests")
    assert run_script(repo, env, "--file", "digests-sent.json", *title).returncode == 0
    (repo / "digests-sent.json").write_text('{"sent": {}, "version": 1}\n')
    (repo / "content" / "papers" / "2401.00009.md").write_text("new\n")
    done = run_script(repo, env, "--file", "digests-sent.json", "--title", "digest: record sent digests")
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
    (repo / "content" / "papers" / "2401.00009.md").write_text(snapshot("2401.00009"))
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

    (repo / "content" / "papers" / "2401.00009.md").write_text(snapshot("2401.00009"))
    done = run_script(repo, env, "--push", "main")

    assert done.returncode == 0, done.stderr
    log = git(remote, env, "log", "--format=%s|%an", "main").splitlines()
    assert log[0].startswith("content: snapshot ") and log[0].endswith(f"|{BOT_NAME}")
    assert log[1] == "docs: edit|A Person"
    assert git(remote, env, "rev-parse", "main~1").strip() == theirs


def test_push_failure_fails(repo: Path, env, tmp_path: Path):
    git(repo, env, "remote", "add", "origin", str(tmp_path / "no-such-remote.git"))
    (repo / "content" / "papers" / "2401.00009.md").write_text(snapshot("2401.00009"))
    done = run_script(repo, env, "--push", "main")
    assert done.returncode != 0
    # The commit itself was made; only the push failed.
    assert git(repo, env, "log", "-1", "--format=%an").strip() == BOT_NAME


# --- only snapshots: never temp files, locks or broken files ------------------------------

def junk(repo: Path) -> dict[str, str]:
    """What a killed or odd fetch can leave under content/ besides snapshots, by kind."""
    papers = repo / "content" / "papers"
    files = {
        "temp": papers / ".2401.00005.md.k3x_9qzd.tmp",  # atomic_write's temp file, killed mid-write
        "temp, sharded": papers / "2401" / "00" / ".2401.00006.md.a1b2c3d4.tmp",
        "old lock": repo / "content" / ".sitegen-fetch.lock",
        "lock": papers / "fetch.lock",
        "hidden md": papers / ".2401.00007.md",
        "notes": papers / "notes.txt",
        "broken yaml": papers / "2401.00008.md",
        "unframed": papers / "2401.00010.md",
        "empty": papers / "2401.00013.md",
        "wrong name": papers / "2401.00014.md",
        "readme": repo / "content" / "README.md",
    }
    texts = {
        "temp": snapshot("2401.00005")[:100], "temp, sharded": snapshot("2401.00006"),
        "old lock": "12345\n", "lock": "12345\n", "hidden md": snapshot("2401.00007"), "notes": "n\n",
        "broken yaml": snapshot("2401.00008").replace('title: "A paper"', 'title: "A paper'),
        "unframed": snapshot("2401.00010").split("---\n", 2)[1], "empty": "",
        "wrong name": snapshot("2401.00099"), "readme": "Not a snapshot.\n",
    }
    for kind, path in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(texts[kind])
    return {kind: str(path.relative_to(repo)) for kind, path in files.items()}


def test_only_valid_snapshots_are_committed(repo: Path, env, tmp_path: Path):
    papers = repo / "content" / "papers"
    (papers / "2401.00003.md").write_text(snapshot("2401.00003", "Three"))  # added
    (papers / "2401" / "00").mkdir(parents=True)
    (papers / "2401" / "00" / "2401.00004.md").write_text(snapshot("2401.00004", "Four"))  # added, sharded
    (papers / "2401.00001.md").write_text(snapshot("2401.00001", "One, v2"))  # modified
    (papers / "2401.00002.md").unlink()  # deleted
    left = junk(repo)
    git(repo, env, "add", "-f", left["temp"])  # even a temp file someone staged stays out
    out = tmp_path / "github_output"

    done = run_script(repo, env, output=out)

    assert done.returncode == 0, done.stderr
    changed = git(repo, env, "show", "--no-renames", "--name-status", "--format=", "HEAD").split("\n")
    assert sorted(filter(None, changed)) == [
        "A\tcontent/papers/2401.00003.md",
        "A\tcontent/papers/2401/00/2401.00004.md",
        "D\tcontent/papers/2401.00002.md",
        "M\tcontent/papers/2401.00001.md",
    ]
    assert outputs(out) == {"committed": "true", "files": "4"}
    committed = git(repo, env, "ls-tree", "-r", "--name-only", "HEAD").split()
    assert not set(left.values()) & set(committed)
    for kind in ("broken yaml", "unframed", "empty", "wrong name"):  # each named, with its line
        assert re.search(rf"warning: {re.escape(left[kind])}:\d+: .*left unstaged", done.stderr), (kind, done.stderr)
    assert re.search(r"content/papers/2401\.00008\.md:\d+: broken YAML", done.stderr)  # sitegen check's own words
    for kind in ("temp", "temp, sharded", "lock", "hidden md", "notes"):
        assert f"left unstaged (not a snapshot): {left[kind]}" in done.stdout
    assert all(line.count("\n") == 0 for line in done.stderr.splitlines())

    again = run_script(repo, env)  # the junk is still there, and still not committed
    assert again.returncode == 0 and "nothing to commit" in again.stdout


def test_without_sitegen_the_front_matter_frame_is_checked(repo: Path, env):
    """No `sitegen` on PATH (a bare checkout): only whole front matter is required."""
    path = [p for p in env["PATH"].split(os.pathsep) if p and not (Path(p) / "sitegen").exists()]
    env = {**env, "PATH": os.pathsep.join(path)}
    left = junk(repo)
    (repo / "content" / "papers" / "2401.00003.md").write_text(snapshot("2401.00003"))
    done = run_script(repo, env)
    assert done.returncode == 0, done.stderr
    committed = set(git(repo, env, "show", "--name-only", "--format=", "HEAD").split())
    # The frame holds for these two: without the real parse, they pass.
    assert committed == {"content/papers/2401.00003.md", left["broken yaml"], left["wrong name"]}
    assert left["unframed"] in done.stderr and left["empty"] in done.stderr


def test_a_failing_sitegen_check_commits_nothing(repo: Path, env, tmp_path: Path):
    fake = tmp_path / "fakebin"
    fake.mkdir()
    (fake / "sitegen").write_text("#!/bin/sh\necho 'Traceback: boom' >&2\nexit 1\n")
    (fake / "sitegen").chmod(0o755)
    env = {**env, "PATH": f"{fake}{os.pathsep}{env['PATH']}"}
    before = head(repo, env)
    (repo / "content" / "papers" / "2401.00003.md").write_text(snapshot("2401.00003"))
    done = run_script(repo, env)
    assert done.returncode == 1 and "sitegen check failed" in done.stderr
    assert head(repo, env) == before


def test_sitegen_check_names_each_bad_file_and_line(tmp_path: Path):
    good = tmp_path / "2401.00001.md"
    good.write_text(snapshot("2401.00001"))
    broken = tmp_path / "2401.00002.md"
    broken.write_text(snapshot("2401.00002").replace('title: "A paper"', 'title: "A paper'))
    misnamed = tmp_path / "2401.00003.md"
    misnamed.write_text(snapshot("2401.00004"))
    run = [str(BIN / "sitegen"), "check"]
    ok = subprocess.run([*run, str(good)], capture_output=True, text=True)
    assert ok.returncode == 0 and ok.stdout == ""
    bad = subprocess.run([*run, str(good), str(broken), str(misnamed), str(tmp_path / "gone.md")],
                         capture_output=True, text=True)
    assert bad.returncode == 1
    lines = bad.stdout.splitlines()
    assert len(lines) == 3
    assert re.match(rf"{re.escape(str(broken))}:\d+: broken YAML front matter", lines[0])
    assert lines[1].startswith(f"{misnamed}:2: id '2401.00004' belongs in a file named 2401.00004.md")
    assert lines[2].startswith(f"{tmp_path / 'gone.md'}:1: cannot read")


@pytest.mark.parametrize("name", ["-h.md", "--help.md", "-x.md"])
def test_a_file_name_starting_with_a_dash_is_a_file_not_an_option(repo: Path, env, name: str):
    """`sitegen check -h.md` would read the name as an option (here: print help and exit 0):
    every command given file names gets `--` first, so the name is judged as a file (it is
    no id's name, so it stays unstaged) and the good snapshot beside it is committed."""
    papers = repo / "content" / "papers"
    (papers / "2401.00003.md").write_text(snapshot("2401.00003", "Three"))
    (papers / name).write_text(snapshot("2401.00005", "Dashed"))

    done = run_script(repo, env)

    assert done.returncode == 0, done.stderr
    committed = set(git(repo, env, "show", "--name-only", "--format=", "HEAD").split())
    assert committed == {"content/papers/2401.00003.md"}
    assert re.search(rf"warning: content/papers/{re.escape(name)}:2: id '2401.00005' belongs in a file named "
                     r"2401\.00005\.md; .*left unstaged", done.stderr), done.stderr
    assert "usage:" not in done.stdout + done.stderr


def test_sitegen_check_takes_double_dash_before_file_names(tmp_path: Path, monkeypatch):
    dashed = tmp_path / "-h.md"
    dashed.write_text(snapshot("2401.00001"))
    monkeypatch.chdir(tmp_path)
    done = subprocess.run([str(BIN / "sitegen"), "check", "--", "-h.md"], capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stdout.startswith("-h.md:2: id '2401.00001' belongs in a file named 2401.00001.md")


# --- the nightly records (status/), committed with the snapshots -------------------------------

def test_nightly_records_are_committed_with_the_snapshots(repo: Path, env, tmp_path: Path):
    from tests.status_support import night, write_nights

    status = repo / "status"
    write_nights(status, night(datetime(2026, 8, 12).date()))
    git(repo, env, "add", "--all")
    git(repo, env, "commit", "--quiet", "-m", "a night")
    write_nights(status, night(datetime(2026, 8, 13).date(), new=3))  # tonight's
    (status / "2026-08-12.json").unlink()  # pruned by the fetch
    (status / ".2026-08-13.json.k3x_9qzd.tmp").write_text("a killed write's")
    (status / "notes.json").write_text("{}")
    (status / "2026-08-14.json").symlink_to(tmp_path / "elsewhere.json")
    (status / "2026-08-15.json").write_bytes(b" " * 1_000_001)
    (repo / "content" / "papers" / "2401.00003.md").write_text(snapshot("2401.00003"))
    done = run_script(repo, env)
    assert done.returncode == 0, done.stderr
    changed = git(repo, env, "show", "--no-renames", "--name-status", "--format=", "HEAD").split("\n")
    assert sorted(filter(None, changed)) == [
        "A\tcontent/papers/2401.00003.md", "A\tstatus/2026-08-13.json", "D\tstatus/2026-08-12.json"]
    assert "(3 files)" in git(repo, env, "log", "-1", "--format=%s")
    assert "left unstaged (not a nightly record): status/notes.json" in done.stdout
    assert "left unstaged (not a nightly record): status/.2026-08-13.json.k3x_9qzd.tmp" in done.stdout
    assert "left unstaged (a symlink, not a nightly record): status/2026-08-14.json" in done.stdout
    assert "status/2026-08-15.json: over the 1,000,000-byte cap" in done.stderr


def test_a_night_without_papers_still_commits_its_record(repo: Path, env):
    from tests.status_support import night, write_nights

    write_nights(repo / "elsewhere", night(datetime(2026, 8, 15).date()))
    done = run_script(repo, env, "--status", "elsewhere")
    assert done.returncode == 0, done.stderr
    assert git(repo, env, "show", "--name-only", "--format=", "HEAD").split() == ["elsewhere/2026-08-15.json"]
    assert "(1 file)" in git(repo, env, "log", "-1", "--format=%s")
