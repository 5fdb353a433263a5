"""Related papers at scale: time and memory of sitegen.site.related on N realistic papers.

    .venv/bin/python benchmarks/related.py [--sizes 10000,100000]

benchmarks/build.py's abstracts come from a 70-word vocabulary, which says nothing about a
word-overlap similarity (every word is in every paper). Here words are spread as in real text:
each paper has ~90 distinct words, drawn from a Zipf distribution (s = 1.1) over 300,000
words, a third of them from one of 500 subjects' own 3,000 words, so papers on one subject
share rare words as real ones do. Per N it reports, each in a fresh process: the cold
computation (no cache), the one-new-paper computation (the nightly case: the cache holds every
other paper's list), the RSS before the computation (the entries) and its peak.
"""

from __future__ import annotations

import argparse
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
from sitegen.site.related import related_papers
entries = pickle.loads(Path({data!r}).read_bytes())
n = int(sys.argv[1])
entries = entries[:n]
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
start = time.perf_counter()
result = related_papers(entries, Path({cache!r}))
seconds = time.perf_counter() - start
print(seconds, before, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, sum(map(len, result.values())))
"""


VOCABULARY, SUBJECTS, SUBJECT_WORDS = 300_000, 500, 3_000


def make_entries(n: int):
    import numpy as np

    from sitegen.config.load import load_config
    from sitegen.site.load import make_entry
    from sitegen.snapshot.format import parse_snapshot

    base = parse_snapshot(next((REPO / "content" / "papers").rglob("*.md")).read_text())
    topics = load_config(REPO / "sitegen.toml").topics
    rng = np.random.default_rng(7)
    ranks = np.arange(1, VOCABULARY + 1)
    p = 1.0 / ranks ** 1.1
    cumulative = np.cumsum(p) / p.sum()

    def zipf(k: int):  # k word numbers drawn from the Zipf distribution
        return np.minimum(np.searchsorted(cumulative, rng.random(k)), VOCABULARY - 1)

    words = np.array([f"w{i}x" for i in range(VOCABULARY)])
    subjects = [zipf(SUBJECT_WORDS) for _ in range(SUBJECTS)]
    first = date(2024, 1, 1)
    numbers: dict[str, int] = {}
    out = []
    for i in range(n):
        day = first + timedelta(days=i * 365 // n)
        month = f"{day:%y%m}"
        numbers[month] = numbers.get(month, 0) + 1
        own = subjects[rng.integers(SUBJECTS)]
        text = np.concatenate([zipf(100), own[rng.integers(0, SUBJECT_WORDS, 50) // 8]])
        abstract = " ".join(words[text])
        paper = replace(base, id=f"{month}.{numbers[month]:05d}", announced=day, title=" ".join(words[text[:8]]),
                        abstract=abstract)
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
        print("| papers | cold | one new paper (cache warm) | RSS: entries loaded -> peak (cold) | lists |\n"
              "|---|---|---|---|---|")
        for n in sizes:
            for f in cache.glob("*"):
                f.unlink()
            cold = subprocess.run([sys.executable, "-c", code, str(n)], capture_output=True, text=True, check=True)
            warm = subprocess.run([sys.executable, "-c", code, str(n + 1)], capture_output=True, text=True, check=True)
            c_s, c_before, c_peak, listed = cold.stdout.split()
            w_s = warm.stdout.split()[0]
            print(f"| {n:,} | {float(c_s):.2f} s | {float(w_s):.2f} s | {float(c_before):.0f} -> "
                  f"{float(c_peak):.0f} MB | {int(listed) / n:.1f} a paper |")


if __name__ == "__main__":
    main()
