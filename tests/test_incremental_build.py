"""An incremental build (entry cache, related-papers cache, pages kept) writes the same bytes as
a cold build of the same content: what the memory work in load, related and the pipeline
(shared values, 32-bit related products, the site freed before indexing) must never change."""

from __future__ import annotations

import random
import shutil
from dataclasses import replace
from datetime import date, timedelta

import pytest

from sitegen.arxiv_ids import safe_name, shard
from tests.conftest import BASE_CONFIG, REPO, SiteDir, make_paper

pytestmark = pytest.mark.slow  # builds cold and incremental sites

_WORDS = ("graph", "diffusion", "sparse", "kernel", "spectral", "language", "model", "agent", "vision", "robust",
          "causal", "bandit", "privacy", "federated", "quantum", "protein", "molecule", "retrieval", "reasoning",
          "tokens", "attention", "survey", "benchmark", "optimizer", "scaling", "pruning", "memory", "planning")
_AUTHORS = tuple(f"{first} {last}" for first in ("Ana", "Wei", "José", "Zoë") for last in ("Smith", "Müller", "Çelik"))


def _papers(n: int, first_day: date, start: int, seed: int):
    r = random.Random(seed)
    out = []
    for i in range(n):
        words = r.sample(_WORDS, 12)
        pid = f"2311.{start + i:05d}"
        out.append(make_paper(
            pid, title=f"{words[0].title()} {words[1]} for {words[2]}", announced=first_day + timedelta(days=i % 9),
            authors=tuple(r.sample(_AUTHORS, 3)), categories=r.choice((("cs.CV",), ("cs.CL", "cs.LG"), ("hep-th",))),
            abstract=f"We study {' '.join(words)} with a language model and $x_{i % 7}$: "
                     + " ".join(f"topic{r.randrange(300)}" for _ in range(8)) + ".",  # rarer words
            links={"abs": f"https://arxiv.org/abs/{pid}", "pdf": f"https://arxiv.org/pdf/{pid}v2"}))
    return out


def test_incremental_build_equals_cold_build(tmp_path):
    config = BASE_CONFIG.format(templates=REPO / "templates")
    night = SiteDir(tmp_path / "nightly", config)
    for paper in _papers(420, date(2023, 11, 1), 1, 1):  # above the parallel load and render thresholds
        night.add(paper)
    night.build(workers=2)
    # The next night: 30 papers on a new newest day, one paper edited, one removed.
    for paper in _papers(30, date(2023, 11, 20), 421, 2):
        night.add(replace(paper, announced=date(2023, 11, 20)))
    edited = night.root / "content" / "papers" / shard("2311.00007") / f"{safe_name('2311.00007')}.md"
    edited.write_text(edited.read_text().replace("title: ", "title: Edited ", 1))
    (night.root / "content" / "papers" / shard("2311.00100") / f"{safe_name('2311.00100')}.md").unlink()
    night.build(workers=2)

    cold = SiteDir(tmp_path / "cold", config)
    shutil.rmtree(cold.root / "content")
    shutil.copytree(night.root / "content", cold.root / "content")
    cold.build(workers=2)
    tree = night.tree()
    assert tree == cold.tree()
    new_pages = [tree[f"papers/2311.{i:05d}/index.html"].decode() for i in range(421, 451)
                 if f"papers/2311.{i:05d}/index.html" in tree]
    assert sum('class="related"' in page for page in new_pages) > len(new_pages) // 2  # related lists computed
    assert b"Edited" in tree["papers/2311.00007/index.html"] and "papers/2311.00100/index.html" not in tree
