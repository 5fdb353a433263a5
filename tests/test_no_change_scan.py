"""The no-change rebuild stats the files the last build wrote; it never walks output/ (at 125k
papers that is 143k folders, and the search bundle's as many files again)."""

from __future__ import annotations

from browser_support import fixture_papers, site_config

from sitegen.build import build
from sitegen.write import writer


def test_no_change_rebuild_with_search_never_walks_the_output(tmp_path, monkeypatch):
    config = site_config(tmp_path, "https://example.org/repo/", content=tmp_path / "none",
                         extra_papers=fixture_papers(), publish_unmatched=True)
    build(config)
    walked = []
    real = writer.scan_tree

    def scan(folder):
        walked.append(folder)
        return real(folder)

    monkeypatch.setattr(writer, "scan_tree", scan)
    out = config.build.output
    (out / "CNAME").write_text("example.org\n")  # someone else's file: not sitegen's to check
    assert build(config).written == 0 and walked == []
    # A page changed by hand takes the full path, which walks output/ as before and repairs it.
    page = out / "papers" / "0704.9992" / "index.html"
    good = page.read_bytes()
    page.write_bytes(good.replace(b"upvoted", b"UPVOTED"))
    result = build(config)
    assert result.written == 1 and walked == [out.resolve()] and page.read_bytes() == good
    assert (out / "CNAME").read_text() == "example.org\n"
