"""The golden test: a small real site built and compared byte for byte with a committed tree.

After an intended change to templates or rendering, regenerate the expected tree with
    SITEGEN_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
and review the diff of tests/golden/expected/ before committing it. On a failure the message
lists the files that differ and shows a unified diff of the first few.
"""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

import pytest

from sitegen.build import build
from sitegen.config.load import load_config

GOLDEN = Path(__file__).resolve().parent / "golden"
SHOWN_FILES, SHOWN_LINES = 3, 40  # a diff of this many files, this many lines each


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _diff(name: str, expected: bytes, actual: bytes) -> str:
    """A unified diff of one file (text), or a line saying two binary files differ."""
    try:
        old, new = expected.decode(), actual.decode()
    except UnicodeDecodeError:
        return f"{name}: binary, {len(expected)} bytes expected, {len(actual)} built"
    lines = list(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                      f"expected/{name}", f"built/{name}", n=2))
    more = f"... {len(lines) - SHOWN_LINES} more diff lines\n" if len(lines) > SHOWN_LINES else ""
    return "".join(lines[:SHOWN_LINES]) + more


def differences(expected: dict[str, bytes], actual: dict[str, bytes]) -> str:
    """What differs between two trees: missing and extra files, then the first files' diffs."""
    missing, extra = sorted(expected.keys() - actual.keys()), sorted(actual.keys() - expected.keys())
    changed = [name for name in sorted(expected.keys() & actual.keys()) if expected[name] != actual[name]]
    if not (missing or extra or changed):
        return ""
    head = [f"{len(changed)} files differ, {len(missing)} missing, {len(extra)} unexpected; "
            "see the module docstring to update"]
    head += [f"  missing: {name}" for name in missing[:10]] + [f"  unexpected: {name}" for name in extra[:10]]
    head += [f"  differs: {name}" for name in changed[:20]]
    diffs = [_diff(name, expected[name], actual[name]) for name in changed[:SHOWN_FILES]]
    return "\n".join(head + diffs)


def test_golden_site_matches_committed_output(tmp_path):
    config = load_config(GOLDEN / "site" / "sitegen.toml")
    if os.environ.get("SITEGEN_UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN / "expected", ignore_errors=True)
        build(config, output_dir=GOLDEN / "expected")
        shutil.rmtree(GOLDEN / ".cache", ignore_errors=True)
    out = tmp_path / "out"
    build(config, output_dir=out)
    found = differences(_tree(GOLDEN / "expected"), _tree(out))
    if found:
        pytest.fail(found, pytrace=False)


def test_a_difference_is_shown_as_a_unified_diff():
    expected = {"a.html": b"<p>one</p>\n<p>two</p>\n", "b.xml": b"x\n", "c.png": b"\x89PNG\xff"}
    actual = {"a.html": b"<p>one</p>\n<p>2</p>\n", "c.png": b"\x89PNG\xfe", "d.txt": b"new\n"}
    shown = differences(expected, actual)
    assert shown.splitlines()[:5] == ["2 files differ, 1 missing, 1 unexpected; see the module docstring to update",
                                      "  missing: b.xml", "  unexpected: d.txt", "  differs: a.html",
                                      "  differs: c.png"]
    assert "--- expected/a.html\n+++ built/a.html\n" in shown and "-<p>two</p>\n+<p>2</p>\n" in shown
    assert "c.png: binary, 5 bytes expected, 5 built" in shown
    assert differences(expected, expected) == ""
