"""[build] max_site_mb: the oldest days' paper and day pages leave the site, whole days, oldest
first; what stays links to arXiv instead; the cut comes from the input alone."""

from __future__ import annotations

import gzip
import math
import re
import shutil
from dataclasses import replace
from datetime import date, timedelta

import pytest

from sitegen.config.load import parse_config
from sitegen.errors import ConfigError
from sitegen.render.outputs import registry as outputs
from sitegen.site import retention, size_model
from sitegen.site.load import load_entries, scan_snapshots
from sitegen.site.model import build_site
from sitegen.write import writer
from tests.conftest import REPO, SiteDir, busy_day_papers, make_paper
from tests.site_checks import file_for, internal_targets

pytestmark = pytest.mark.slow  # builds under size limits, cold and incremental

CONFIG = """\
[site]
title = "Retention Feeds"
base_url = "https://owner.github.io/repo/"
feed_days = 1
feed_items = 3
per_page = 4

[build]
templates = "{templates}"
search = false
max_site_mb = {limit}

[[topics]]
slug = "llm"
title = "Language Models"
keywords = ["language model"]
"""
FIRST = date(2024, 3, 4)  # a Monday
DAYS = [FIRST + timedelta(days=i) for i in range(10) if (FIRST + timedelta(days=i)).weekday() < 5]  # 8 days
PER_DAY = 6


def _site(root, limit: float) -> SiteDir:
    site = SiteDir(root, CONFIG.format(templates=REPO / "templates", limit=limit))
    for day in DAYS:  # busy_day_papers numbers each day from 1: one id range per day here
        for paper, pid in zip(busy_day_papers(PER_DAY, day), _ids(day), strict=True):
            site.add(replace(paper, id=pid, links={"abs": f"https://arxiv.org/abs/{pid}"}))
    return site


def _model(site: SiteDir):
    config = site.load()
    return build_site(config, load_entries(config, 1, scan_snapshots(config)))


def _limit_keeping(site: SiteDir, kept: int) -> float:
    """A limit (MB) that the estimate fits with the newest `kept` days and not with one more."""
    model = _model(site)
    estimate = size_model.estimate(model, outputs.weigh(model))
    costs = [c.bytes for c in estimate.days]
    fits = estimate.fixed + sum(costs[:kept]) + costs[kept] // 2
    return fits / retention.MB


def _set_limit(site: SiteDir, limit: float) -> None:
    text = site.config_path.read_text()
    site.config_path.write_text(re.sub(r"max_site_mb = \S+", f"max_site_mb = {limit}", text))


@pytest.fixture
def limited(tmp_path):
    """The site built under a limit that keeps its newest three days."""
    site = _site(tmp_path / "site", 0)
    _set_limit(site, _limit_keeping(site, 3))
    return site, site.build()


def _ids(day: date) -> list[str]:
    return [f"2403.{DAYS.index(day)}{i:04d}" for i in range(1, PER_DAY + 1)]


def test_oldest_days_leave_whole_newest_stay(limited):
    site, _ = limited
    out = site.output
    kept, gone = DAYS[-3:], DAYS[:-3]
    for day in kept:
        assert (out / f"days/{day}/index.html").exists()
        assert all((out / f"papers/{pid}/index.html").exists() for pid in _ids(day))
    for day in gone:
        assert not (out / f"days/{day}").exists()
        assert not any((out / f"papers/{pid}").exists() for pid in _ids(day))
    oldest = (out / f"days/{kept[0]}/index.html").read_text()
    assert 'rel="prev"' not in oldest  # no link back to a retired day
    days = (out / "days/index.html").read_text()
    assert f"days/{gone[-1]}/" not in days and f"{len(gone)} days from" in days
    sitemap = (out / "sitemap.xml").read_text()
    assert f"papers/{_ids(gone[-1])[0]}/" not in sitemap and f"papers/{_ids(kept[0])[0]}/" in sitemap


def test_archive_cards_of_retired_papers_link_to_arxiv(limited):
    site, _ = limited
    out = site.output
    pages = "".join(p.read_text() for p in (out / "topics").rglob("index.html"))
    for pid in _ids(DAYS[0]):
        assert f'href="https://arxiv.org/abs/{pid}"' in pages
        assert f"papers/{pid}/" not in pages
    assert f"papers/{_ids(DAYS[-1])[0]}/" in pages  # a kept paper still links to its page
    # A kept paper's related earlier papers whose pages left link to arXiv too.
    oldest_kept = (out / f"papers/{_ids(DAYS[-3])[0]}/index.html").read_text()
    related = oldest_kept[oldest_kept.index('id="related-h"'):]
    assert f'href="https://arxiv.org/abs/{_ids(DAYS[-4])[-1]}"' in related


def test_no_link_leads_to_a_missing_page(limited):
    site, _ = limited
    base = "https://owner.github.io/repo/"
    broken = [(page, url) for page, urls in internal_targets(site.output, base).items() for url in urls
              if not (target := file_for(url, site.output, base)) or not target.exists()]
    assert broken == []
    local = re.compile(r"(?:<loc>|<link>|href=\")(" + re.escape(base) + r"[^<\"]*)")
    for xml in ("sitemap.xml", "rss.xml", "atom.xml", "topics/llm/atom.xml"):
        for url in local.findall((site.output / xml).read_text()):
            target = file_for(url, site.output, base)
            assert target is not None and target.exists(), (xml, url)


def test_warning_says_what_left_with_numbers(limited):
    site, result = limited
    (line,) = [w for w in result.warnings if "max_site_mb" in w]
    # what Pages publishes: the hidden ownership marker is not counted (writer.is_published)
    size = sum(p.stat().st_size for p in site.output.rglob("*")
               if p.is_file() and writer.is_published(p.relative_to(site.output).as_posix()))
    limit = float(re.search(r"max_site_mb = (\S+)", site.config_path.read_text())[1])
    assert size <= limit * retention.MB
    assert line == (f"output/ is {size / retention.MB:.1f} MB of the {limit:.1f} MB limit ([build] max_site_mb); "
                    f"5 days ({DAYS[0]}..{DAYS[4]}) of paper pages, {5 * PER_DAY} papers, have left the site "
                    "(content/ keeps them; topic pages list them, linking to arXiv)")
    assert "\n" not in line


def _assert_cold_build_writes_the_same(site) -> None:
    """Build incrementally, then again from nothing: the two output trees are the same."""
    site.build()
    incremental = site.tree()
    shutil.rmtree(site.output)
    shutil.rmtree(site.root / ".sitegen-cache")
    site.build()
    assert site.tree() == incremental


def test_cold_and_incremental_builds_write_the_same_bytes(tmp_path):
    site = _site(tmp_path / "site", 0)
    site.build()  # the whole site first: the limited build must prune what it wrote
    _set_limit(site, _limit_keeping(site, 3))
    _assert_cold_build_writes_the_same(site)
    # A new day: the incremental build moves the cut as a cold build of the same content does.
    site.add(make_paper("2403.99999", title="A Language Model Day", announced=DAYS[-1] + timedelta(days=3),
                        categories=("cs.CL",), abstract="A language model. " * 40, extras={}))
    _assert_cold_build_writes_the_same(site)
    assert not (site.output / f"days/{DAYS[0]}").exists()


def test_near_the_limit_warns_before_anything_leaves(tmp_path):
    site = _site(tmp_path / "site", 0)
    model = _model(site)
    estimate = size_model.estimate(model, outputs.weigh(model)).total
    _set_limit(site, math.ceil(estimate / 1000) / 1000)  # the estimate fits; the real size is > 80%
    result = site.build()
    (line,) = [w for w in result.warnings if "max_site_mb" in w]
    assert "once it is reached, the oldest days' paper pages leave the site" in line
    assert all((site.output / f"days/{day}/index.html").exists() for day in DAYS)
    _set_limit(site, 0)  # no limit: no warning, every page
    assert not [w for w in site.build().warnings if "max_site_mb" in w]


def test_the_newest_day_stays_even_over_the_limit(tmp_path):
    site = _site(tmp_path / "site", 0.01)
    result = site.build()
    assert sorted(p.name for p in (site.output / "days").iterdir() if p.is_dir()) == [str(DAYS[-1])]
    (line,) = [w for w in result.warnings if "max_site_mb" in w]
    assert "over the 0.0 MB limit" in line and "7 days" in line


def test_size_estimate_is_close_to_a_real_build(tmp_path):
    """The model leans high but not far: within -5%..+35% of what a build writes."""
    site = _site(tmp_path / "site", 0)
    site.build()
    model = _model(site)
    estimate = size_model.estimate(model, outputs.weigh(model)).total
    # what Pages publishes: the hidden ownership marker is not counted (writer.is_published)
    size = sum(p.stat().st_size for p in site.output.rglob("*")
               if p.is_file() and writer.is_published(p.relative_to(site.output).as_posix()))
    assert 0.95 * size <= estimate <= 1.35 * size


def test_golden_site_keeps_every_page_under_the_default():
    from sitegen.config.load import load_config

    config = load_config(REPO / "tests" / "golden" / "site" / "sitegen.toml")
    assert config.build.max_site_mb == 950
    site = build_site(config, load_entries(config, 1, scan_snapshots(config)))
    kept, estimate = retention.retire_oldest_days(site, outputs.weigh)
    # Nothing leaves: the very site weighed, so what outputs memoised weighing it serves the pages.
    assert kept is site and not kept.retired and not kept.retired_days and estimate > 0


@pytest.mark.parametrize("value, message", [("-1", "must be a number in 0..1,000,000"), ('"1 GB"', "must be a number")])
def test_max_site_mb_is_validated(value, message):
    text = '[site]\ntitle = "T"\nbase_url = "https://example.org/"\n[build]\nmax_site_mb = ' + value + "\n"
    with pytest.raises(ConfigError, match=re.escape("build.max_site_mb")) as exc:
        parse_config(text)
    assert message in str(exc.value)
    assert parse_config(text.replace(value, "0")).build.max_site_mb == 0


def test_feed_items_of_retired_papers_link_to_arxiv(tmp_path):
    site = _site(tmp_path / "site", 0)
    site.config_path.write_text(site.config_path.read_text().replace("feed_items = 3", "feed_items = 40"))
    _set_limit(site, _limit_keeping(site, 3))
    site.build()
    atom = (site.output / "topics/llm/atom.xml").read_text()
    retired = _ids(DAYS[2])[0]  # the 40 newest papers reach back to DAYS[1]
    assert f'<link href="https://arxiv.org/abs/{retired}"/>' in atom
    assert f"papers/{retired}/" not in atom
    assert f'<link href="https://owner.github.io/repo/papers/{_ids(DAYS[-1])[0]}/"/>' in atom


def test_search_index_holds_only_pages_on_the_site(tmp_path):
    pytest.importorskip("pagefind")
    site = _site(tmp_path / "site", 0)
    site.config_path.write_text(site.config_path.read_text().replace("search = false", "search = true"))
    site.build()  # every page indexed first: the limited build must take the retired ones out
    _set_limit(site, _limit_keeping(site, 3))
    site.build()
    fragments = b"".join(gzip.decompress(p.read_bytes()) for p in (site.output / "pagefind").rglob("*.pf_fragment"))
    assert f"papers/{_ids(DAYS[-1])[0]}/".encode() in fragments
    assert not any(f"papers/{pid}/".encode() in fragments for day in DAYS[:-3] for pid in _ids(day))


def test_pages_rewritten_only_for_a_retired_link_are_not_indexed_again(tmp_path, monkeypatch):
    """Retiring a day rewrites the pages whose related papers link there (now to arXiv); what
    Pagefind reads of them did not change, so their shards are not indexed again for it: at 125k
    papers that was every shard, every night."""
    import sitegen.build
    from sitegen.search import index as search

    if search.find_pagefind() is None:
        pytest.skip("the pagefind binary is not installed")
    site = _site(tmp_path / "site", 0)
    site.config_path.write_text(site.config_path.read_text().replace("search = false", "search = true"))
    site.build()
    before = {p: p.read_bytes() for p in (site.output / "papers").rglob("index.html")}
    changed_seen: list[list[str]] = []
    real = search.index_site

    def spy(out_dir, changed=()):
        changed_seen.append(list(changed))
        return real(out_dir, changed)

    monkeypatch.setattr(sitegen.build.search_index, "index_site", spy)
    _set_limit(site, _limit_keeping(site, 3))
    site.build()
    rewritten = {p.relative_to(site.output).as_posix() for p, data in before.items()
                 if p.exists() and p.read_bytes() != data}
    assert rewritten, "some kept paper lists a retired one among its related papers"
    (changed,) = changed_seen
    records = {rel for rel in changed if rel.startswith(search.RECORDS + "/")}
    assert not {f"{search.RECORDS}/{rel}" for rel in rewritten} & records  # their records did not change
    assert records and all(not (site.output / rel).exists() for rel in records)  # the retired ones
