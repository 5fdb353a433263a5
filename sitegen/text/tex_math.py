"""One math span -> MathML (pages, feeds), Unicode text (titles, meta, search, e-mail text) and
e-mail HTML, all from one latex2mathml parse, so every channel reads the same formula.

A span latex2mathml cannot read (an unknown command, unbalanced braces, a recursion it
cannot finish) is shown as its source, delimiters included, in every output: never dropped.
Spans longer than MAX_TEX are shown as source without trying (latex2mathml is slow on long
input: 100k letters take a second); document.MAX_READ bounds how much math one text has.
"""

from __future__ import annotations

import html
from functools import lru_cache

from sitegen.text.math_fonts import apply_fonts, prepare
from sitegen.text.math_spacing import space_functions
from sitegen.text.mathml_text import mail_html, plain_text
from sitegen.text.mathml_trim import trim_mathml
from sitegen.text.sanitize import sanitize
from sitegen.text.scanner import Math

MAX_TEX = 1000  # the longest formula in the shipped abstracts has ~200 characters

_MATH_OPEN = '<math xmlns="http://www.w3.org/1998/Math/MathML"'
# TeX sets capital Greek upright; latex2mathml writes them as <mi>, which MathML slants.
_UPRIGHT = {f"<mi>{c}</mi>": f'<mi mathvariant="normal">{c}</mi>' for c in "ΓΔΘΛΞΠΣΥΦΨΩ"}
# latex2mathml reads `\sim` as the letter "~"; TeX's \sim is the relation ∼.
_FIXES = {"<mi>~</mi>": "<mo>∼</mo>", **_UPRIGHT}


@lru_cache(maxsize=1)
def _tex_to_mathml():  # imported at first use: a build with nothing to render needs none
    from latex2mathml.converter import convert

    return convert


def _escape_percent(tex: str) -> str:
    """`%` as the character it is: an abstract is not a TeX file, and latex2mathml would
    read the rest of the formula as a comment ($50%$ showed as 50)."""
    if "%" not in tex:
        return tex
    out, backslashes = [], 0
    for c in tex:
        if c == "%" and backslashes % 2 == 0:
            out.append("\\")
        backslashes = backslashes + 1 if c == "\\" else 0
        out.append(c)
    return "".join(out)


def _balanced(tex: str) -> bool:
    """Every `{` closed and no `}` closing nothing (`\\{` and `\\}` are characters):
    latex2mathml reads `x^{2` as x², which is a guess, not what was written."""
    if "{" not in tex and "}" not in tex:
        return True
    depth, i, n = 0, 0, len(tex)
    while i < n:
        c = tex[i]
        if c == "\\":
            i += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth < 0:
                return False
        i += 1
    return depth == 0


@lru_cache(maxsize=65536)
def mathml(tex: str, display: bool = False) -> str | None:
    """The sanitized, trimmed MathML of one TeX span, or None when it cannot be read."""
    if len(tex) > MAX_TEX or not _balanced(tex):
        return None
    try:
        out = _tex_to_mathml()(prepare(_escape_percent(tex)), display="block" if display else "inline")
    except Exception:  # latex2mathml raises many types on odd input (RecursionError too); none is fatal
        return None
    if "<mi>\\" in out or "<merror" in out:
        return None  # a command it does not know, kept as its name: show the source instead
    # HTML puts <math> in the MathML namespace by itself and inline is the default display:
    # dropping both saves ~70 bytes a formula on pages that must stay small.
    out = sanitize(apply_fonts(out)).replace(_MATH_OPEN, "<math", 1).replace(' display="inline"', "", 1)
    for wrong, right in _FIXES.items():
        if wrong in out:
            out = out.replace(wrong, right)
    return space_functions(trim_mathml(out))


@lru_cache(maxsize=65536)
def math_html(tex: str, display: bool = False) -> str:
    """MathML for one TeX span, or its source as code when it cannot be converted."""
    out = mathml(tex, display)
    if out is None:
        delim = "$$" if display else "$"
        return f'<code class="tex">{html.escape(delim + tex + delim)}</code>'
    return out


def span_html(span: Math) -> str:
    out = mathml(span.tex, span.display)
    return out if out is not None else f'<code class="tex">{html.escape(span.source)}</code>'


@lru_cache(maxsize=65536)
def _plain(tex: str, display: bool) -> str | None:
    out = mathml(tex, display)
    return None if out is None else plain_text(out)


def span_plain(span: Math) -> str:
    """The span as Unicode text ("α > 0", "C_lifecycle(V)"), or its source."""
    out = _plain(span.tex, span.display)
    return out if out is not None else span.source


@lru_cache(maxsize=16384)
def _mail(tex: str, display: bool) -> str | None:
    out = mathml(tex, display)
    return None if out is None else mail_html(out)


def span_mail(span: Math) -> str:
    """The span as e-mail HTML (Unicode with <i>, <sub>, <sup>), or its source, escaped."""
    out = _mail(span.tex, span.display)
    return out if out is not None else html.escape(span.source, quote=False)
