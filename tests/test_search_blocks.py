"""A month too big for one Pagefind process is indexed in blocks of 1000 ids (search/shards.py)."""

from __future__ import annotations

import gzip
import json
from dataclasses import replace
from pathlib import Path

import pytest
from browser_support import fixture_papers, site_config

from sitegen.arxiv_ids import safe_name
from sitegen.build import build
from sitegen.search import index as search
from sitegen.search import shards
from sitegen.snapshot.format import dump_paper

BIG_MONTH = ["2401.00001", "2401.00002", "2401.01001", "2401.02001", "2401.02002"]


def test_units_split_only_months_above_the_limit(monkeypatch):
    monkeypatch.setattr(shards, "SPLIT_PAGES", 3)
    months = {"2401": BIG_MONTH, "2312": ["2312.00001", "2312.05000"], "0805": ["0805.1234", "0805.1001",
                                                                              "0805.2000", "0805.0001"]}
    assert shards.units(months) == {
        "2401.00": ["2401.00001", "2401.00002"], "2401.01": ["2401.01001"], "2401.02": ["2401.02001", "2401.02002"],
        "2312": ["2312.00001", "2312.05000"],
        "0805.1": ["0805.1234", "0805.1001"], "0805.2": ["0805.2000"], "0805.0": ["0805.0001"]}
    assert shards.newest_first(["2401.00", "2401.02", "2312", "2401.01", "0805.1", "0805.0"]) == \
        ["2401.02", "2401.01", "2401.00", "2312", "0805.1", "0805.0"]
    assert all(shards.is_shard(s) for s in ("2401.02", "0805.1", "2401")) and not shards.is_shard("2401.123")
    assert shards.glob(["2401.01", "2401.02"]) == "papers/{2401.01???,2401.02???}/index.html"
    assert shards.glob(["0805.1"]) == "papers/{0805.1???}/index.html"


def _fragments(out: Path) -> dict[str, str]:
    """{page url: shard} over every shard shards.json lists; a page in two shards fails."""
    found: dict[str, str] = {}
    for name in json.loads((out / "pagefind" / search.SHARDS).read_text())["shards"]:
        for path in (out / "pagefind" / name / "fragment").iterdir():
            url = json.loads(gzip.decompress(path.read_bytes())[len(b"pagefind_dcd"):])["url"]
            assert url not in found, f"{url} is in {found.get(url)} and {name}"
            found[url] = name
    return found


@pytest.fixture
def config(tmp_path, monkeypatch):
    monkeypatch.setattr(shards, "SPLIT_PAGES", 4)
    monkeypatch.setattr(shards, "GROUP_PAGES", 1)  # no joining: a shard per unit
    base = fixture_papers()[2]
    papers = fixture_papers() + [replace(base, id=pid, title=f"Block fixture {pid}") for pid in BIG_MONTH]
    return site_config(tmp_path, "https://example.org/repo/", content=tmp_path / "none", extra_papers=papers,
                       publish_unmatched=True)


@pytest.mark.slow
def test_a_big_month_is_indexed_in_blocks_and_a_new_paper_reindexes_only_its_block(config, monkeypatch):
    build(config)
    out = config.build.output
    listing = json.loads((out / "pagefind" / search.SHARDS).read_text())
    assert listing["shards"] == ["2401.02", "2401.01", "2401.00", "0704"]  # 0704 has 4 pages: whole
    where = _fragments(out)
    assert where == {**{f"/papers/{p}/": p[:7] for p in BIG_MONTH},
                     **{f"/papers/{p.id}/": "0704" for p in fixture_papers()}}
    calls = []
    real = search._index_shard
    monkeypatch.setattr(search, "_index_shard", lambda *a: calls.append(a[3]) or real(*a))
    new = replace(fixture_papers()[2], id="2401.02003", title="A third paper of the newest block")
    path = config.build.content / "papers" / "fixture" / f"{safe_name(new.id)}.md"
    path.write_text(dump_paper(new), encoding="utf-8")
    build(config)
    assert calls == ["2401.02"]
    assert _fragments(out)["/papers/2401.02003/"] == "2401.02"
    # The month falls back under the limit: indexed whole again, the blocks' bundles removed.
    monkeypatch.setattr(shards, "SPLIT_PAGES", 100)
    path.unlink()
    build(config)
    assert json.loads((out / "pagefind" / search.SHARDS).read_text())["shards"] == ["2401", "0704"]
    assert sorted(p.name for p in (out / "pagefind").iterdir()) == ["0704", "2401", search.SHARDS]
    assert set(_fragments(out).values()) == {"2401", "0704"}
