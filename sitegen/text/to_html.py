"""Nodes -> HTML for pages and feeds: text escaped, math as MathML (its source as code when it
cannot be read), text-mode styles as <em>, <strong>, <code>.

A formula is kept on one line with the characters touching it, as TeX keeps them: the
punctuation after it, the bracket before it, the rest of a word (`<span class="nw">(<math>
…</math>),</span>`, white-space: nowrap in style.css); otherwise a phone may start a line
with the comma. A word joiner (U+2060) does not do it: Chromium breaks beside a <math>
element whatever character is there.
"""

from __future__ import annotations

import html

from sitegen.text.scanner import Math
from sitegen.text.tex_math import span_html
from sitegen.text.tex_text import Node, Styled

_TAGS = {"em": "em", "strong": "strong", "code": "code"}


def nodes_html(nodes: tuple[Node, ...] | list[Node]) -> str:
    # How much of each text node goes with a formula: its start with the formula before it,
    # its end with the formula after it (the characters up to the first and from the last
    # blank: "(", "),", "-dependent", the "CT-" and "Bench:" of CT-ΔBench).
    cuts: dict[int, tuple[int, int]] = {}
    last = len(nodes) - 1
    for k, node in enumerate(nodes):
        if isinstance(node, str):
            head = _glued_head(node) if k and isinstance(nodes[k - 1], Math) else 0
            tail = _glued_tail(node, head) if k < last and isinstance(nodes[k + 1], Math) else len(node)
            cuts[k] = (head, tail)
    out: list[str] = []
    for k, node in enumerate(nodes):
        if isinstance(node, str):
            head, tail = cuts[k]
            out.append(html.escape(node[head:tail], quote=False))
        elif isinstance(node, Math):
            lead = nodes[k - 1][cuts[k - 1][1]:] if k - 1 in cuts else ""
            after = nodes[k + 1][:cuts[k + 1][0]] if k + 1 in cuts else ""
            math = span_html(node)
            if lead or after:
                lead, after = html.escape(lead, quote=False), html.escape(after, quote=False)
                math = f'<span class="nw">{lead}{math}{after}</span>'
            out.append(math)
        else:
            out.append(_styled(node))
    return "".join(out)


def _glued_head(text: str) -> int:
    i = 0
    while i < len(text) and not text[i].isspace():
        i += 1
    return i


def _glued_tail(text: str, start: int) -> int:
    i = len(text)
    while i > start and not text[i - 1].isspace():
        i -= 1
    return i


def _styled(node: Styled) -> str:
    inner = nodes_html(node.children)
    tag = _TAGS.get(node.style)
    return f"<{tag}>{inner}</{tag}>" if tag else inner
