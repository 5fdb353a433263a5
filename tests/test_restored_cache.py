"""The nightly workflow's incremental build: output/ and .sitegen-cache/ come back from
actions/cache (a `tar --posix` archive: mtimes kept, every ctime new) into a fresh checkout
(every snapshot has a new mtime). The build must then re-render only what changed, and write
exactly what a cold build of the same content writes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date

import pytest

import sitegen.render.staging
import sitegen.site.load
from tests.conftest import SiteDir, make_paper

# Slow (builds, packs and restores caches): `pytest -m "not slow"` leaves it out.
pytestmark = [pytest.mark.slow, pytest.mark.skipif(shutil.which("tar") is None, reason="needs tar")]


def _restore_like_actions_cache(site: SiteDir) -> None:
    """Archive output/ and the cache as actions/cache does, remove them, check the project
    out again and extract the archive: what a workflow run sees after its restore step."""
    archive = site.root.parent / f"{site.root.name}-cache.tar"
    subprocess.run(["tar", "--posix", "-cf", str(archive), "-C", str(site.root), "output", ".sitegen-cache"],
                   check=True)
    shutil.rmtree(site.output)
    shutil.rmtree(site.root / ".sitegen-cache")
    for path in (site.root / "content").rglob("*.md"):  # a fresh checkout: same bytes, new files
        data = path.read_bytes()
        path.unlink()
        path.write_bytes(data)
    subprocess.run(["tar", "-xf", str(archive), "-C", str(site.root)], check=True)
    archive.unlink()


def _count_renders(monkeypatch) -> list[str]:
    rendered: list[str] = []
    real = sitegen.render.staging.render_page

    def counting(spec, site, renderer):
        rendered.append(spec.path)
        return real(spec, site, renderer)

    monkeypatch.setattr(sitegen.render.staging, "render_page", counting)
    return rendered


def _count_parses(monkeypatch) -> list[str]:
    parsed: list[str] = []
    real = sitegen.site.load._load_one

    def counting(item):
        parsed.append(item[0])
        return real(item)

    monkeypatch.setattr(sitegen.site.load, "_load_one", counting)
    return parsed


def test_a_restored_cache_makes_the_nightly_build_incremental(sample_site, tmp_path, monkeypatch):
    sample_site.build(workers=1)
    cold_pages = len(sample_site.tree())
    _restore_like_actions_cache(sample_site)
    rendered, parsed = _count_renders(monkeypatch), _count_parses(monkeypatch)
    again = sample_site.build(workers=1)
    # Nothing changed: no snapshot parsed again (their bytes are the cached entries'), no page
    # rendered (each file is the one the last build wrote), nothing written.
    assert (parsed, rendered, again.written, again.removed) == ([], [], 0, 0)

    # The night brings one paper: it is parsed, and only the pages that show it are rendered.
    # Its id is the day's highest, as a new paper's is: a lower one would also move the feed
    # times of the day's papers above it (sitegen.render.outputs.feeds.listing_ranks).
    sample_site.add(make_paper("2311.03003", title="Sparse Mixtures for Scenes", announced=date(2023, 11, 6)))
    _restore_like_actions_cache(sample_site)
    night = sample_site.build(workers=1)
    assert [os.path.basename(p) for p in parsed] == ["2311.03003.md"]
    assert "papers/2311.03003/index.html" in rendered
    assert 0 < len(rendered) < cold_pages / 2 and night.written > 0

    # ...and output/ is byte for byte what a cold build of the same snapshots makes.
    cold = SiteDir(tmp_path / "cold", sample_site.config_path.read_text())
    shutil.copytree(sample_site.root / "content", cold.root / "content", dirs_exist_ok=True)
    cold.build(workers=1)
    assert sample_site.tree() == cold.tree()


def test_a_page_changed_under_a_restored_cache_is_rendered_again(sample_site, monkeypatch):
    """Only a file with the recorded mtime and size counts as the last build's: one that was
    replaced (any write moves its mtime) is rendered and written again."""
    sample_site.build(workers=1)
    page = sample_site.output / "papers" / "2311.00001" / "index.html"
    good = page.read_bytes()
    _restore_like_actions_cache(sample_site)
    page.write_bytes(good.replace(b"Vision", b"Vizion"))
    rendered = _count_renders(monkeypatch)
    result = sample_site.build(workers=1)
    assert rendered == ["papers/2311.00001/index.html"] and result.written == 1
    assert page.read_bytes() == good


def test_a_snapshot_edited_under_a_restored_cache_is_parsed_again(sample_site, monkeypatch):
    sample_site.build(workers=1)
    _restore_like_actions_cache(sample_site)
    sample_site.add(make_paper("2311.00001", title="Vision Transformers Revisited, Again",
                               announced=date(2023, 11, 3), extras={}))
    parsed = _count_parses(monkeypatch)
    sample_site.build(workers=1)
    assert [os.path.basename(p) for p in parsed] == ["2311.00001.md"]
    assert "Revisited, Again" in (sample_site.output / "papers/2311.00001/index.html").read_text()



def test_a_relative_config_path_finds_the_same_parse_cache(sample_site, monkeypatch):
    """The parse cache is keyed by snapshot paths; a build run as `--config sitegen.toml` from
    the project and one given the absolute path must not parse everything again."""
    from sitegen.build import build
    from sitegen.config.load import load_config

    sample_site.build(workers=1)
    (sample_site.output / "index.html").unlink()  # not a no-change build: it loads the snapshots
    monkeypatch.chdir(sample_site.root)
    parsed = _count_parses(monkeypatch)
    build(load_config("sitegen.toml"), workers=1)
    assert parsed == []
