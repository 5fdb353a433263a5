"""A file that cannot be written (disk full, read-only, no permission) is one line naming it,
exit 1, and output/ is left as it was.

Disk full and read-only output are simulated: the tests run as root, where permission bits
stop no write, so the OSError (ENOSPC, EROFS, EACCES) is raised at the write itself by
monkeypatching the low-level writer (output._write, os.replace, atomic_write).
"""

from __future__ import annotations

import errno
import os
from datetime import date
from pathlib import Path

import pytest

import sitegen.atomic
import sitegen.site.load
import sitegen.write.manifest
import sitegen.write.marker
from sitegen.cli import main
from sitegen.search import index as search
from sitegen.write import writer as output
from tests.conftest import make_paper


def _tree(folder: Path) -> dict[str, tuple | None]:
    """Files with bytes and stamps, and the folders: a failed build must change none of them
    (a folder's own mtime moves with every temp file made and removed in it)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_dir():
            found[path.relative_to(folder).as_posix()] = None
        else:
            st = path.stat()
            found[path.relative_to(folder).as_posix()] = (path.read_bytes(), st.st_mtime_ns, st.st_ctime_ns)
    return found


def _build(site, capsys, *args: str) -> tuple[int, str]:
    code = main(["build", "--config", str(site.config_path), *args])
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err, err
    return code, err


def _oserror(code: int, path: str = "") -> OSError:
    return OSError(code, os.strerror(code), *([path] if path else []))


def _change(site) -> None:
    """A new paper (new files, so a new marker too) and a changed one."""
    site.add(make_paper("2311.00009", announced=date(2023, 11, 6)))
    site.add(make_paper("2311.00001", title="Vision Transformers Revisited Again", announced=date(2023, 11, 3)))


@pytest.mark.slow
@pytest.mark.parametrize("code, words", [
    (errno.ENOSPC, "No space left on device); free some disk space"),
    (errno.EROFS, "Read-only file system); the file system is read-only: make it writable"),
    (errno.EACCES, "Permission denied); make it writable for you"),
])
def test_a_failed_page_write_is_one_line_and_output_is_left_as_it_was(sample_site, capsys, monkeypatch, code, words):
    sample_site.build()
    _change(sample_site)
    before = _tree(sample_site.output)
    writes = []

    def write(path, data):
        writes.append(path)
        if len(writes) == 3:  # some pages staged already: they must go
            raise _oserror(code)
        with open(path, "wb") as f:
            f.write(data)

    monkeypatch.setattr(sitegen.write.writer, "_write", write)
    status, err = _build(sample_site, capsys)
    assert status == 1
    assert f"{writes[2]}: cannot write (" in err and words in err and "build again" in err
    assert _tree(sample_site.output) == before


def test_a_failed_first_build_leaves_no_output_folder(site_dir, capsys, monkeypatch):
    site_dir.add(make_paper())
    monkeypatch.setattr(sitegen.write.writer, "_write",
                        lambda path, data: (_ for _ in ()).throw(_oserror(errno.ENOSPC)))
    assert _build(site_dir, capsys)[0] == 1
    assert not site_dir.output.exists()


def test_a_failed_rename_puts_back_the_pages_already_swapped_in(sample_site, capsys, monkeypatch):
    sample_site.build()
    _change(sample_site)
    before = _tree(sample_site.output)
    real, renames = os.replace, []

    def replace(src, dst):
        if str(src).endswith(output.TMP_SUFFIX):
            renames.append(dst)
            if len(renames) == 4:
                raise _oserror(errno.EROFS, str(src))
        return real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    status, err = _build(sample_site, capsys)
    assert status == 1 and f"{renames[3]}: cannot write (Read-only file system)" in err
    monkeypatch.undo()
    after = _tree(sample_site.output)
    # Same files and bytes; a page put back has a new ctime (it was linked and renamed).
    assert {k: v and v[0] for k, v in after.items()} == {k: v and v[0] for k, v in before.items()}


@pytest.mark.slow
@pytest.mark.parametrize("name, words", [
    (output.MARKER, ".sitegen-output: cannot write (No space left on device)"),
    ("manifest-", "cannot write (No space left on device); free some disk space, or set build.cache"),
    ("entries-", "cannot write (No space left on device); free some disk space, or set build.cache"),
])
def test_a_failed_marker_manifest_or_cache_write_is_one_line(sample_site, capsys, monkeypatch, name, words):
    sample_site.build()
    _change(sample_site)
    before = _tree(sample_site.output)
    real = sitegen.atomic.atomic_write

    def atomic_write(path, data, durable=False):
        if Path(path).name.startswith(name):
            raise _oserror(errno.ENOSPC)
        return real(path, data, durable)

    for module in (sitegen.write.marker, sitegen.write.manifest, sitegen.site.load):
        monkeypatch.setattr(module, "atomic_write", atomic_write)
    status, err = _build(sample_site, capsys)
    assert status == 1 and words in err, err
    if name != "manifest-":  # the manifest is written last, after the new site is in place
        assert _tree(sample_site.output) == before
    monkeypatch.undo()
    assert _build(sample_site, capsys)[0] == 0  # and the next build repairs everything


@pytest.mark.skipif(search.find_pagefind() is None, reason="the pagefind binary is not installed")
def test_a_failed_search_index_write_is_one_line(sample_site, capsys, monkeypatch):
    sample_site.config_path.write_text(sample_site.config_path.read_text().replace("search = false", "search = true"))

    def write_if_changed(path, data):
        raise _oserror(errno.ENOSPC, str(path))

    monkeypatch.setattr(output, "write_if_changed", write_if_changed)
    status, err = _build(sample_site, capsys)
    assert status == 1 and "pagefind/shards.json: cannot write (No space left on device)" in err
