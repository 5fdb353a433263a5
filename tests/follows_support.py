"""A site with follows for the tests of issue 20's point 3: author rules in two topics, a venue
read from comments (ICLR 2026, 12 papers), one with too few papers for a page (NeurIPS, 4), a
hostile venue name from Semantic Scholar (5 papers) and papers in no follow, over 20
announcement days."""

from __future__ import annotations

from datetime import date, timedelta

from sitegen.sources.semanticscholar.record import SemanticScholar
from tests.conftest import REPO, SiteDir, make_paper

CONFIG = """\
[site]
title = "Follow Feeds"
base_url = "https://owner.github.io/repo/"
feed_days = 2
feed_items = 3
per_page = 4

[build]
templates = "{templates}"
search = false
max_site_mb = {limit}

[[topics]]
slug = "nlp"
title = "NLP"
categories = ["cs.CL"]

# Authors alone: any paper they sign. (With categories, a rule narrows the topic: cs.CV AND them.)
[[topics]]
slug = "people"
title = "People"
authors = ["Daniel Khashabi", "D. Khashabi", "../../etc <b>Évil</b> & \\"Co\\""]

[[topics]]
slug = "vision"
title = "Vision"
categories = ["cs.CV"]
authors = ["Khashabi, Daniel", "Fei-Fei Li"]
"""
EVIL_VENUE = '<script>alert(1)</script> Journal & "Letters" ../../../tmp/x'
MONDAY = date(2026, 8, 3)
DAYS = [MONDAY + timedelta(days=i) for i in range(28) if (MONDAY + timedelta(days=i)).weekday() < 5]  # 20 days


def follow_paper(n: int, day: date, **changes):
    pid = f"2608.{n:05d}"
    base = dict(title=f"Paper {n} on parsing", authors=("Ann Other",), categories=("cs.CL",), announced=day,
                comment=None, extras={}, version=1, updated=None, abstract=f"Abstract number {n}, long enough.",
                links={"abs": f"https://arxiv.org/abs/{pid}", "pdf": f"https://arxiv.org/pdf/{pid}v1"})
    return make_paper(pid, **{**base, **changes})


def follow_site(root, limit: float = 0) -> SiteDir:
    """20 announcement days: Khashabi's papers (one signed "Dan Khashabi", which the rules do
    not take), ICLR 2026 from comments on 12 papers, NeurIPS on 4 (too few for a page), a
    hostile venue name from Semantic Scholar on 5, and papers in no follow."""
    site = SiteDir(root, CONFIG.format(templates=REPO / "templates", limit=limit))
    n = 0
    for i, day in enumerate(DAYS):
        for k in range(3):
            n += 1
            changes: dict = {}
            if k == 0:
                changes["authors"] = ("Daniel Khashabi", "Ann Other") if i % 2 else ("D. Khashabi",)
            if k == 1 and i < 12:
                changes["comment"] = "Accepted at ICLR 2026"
            if k == 1 and 12 <= i < 16:
                changes["comment"] = "NeurIPS 2025 camera-ready"
            if k == 2 and i < 5:
                changes["extras"] = {"semanticscholar": SemanticScholar(venue=EVIL_VENUE)}
            if k == 2 and i == 19:
                changes["authors"] = ("Dan Khashabi",)
            site.add(follow_paper(n, day, **changes))
    return site
