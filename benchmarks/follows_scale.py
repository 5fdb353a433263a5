"""Follows at scale: how many author and venue follows a year of a busy fork makes, and what
their pages, feeds and OPML weigh, rendered (not estimated).

    .venv/bin/python benchmarks/follows_scale.py [--papers 125000] [--venues 3000] [--venue-share 0.3]
                                                 [--zipf 1.1] [--rules 40] [--min-papers 5]

A year of benchmarks/corpus.py's papers (its schedule and generator: titles and five authors
of the usual lengths; abstracts left out, as no follow shows one), every one published. The
assumptions, since no real year of Semantic Scholar venues for arXiv ids is at hand:
- `--venue-share` of the papers (30%) has a venue: Semantic Scholar's for about a quarter of
  the papers past their first month (benchmarks/corpus.enrich_s2), and arXiv comments saying
  "accepted at" for some of the rest;
- venues follow Zipf's law (`--zipf` 1.1) over `--venues` (3,000) names, the most popular
  first: sitegen.venues' table (53 venues, named by a long name, as Semantic Scholar does),
  then 2,947 other names (journals and conferences Semantic Scholar names);
- `--rules` (40) author rules, each naming an author with 5 to 150 papers in the year.

Prints the follows made, the bytes of every kind of file, bytes a paper, the largest page and
the size model's estimate beside the rendered bytes. Table to stdout and
benchmarks/results/follows-scale-<N>.md.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import corpus  # noqa: E402  (benchmarks/corpus.py: the papers)

from sitegen.config.load import parse_config  # noqa: E402
from sitegen.render.outputs import registry as outputs  # noqa: E402
from sitegen.render.renderer import Renderer  # noqa: E402
from sitegen.site import follows as follows_module  # noqa: E402
from sitegen.site.follows import VENUE_MIN_PAPERS, follows  # noqa: E402
from sitegen.site.load import make_entry  # noqa: E402
from sitegen.site.model import build_site  # noqa: E402
from sitegen.sources.semanticscholar.record import SemanticScholar  # noqa: E402
from sitegen.venues.names import VENUES  # noqa: E402
from sitegen.venues.of_paper import venue_of  # noqa: E402

KB, MB = 1024, 1_000_000
UNITS = ("follow-pages", "follow-feeds", "follow-opml")


def config(rules: list[str]):
    text = (f'[site]\ntitle = "Bench Feeds"\nbase_url = "https://example.org/bench/"\n\n[build]\nsearch = false\n'
            f'publish_unmatched = true\ntemplates = "{corpus.REPO / "templates"}"\n\n'
            f'[[topics]]\nslug = "people"\ntitle = "People"\nauthors = {corpus.toml_value(rules)}\n')
    return parse_config(text, corpus.REPO / "sitegen.toml")


def venue_names(count: int) -> list[str]:
    known = [v.names[0] for v in VENUES]
    r = random.Random("venue names")
    keys = {venue_of_name(name) for name in known}
    others: list[str] = []
    while len(known) + len(others) < count:
        # Three words: venues are told apart by their words alone (digits are no part of a
        # venue's key), so names drawn alike would be one venue; those are drawn again.
        name = (f"{r.choice(('Journal of', 'Transactions on', 'Conference on', 'Letters on'))} "
                f"{' '.join(w.title() for w in r.sample(corpus.WORDS, 3))}")
        if venue_of_name(name) not in keys:
            keys.add(venue_of_name(name))
            others.append(name)
    return known + others


def venue_of_name(name: str) -> str:
    """The key of the venue Semantic Scholar's name is (sitegen.venues.of_paper)."""
    venue = venue_of(SimpleNamespace(extras={"semanticscholar": SemanticScholar(venue=name)}, comment=None))
    assert venue is not None
    return venue.key


def papers(n: int, names: list[str], share: float, zipf: float, rules: list[str]):
    ids, days, r = corpus.schedule(n)
    weights = [1 / (k + 1) ** zipf for k in range(len(names))]
    pick = random.Random("venues")
    authored = random.Random("authors")
    # Each rule's author signs 5 to 150 papers of the year, spread over it.
    signs = {i: rule for rule in rules for i in authored.sample(range(n), authored.randint(5, 150))}
    out = []
    for i, (pid, day) in enumerate(zip(ids, days, strict=True)):
        paper = replace(corpus.make_paper(r, pid, day, last=days[-1]), abstract="")
        if i in signs:
            paper = replace(paper, authors=(*paper.authors[:4], signs[i]))
        if pick.random() < share:
            venue = pick.choices(names, weights)[0]
            paper = replace(paper, extras={**paper.extras, "semanticscholar": SemanticScholar(venue=venue)})
        out.append(paper)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--papers", type=int, default=125_000)
    ap.add_argument("--venues", type=int, default=3_000)
    ap.add_argument("--venue-share", type=float, default=0.3)
    ap.add_argument("--zipf", type=float, default=1.1)
    ap.add_argument("--rules", type=int, default=40)
    ap.add_argument("--min-papers", type=int, default=VENUE_MIN_PAPERS,
                    help="papers a venue needs for a page (sitegen.site.follows.VENUE_MIN_PAPERS)")
    args = ap.parse_args()
    follows_module.VENUE_MIN_PAPERS = args.min_papers
    rules = [f"Followed Author{i:02d}" for i in range(args.rules)]
    cfg = config(rules)
    t = time.perf_counter()
    made = papers(args.papers, venue_names(args.venues), args.venue_share, args.zipf, rules)
    entries = [make_entry(p, p.id, p.id, cfg.topics) for p in made]
    site = build_site(cfg, entries)
    found = follows(site)
    renderer = Renderer(cfg)
    sizes: dict[str, list[int]] = {}
    biggest = (0, "")
    units = outputs.registered()
    for name in UNITS:
        for page in units[name].plan(site, renderer):
            data = units[name].render(page, site, renderer)
            kind = "OPML" if name == "follow-opml" else ("feeds" if page.path.endswith(".xml") else "pages")
            sizes.setdefault(kind, []).append(len(data))
            if kind == "pages" and len(data) > biggest[0]:
                biggest = (len(data), page.path)
    estimate = sum(units[name].weight(site).rest for name in UNITS)
    seconds = time.perf_counter() - t
    n = len(site.entries)
    with_venue = sum(1 for p in made if "semanticscholar" in p.extras)
    total = sum(sum(v) for v in sizes.values())
    lines = [f"# Follows at {n:,} papers", "",
             f"{with_venue:,} papers with a venue ({args.venue_share:.0%}) over {args.venues:,} names (Zipf "
             f"{args.zipf}); {len(found.venues):,} venues with at least {args.min_papers} papers have a page, "
             f"holding {sum(len(f.entries) for f in found.venues):,} papers; {len(found.authors)} author rules, "
             f"{sum(len(f.entries) for f in found.authors):,} papers.", "",
             "| files | count | MB | bytes a paper |", "|---|---:|---:|---:|"]
    for kind, values in sorted(sizes.items()):
        lines.append(f"| {kind} | {len(values):,} | {sum(values) / MB:.2f} | {sum(values) / n:.0f} |")
    lines += [f"| **all** | {sum(len(v) for v in sizes.values()):,} | {total / MB:.2f} | {total / n:.0f} |", "",
              f"**{total / n / KB:.3f} KB a paper.** Largest page: {biggest[1]} ({biggest[0] / KB:.0f} KB). "
              f"Size model's estimate: {estimate / MB:.2f} MB ({estimate / total:.2f} of the rendered bytes). "
              f"{seconds:.0f} s."]
    text = "\n".join(lines) + "\n"
    results = corpus.REPO / "benchmarks" / "results"
    results.mkdir(parents=True, exist_ok=True)
    suffix = "" if args.min_papers == VENUE_MIN_PAPERS else f"-min{args.min_papers}"
    (results / f"follows-scale-{args.papers}{suffix}.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
