"""A paper's title or abstract read once into paragraphs of nodes, which to_html, to_plain
and to_mail render: one reading, three outputs, the same words in each.

Reading is linear in the text's length (scanner.py, tex_text.py) and bounded in what it
asks of latex2mathml: past MAX_TEX_TOTAL characters of math in one text, the remaining
spans are shown as their source (an arXiv abstract has at most 1,920 characters).
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from sitegen.text.scanner import Math, Piece, paragraphs, split_math
from sitegen.text.tex_math import MAX_TEX_TOTAL
from sitegen.text.tex_text import Node, parse

Paragraph = tuple[Node, ...]


@lru_cache(maxsize=8192)
def read(text: str) -> tuple[Paragraph, ...]:
    """The text's paragraphs (split at blank lines, each stripped) as nodes."""
    budget = MAX_TEX_TOTAL
    out = []
    for para in paragraphs(text):
        para = _one_line(para)
        pieces: list[Piece] = []
        for piece in split_math(para):
            if isinstance(piece, Math):
                budget -= len(piece.tex)
                if budget < 0:
                    piece = replace(piece, raw=True)
            pieces.append(piece)
        out.append(tuple(parse(pieces)))
    return tuple(out)


_BLANKS = re.compile(r"[ \t\n\r\f\v]+")


def _one_line(text: str) -> str:
    """Runs of spaces, tabs and newlines as one space, stripped (a no-break space stays)."""
    return _BLANKS.sub(" ", text).strip(" ")


def read_line(text: str) -> Paragraph:
    """A title (or any one-line text): its paragraphs joined by spaces, whitespace collapsed."""
    line = _one_line(text)
    return read(line)[0] if line else ()
