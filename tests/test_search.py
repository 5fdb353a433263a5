"""The Pagefind search index that `sitegen build` writes to output/pagefind/, one bundle per id month."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import stat
import time
from dataclasses import replace
from pathlib import Path

import pytest
from browser_support import REPO, fixture_papers, site_config

from sitegen.arxiv_ids import safe_name
from sitegen.build import build
from sitegen.search import index as search
from sitegen.site.load import load_entries
from sitegen.snapshot.format import dump_paper, parse_snapshot

# Slow (runs Pagefind on built sites): `pytest -m "not slow"` leaves it out.
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(search.find_pagefind() is None, reason="the pagefind binary is not installed")]

SHIPPED_SAMPLE = 40  # shipped snapshots copied next to the fixture papers


def _sample_content(dest: Path) -> Path:
    papers = sorted((REPO / "content" / "papers").rglob("*.md"))[:SHIPPED_SAMPLE]
    for path in papers:
        target = dest / "papers" / path.relative_to(REPO / "content" / "papers")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    (dest / "papers").mkdir(parents=True, exist_ok=True)
    return dest


@pytest.fixture(autouse=True)
def one_month_per_shard(monkeypatch):
    """Most tests here are about shards as such: a shard per id month (no joining)."""
    from sitegen.search import shards as search_shards

    monkeypatch.setattr(search_shards, "GROUP_PAGES", 1)


@pytest.fixture
def config(tmp_path):
    content = _sample_content(tmp_path / "shipped")
    # These tests are about shards, so every copied paper is published, on a topic or not
    # (test_papers_on_no_topic_are_not_indexed checks the default).
    return site_config(tmp_path, "https://example.org/repo/", content=content, extra_papers=fixture_papers(),
                       publish_unmatched=True)


def _shards(out: Path) -> list[str]:
    return json.loads((out / "pagefind" / search.SHARDS).read_text())["shards"]


def _fragments(out: Path, shard: str | None = None) -> dict[str, dict]:
    """{page url: Pagefind's record of it} from the (gzipped JSON) fragments of one or all shards."""
    found = {}
    for name in [shard] if shard else _shards(out):
        for path in (out / "pagefind" / name / "fragment").iterdir():
            data = gzip.decompress(path.read_bytes())
            assert data.startswith(b"pagefind_dcd")
            record = json.loads(data[len(b"pagefind_dcd"):])
            assert record["url"] not in found  # a page is in one shard only
            found[record["url"]] = record
    return found


def _entry(out: Path, shard: str) -> dict:
    return json.loads((out / "pagefind" / shard / search.ENTRY).read_text())


def _pages(out: Path, shard: str) -> int:
    return _entry(out, shard)["languages"]["en"]["page_count"]


def _stamps(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def _papers(config) -> list[Path]:
    return sorted((config.build.content / "papers").rglob("*.md"))


def _month(pid: str) -> str:
    return pid.split("/")[-1][:4]


def _ids(config) -> list[str]:
    return [parse_snapshot(p.read_text()).id for p in _papers(config)]


def _edit(config, name: str, **changes) -> None:
    path = next(p for p in _papers(config) if p.name == name)
    path.write_text(dump_paper(replace(parse_snapshot(path.read_text()), **changes)))


def test_index_holds_paper_pages_only_with_title_authors_abstract_and_topic(config):
    build(config)
    out = config.build.output
    fragments = _fragments(out)
    n = len(_papers(config))
    assert sum(_pages(out, s) for s in _shards(out)) == n == len(fragments)
    assert all(url.startswith("/papers/") for url in fragments)
    record = fragments["/papers/0704.9992/"]
    assert record["meta"]["title"] == "The most upvoted fixture paper"
    assert record["content"].startswith("The most upvoted fixture paper. Ada Fixture, Grace Example. Many upvotes "
                                        "for a language model.")
    for chrome in ("Cite", "BibTeX", "arXiv page", "Announced", "Categories", "Hugging Face", "Skip to content"):
        assert chrome not in record["content"]
    topic_slugs = {t.slug for t in config.topics}  # the filter holds slugs: ?topic=language-models
    assert fragments["/papers/0704.9991/"]["filters"]["topic"] == ["language-models"]
    assert fragments["/papers/0704.9991/"]["filters"]["author"] == ["Ada Fixture", "Grace Example"]
    assert all(set(r["filters"].get("topic", [])) <= topic_slugs for r in fragments.values())
    # A title with math is listed as text read from its TeX (as in <title> and feeds), not by
    # MathML flattened to "O(nlogn)" nor as TeX.
    assert (fragments["/papers/0704.9991/"]["meta"]["title"]
            == "Sorting O(n log n) fixture papers with a language model")


def test_papers_on_no_topic_are_not_indexed(config):
    config = replace(config, build=replace(config.build, publish_unmatched=False))
    build(config)
    fragments = _fragments(config.build.output)
    on_topic = {f"/papers/{e.slug}/" for e in load_entries(config) if e.topics}
    assert set(fragments) == on_topic and "/papers/0704.9992/" in on_topic
    assert len(on_topic) < len(_papers(config))  # the shipped sample holds papers on no topic


def test_one_shard_per_id_month_listed_newest_first(config, tmp_path):
    old = replace(fixture_papers()[3], id="hep-th/9711200", title="An old-style fixture paper")
    config = site_config(tmp_path / "old", "https://example.org/repo/", content=config.build.content,
                         extra_papers=fixture_papers() + [old], publish_unmatched=True)
    build(config)
    out = config.build.output
    months = {_month(pid) for pid in _ids(config)}
    assert len(months) >= 5 and "0704" in months and "9711" in months
    assert _shards(out) == sorted(months, key=lambda m: (int(m[:2]) < 91, m), reverse=True)
    assert _shards(out)[-1] == "9711"  # 1997 is older than every new-style (2007 on) month
    assert sorted(p.name for p in (out / "pagefind").iterdir()) == sorted(months) + [search.SHARDS]
    for shard in _shards(out):
        urls = set(_fragments(out, shard))
        assert urls == {f"/papers/{safe_name(pid)}/" for pid in _ids(config) if _month(pid) == shard}
        assert _pages(out, shard) == len(urls) > 0  # what a Node-free check can say: each bundle lists its pages
    assert "/papers/hep-th_9711200/" in _fragments(out, "9711")
    # Only the newest bundle carries Pagefind's scripts: the others are merged into it.
    newest, *others = _shards(out)
    for name in ("pagefind-ui.js", "pagefind-ui.css", "pagefind.js", "pagefind-worker.js", "wasm.en.pagefind"):
        assert (out / "pagefind" / newest / name).is_file()
        assert not any((out / "pagefind" / s / name).exists() for s in others)
    for shard in others:
        assert {p.name for p in (out / "pagefind" / shard).iterdir() if p.is_file()} == {
            search.ENTRY, next(p.name for p in (out / "pagefind" / shard).glob("*.pf_meta"))}


def test_shards_json_is_deterministic(config, tmp_path):
    build(config)
    other = replace(config, build=replace(config.build, output=tmp_path / "again", cache=tmp_path / "cache2"))
    build(other)
    a = (config.build.output / "pagefind" / search.SHARDS).read_bytes()
    assert a == (other.build.output / "pagefind" / search.SHARDS).read_bytes()
    listing = json.loads(a)
    assert listing["shards"] == _shards(config.build.output) and a.endswith(b"]\n }\n}\n")
    assert listing["months"] == {s: [s] for s in listing["shards"]}  # one month a shard here


def test_search_page_loads_the_newest_bundle_and_merges_the_others(config):
    build(config)
    out = config.build.output
    page = (out / "search" / "index.html").read_text()
    assert '<div id="search" class="search-ui" data-bundles="../pagefind/">' in page
    assert 'src="../static/search.js?v=' in page
    assert "pagefind-ui.js" not in page  # no Pagefind UI: search.js shows the results itself
    # A plain GET form that works as a link target (?q=, ?topic=), with every topic to choose.
    assert '<form class="search-form" role="search" action="./" method="get">' in page
    assert '<input type="search" name="q"' in page
    assert all(f'<option value="{t.slug}">{t.title}</option>' in page for t in config.topics)
    assert 'class="find"' not in page  # the header's search box is left off the search page
    js = (out / "static" / "search.js").read_text()
    # Bundle paths are built from the page's own URL, so a sub-path (/repo/) is kept.
    assert 'new URL(box.getAttribute("data-bundles")' in js and "window.location.href).pathname" in js
    assert 'fetch(base + "shards.json"' in js
    # The newest bundle is the primary index; every other one is merged into it, all at once.
    assert 'import(bundles[0] + "pagefind.js")' in js
    assert "Promise.all(bundles.slice(1).map(function (path) {" in js and "pagefind.mergeIndex(path, {" in js
    assert js.count("ranking: RANKING") == 2  # the same ranking everywhere
    assert len(_shards(out)) > 1


def test_unchanged_rebuild_does_not_run_pagefind(config, monkeypatch):
    build(config)
    before = _stamps(config.build.output / "pagefind")
    monkeypatch.setattr(search, "find_pagefind", lambda: pytest.fail("pagefind ran although nothing changed"))
    build(config)
    assert _stamps(config.build.output / "pagefind") == before


def test_changed_paper_reindexes_only_its_shard(config, monkeypatch):
    build(config)
    out = config.build.output
    bundle = out / "pagefind"
    before = _stamps(bundle)
    calls = []
    real = search._index_shard
    monkeypatch.setattr(search, "_index_shard", lambda *a: calls.append(a[3]) or real(*a))
    _edit(config, "0704.9993.md", title="A middling fixture paper about zebrafish")
    build(config)
    assert calls == ["0704"]
    after = _stamps(bundle)
    fragments = _fragments(out, "0704")
    assert "zebrafish" in fragments["/papers/0704.9993/"]["content"]
    assert len(fragments) == 4  # the old fragment is gone, none is missing
    # Every other shard's files are untouched (same mtimes), and so is shards.json.
    assert {r: t for r, t in after.items() if not r.startswith("0704/")} == \
        {r: t for r, t in before.items() if not r.startswith("0704/")}
    kept = [rel for rel in after if rel.startswith("0704/fragment/") and before.get(rel) == after[rel]]
    assert len(kept) == len(fragments) - 1


def test_new_month_becomes_the_newest_bundle(config):
    build(config)
    out = config.build.output
    old_newest = _shards(out)[0]
    paper = replace(fixture_papers()[3], id="2701.00001", title="A paper from the future")
    path = config.build.content / "papers" / "fixture" / "2701.00001.md"
    path.write_text(dump_paper(paper))
    result_shards = _shards(out)
    build(config)
    assert _shards(out) == ["2701"] + result_shards
    assert (out / "pagefind" / "2701" / "pagefind-ui.js").is_file()
    assert not (out / "pagefind" / old_newest / "pagefind-ui.js").exists()  # lends its UI no more
    assert set(_fragments(out, old_newest))  # but keeps its index
    path.unlink()
    build(config)
    assert _shards(out) == result_shards and not (out / "pagefind" / "2701").exists()
    assert (out / "pagefind" / old_newest / "pagefind-ui.js").is_file()  # the newest again: re-indexed


def test_removing_every_paper_of_a_month_removes_its_shard(config):
    build(config)
    out = config.build.output
    assert "0704" in _shards(out)
    for p in _papers(config):
        if p.name.startswith("0704."):
            _edit(config, p.name, hidden=True)
    build(config)
    assert "0704" not in _shards(out) and not (out / "pagefind" / "0704").exists()
    assert not any(url.startswith("/papers/0704.") for url in _fragments(out))


def test_hidden_paper_leaves_the_index(config):
    build(config)
    _edit(config, "0704.9992.md", hidden=True)
    build(config)
    fragments = _fragments(config.build.output)
    assert "/papers/0704.9992/" not in fragments
    assert _pages(config.build.output, "0704") == 3
    assert len(fragments) == len(_papers(config)) - 1


def test_index_is_byte_stable_except_pagefinds_filter_files(config, tmp_path):
    """Same pages, same bundles: the fragments (one per page: nearly all files and bytes), the
    word index and Pagefind's scripts are byte-identical. Pagefind (1.5) writes its filter
    index in hash-map order, so that file, the metadata file naming it and the entry file
    differ between runs (Pagefind/pagefind#638); a build that changed nothing never reruns
    Pagefind, so they churn only when a paper of that shard changed anyway."""
    build(config)
    other = replace(config, build=replace(config.build, output=tmp_path / "again", cache=tmp_path / "cache2"))
    build(other)
    a, b = config.build.output / "pagefind", other.build.output / "pagefind"
    files = sorted(p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file())
    unstable = ("/filter/", "/pagefind.en_", "/" + search.ENTRY)
    stable = [f for f in files if not any(u in "/" + f for u in unstable)]
    # per shard: a filter file for each of the two filters (topic, author), the metadata, the entry
    assert len(stable) >= len(files) - 4 * len(_shards(config.build.output))
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in stable)
    assert sum(1 for f in stable if "/fragment/" in f) == len(_papers(config))


def test_interrupted_indexing_is_redone(config):
    build(config)
    out = config.build.output
    bundle = out / "pagefind" / "0704"
    (bundle / search.INCOMPLETE).touch()
    shutil.rmtree(bundle / "fragment")
    before = _stamps(out / "pagefind")
    result = search.index_site(out, [])
    assert result.status == "indexed" and result.shards == ("0704",)
    assert not (bundle / search.INCOMPLETE).exists()
    assert len(_fragments(out, "0704")) == 4
    after = _stamps(out / "pagefind")
    assert all(after[r] == t for r, t in before.items() if not r.startswith("0704/"))
    assert search.index_site(out, []).status == "skipped"


def test_bundles_of_another_pagefind_version_are_reindexed(config, monkeypatch):
    build(config)
    out = config.build.output
    stale = _shards(out)[-1]
    entry = _entry(out, stale)
    (out / "pagefind" / stale / search.ENTRY).write_text(json.dumps({**entry, "version": "0.0.1"}))
    _edit(config, "0704.9993.md", title="A middling fixture paper, edited")
    calls = []
    real = search._index_shard
    monkeypatch.setattr(search, "_index_shard", lambda *a: calls.append(a[3]) or real(*a))
    build(config)
    assert sorted(calls) == sorted({"0704", stale})
    assert _entry(out, stale)["version"] == entry["version"]


def test_shards_index_two_at_a_time_within_the_page_budget(monkeypatch, tmp_path):
    running, peak, seen = [], [], []
    counts = {"2401": 6000, "2402": 5000, "2403": 300, "2404": 200, "2405": 100}

    def fake(exe, out_dir, root, shard, months, primary):
        running.append(shard)
        peak.append((len(running), sum(counts[s] for s in running)))
        time.sleep(0.05)
        running.remove(shard)
        seen.append((shard, primary))
        return 1, 0

    monkeypatch.setattr(search, "_index_shard", fake)
    groups = {s: [s] for s in counts}
    assert search._index(Path("pagefind"), tmp_path, tmp_path, list(counts), counts, "2405", groups) == (5, 0)
    assert sorted(seen) == [(s, s == "2405") for s in sorted(counts)]
    assert max(n for n, _ in peak) == 2
    assert all(n == 1 or pages <= search.PAGE_BUDGET for n, pages in peak)


def test_leftovers_of_the_single_bundle_are_removed(config):
    # In an output folder sitegen built (it refuses one it did not), with a change to index.
    build(config)
    _edit(config, _papers(config)[0].name, title="A changed title")
    out = config.build.output
    (out / "pagefind" / "fragment").mkdir(parents=True)
    (out / "pagefind" / "fragment" / "old.pf_fragment").write_bytes(b"x")
    (out / "pagefind" / search.ENTRY).write_text("{}")
    (out / "pagefind" / "pagefind-ui.js").write_text("")
    build(config)
    assert sorted(p.name for p in (out / "pagefind").iterdir()) == sorted(_shards(out) + [search.SHARDS])


def test_a_paper_folder_without_its_page_makes_no_shard(config):
    build(config)
    out = config.build.output
    (out / "papers" / "2799.00001").mkdir()  # not left so by a build, but no reason to fail
    (out / search.RECORDS / "papers" / "2799.00001").mkdir()
    result = search.index_site(out, [f"{search.RECORDS}/papers/2799.00001/index.html"])
    assert result.status == "indexed" and "2799" not in _shards(out) and not (out / "pagefind" / "2799").exists()


def test_shard_of_a_paper_page():
    from sitegen.search import shards
    assert shards.page_shard("papers/2311.02077/index.html") == "2311"
    assert shards.page_shard("papers/0704.0001/index.html") == "0704"
    assert shards.page_shard("papers/hep-th_9711200/index.html") == "9711"
    assert shards.page_shard("papers/math.AG_0601001/index.html") == "0601"
    for rel in ("papers/2311.02077/other.html", "topics/x/index.html", "papers/index.html", "papers/junk/index.html"):
        assert shards.page_shard(rel) is None
    assert shards.newest_first(["9711", "0703", "2311", "0704", "9108", "2401"]) == \
        ["2401", "2311", "0704", "0703", "9711", "9108"]
    assert shards.glob(["2311"]) == "papers/{2311.*,*_2311???}/index.html"


def test_missing_binary_is_a_warning_and_a_site_without_search(config, monkeypatch, capsys):
    build(config)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(config.build.output.parent / "no" / "pagefind"))
    _edit(config, "0704.9993.md", title="A middling fixture paper, edited")  # a paper changed: index again
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
    assert not (config.build.output / "pagefind").exists()  # not even an empty folder
    page = (config.build.output / "search" / "index.html").read_text()
    assert "pagefind" not in page and "built without a search index" in page


def test_cli_build_reports_no_warning_when_pagefind_works(config, capsys):
    build(config)
    assert capsys.readouterr().err == ""


def test_search_reads_a_record_not_the_published_page(config):
    build(config)
    out = config.build.output
    page = (out / "papers" / "0704.9991" / "index.html").read_text()
    assert "pagefind" not in page  # no search markup on what is published
    assert '<nav aria-label="Site" data-find="author">' in page  # site.js links the authors
    record = (out / search.RECORDS / "papers" / "0704.9991" / "index.html").read_text()
    assert record.count("data-pagefind-body") == 1
    assert '<span data-pagefind-filter="topic">language-models</span>' in record
    # Authors are a filter (results list them; an author link, made by site.js, filters by
    # one) and weigh more than the abstract; the announcement day is the result's date.
    assert '<meta name="citation_author" content="Ada Fixture" data-pagefind-filter="author[content]">' in record
    assert '<p data-pagefind-weight="6">Ada Fixture, Grace Example</p>' in record
    assert 'data-pagefind-meta="date:2007-04-09"' in record
    found = next(r for url, r in _fragments(out).items() if url.endswith("/0704.9991/"))
    assert found["url"].endswith("/papers/0704.9991/")  # results lead to the page, not the record
    assert found["filters"]["author"] == ["Ada Fixture", "Grace Example"]
    assert found["filters"]["topic"] == ["language-models"]
    assert found["meta"]["date"] == "2007-04-09"
    # title, authors and abstract: not the facts, links, related papers or BibTeX
    assert "BibTeX" not in found["content"] and "arXiv page" not in found["content"]
    assert found["content"].startswith("A fixture") or "Ada Fixture" in found["content"]
    assert os.path.getsize(out / "papers" / "0704.9992" / "index.html") < 4096


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
                         search=False, publish_unmatched=True)
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
    assert "▲ 50 upvotes" in page


def test_sparse_months_are_joined_into_shards_of_bounded_size(monkeypatch):
    from sitegen.search import shards as search_shards

    monkeypatch.setattr(search_shards, "GROUP_PAGES", 10)
    months = {"9711": 2, "0601": 3, "2001": 4, "2002": 9, "2003": 1, "2004": 6}
    assert search_shards.coalesce(months) == {"9711": ["9711", "0601", "2001"], "2002": ["2002", "2003"],
                                              "2004": ["2004"]}
    # new papers land in the newest month, which stands alone: no other shard changes
    assert search_shards.coalesce({**months, "2004": 70}) == search_shards.coalesce(months)
    # a new month starts its own shard; the month before may then join its neighbours
    assert search_shards.coalesce({**months, "2005": 1}) == {
        "9711": ["9711", "0601", "2001"], "2002": ["2002"], "2003": ["2003", "2004"], "2005": ["2005"]}
    # pages leaving the oldest months ([build] max_site_mb) move no boundary but the oldest
    assert search_shards.coalesce({m: n for m, n in months.items() if m != "9711"}) == {
        "0601": ["0601", "2001"], "2002": ["2002", "2003"], "2004": ["2004"]}
    # the 1000-id blocks of a big month join by number (two to a shard of 2000), whatever their counts
    monkeypatch.setattr(search_shards, "GROUP_PAGES", 2000)
    blocks = {"2503.00": 900, "2503.01": 1000, "2503.02": 1000, "2504.00": 1000, "2504.01": 500, "2505": 30}
    expected = {"2503.00": ["2503.00", "2503.01"], "2503.02": ["2503.02"], "2504.00": ["2504.00", "2504.01"],
                "2505": ["2505"]}
    assert search_shards.coalesce(blocks) == expected == search_shards.coalesce({**blocks, "2503.00": 40})
    assert search_shards.glob(["2002", "2003"]) == "papers/{2002.*,*_2002???,2003.*,*_2003???}/index.html"


def test_shipped_like_sparse_site_gets_one_shard_and_months_are_recorded(config, monkeypatch):
    from sitegen.search import shards as search_shards

    monkeypatch.setattr(search_shards, "GROUP_PAGES", 2000)
    build(config)
    listing = json.loads((config.build.output / "pagefind" / "shards.json").read_text())
    assert len(listing["shards"]) == 2  # everything before the newest month, and that month
    months = listing["months"][listing["shards"][1]]
    assert months == sorted(months, key=lambda m: (int(m[:2]) < 91, m)) and len(months) >= 5
    assert listing["months"][listing["shards"][0]] == [listing["shards"][0]]


def test_a_pagefind_that_fails_is_not_called_missing(config, monkeypatch, capsys, tmp_path):
    """A Pagefind that is installed and fails (here: a panic, as `lang="en\\" x"` made) is
    reported with its panic line, not its trailing RUST_BACKTRACE note, and without advice to
    install Pagefind."""
    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh\necho \"thread 'main' panicked at src/fossick.rs:12:5:\" >&2\n"
                    "echo 'called Option::unwrap() on a None value' >&2\n"
                    "echo 'note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace' >&2\n"
                    "exit 101\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))
    build(config)
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert "Pagefind failed on the pages of shard" in err[0] and "exit status 101" in err[0]
    assert "thread 'main' panicked at src/fossick.rs:12:5:" in err[0]
    assert "pip install" not in err[0] and "RUST_BACKTRACE" not in err[0]
    assert "built without search" in err[0]
