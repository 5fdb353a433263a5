"""Nodes -> the HTML mail clients show: no MathML (Gmail and Outlook drop it), so math is
Unicode text with <i> for variables and <sub>/<sup> for scripts; styles as <em>, <strong>,
<code>; everything else escaped."""

from __future__ import annotations

import html

from sitegen.text.scanner import Math
from sitegen.text.tex_math import span_mail
from sitegen.text.tex_text import Node, Styled

_TAGS = {"em": "em", "strong": "strong", "code": "code"}


def nodes_mail(nodes: tuple[Node, ...] | list[Node]) -> str:
    out: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            out.append(html.escape(node))
        elif isinstance(node, Math):
            out.append(span_mail(node))
        else:
            out.append(_styled(node))
    return "".join(out)


def _styled(node: Styled) -> str:
    inner = nodes_mail(node.children)
    tag = _TAGS.get(node.style)
    return f"<{tag}>{inner}</{tag}>" if tag else inner
