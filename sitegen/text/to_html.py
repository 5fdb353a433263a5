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
    if len(nodes) == 1 and isinstance(nodes[0], str):
        return html.escape(nodes[0], quote=False)  # most paragraphs of prose, most titles
    out: list[str] = []
    last = len(nodes) - 1
    head = 0  # characters of the current text node already written with the formula before it
    lead = ""  # the end of the text node before a formula, which goes with the formula
    for k, node in enumerate(nodes):
        if isinstance(node, str):
            # Its start goes with the formula before it, its end with the formula after it:
            # the characters up to the first and from the last blank ("(", "),", "-dependent",
            # the "CT-" and "Bench:" of CT-ΔBench).
            end = _glued_tail(node, head) if k < last and isinstance(nodes[k + 1], Math) else len(node)
            out.append(html.escape(node[head:end], quote=False))
            lead, head = node[end:], 0
        elif isinstance(node, Math):
            following = nodes[k + 1] if k < last else None
            head = _glued_head(following) if isinstance(following, str) else 0
            math = span_html(node)
            if lead or head:
                assert following is None or isinstance(following, str) or not head
                after = following[:head] if isinstance(following, str) else ""
                math = (f'<span class="nw">{html.escape(lead, quote=False)}{math}'
                        f'{html.escape(after, quote=False)}</span>')
            out.append(math)
            lead = ""
        else:
            out.append(_styled(node))
            lead, head = "", 0
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
