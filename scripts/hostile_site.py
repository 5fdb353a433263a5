"""A project of hostile snapshots beside the shipped ones, for checking a build by hand.

    .venv/bin/python scripts/hostile_site.py /tmp/hostile && .venv/bin/sitegen build --config /tmp/hostile/sitegen.toml

Copies sitegen.toml and content/ into the folder and adds papers whose text attacks every
channel: markup and script in every field, control and bidi characters, TeX that cannot be
read, `$` and `\\[` bombs, the most authors and the longest fields sitegen.limits allows, a
title that is only math. Then run ../shared/tools/validate-feeds and the HTML checker on
its output/: every feed must stay valid and every page must stay HTML. Nothing here is a
test (tests never read ../shared); tests/test_build.py and tests/test_text_words.py pin the
same attacks one by one.
"""

from __future__ import annotations

import argparse
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

from sitegen import limits
from sitegen.arxiv_ids import safe_name, shard
from sitegen.model import Paper
from sitegen.snapshot.format import dump_paper
from sitegen.sources.huggingface.record import HuggingFace

REPO = Path(__file__).resolve().parent.parent
DAY = date(2026, 8, 13)
SCRIPT = '<script>alert("x")</script>'


def hostile_papers() -> list[Paper]:
    longest = limits.TEXT_CAPS["abstract"]
    texts = {
        "markup": (f'{SCRIPT} <b>LLM</b> & "quotes" <img src=x onerror=alert(1)>',
                   'Click [me](javascript:alert(1)) <iframe src="https://evil"></iframe> $\\text{<script>}$'),
        "controls": ("Attack \u202egnp.exe\u2066 on \x07LLM\x1b", "Text \u202b with \u2068 isolates \x00 and \x7f."),
        "broken TeX": ("Unclosed $\\frac{1}{ LLM and \\emph{never closed",
                       "A span $\\begin{array} x$ and $$ \\left( $$ and \\( \\) and \\[ \\] with 5% and $5 or $10."),
        "dollar bomb": ("LLM $" * 40, ("$a$ $" * (longest // 5))[:longest]),
        "bracket bomb": ("LLM \\[" * 40, ("\\[ " * (longest // 3))[:longest]),
        "brace bomb": ("LLM {" * 40, ("{" * longest)),
        "longest": ("LLM " + "word " * ((limits.TEXT_CAPS["title"] - 4) // 5),
                    ("A long abstract about language models. " * (longest // 40))[:longest]),
        "only math": ("$\\mathcal{L}_{LLM}(\\theta) = \\sum_i \\log p_\\theta(x_i)$",
                      "$$\\int_0^1 f(x)\\,dx$$ for a language model."),
    }
    papers = []
    for n, (name, (title, abstract)) in enumerate(texts.items(), start=1):
        authors = (f"Author {name} <b>{n}</b>", 'Mallory "><script>alert(2)</script>')
        if name == "longest":
            authors = tuple(f"Author{i} Surname{i}" for i in range(limits.MAX_AUTHORS // 4))
        papers.append(Paper(
            id=f"2608.9{n:04d}", title=title, authors=authors, categories=("cs.CL", "cs.LG"),
            published=datetime(2026, 8, 12, 15, 0, tzinfo=UTC), announced=DAY, abstract=abstract, version=1,
            # A javascript: or quoted link is refused when the snapshot is read (snapshot/keys.py):
            # links here are well-formed, with what a URL may still carry.
            links={"abs": f"https://arxiv.org/abs/2608.9{n:04d}", "pdf": "https://arxiv.org/pdf/x?a=1&b=%3Cscript%3E",
                   "code": "https://github.com/x/y#%22%3E%3Cscript%3E"},
            comment=f'"><script>alert({n})</script> 12 pages',
            extras={"huggingface": HuggingFace(upvotes=10 ** 9, comments=0, featured=DAY,
                                                ai_summary=f"{SCRIPT} $\\alpha$ {name}",
                                                ai_keywords=(SCRIPT, "LLM"), organization="<b>Org</b>")},
            sources=("arxiv", "huggingface")))
    return papers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="a new folder for the project")
    folder = parser.parse_args().folder
    folder.mkdir(parents=True)
    config = (REPO / "sitegen.toml").read_text()
    (folder / "sitegen.toml").write_text(config + f'\n[build]\ntemplates = "{REPO / "templates"}"\n')
    shutil.copytree(REPO / "content", folder / "content")
    for paper in hostile_papers():
        path = folder / "content" / "papers" / shard(paper.id) / f"{safe_name(paper.id)}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump_paper(paper))
    print(f"{folder}: the shipped snapshots and {len(hostile_papers())} hostile ones")


if __name__ == "__main__":
    main()
