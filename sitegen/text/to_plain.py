"""Nodes -> Unicode plain text: feed titles, <title>, meta descriptions and Open Graph,
search records, the e-mail's text part. Math is Unicode ("α > 0", "C_train(V)"), or its
source when it cannot be read; styles are their words."""

from __future__ import annotations

from sitegen.text.scanner import Math
from sitegen.text.tex_math import span_plain
from sitegen.text.tex_text import Node


def nodes_plain(nodes: tuple[Node, ...] | list[Node]) -> str:
    out: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, Math):
            out.append(span_plain(node))
        else:
            out.append(nodes_plain(node.children))
    return "".join(out)
