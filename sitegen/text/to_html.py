"""Nodes -> HTML for pages and feeds: text escaped, math as MathML (its source as code when it
cannot be read), text-mode styles as <em>, <strong>, <code>.

A formula and the punctuation after it (or the bracket before it) are joined by a word
joiner (U+2060): the comma after a formula never starts a line of its own on a phone, in
any browser or feed reader, without markup or CSS.
"""

from __future__ import annotations

import html

from sitegen.text.scanner import Math
from sitegen.text.tex_math import span_html
from sitegen.text.tex_text import Node, Styled

WORD_JOINER = "\u2060"
_GLUED_AFTER = frozenset(".,;:!?)]}”’'\"%")  # glued to the formula before it
_GLUED_BEFORE = frozenset("([{“‘")  # glued to the formula after it
_TAGS = {"em": "em", "strong": "strong", "code": "code"}


def nodes_html(nodes: tuple[Node, ...] | list[Node]) -> str:
    out: list[str] = []
    prev: Node | None = None
    for node in nodes:
        if isinstance(node, str):
            if isinstance(prev, Math) and node[0] in _GLUED_AFTER:
                out.append(WORD_JOINER)
            out.append(html.escape(node, quote=False))
        elif isinstance(node, Math):
            if isinstance(prev, str) and prev[-1] in _GLUED_BEFORE:
                out.append(WORD_JOINER)
            out.append(span_html(node))
        else:
            out.append(_styled(node))
        prev = node
    return "".join(out)


def _styled(node: Styled) -> str:
    inner = nodes_html(node.children)
    tag = _TAGS.get(node.style)
    return f"<{tag}>{inner}</{tag}>" if tag else inner
