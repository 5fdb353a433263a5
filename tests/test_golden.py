"""The golden test: a small real site built and compared byte for byte with a committed tree.

After an intended change to templates or rendering, regenerate the expected tree with
    SITEGEN_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
and review the diff of tests/golden/expected/ before committing it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from sitegen.build import build
from sitegen.config.load import load_config

GOLDEN = Path(__file__).resolve().parent / "golden"


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_golden_site_matches_committed_output(tmp_path):
    config = load_config(GOLDEN / "site" / "sitegen.toml")
    if os.environ.get("SITEGEN_UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN / "expected", ignore_errors=True)
        build(config, output_dir=GOLDEN / "expected")
        shutil.rmtree(GOLDEN / ".cache", ignore_errors=True)
    out = tmp_path / "out"
    build(config, output_dir=out)
    expected, actual = _tree(GOLDEN / "expected"), _tree(out)
    assert sorted(actual) == sorted(expected), "file lists differ; see the module docstring to update"
    for name in expected:
        assert actual[name] == expected[name], f"{name} differs; see the module docstring to update"
