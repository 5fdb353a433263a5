"""The search index is byte-stable: Pagefind's filter files come out in hash-map order, which
changes from run to run; sitegen.search.stable_filters sorts them (the search itself, with
its topic and author filters, is exercised in Chromium by tests/test_browser.py)."""

from __future__ import annotations

import gzip
import json
import subprocess
from dataclasses import replace
from importlib import metadata
from pathlib import Path

import cbor2
import pytest
from browser_support import site_config

from sitegen.build import build
from sitegen.search import index as search
from sitegen.search import stable_filters

# Slow (runs Pagefind twice): `pytest -m "not slow"` leaves it out.
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(search.find_pagefind() is None, reason="the pagefind binary is not installed")]


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _data(path: Path):
    return cbor2.loads(gzip.decompress(path.read_bytes())[len(stable_filters.SIGNATURE):])


def test_two_cold_builds_write_the_same_index(tmp_path):
    # The shipped papers: hundreds of author names, so an unsorted filter file would differ.
    first = site_config(tmp_path / "a", "https://example.org/repo/")
    other = tmp_path / "b"
    second = replace(first, build=replace(first.build, output=other / "output", cache=other / "cache"))
    build(first)
    build(second)
    one, two = _tree(first.build.output / "pagefind"), _tree(second.build.output / "pagefind")
    assert any(rel.endswith(".pf_filter") for rel in one)
    assert one == two

    for entry in (first.build.output / "pagefind").glob("*/pagefind-entry.json"):
        bundle = entry.parent
        for language in json.loads(entry.read_text())["languages"].values():
            meta = _data(bundle / f"pagefind.{language['hash']}.pf_meta")
            names = [name for name, _ in meta[3]]
            assert names == sorted(names) and set(names) <= {"author", "topic"}
            for _, file_hash in meta[3]:
                name, values = _data(bundle / "filter" / f"{file_hash}.pf_filter")
                assert [v for v, _ in values] == sorted(v for v, _ in values), name
                assert all(pages == sorted(pages) for _, pages in values)


def _odd_bundle(folder: Path, version: str) -> Path:
    (folder / "filter").mkdir(parents=True)
    entry = {"version": version, "languages": {"en": {"hash": "en_0123456789"}}}
    (folder / "pagefind-entry.json").write_text(json.dumps(entry))
    (folder / "pagefind.en_0123456789.pf_meta").write_bytes(gzip.compress(b"another format"))
    (folder / "filter" / "en_abcdef0.pf_filter").write_bytes(b"x")
    return folder


def test_a_bundle_it_cannot_read_is_left_as_pagefind_wrote_it(tmp_path, capsys):
    bundle = _odd_bundle(tmp_path / "bundle", stable_filters.PAGEFIND_VERSION)
    before = _tree(bundle)
    stable_filters.stabilise(bundle)
    assert _tree(bundle) == before
    assert capsys.readouterr().err == ""


def test_a_bundle_from_another_pagefind_is_left_alone_with_one_warning(tmp_path, capsys):
    for name in ("one", "two"):  # two shards of one build: one line
        bundle = _odd_bundle(tmp_path / name, "9.0.1")
        before = _tree(bundle)
        stable_filters.stabilise(bundle)
        assert _tree(bundle) == before
    assert capsys.readouterr().err == (
        f"sitegen: warning: the search index was written by Pagefind 9.0.1, and sitegen puts in order the files "
        f"of Pagefind {stable_filters.PAGEFIND_VERSION}: search works, but its filter files change on every build; "
        f"install pagefind[bin]=={stable_filters.PAGEFIND_VERSION} (`pip install -e .` does) or point "
        "PAGEFIND_BINARY_PATH at that version\n")


def test_the_pinned_pagefind_is_the_one_stable_filters_reads():
    pyproject = (Path(__file__).resolve().parent.parent / "pyproject.toml").read_text()
    pinned = stable_filters.PAGEFIND_VERSION
    assert f'"pagefind[bin]=={pinned}"' in pyproject and f'"pagefind-bin=={pinned}"' in pyproject
    assert metadata.version("pagefind-bin") == pinned  # what `pip install -e .` installed
    done = subprocess.run([str(search.find_pagefind()), "--version"], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["pagefind", pinned]

