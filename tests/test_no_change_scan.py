"""The no-change rebuild stats the pages, not the search bundle (as many files again)."""

from __future__ import annotations

from browser_support import fixture_papers, site_config

from sitegen.build import writer
from sitegen.build.pipeline import build
from sitegen.build.stamps import stamps


def test_stamps_skip_only_top_level_folders_of_that_name(tmp_path):
    for rel in ("pagefind/a.js", "pagefind/sub/b", "papers/pagefind/c.html", "index.html"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(rel)
    found = {p[len(str(tmp_path)) + 1:] for p in stamps(tmp_path, skip=("pagefind",))}
    assert found == {"papers/pagefind/c.html", "index.html"}
    assert set(writer.scan_tree(tmp_path, skip=("pagefind",))) == found
    assert len(stamps(tmp_path)) == 4


def test_no_change_rebuild_with_search_never_scans_the_bundle(tmp_path, monkeypatch):
    config = site_config(tmp_path, "https://example.org/repo/", content=tmp_path / "none",
                         extra_papers=fixture_papers(), publish_unmatched=True)
    build(config)
    scanned = []
    real = writer.scan_tree

    def scan(folder, skip=()):
        scanned.append((folder, skip))
        return real(folder, skip)

    monkeypatch.setattr(writer, "scan_tree", scan)
    assert build(config).written == 0
    out = config.build.output
    assert scanned == [(out.resolve(), ("pagefind",))]
    # A change takes the full path, with the bundle's files known as before (none foreign, none lost).
    (out / "index.html").unlink()
    scanned.clear()
    result = build(config)
    assert result.written == 1 and result.removed == 0
    assert scanned[1] == (out.resolve() / "pagefind", ())
    assert any(rel.startswith("pagefind/") for rel in real(out))
