"""What the papers a benchmark builds look like, next to the shipped snapshots: the shares of
abstracts with Markdown hints, with TeX math and with text-mode TeX, what the math and the
abstracts weigh. The speed work sitegen keeps is judged on a corpus shaped like real papers.

    .venv/bin/python benchmarks/corpus_shape.py [--content content] [--papers 3000]

Reads every snapshot under --content (the shipped ones: real arXiv and Hugging Face records)
and --papers of corpus.py's generated papers (plain and Markdown corpora), and prints one row
each. "Markdown" is what sitegen renders as Markdown (sitegen.text.markup's hints, outside
math); "text-mode TeX" an abstract whose prose sitegen reads differently from its letters
(accents, dashes, ``quotes'', \\emph{}, ~); "math" one with a `$...$` or `\\(...\\)` span.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import make_paper, schedule  # noqa: E402

from sitegen.model import Paper  # noqa: E402
from sitegen.snapshot.store import read_snapshot  # noqa: E402
from sitegen.text import markup  # noqa: E402
from sitegen.text.document import read  # noqa: E402
from sitegen.text.scanner import Math, paragraphs, split_math  # noqa: E402
from sitegen.text.tex_text import parse  # noqa: E402
from sitegen.text.to_plain import nodes_plain  # noqa: E402


@dataclass(frozen=True)
class Shape:
    papers: int
    markdown: float  # share of abstracts rendered as Markdown
    math: float  # share of abstracts with at least one math span
    spans: float  # math spans per abstract, over all abstracts
    text_tex: float  # share of abstracts whose prose holds text-mode TeX sitegen reads
    title_math: float  # share of titles with a math span
    chars: float  # median abstract length, characters

    def row(self, name: str) -> str:
        return (f"| {name} | {self.papers:,} | {self.markdown:.1%} | {self.math:.1%} | {self.spans:.2f} | "
                f"{self.text_tex:.1%} | {self.title_math:.1%} | {self.chars:,.0f} |")


HEADER = ("| corpus | papers | Markdown | math | math spans an abstract | text-mode TeX | title math | "
          "abstract chars (median) |\n|---|---:|---:|---:|---:|---:|---:|---:|")


def math_spans(text: str) -> int:
    return sum(isinstance(piece, Math) for para in paragraphs(text) for piece in split_math(" ".join(para.split())))


def reads_text_tex(text: str) -> bool:
    """Whether sitegen reads the prose (math aside) as something else than its letters."""
    for para in paragraphs(text):
        prose = [piece for piece in split_math(" ".join(para.split())) if isinstance(piece, str)]
        if nodes_plain(parse(prose)) != "".join(prose):
            return True
    return False


def shape(papers: list[Paper]) -> Shape:
    abstracts = [markup.clean_text(p.abstract).strip() for p in papers]
    spans = [math_spans(a) for a in abstracts]
    n = len(papers) or 1
    return Shape(len(papers), sum(map(markup._is_markdown, abstracts)) / n, sum(s > 0 for s in spans) / n,
                 sum(spans) / n, sum(map(reads_text_tex, abstracts)) / n,
                 sum(math_spans(p.title) > 0 for p in papers) / n, statistics.median(map(len, abstracts or [""])))


def shipped(content: Path) -> list[Paper]:
    return [read_snapshot(path) for path in sorted((content / "papers").rglob("*.md"))]


def generated(n: int, markdown: bool) -> list[Paper]:
    """corpus.py's n papers, drawn as corpus.generate draws them."""
    ids, days, r = schedule(n)
    return [make_paper(r, pid, day, markdown) for pid, day in zip(ids, days, strict=True)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--content", default=Path(__file__).resolve().parent.parent / "content", type=Path)
    ap.add_argument("--papers", default=3000, type=int)
    args = ap.parse_args()
    read.cache_clear()
    rows = [shape(shipped(args.content)).row("shipped content/"),
            shape(generated(args.papers, markdown=False)).row("corpus.py (build.py)"),
            shape(generated(args.papers, markdown=True)).row('corpus.py "markdown" (pelican_compare.py)')]
    print(HEADER)
    print("\n".join(rows))


if __name__ == "__main__":
    main()
