"""The Pagefind search index that `sitegen build` writes to output/pagefind/."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import stat
from dataclasses import replace
from pathlib import Path

import pytest

from browser_support import REPO, fixture_papers, site_config
from sitegen import search
from sitegen.build import build
from sitegen.snapshot import dump_paper, parse_snapshot

pytestmark = pytest.mark.skipif(search.find_pagefind() is None, reason="the pagefind binary is not installed")

SHIPPED_SAMPLE = 40  # shipped snapshots copied next to the fixture papers


def _sample_content(dest: Path) -> Path:
    papers = sorted((REPO / "content" / "papers").rglob("*.md"))[:SHIPPED_SAMPLE]
    for path in papers:
        target = dest / "papers" / path.relative_to(REPO / "content" / "papers")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    (dest / "papers").mkdir(parents=True, exist_ok=True)
    return dest


@pytest.fixture
def config(tmp_path):
    content = _sample_content(tmp_path / "shipped")
    return site_config(tmp_path, "https://example.org/repo/", content=content, extra_papers=fixture_papers())


def _fragments(out: Path) -> dict[str, dict]:
    """{page url: Pagefind's record of it} from the bundle's (gzipped JSON) fragments."""
    found = {}
    for path in (out / "pagefind" / "fragment").iterdir():
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        record = json.loads(data[len(b"pagefind_dcd"):])
        found[record["url"]] = record
    return found


def _entry(out: Path) -> dict:
    return json.loads((out / "pagefind" / search.ENTRY).read_text())


def _stamps(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def _papers(config) -> list[Path]:
    return sorted((config.build.content / "papers").rglob("*.md"))


def test_index_holds_paper_pages_only_with_title_authors_abstract_and_topic(config):
    build(config)
    out = config.build.output
    fragments = _fragments(out)
    n = len(_papers(config))
    assert _entry(out)["languages"]["en"]["page_count"] == n == len(fragments)
    assert all(url.startswith("/papers/") for url in fragments)
    record = fragments["/papers/0704.9992/"]
    assert record["meta"]["title"] == "The most upvoted fixture paper"
    assert record["content"].startswith("The most upvoted fixture paper. Ada Fixture, Grace Example. Many upvotes.")
    for chrome in ("Cite", "BibTeX", "arXiv page", "Announced", "Categories", "Hugging Face", "Skip to content"):
        assert chrome not in record["content"]
    topic_titles = {t.title for t in config.topics}
    assert fragments["/papers/0704.9991/"]["filters"]["topic"] == ["Language Models"]
    assert all(set(r["filters"].get("topic", [])) <= topic_titles for r in fragments.values())
    # A title with math is listed by its TeX, not by MathML flattened to "O(nlogn)".
    assert fragments["/papers/0704.9991/"]["meta"]["title"] == r"Sorting $O(n \log n)$ fixture papers with a language model"


def test_search_page_loads_pagefind_ui_relative_to_itself(config):
    build(config)
    page = (config.build.output / "search" / "index.html").read_text()
    assert '<link rel="stylesheet" href="../pagefind/pagefind-ui.css">' in page
    assert '<script src="../pagefind/pagefind-ui.js" defer></script>' in page
    assert 'src="../static/search.js?v=' in page
    for name in ("pagefind-ui.js", "pagefind-ui.css", "pagefind.js"):
        assert (config.build.output / "pagefind" / name).is_file()


def test_unchanged_rebuild_does_not_run_pagefind(config, monkeypatch):
    build(config)
    before = _stamps(config.build.output / "pagefind")
    monkeypatch.setattr(search, "find_pagefind", lambda: pytest.fail("pagefind ran although nothing changed"))
    build(config)
    assert _stamps(config.build.output / "pagefind") == before


def test_changed_paper_rewrites_only_what_changed(config):
    build(config)
    bundle = config.build.output / "pagefind"
    before = _stamps(bundle)
    path = next(p for p in _papers(config) if p.name == "0704.9993.md")
    paper = parse_snapshot(path.read_text())
    path.write_text(dump_paper(replace(paper, title="A middling fixture paper about zebrafish")))
    build(config)
    after = _stamps(bundle)
    fragments = _fragments(config.build.output)
    assert "zebrafish" in fragments["/papers/0704.9993/"]["content"]
    assert len(fragments) == len(_papers(config))  # the old fragment is gone, none is missing
    kept = [rel for rel in after if rel in before and after[rel] == before[rel]]
    assert "pagefind-ui.js" in kept and "pagefind.js" in kept
    assert sum(1 for rel in after if rel.startswith("fragment/") and rel in kept) == len(fragments) - 1


def test_hidden_paper_leaves_the_index(config):
    build(config)
    path = next(p for p in _papers(config) if p.name == "0704.9992.md")
    path.write_text(dump_paper(replace(parse_snapshot(path.read_text()), hidden=True)))
    build(config)
    fragments = _fragments(config.build.output)
    assert "/papers/0704.9992/" not in fragments
    assert _entry(config.build.output)["languages"]["en"]["page_count"] == len(_papers(config)) - 1


def test_index_is_byte_stable_except_pagefinds_filter_files(config, tmp_path):
    """Same pages, same bundle: the fragments (one per page: nearly all files and bytes), the
    word index and Pagefind's scripts are byte-identical. Pagefind (1.5) writes its filter
    index in hash-map order, so that file, the metadata file naming it and the entry file
    differ between runs (Pagefind/pagefind#638); a build that changed nothing never reruns
    Pagefind, so they churn only when a paper changed anyway."""
    build(config)
    other = replace(config, build=replace(config.build, output=tmp_path / "again", cache=tmp_path / "cache2"))
    build(other)
    a, b = config.build.output / "pagefind", other.build.output / "pagefind"
    unstable = ("filter/", "pagefind.en_", search.ENTRY)
    files = sorted(p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file())
    stable = [f for f in files if not f.startswith(unstable)]
    assert len(stable) >= len(files) - 3
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in stable)
    assert sum(1 for f in stable if f.startswith("fragment/")) == len(_papers(config))


def test_interrupted_indexing_is_redone(config):
    build(config)
    bundle = config.build.output / "pagefind"
    (bundle / search.INCOMPLETE).touch()
    shutil.rmtree(bundle / "fragment")
    result = search.index_site(config.build.output, changed=False)
    assert result.status == "indexed"
    assert not (bundle / search.INCOMPLETE).exists()
    assert len(_fragments(config.build.output)) == len(_papers(config))


def test_missing_binary_is_a_warning_and_a_site_without_search(config, monkeypatch, capsys):
    build(config)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(config.build.output.parent / "no" / "pagefind"))
    (config.build.output / "search" / "index.html").unlink()  # a page changed: index again
    result = build(config)
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("sitegen: warning: search index not built:")
    assert "pip install 'pagefind[bin]'" in err[0] and "search = false" in err[0]
    assert result.papers > 0 and (config.build.output / "search" / "index.html").is_file()
    assert not (config.build.output / "pagefind").exists()  # no stale index left behind


def test_failing_binary_is_a_warning_naming_its_message(config, monkeypatch, capsys, tmp_path):
    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh\necho 'Error: something inside pagefind broke' >&2\nexit 3\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))
    build(config)
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "something inside pagefind broke" in err[0]
    assert not (config.build.output / "pagefind").exists()


def test_search_off_in_config_removes_the_bundle(config):
    build(config)
    assert (config.build.output / "pagefind").is_dir()
    build(replace(config, build=replace(config.build, search=False)))
    assert [p for p in (config.build.output / "pagefind").rglob("*") if p.is_file()] == []
    page = (config.build.output / "search" / "index.html").read_text()
    assert "pagefind" not in page and "built without a search index" in page


def test_cli_build_reports_no_warning_when_pagefind_works(config, capsys):
    build(config)
    assert capsys.readouterr().err == ""


def test_paper_page_marks_what_pagefind_reads(config):
    build(config)
    page = (config.build.output / "papers" / "0704.9991" / "index.html").read_text()
    assert page.count("data-pagefind-body") == 1
    assert page.count("data-pagefind-ignore") == 3  # facts, links, BibTeX
    assert 'data-pagefind-filter="topic">Language Models</a>' in page
    assert os.path.getsize(config.build.output / "papers" / "0704.9992" / "index.html") < 4096


# --- paper pages: the links a reader needs (not search, but built and checked alongside) -------

def test_paper_links_include_an_html_view(tmp_path):
    base = fixture_papers()[2]
    papers = [
        replace(base, id="2401.00001", links={"abs": "https://arxiv.org/abs/2401.00001", "pdf": "https://arxiv.org/pdf/2401.00001v1",
                                              "code": "https://github.com/example/code"}),
        replace(base, id="2402.00002", links={"abs": "https://arxiv.org/abs/2402.00002",
                                              "html": "https://arxiv.org/html/2402.00002v3"}),
        replace(base, id="0704.9992"),
    ]
    config = site_config(tmp_path, "https://example.org/repo/", content=tmp_path / "empty", extra_papers=papers,
                         search=False)
    build(config)

    def links(pid):
        page = (config.build.output / "papers" / pid / "index.html").read_text()
        block = page[page.index('<p class="links"'):]
        return block[:block.index("</p>")]

    new = links("2401.00001")
    assert '<a href="https://arxiv.org/html/2401.00001">HTML</a>' in new  # arXiv's own HTML view
    assert '<a href="https://github.com/example/code">Code</a>' in new
    assert '<a href="https://huggingface.co/papers/2401.00001">Hugging Face</a>' in new
    assert '<a href="https://arxiv.org/pdf/2401.00001v1">PDF</a>' in new
    assert links("2402.00002").count("arxiv.org/html/") == 1  # the snapshot's own link wins
    assert "https://arxiv.org/html/2402.00002v3" in links("2402.00002")
    assert '<a href="https://ar5iv.labs.arxiv.org/html/0704.9992">HTML (ar5iv)</a>' in links("0704.9992")
    page = (config.build.output / "papers" / "2401.00001" / "index.html").read_text()
    for name in ("citation_title", "citation_author", "citation_publication_date", "citation_arxiv_id",
                 "citation_pdf_url"):
        assert f'<meta name="{name}" content="' in page
    assert "▲ 50 on Hugging Face" in page
