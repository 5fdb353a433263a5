"""TeX's thin space around function names (`\\log`, `\\sin`, ...), which MathML leaves out.

latex2mathml writes `\\log n` as `<mi>log</mi><mi>n</mi>`, and a browser lays out a row of
`<mi>`s with no space between them: `O(n \\log n)` read "O(nlogn)". TeX puts a thin space
between a function name (an operator atom) and an ordinary symbol on either side, and none
before an opening bracket (`\\log(n)`) or after an operator (`= \\log n`). This adds that thin
space, as the `<mspace>` latex2mathml writes for `\\,`, around each function name, alone or
with a simple sub- or superscript (`\\log_2 n`). Works on the sanitized MathML string.
"""

from __future__ import annotations

import re

_NAMES = ("arccos|arcsin|arctan|arg|cos|cosh|cot|coth|csc|deg|det|dim|exp|gcd|hom|ker|lg|ln|log|"
          "Pr|sec|sin|sinh|tan|tanh")
_FUNCTION = re.compile(
    rf"<mi>(?:{_NAMES})</mi>"
    rf"|<(msub|msup)><mi>(?:{_NAMES})</mi><m[ino]>[^<]*</m[ino]></\1>"
)
THIN = '<mspace width="0.167em"></mspace>'
# What ends an ordinary symbol before the name, or starts one after it (a closing bracket
# counts before, as TeX spaces Close-Op; an opening one after it gets no space, as Op-Open).
_ORD_END = ("</mi>", "</mn>", "</msub>", "</msup>", "</msubsup>", "</mfrac>", "</msqrt>", "</mtext>",
            ")</mo>", "]</mo>", "|</mo>")
_ORD_START = ("<mi>", "<mi ", "<mn>", "<msub>", "<msup>", "<msubsup>", "<mfrac>", "<msqrt>", "<mtext>")


def space_functions(mathml: str) -> str:
    """The MathML with a thin space between each function name and an ordinary neighbour."""
    if "</mi>" not in mathml:
        return mathml
    return _FUNCTION.sub(_spaced, mathml)


def _spaced(m: re.Match[str]) -> str:
    text = m.string
    before = THIN if text.endswith(_ORD_END, 0, m.start()) else ""
    after = THIN if text.startswith(_ORD_START, m.end()) else ""
    return before + m[0] + after
