"""Related papers: similar earlier papers on each paper page, stable once built."""

from __future__ import annotations

import os
import shutil
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from browser_support import REPO, site_config

from sitegen.arxiv_ids import safe_name
from sitegen.build import build
from sitegen.site import related
from sitegen.site.load import load_entries
from sitegen.snapshot.format import dump_paper, parse_snapshot


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    config = site_config(tmp_path_factory.mktemp("shipped"), "https://example.org/repo/", search=False)
    return sorted(load_entries(config), key=lambda e: (e.paper.announced, e.paper.id))


def test_each_list_depends_only_on_earlier_papers(shipped):
    """The lists of the first half are the same whether the second half exists or not."""
    whole = related.related_papers(shipped, None)
    half = related.related_papers(shipped[:len(shipped) // 2], None)
    assert half and all(whole[slug] == listed for slug, listed in half.items())
    position = {e.slug: i for i, e in enumerate(shipped)}
    for slug, listed in whole.items():
        assert all(position[r.slug] < position[slug] for r in listed)  # earlier papers only


def test_most_papers_get_at_least_three(shipped):
    whole = related.related_papers(shipped, None)
    later = shipped[len(shipped) // 4:]
    assert sum(len(whole[e.slug]) >= 3 for e in later) >= 0.9 * len(later)
    assert all(len(v) <= related.COUNT for v in whole.values())
    assert whole[shipped[0].slug] == ()  # the first paper has nothing before it


def test_similar_papers_are_found(shipped):
    """Papers on one subject find each other: the group-testing papers list group-testing papers."""
    whole = related.related_papers(shipped, None)
    group = [e for e in shipped if "group testing" in e.paper.title.lower()]
    assert len(group) >= 4
    for e in group[1:]:
        assert any("group testing" in r.paper.title.lower() for r in whole[e.slug])
    assert "group testing" in whole[group[2].slug][0].paper.title.lower()  # the closest first


def test_cache_gives_the_same_lists_and_follows_edits(shipped, tmp_path):
    plain = related.related_papers(shipped, None)
    assert related.related_papers(shipped, tmp_path) == plain  # cold, cache written
    assert (tmp_path / related.CACHE_FILE).is_file()
    assert related.related_papers(shipped, tmp_path) == plain  # all from the cache
    # An old paper changes its words: the lists after it are computed again, and match a cold run.
    from sitegen.site.load import make_entry

    old = shipped[10]
    edited = make_entry(replace(old.paper, abstract="Group testing with pooled samples, group testing again."),
                        old.file, "edited", ())
    changed = shipped[:10] + [edited] + shipped[11:]
    assert related.related_papers(changed, tmp_path) == related.related_papers(changed, None)


def test_terms_ignore_stop_words_tex_and_plurals():
    words = related.terms_of("Models of the $\\alpha$ model", "We use \\mathcal{N} models.")
    assert len(words) == 4 and words == related.terms_of("model", "")  # "model" only, once
    assert related.terms_of("", "") == b""


def _paper_pages(out: Path) -> dict[str, bytes]:
    return {p.parent.name: p.read_bytes() for p in (out / "papers").glob("*/index.html")}


def _all_files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


@pytest.mark.slow
def test_a_new_paper_rewrites_no_old_page_and_incremental_equals_cold(tmp_path):
    """Build N papers cold, add one (the next night's), build again; then build the N+1 cold
    elsewhere: same bytes everywhere, and no older paper page was rewritten."""
    sources = sorted((REPO / "content" / "papers").rglob("*.md"))[:80]
    content = tmp_path / "content"
    for path in sources:
        target = content / "papers" / path.relative_to(REPO / "content" / "papers")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    papers = [parse_snapshot(p.read_text()) for p in sources]
    newest = max(papers, key=lambda p: (p.announced, p.id))
    incremental = site_config(tmp_path / "inc", "https://example.org/repo/", content=content, search=False)
    build(incremental)
    out = incremental.build.output
    before = _paper_pages(out)
    stamps = {name: os.stat(out / "papers" / name / "index.html").st_mtime_ns for name in before}
    # Tonight's paper: like the newest one, a day later, so it has similar papers to find.
    new = replace(newest, id="2699.00001", announced=newest.announced + timedelta(days=1),
                  title=newest.title + " revisited")
    (content / "papers" / "new").mkdir(parents=True)
    (content / "papers" / "new" / f"{safe_name(new.id)}.md").write_text(dump_paper(new))
    incremental = site_config(tmp_path / "inc", "https://example.org/repo/", content=content, search=False)
    build(incremental)
    after = _paper_pages(out)
    assert set(after) == set(before) | {"2699.00001"}
    assert all(after[name] == page for name, page in before.items())
    assert all(os.stat(out / "papers" / name / "index.html").st_mtime_ns == stamps[name] for name in before)
    page = after["2699.00001"].decode()
    listed = page[page.index('<section class="related"'):page.index("</section>", page.index('class="related"'))]
    assert listed.count("<li>") >= 3 and f"papers/{safe_name(newest.id)}/" in listed
    cold = site_config(tmp_path / "cold", "https://example.org/repo/", content=content, search=False)
    build(cold)
    assert _all_files(cold.build.output) == _all_files(out)
