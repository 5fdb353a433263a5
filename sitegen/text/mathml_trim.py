"""Shorter MathML that renders the same: what latex2mathml writes that no browser needs.

MathML is a fifth of a list page's bytes, and latex2mathml is generous with it:

- `<mrow>` around a single child (`<msub><mi>x</mi><mrow><mi>i</mi></mrow></msub>`) or as the
  only child of `<math>` / `<msqrt>`, which lay out their children as a row already. A row of
  one child is that child; the one exception is an operator (`<mrow><mo>*</mo></mrow>`, an
  "embellished operator" whose spacing depends on being its own row), so those stay.
- `fence="false"`: MathML Core gives `fence` no effect on layout.

`stretchy="false"` on brackets stays, although no bracket in `O(n log n)` looks stretched:
Chromium stretches a bracket symmetrically about the math axis, which in a row of letters can
already pick a larger glyph (tests/test_mathml_trim.py compares the drawings pixel by pixel).

Works on the sanitized string (no parser dependency): tags are matched as they come, and
anything unexpected (a tag left open) returns the input unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_TAG = re.compile(r"<(/?)([a-z]+)((?:\s[^>]*)?)>")
# Inside <math>, these lay out their children as a row: one holding a single operator is an
# operator itself (MathML's "embellished operator"), as is a script or fraction built on one.
_ROWS = frozenset({"mrow", "msqrt", "mstyle", "mtd", "mpadded", "mphantom"})
_SCRIPTED = frozenset({"msub", "msup", "msubsup", "munder", "mover", "munderover", "mfrac", "mmultiscripts"})
_INFERRED_ROWS = frozenset({"math", "msqrt"})  # an only <mrow> child adds nothing to these
_TOKENS = frozenset({"mi", "mn", "mo", "mtext", "ms"})  # hold text, never an <mrow>
_FENCE_FALSE = re.compile(r'\sfence="false"')


@dataclass
class Node:
    tag: str
    attrs: str = ""
    children: list[Node | str] = field(default_factory=list)

    def elements(self) -> list[Node]:
        return [c for c in self.children if isinstance(c, Node)]


def trim_mathml(html: str) -> str:
    """`html` with each <math> element trimmed; the input itself when it holds no <math>."""
    if "<math" not in html:
        return html
    tree = parse(html)
    if tree is None:
        return html
    _trim(tree)
    return "".join(_serialize(c) for c in tree.children)


def parse(html: str) -> Node | None:
    """A tree of the tags; None when the tags do not nest (sanitized MathML always closes
    every element, <mspace> too)."""
    root = Node("")
    stack = [root]
    pos = 0
    for m in _TAG.finditer(html):
        if m.start() > pos:
            stack[-1].children.append(html[pos:m.start()])
        pos = m.end()
        closing, tag, attrs = m.group(1), m.group(2), m.group(3)
        if attrs.endswith("/"):
            return None
        if not closing:
            node = Node(tag, attrs)
            stack[-1].children.append(node)
            stack.append(node)
        elif len(stack) == 1 or stack.pop().tag != tag:
            return None
    if len(stack) != 1:
        return None
    if pos < len(html):
        root.children.append(html[pos:])
    return root


def _embellished(node: Node) -> bool:
    """An operator, or an element whose spacing MathML takes from the operator at its core."""
    if node.tag == "mo":
        return True
    kids = node.elements()
    if node.tag in _SCRIPTED and kids:
        return _embellished(kids[0])
    if node.tag in _ROWS:
        return len(kids) == 1 and _embellished(kids[0])
    return False


def _trim(node: Node) -> None:
    for child in node.elements():
        _trim(child)
    if node.tag == "mo":
        node.attrs = _FENCE_FALSE.sub("", node.attrs)
    if node.tag == "" or node.tag in _TOKENS:
        return  # the text around <math>, or a token: nothing to unwrap
    node.children = [c for item in node.children for c in _unwrapped(node, item)]


def _unwrapped(parent: Node, item: Node | str) -> list[Node | str]:
    """The item, or the children of an <mrow> that adds nothing where it stands."""
    if not isinstance(item, Node) or item.tag != "mrow" or item.attrs.strip():
        return [item]
    kids = item.elements()
    if any(isinstance(c, str) and c.strip() for c in item.children):
        return [item]
    if len(kids) == 1 and not _embellished(kids[0]):
        return _unwrapped(parent, kids[0])
    if parent.tag in _INFERRED_ROWS and len(parent.elements()) == 1:
        return list(kids)
    return [item]


def _serialize(item: Node | str) -> str:
    if isinstance(item, str):
        return item
    return f"<{item.tag}{item.attrs}>" + "".join(_serialize(c) for c in item.children) + f"</{item.tag}>"
