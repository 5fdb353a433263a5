"""A formula's MathML read back as text: Unicode plain text, or the HTML mail clients show.

Mail clients drop MathML and plain text has no markup, so a formula is written as people
type math: `C_lifecycle(V) = C_train(V) + λ · C_infer(V, B)`, `x²`, `xᵢ`, `1/√d`,
`O(n log n)`; the e-mail HTML puts scripts in <sub>/<sup> and single-letter variables in
<i>. Reading the MathML the page shows (not the TeX again) keeps every channel's formula
the same: the fonts (ℝ, 𝒩), the operators and the spaces around function names.
"""

from __future__ import annotations

import html

from sitegen.text.mathml_trim import Node, parse

# Operators written with a space on each side (unless they start a row: "−x", "<2%").
_SPACED = frozenset("=≠<>≤≥≈∼≃≅≡∝→←↔⇒⇐⇔↦∈∉⊂⊆⊃⊇∪∩+−±∓×·⋅÷∗∘⊕⊗≪≫∣∧∨⊢⊨≺≻≼≽:") | {":=", "≔"}
_BIG = frozenset("∑∏∐∫∬∭∮⋃⋂⋁⋀⨁⨂")  # a large operator reads with a space before its operand
_AFTER_ONLY = frozenset(",;")  # "a, b": a space after, none before
_OPENING = frozenset("([{⟨⌊⌈|‖")
_SUP = dict(zip("0123456789+−-=()niTjkt⊤", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿⁱᵀʲᵏᵗᵀ", strict=True))
_SUB = dict(zip("0123456789+−-=()ijknmtxaeoprsluv", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ᵢⱼₖₙₘₜₓₐₑₒₚᵣₛₗᵤᵥ", strict=True))
_ATTACHED_SUP = frozenset("′″‴*∗†‡")  # θ*, f′: written right after the base
# Accents over one letter, as Unicode combining marks (x̂, ṽ, x̄, ẋ).
_COMBINING = {"^": "\u0302", "ˆ": "\u0302", "~": "\u0303", "˜": "\u0303", "¯": "\u0304", "―": "\u0305",
              "˙": "\u0307", "¨": "\u0308", "→": "\u20d7", "ˇ": "\u030c"}
_ROWS = frozenset({"math", "mrow", "mstyle", "mpadded", "menclose", "mtd", "semantics"})


def plain_text(mathml: str) -> str | None:
    """The formula as Unicode text, or None when the MathML cannot be read."""
    tree = parse(mathml)
    return None if tree is None else " ".join(_Writer(mail=False).row(tree.children).split())


def mail_html(mathml: str) -> str | None:
    """The formula as e-mail HTML, or None when the MathML cannot be read."""
    tree = parse(mathml)
    if tree is None:
        return None
    return " ".join(_Writer(mail=True).row(tree.children).split()).replace("</i><i>", "")


def _text(node: Node | str) -> str:
    """The characters a token holds."""
    if isinstance(node, str):
        return html.unescape(node)
    return "".join(_text(c) for c in node.children)


class _Writer:
    def __init__(self, mail: bool):
        self.mail = mail
        self.tight = 0  # inside a script or fraction: no spaces around operators

    def esc(self, text: str) -> str:
        return html.escape(text, quote=False) if self.mail else text

    def row(self, children: list[Node | str]) -> str:
        items = [c for c in children if isinstance(c, Node)]
        out: list[str] = []
        prev: Node | None = None
        for i, node in enumerate(items):
            out.append(self._in_row(node, prev, i == len(items) - 1))
            prev = node
        return "".join(out)

    def _in_row(self, node: Node, prev: Node | None, last: bool) -> str:
        if node.tag != "mo":
            written = self.node(node)
            if prev is not None and _is_word_operator(prev) and _visible(written)[:1].isalnum():
                return " " + written  # "max_x f(x)", "lim a_n"
            return written
        op = _text(node)
        text = self.esc(op)
        if self.tight:
            return text
        if op in _AFTER_ONLY:
            return text + " "
        prefix = prev is None or (prev.tag == "mo" and _text(prev) not in ")]}⟩⌋⌉|‖")
        if op in _SPACED and not prefix and not last:  # "−x", "64+": no spaces
            return f" {text} "
        if len(op) > 1 and op.isalpha():
            return f" {text} " if prev is not None else f"{text} "
        return text

    def node(self, node: Node) -> str:
        tag = node.tag
        if tag in _ROWS:
            return self.row(node.children)
        if tag == "mi":
            return self._identifier(node)
        if tag in ("mn", "mo", "mtext", "ms"):
            return self.esc(_text(node))
        if tag == "mspace":
            return " "
        if tag in ("msub", "msup", "msubsup", "munder", "mover", "munderover"):
            return self._scripted(node)
        if tag == "mfrac":
            return self._fraction(node)
        if tag in ("msqrt", "mroot"):
            return self._root(node)
        if tag == "mtable":
            return "; ".join(", ".join(self.node(cell) for cell in r.elements()) for r in node.elements())
        return ""  # mphantom, annotation: nothing to read

    def _identifier(self, node: Node) -> str:
        text = _text(node)
        if self.mail and len(text) == 1 and text.isalpha() and "mathvariant" not in node.attrs:
            return f"<i>{self.esc(text)}</i>"
        return self.esc(text)

    def _part(self, node: Node) -> str:
        self.tight += 1
        try:
            return self.node(node)
        finally:
            self.tight -= 1

    def _scripted(self, node: Node) -> str:
        kids = node.elements()
        if len(kids) < 2:
            return "".join(self.node(k) for k in kids)
        base = self.node(kids[0])
        if node.tag == "mover" and _text(kids[1]) in _COMBINING and len(_text(kids[0])) == 1:
            mark = _COMBINING[_text(kids[1])]  # x̂, not x^^; inside the <i> that holds the letter
            return base[:-4] + mark + "</i>" if base.endswith("</i>") else base + mark
        if node.tag in ("munder",) and _text(kids[1]) in ("―", "_", "¯"):
            return base  # \underline: the letters are what reads
        subs = {"msub": (kids[1], None), "msup": (None, kids[1]), "munder": (kids[1], None),
                "mover": (None, kids[1])}.get(node.tag, (kids[1], kids[2] if len(kids) > 2 else None))
        out = base
        if subs[0] is not None:
            out += self._script(subs[0], "sub")
        if subs[1] is not None:
            out += self._script(subs[1], "sup")
        return out

    def _script(self, node: Node, kind: str) -> str:
        raw = _text(node)
        if kind == "sup" and raw in _ATTACHED_SUP:
            return self.esc(raw)
        text = self._part(node)
        if self.mail:
            return f"<{kind}>{text}</{kind}>"
        table = _SUP if kind == "sup" else _SUB
        letters = sum(c.isalpha() for c in text)
        if text and letters <= 1 and all(c in table for c in text):
            return "".join(table[c] for c in text)
        mark = "^" if kind == "sup" else "_"
        return mark + text if text.isalnum() else f"{mark}({text})"

    def _fraction(self, node: Node) -> str:
        kids = node.elements()
        if len(kids) != 2:
            return "".join(self._part(k) for k in kids)
        num, den = (self._grouped(self._part(k)) for k in kids)
        return f"{num}/{den}"

    def _root(self, node: Node) -> str:
        kids = node.elements()
        if node.tag == "msqrt":
            return "√" + self._grouped(self._part_row(kids))
        if len(kids) != 2:
            return "√" + self._grouped(self._part_row(kids))
        index = _text(kids[1])
        sign = {"3": "∛", "4": "∜"}.get(index)
        body = self._grouped(self._part(kids[0]))
        return sign + body if sign else f"root({index}, {body})"

    def _part_row(self, kids: list[Node]) -> str:
        self.tight += 1
        try:
            return "".join(self.node(k) for k in kids)
        finally:
            self.tight -= 1

    def _grouped(self, text: str) -> str:
        """`text` as one operand: bracketed unless it is one number, name or bracketed whole."""
        plain = _visible(text) if self.mail else text
        plain = plain.lstrip("√∛∜") or plain
        if plain.isalnum() or len(plain) == 1 or _bracketed(plain) or plain.replace(".", "").isdigit():
            return text
        return f"({text})"


def _is_word_operator(node: Node) -> bool:
    """`max`, `lim`, `argmax`, alone or with its limits."""
    core = node
    while core.tag in ("msub", "msup", "msubsup", "munder", "mover", "munderover") and core.elements():
        core = core.elements()[0]
    text = _text(core)
    return core.tag == "mo" and ((len(text) > 1 and text.isalpha()) or text in _BIG)


def _visible(written: str) -> str:
    """E-mail HTML as the text it shows (only <i>, <sub> and <sup> are ever in it)."""
    for tag in ("<i>", "</i>", "<sub>", "</sub>", "<sup>", "</sup>"):
        written = written.replace(tag, "")
    return html.unescape(written)


def _bracketed(text: str) -> bool:
    return len(text) > 1 and text[0] in "([{" and text[-1] == {"(": ")", "[": "]", "{": "}"}[text[0]]
