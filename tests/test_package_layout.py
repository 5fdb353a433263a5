"""The package keeps every file when a forker adds it to a repository or lints it: no folder or
file under sitegen/ has a name that GitHub's stock Python .gitignore or ruff's default excludes
leave out (`sitegen/build/` was: 4,200 lines a fork lost without a word)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "sitegen"

# The patterns of GitHub's Python.gitignore (github/gitignore, Python.gitignore, commit 3d94ab1,
# and the older env/, .idea/ and *,cover of earlier versions) that can match a name inside a
# package; the comments and the patterns for files no package holds (.env, .venv) aside.
GITIGNORE_PYTHON = """
__pycache__/
*.py[cod]
*$py.class
*.so
.Python
build/
develop-eggs/
dist/
downloads/
eggs/
.eggs/
lib/
lib64/
parts/
sdist/
var/
wheels/
share/python-wheels/
*.egg-info/
.installed.cfg
*.egg
MANIFEST
*.manifest
*.spec
pip-log.txt
pip-delete-this-directory.txt
htmlcov/
.tox/
.nox/
.coverage
.coverage.*
.cache
nosetests.xml
coverage.xml
*.cover
*.py,cover
*,cover
.hypothesis/
.pytest_cache/
cover/
*.mo
*.pot
*.log
local_settings.py
db.sqlite3
db.sqlite3-journal
instance/
.webassets-cache
.scrapy
docs/_build/
.pybuilder/
target/
.ipynb_checkpoints
profile_default/
ipython_config.py
.pdm.toml
.pdm-python
.pdm-build/
__pypackages__/
celerybeat-schedule
celerybeat.pid
*.sage.py
.env
.venv
env/
venv/
ENV/
env.bak/
venv.bak/
.spyderproject
.spyproject
.ropeproject
/site
.mypy_cache/
.dmypy.json
dmypy.json
.pyre/
.pytype/
cython_debug/
.idea/
.abstra/
.ruff_cache/
.pypirc
.cursorignore
.cursorindexingignore
"""


def _package_paths() -> list[str]:
    """Every folder and file of the package as `sitegen/...`, bytecode caches aside (Python
    makes them; a folder that holds nothing but one, left by a rename, is no package folder)."""
    paths = []
    for path in sorted(PACKAGE.rglob("*")):
        rel = path.relative_to(PACKAGE.parent)
        if "__pycache__" in rel.parts:
            continue
        if path.is_dir() and not any(p.is_file() and "__pycache__" not in p.parts for p in path.rglob("*")):
            continue
        paths.append(rel.as_posix() + ("/" if path.is_dir() else ""))
    return paths


@pytest.mark.parametrize("ignorecase", ["false", "true"])  # true: git's default on macOS and Windows
def test_no_name_in_the_package_is_one_the_python_gitignore_leaves_out(tmp_path, ignorecase):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "fork"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / ".gitignore").write_text(GITIGNORE_PYTHON)
    paths = _package_paths()
    assert "sitegen/site/" in paths and "sitegen/render/outputs/base.py" in paths
    # check-ignore matches paths by name: nothing need exist in the fork for it to answer.
    done = subprocess.run(["git", "-C", str(repo), "-c", f"core.ignorecase={ignorecase}", "check-ignore",
                           "--no-index", "--verbose", "--stdin"], input="\n".join(paths), capture_output=True,
                          text=True)
    assert done.returncode == 1, f"GitHub's Python .gitignore leaves these out of a fork:\n{done.stdout}"


def test_ruff_lints_every_module_of_the_package():
    """ruff's default excludes (build, dist, site-packages, ...) skip a folder by name."""
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--show-files", str(PACKAGE)],
                          capture_output=True, text=True, check=True)
    linted = {Path(line).resolve() for line in done.stdout.split()}
    modules = {p.resolve() for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts}
    assert modules - linted == set()
