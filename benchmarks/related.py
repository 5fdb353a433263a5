"""Related papers at scale: time and memory of sitegen.build.related on N realistic papers.

    .venv/bin/python benchmarks/related.py [--sizes 10000,100000]

benchmarks/build.py's abstracts come from a 70-word vocabulary, which says nothing about a
word-overlap similarity. Here each synthetic paper is made of sentences drawn from the shipped
content's real abstracts and a real title, so words are spread as in arXiv text (thousands of
distinct words, a long tail of rare ones). Per N it reports, each in a fresh process: the cold
computation (no cache), the one-new-paper computation (the nightly case: the cache holds every
other paper's list), and the peak RSS of the process (loading the entries included).
"""

from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

CHILD = """
import pickle, resource, sys, time
from pathlib import Path
sys.path.insert(0, {repo!r})
from sitegen.build.related import related_papers
entries = pickle.loads(Path({data!r}).read_bytes())
n = int(sys.argv[1])
start = time.perf_counter()
result = related_papers(entries[:n], Path({cache!r}))
seconds = time.perf_counter() - start
print(seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, sum(map(len, result.values())))
"""


def make_entries(n: int):
    from sitegen.build.load import make_entry
    from sitegen.config.load import load_config
    from sitegen.snapshot.format import parse_snapshot

    papers = [parse_snapshot(p.read_text()) for p in sorted((REPO / "content" / "papers").rglob("*.md"))]
    sentences = [s for p in papers for s in re.split(r"(?<=[.!?])\s+", p.abstract) if len(s) > 40]
    titles = [p.title for p in papers]
    topics = load_config(REPO / "sitegen.toml").topics
    r = random.Random(7)
    base, out = papers[0], []
    first = date(2024, 1, 1)
    numbers: dict[str, int] = {}
    for i in range(n):
        day = first + timedelta(days=i * 365 // n)
        month = f"{day:%y%m}"
        numbers[month] = numbers.get(month, 0) + 1
        paper = replace(base, id=f"{month}.{numbers[month]:05d}", announced=day, title=r.choice(titles),
                        abstract=" ".join(r.sample(sentences, 8)))
        out.append(make_entry(paper, "x.md", str(i), topics))
    return out


def main() -> None:
    import pickle

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(dir="/dev/shm") as tmp:
        data, cache = Path(tmp) / "entries.pickle", Path(tmp) / "cache"
        t = time.perf_counter()
        data.write_bytes(pickle.dumps(make_entries(max(sizes) + 1)))
        print(f"made {max(sizes) + 1} entries in {time.perf_counter() - t:.1f} s", file=sys.stderr)
        code = CHILD.format(repo=str(REPO), data=str(data), cache=str(cache))
        print("| papers | cold | one new paper (cache warm) | peak RSS (cold) |\n|---|---|---|---|")
        for n in sizes:
            for f in cache.glob("*"):
                f.unlink()
            cold = subprocess.run([sys.executable, "-c", code, str(n)], capture_output=True, text=True, check=True)
            warm = subprocess.run([sys.executable, "-c", code, str(n + 1)], capture_output=True, text=True, check=True)
            c_s, c_mb, _ = cold.stdout.split()
            w_s, _, _ = warm.stdout.split()
            print(f"| {n:,} | {float(c_s):.2f} s | {float(w_s):.2f} s | {float(c_mb):.0f} MB |")


if __name__ == "__main__":
    main()
