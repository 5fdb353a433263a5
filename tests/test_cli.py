"""The command line: help for every option, README kept in step, clean errors."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import sitegen.build
from sitegen.cli import main, make_parser
from tests.conftest import REPO


def _build(site, capsys, *args: str) -> tuple[int, str]:
    code = main(["build", "--config", str(site.config_path), *args])
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err, err
    return code, err


def _options():
    parser = make_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, command in sub.choices.items():
        for action in command._actions:
            for flag in action.option_strings:
                if flag not in ("-h", "--help"):
                    yield name, flag, action.help


@pytest.mark.parametrize("command, flag, help_text", list(_options()))
def test_every_option_has_help_and_is_in_the_readme(command, flag, help_text):
    assert help_text and len(help_text) > 10
    readme = (REPO / "README.md").read_text()
    usage = re.search(rf"^sitegen {command} .*$", readme, re.M)
    assert usage and flag in usage.group(0), f"README's usage line for {command} lacks {flag}"
    assert f"`{command} {flag}" in readme or f"`{flag}" in readme, f"README does not explain {flag}"


def test_python_m_sitegen_and_help():
    out = subprocess.run([sys.executable, "-m", "sitegen", "build", "--help"], capture_output=True, text=True,
                         check=True).stdout
    for flag in ("--config", "--output", "--base-url", "--jobs"):
        assert flag in out
    assert "usage: sitegen" in subprocess.run([sys.executable, "-m", "sitegen", "--help"],
                                              capture_output=True, text=True).stdout


def test_readme_starts_with_the_two_fresh_machine_commands():
    readme = (REPO / "README.md").read_text()
    blocks = re.findall(r"```sh\n(.*?)```", readme, re.S)
    assert "pip install -e . && .venv/bin/sitegen build" in blocks[0]
    assert ".venv/bin/python -m pytest" in blocks[1]
    ci = (REPO / ".ci" / "run").read_text()
    test_command = [line for line in blocks[1].splitlines() if not line.startswith("#")][0]
    assert test_command in ci


def test_usage_errors_exit_2(capsys, tmp_path):
    with pytest.raises(SystemExit) as info:
        main(["build", "--jobs", "0"])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        main(["fetch", "--since", "yesterday"])
    assert info.value.code == 2
    assert "not a date in the form YYYY-MM-DD" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["fetch", "--days", "3", "--since", "2026-01-01"])


def test_until_without_since_is_a_usage_error(capsys, tmp_path):
    config = tmp_path / "sitegen.toml"
    config.write_text('[site]\ntitle = "t"\nbase_url = "https://x.org/"\n')
    assert main(["fetch", "--config", str(config), "--until", "2026-01-01"]) == 2
    assert "--until needs --since" in capsys.readouterr().err


def test_an_internal_error_is_one_line_with_the_traceback_in_a_file(sample_site, capsys, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("boom\nsecond line")

    monkeypatch.setattr(sitegen.build, "build_site", broken)
    status, err = _build(sample_site, capsys)
    assert status == 1
    assert err.startswith("sitegen build: internal error: ValueError: boom second line; the full traceback is in ")
    assert err.endswith("; please report it")
    path = Path(err.split("the full traceback is in ")[1].split(";")[0])
    try:
        text = path.read_text()
        assert "Traceback (most recent call last)" in text and "ValueError: boom" in text and "broken" in text
    finally:
        path.unlink()


def test_keyboard_interrupt_stays_exit_130(sample_site, capsys, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(sitegen.build, "build_site", interrupted)
    assert _build(sample_site, capsys) == (130, "sitegen build: interrupted")
