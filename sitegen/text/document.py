"""A paper's title or abstract read once into paragraphs of nodes, which to_html, to_plain
and to_mail render: one reading, three outputs, the same words in each.

Reading is linear in the text's length (scanner.py, tex_text.py) and bounded: past
MAX_READ characters the text is shown as written, its TeX not read (an arXiv abstract has at
most 1,920 characters; a 1 MB hostile one would otherwise cost seconds of Python per page it
is on), which also bounds the math latex2mathml is asked to read (tex_math.MAX_TEX a span).
"""

from __future__ import annotations

from functools import lru_cache

from sitegen.text.scanner import PARAGRAPH_BREAK, paragraphs, split_math
from sitegen.text.tex_text import Node, parse

Paragraph = tuple[Node, ...]
MAX_READ = 10_000  # characters of a text whose TeX is read; the rest is shown as written


@lru_cache(maxsize=8192)
def read(text: str) -> tuple[Paragraph, ...]:
    """The text's paragraphs (split at blank lines, each stripped) as nodes."""
    if len(text) <= MAX_READ:
        return _read(text)
    cut = text.rfind(" ", 0, MAX_READ) + 1 or MAX_READ  # at a word's end, so no word is split
    out = list(_read(text[:cut]))
    tail = [_one_line(p) for p in PARAGRAPH_BREAK.split(text[cut:])]
    if out and tail[0] and not text[cut - 2:cut].isspace():  # the cut paragraph goes on
        out[-1] = (*out[-1], " " + tail[0])
    elif tail[0]:
        out.append((tail[0],))
    out.extend((p,) for p in tail[1:] if p)
    return tuple(out)


def _read(text: str) -> tuple[Paragraph, ...]:
    return tuple(tuple(parse(split_math(_one_line(para)))) for para in paragraphs(text))


def _one_line(text: str) -> str:
    """Runs of blanks (spaces, tabs, newlines, no-break spaces in the source) as one space,
    stripped. `~` is read after this, so the no-break spaces it stands for stay."""
    return " ".join(text.split())


def read_line(text: str) -> Paragraph:
    """A title (or any one-line text): its paragraphs joined by spaces, whitespace collapsed."""
    line = _one_line(text)
    return read(line)[0] if line else ()
