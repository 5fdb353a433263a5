"""The publish workflow's own commands, run in a temporary git clone.

The `run:` scripts of publish.yml's fetch, commit and build steps are taken from the file
and run with bash, as the runner would: fetch against the local replay server, commit to a
bare "origin", build with the base URL configure-pages gives (no trailing slash, a sub-path).
A commit is made only when content/ changed, and the built site works under the sub-path.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO
from tests.fetch_fixtures import serve_defaults
from tests.replay_server import ReplayServer, Reply
from tests.static_server import serve_site
from tests.test_crawl import crawl

# Slow (runs the workflow's commands with git): `pytest -m "not slow"` leaves it out.
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not (shutil.which("git") and shutil.which("bash")), reason="needs git and bash")]

WORKFLOW = REPO / ".github" / "workflows" / "publish.yml"
BIN = Path(sys.executable).parent


def step_script(name: str) -> str:
    steps = yaml.safe_load(WORKFLOW.read_text())["jobs"]["build"]["steps"]
    return next(s["run"] for s in steps if s.get("name") == name)


def git(cwd: Path, *args: str, env: dict) -> str:
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def run_step(name: str, cwd: Path, env: dict, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-e", "-o", "pipefail", "-c", step_script(name)], cwd=cwd,
                          env={**env, **extra}, capture_output=True, text=True, timeout=300)


@pytest.fixture
def clone(tmp_path):
    """A bare origin and a clone of it holding a fork's files, its sources on 127.0.0.1."""
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "GITHUB_", "SITEGEN_"))}
    env.update(HOME=str(home), GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=str(home / ".gitconfig"),
               PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}")
    origin, work = tmp_path / "origin.git", tmp_path / "work"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(origin)], check=True, env=env)
    subprocess.run(["git", "clone", "-q", str(origin), str(work)], check=True, env=env, capture_output=True)
    shutil.copytree(REPO / "templates", work / "templates")
    (work / "scripts").mkdir()
    shutil.copy2(REPO / "scripts" / "commit-content.sh", work / "scripts")
    (work / "content").mkdir()
    (work / "content" / "README.md").write_text("Snapshots live here.\n")
    (work / ".gitignore").write_text("/output/\n/.sitegen-cache/\n")
    with ReplayServer() as server:
        serve_defaults(server)
        server.route("/api/query", Reply(file="arxiv-api/api2026-search-all-transformer-AND-cat-cs.LG-5-entries.xml"),
                     query={"start": "0"})
        (work / "sitegen.toml").write_text(f"""
[site]
title = "Fork Feeds"
base_url = "https://owner.github.io/fork/"

[fetch]
contact = "https://github.com/owner/fork"
days = 1

[sources.arxiv]
api_url = "{server.url}/api/query"
rss_url = "{server.url}/rss/"
list_url = "{server.url}/list/"
min_interval = 0.0

[sources.huggingface]
api_url = "{server.url}/api/daily_papers"
min_interval = 0.0

[[topics]]
slug = "nlp"
title = "Language"
categories = ["cs.CL", "cs.LG"]
""")
        git(work, "add", "-A", env=env)
        git(work, "-c", "user.name=Owner", "-c", "user.email=o@example.org", "commit", "-qm", "fork", env=env)
        git(work, "push", "-q", "origin", "HEAD:main", env=env)
        yield work, origin, env


def test_workflow_commands_commit_only_changes_and_build_under_a_sub_path(clone, tmp_path):
    work, origin, env = clone
    gh = {"GITHUB_REF_NAME": "main", "GITHUB_OUTPUT": str(tmp_path / "out.txt"),
          "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"), "DAYS": "", "SINCE": "", "UNTIL": ""}
    before = git(origin, "rev-list", "--count", "main", env=env)

    fetched = run_step("Fetch new papers", work, env, **gh)
    assert fetched.returncode == 0, fetched.stdout + fetched.stderr
    committed = run_step("Commit content", work, env, **gh)
    assert committed.returncode == 0, committed.stderr
    assert "committed=true" in Path(gh["GITHUB_OUTPUT"]).read_text()
    assert int(git(origin, "rev-list", "--count", "main", env=env)) == int(before) + 1
    log = git(origin, "log", "-1", "--format=%an|%s", "main", env=env)
    assert log.startswith("github-actions[bot]|content: snapshot ")
    files = git(origin, "show", "--name-only", "--format=", "main", env=env).split()
    changed = [p for p in files if p.startswith("content/papers/")]
    (record,) = [p for p in files if not p.startswith("content/papers/")]
    assert changed and record.startswith("status/") and record.endswith(".json"), files  # the night's record

    # The feed's health: one night that brought papers.
    health = run_step("Check the feed's health", work, env, **gh)
    assert health.returncode == 0 and "::error" not in health.stdout, health.stdout + health.stderr
    assert health.stdout.splitlines()[-1].startswith("ok: "), health.stdout

    # The same night again: same answers, so no snapshot changes; the night's record gains
    # the second run (an honest account of every fetch), and that is all the commit holds.
    Path(gh["GITHUB_OUTPUT"]).write_text("")
    assert run_step("Fetch new papers", work, env, **gh).returncode == 0
    again = run_step("Commit content", work, env, **gh)
    assert again.returncode == 0 and "committed=true" in Path(gh["GITHUB_OUTPUT"]).read_text()
    assert git(origin, "show", "--name-only", "--format=", "main", env=env).split() == [record]
    assert int(git(origin, "rev-list", "--count", "main", env=env)) == int(before) + 2

    # Build as the workflow does, with configure-pages' base_url (no trailing slash).
    with serve_site(work / "output", "/fork/") as base:
        built = run_step("Build site", work, env, BASE_URL=base.rstrip("/"))
        assert built.returncode == 0, built.stderr
        assert built.stdout.startswith("Built ")
        seen, broken = crawl(base)
    assert not broken, broken[:5]
    assert sum("/papers/" in u for u in seen) == len(changed)
    canonical = (work / "output" / "index.html").read_text()
    assert f'<link rel="canonical" href="{base}">' in canonical


def test_failed_fetch_is_a_warning_and_commits_what_the_others_gave(clone, tmp_path):
    work, origin, env = clone
    gh = {"GITHUB_REF_NAME": "main", "GITHUB_OUTPUT": str(tmp_path / "out.txt"),
          "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"), "DAYS": "", "SINCE": "", "UNTIL": ""}
    config = work / "sitegen.toml"
    # Hugging Face unreachable: arXiv's papers are still saved, the step warns and succeeds.
    text = config.read_text()
    start = text.index('api_url = "http://127.0.0.1', text.index("[sources.huggingface]"))
    end = text.index("\n", start)
    unreachable = 'api_url = "http://127.0.0.1:9/api/daily_papers"\ntimeout = 0.5\nretries = 0'
    config.write_text(text[:start] + unreachable + text[end:])
    fetched = run_step("Fetch new papers", work, env, **gh)
    assert fetched.returncode == 0, fetched.stderr
    assert "::warning title=sitegen fetch::" in fetched.stdout
    committed = run_step("Commit content", work, env, **gh)
    assert committed.returncode == 0 and "committed=true" in Path(gh["GITHUB_OUTPUT"]).read_text()
