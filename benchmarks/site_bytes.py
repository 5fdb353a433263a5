"""Site bytes: what each paper costs in output/, by page kind and by part of a page.

    .venv/bin/python benchmarks/site_bytes.py [--papers 10000] [--dir /dev/shm/sitegen-bytes]
                                              [--topics five-categories|stress] [--budget-kb 8] [--keep]
                                              [--semanticscholar]

Builds benchmarks/build.py's synthetic papers (its generator, a year of weekdays) with search
on, cold, under one of two topic configurations, and measures every byte GitHub Pages would
publish (what upload-pages-artifact uploads: hidden files such as the ownership marker are left
out). Bytes a paper are the site's bytes over the papers it publishes (papers in a topic).

- `five-categories` (the default, what the budget is judged on): five category topics, cs.LG,
  cs.CV, cs.CL, stat.ML and cs.AI, the fork the budget is about ("five busy categories"). The
  generator draws 1-3 of 20 equally likely categories a paper, so these five are as busy as
  any; about 43% of the papers are in one of them, in ~1.3 topics each (the shipped site: 1.20).
- `stress`: build.py's 20 topics, whose keyword rules match build.py's 70-word vocabulary far
  more often than real abstracts would: every paper is published, in ~3.6 topics, so topic
  archive pages weigh several times what they would on a real site.

- per page kind: files, bytes, bytes per paper (the site's total over the papers is the number
  the budget is about: at most --budget-kb KB a paper, everything included);
- per part of the HTML pages: the head (and in it the description, Open Graph and citation
  meta tags), the frame every page repeats (head, header, footer), cards, MathML (and the
  `<mrow>` wrappers and `stretchy` attributes in it), class attributes, line breaks;
- the sitemap per URL and its `lastmod` dates, and the search index by part (fragments,
  word index, filters, Pagefind's own scripts).

`--semanticscholar` builds the same papers with Semantic Scholar's records (citations, venue,
TLDR; the shares corpus.enrich_s2 assumes). Tables go to stdout and to
benchmarks/results/site-bytes-<N>-<topics>[-semanticscholar].md; the exit status is 1 when the
site is over the budget. Why a KB budget: GitHub Pages publishes at most 1 GB, and a fork
following five busy categories gains ~125k papers a year (see README "Size and retention").
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import build as bench  # noqa: E402  (benchmarks/build.py: the synthetic site)
import corpus  # noqa: E402  (benchmarks/corpus.py: its papers)

from sitegen.build import build  # noqa: E402
from sitegen.config.load import load_config  # noqa: E402
from sitegen.site.load import load_entries, scan_snapshots  # noqa: E402
from sitegen.site.model import build_site  # noqa: E402

KB = 1024
# (slug, category): each topic one category, as a fork following five categories configures it.
FIVE_CATEGORIES = ("cs.LG", "cs.CV", "cs.CL", "stat.ML", "cs.AI")
SCENARIOS = ("five-categories", "stress")


def five_categories_config() -> str:
    """sitegen.toml of the five-category site: build.py's site settings, search on, its own
    output/ and cache next to the stress site's (the same content/)."""
    q = bench.toml_value
    out = ['[site]\ntitle = "Bench Feeds"\nbase_url = "https://example.org/bench/"\n',
           '[build]\nsearch = true\noutput = "output-five"\ncache = ".sitegen-cache/build-five"\n']
    for cat in FIVE_CATEGORIES:
        slug = cat.lower().replace(".", "-")
        out.append(f"[[topics]]\nslug = {q(slug)}\ntitle = {q(cat)}\ndescription = {q('Papers in ' + cat)}\n"
                   f"categories = {q([cat])}\n")
    return "\n".join(out)
KINDS = (  # (kind, pattern on the output path), first match wins
    ("paper pages", r"papers/[^/]+/index\.html"),
    ("day pages", r"days/\d{4}-\d\d-\d\d/index\.html"),
    ("topic front pages", r"topics/[^/]+/index\.html"),
    ("topic archive pages", r"topics/[^/]+/page/\d+/index\.html"),
    ("index", r"index\.html"),
    ("site feeds", r"(rss|atom)\.xml"),
    ("topic feeds", r"topics/[^/]+/(rss|atom)\.xml"),
    ("week and month pages", r"(weeks|months)/\d{4}-(W\d\d|\d\d)/index\.html"),
    ("weekly topic feeds", r"topics/[^/]+/weekly/(rss|atom)\.xml"),
    ("sitemap", r"sitemap\.xml|sitemaps/\d+\.xml"),
    ("search: fragments", r"pagefind/\d{4}/fragment/.*"),
    ("search: word index", r"pagefind/\d{4}/index/.*"),
    ("search: filters", r"pagefind/\d{4}/filter/.*"),
    ("search: Pagefind UI, meta", r"pagefind/.*"),
    ("follow pages (authors, venues)", r"(authors|venues)/[^/]+/index\.html|follows/index\.html"),
    ("follow feeds", r"(authors|venues)/[^/]+/(rss|atom)\.xml"),
    ("static/", r"static/.*"),
    ("other (days list, search page, 404, OPMLs, robots)", r".*"),
)
# Parts of an HTML page: (name, pattern); bytes of every match are summed, page kind by kind.
PARTS = (
    ("<head>", r"<head>.*?</head>"),
    ("  meta description", r'<meta name="description"[^>]*>'),
    ("  og:* meta", r'<meta property="og:[^>]*>'),
    ("  citation_* meta", r'<meta name="citation_[^>]*>'),
    ("  <link> tags", r"<link [^>]*>"),
    ("header + footer", r'<a class="skip".*?</header>|<footer>.*?</footer>'),
    ("cards (<article class=\"card\">)", r'<article class="card".*?</article>'),
    ("  topic lists on cards", r'<small>in .*?</small>'),
    ("abstracts on cards", r'<(details|p) class="abs">.*?</\1>'),
    ("related papers", r'<section class="related".*?</section>'),
    ("BibTeX", r'<details class="bibtex".*?</details>'),
    ("MathML (<math>...</math>)", r"<math.*?</math>"),
    ("  <mrow> wrappers", r"</?mrow>"),
    ("  stretchy=\"false\"", r' stretchy="false"'),
    ("  mathvariant=\"...\"", r' mathvariant="[^"]*"'),
    ("class=\"...\" attributes", r' class="[^"]*"'),
    ("data-* attributes", r' data-[a-z-]+(?:="[^"]*")?'),
    ("line breaks", r"\n"),
)
HTML_KINDS = ("paper pages", "day pages", "topic front pages", "topic archive pages", "index")


def kind_of(rel: str) -> str:
    return next(k for k, pattern in _KIND_RES if pattern.fullmatch(rel))


_KIND_RES = [(k, re.compile(p)) for k, p in KINDS]
_PART_RES = [(name, re.compile(p.encode(), re.S)) for name, p in PARTS]


def published_files(out: Path) -> list[tuple[str, int]]:
    """(relative path, bytes) of what upload-pages-artifact publishes: no hidden files or folders."""
    found = []
    for dirpath, dirs, names in os.walk(out):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            if not name.startswith("."):
                path = Path(dirpath, name)
                found.append((path.relative_to(out).as_posix(), path.stat().st_size))
    return found


def measure(out: Path, papers: int, topics_per_paper: float = 0.0) -> dict:
    files = published_files(out)
    kinds: dict[str, list[int]] = defaultdict(list)
    for rel, size in files:
        kinds[kind_of(rel)].append(size)
    parts: dict[str, Counter] = defaultdict(Counter)
    for rel, _ in files:
        kind = kind_of(rel)
        if kind in HTML_KINDS:
            data = (out / rel).read_bytes()
            for name, pattern in _PART_RES:
                parts[kind][name] += sum(m.end() - m.start() for m in pattern.finditer(data))
    sitemap = b"".join((out / rel).read_bytes() for rel, _ in files if kind_of(rel) == "sitemap")
    urls = sitemap.count(b"<url>")
    lastmods = sum(len(m) for m in re.findall(rb"<lastmod>[^<]*</lastmod>", sitemap))
    return dict(papers=papers, topics_per_paper=topics_per_paper, total=sum(s for _, s in files), files=len(files),
                kinds={k: (len(v), sum(v)) for k, v in kinds.items()}, parts=parts,
                sitemap=(urls, len(sitemap), lastmods))


def report(m: dict, budget_kb: float, seconds: float, scenario: str = "", generated: int = 0) -> str:
    n, total = m["papers"], m["total"]
    per = total / n
    lines = [f"# Site bytes, {n:,} papers published (search on), topics: {scenario}", "",
             f"{generated:,} papers generated, {n:,} published (in a topic), "
             f"{m['topics_per_paper']:.2f} topics a published paper.", "",
             f"**{per / KB:.2f} KB a paper** ({total / KB / KB:.1f} MB in {m['files']:,} files; "
             f"budget {budget_kb:g} KB: {'PASS' if per <= budget_kb * KB else 'FAIL'}); cold build {seconds:.0f} s",
             "", "| page kind | files | MB | KB a paper | mean KB a file |", "|---|---:|---:|---:|---:|"]
    for kind, _ in KINDS:
        count, size = m["kinds"].get(kind, (0, 0))
        if count:
            lines.append(f"| {kind} | {count:,} | {size / KB / KB:.1f} | {size / n / KB:.2f} "
                         f"| {size / count / KB:.1f} |")
    lines += ["", "Parts of the HTML pages, KB a paper (what the part costs summed over pages of that kind, / N):",
              "", "| part | " + " | ".join(HTML_KINDS) + " |", "|---|" + "---:|" * len(HTML_KINDS)]
    for name, _ in PARTS:
        cells = [f"{m['parts'][k][name] / n / KB:.2f}" for k in HTML_KINDS]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    urls, size, lastmods = m["sitemap"]
    if urls:
        lines += ["", f"Sitemap: {urls:,} URLs, {size / urls:.0f} bytes a URL ({lastmods / urls:.0f} of them "
                      f"`<lastmod>`), {size / n:.0f} bytes a paper."]
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--papers", type=int, default=10_000)
    ap.add_argument("--dir", type=Path, default=Path("/dev/shm/sitegen-bytes"))
    ap.add_argument("--topics", choices=SCENARIOS, default=SCENARIOS[0],
                    help="five category topics (the budget's scenario) or build.py's 20 (stress)")
    ap.add_argument("--budget-kb", type=float, default=8.0)
    ap.add_argument("--keep", action="store_true", help="reuse output/ if it is there (no cold build)")
    ap.add_argument("--semanticscholar", action="store_true",
                    help="papers with Semantic Scholar's records too (corpus.enrich_s2 says which shares)")
    args = ap.parse_args()
    if args.semanticscholar:
        site = corpus.site_folder(args.dir, args.papers, "semanticscholar")
        corpus.generate(site, args.papers, "semanticscholar")
    else:
        site = args.dir / f"site-{args.papers}"
        bench.generate(site, args.papers)
    if args.topics == "stress":
        config_path = site / "sitegen-search.toml"
    else:
        config_path = site / "sitegen-five.toml"
        config_path.write_text(five_categories_config())
    config = load_config(config_path)
    seconds = 0.0
    if not (args.keep and config.build.output.is_dir()):
        shutil.rmtree(config.build.output, ignore_errors=True)
        shutil.rmtree(config.build.cache, ignore_errors=True)
        start = time.perf_counter()
        result = build(config)
        seconds = time.perf_counter() - start
        print(result.summary(), *result.warnings, sep="\n", file=sys.stderr)
    site_model = build_site(config, load_entries(config, 1, scan_snapshots(config)))
    published = len(site_model.entries)
    topics = sum(len(e.topics) for e in site_model.entries) / max(published, 1)
    m = measure(config.build.output, published, topics)
    text = report(m, args.budget_kb, seconds, args.topics, args.papers)
    results = bench.REPO / "benchmarks" / "results"
    results.mkdir(parents=True, exist_ok=True)
    suffix = "-semanticscholar" if args.semanticscholar else ""
    (results / f"site-bytes-{args.papers}-{args.topics}{suffix}.md").write_text(text)
    print(text)
    return 0 if m["total"] / published <= args.budget_kb * KB else 1


if __name__ == "__main__":
    sys.exit(main())
