"""TeX's font commands as MathML that browsers really show: `mathvariant` plus the Unicode letter.

latex2mathml turns `\\mathcal{N}` into the letter 𝒩 (U+1D4A9) but `{\\cal N}`, `\\bf x` and
`\\boldsymbol\\theta` into `<mi mathvariant="script">N</mi>`, and MathML Core (Chromium) ignores
every mathvariant but "normal": `{\\cal N}` showed as a plain N. So each letter of an <mi> or <mn>
with a mathvariant becomes its Unicode mathematical alphanumeric (what MathML Core expects), and
an <mi> holding such letters without the attribute gets it (for readers and search engines that
read the attribute), so both spellings of a command give the same markup.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

# mathvariant -> the Unicode name prefix of its letters ("MATHEMATICAL BOLD CAPITAL X").
_PREFIX = {
    "bold": "BOLD", "italic": "ITALIC", "bold-italic": "BOLD ITALIC", "script": "SCRIPT",
    "bold-script": "BOLD SCRIPT", "fraktur": "FRAKTUR", "bold-fraktur": "BOLD FRAKTUR",
    "double-struck": "DOUBLE-STRUCK", "sans-serif": "SANS-SERIF", "bold-sans-serif": "SANS-SERIF BOLD",
    "sans-serif-italic": "SANS-SERIF ITALIC", "monospace": "MONOSPACE",
}
_VARIANT = {prefix: variant for variant, prefix in _PREFIX.items()}
# Letters Unicode encoded before the mathematical block (its "holes"): ℬ ℝ ℭ ...
_OLDER = {"SCRIPT": "SCRIPT", "DOUBLE-STRUCK": "DOUBLE-STRUCK", "FRAKTUR": "BLACK-LETTER"}
_TOKEN = re.compile(r'<(mi|mn)( mathvariant="([a-z-]+)")?>([^<]*)</\1>')
_CHAR_REF = re.compile(r"&#x([0-9A-Fa-f]+);|&#(\d+);")


@lru_cache(maxsize=4096)
def styled(char: str, variant: str) -> str:
    """`char` in the mathvariant's alphabet, or `char` itself when Unicode has no such letter."""
    prefix = _PREFIX.get(variant)
    if prefix is None or not char.isalnum():
        return char
    name = unicodedata.name(char, "")
    m = re.fullmatch(r"(LATIN|GREEK) (CAPITAL|SMALL) LETTER (\w+)|DIGIT (\w+)", name)
    if not m:
        return char
    tail = f"{m[2]} {m[3]}" if m[1] else f"DIGIT {m[4]}"
    for candidate in (f"MATHEMATICAL {prefix} {tail}", f"{_OLDER.get(prefix, '?')} {tail}"):
        try:
            return unicodedata.lookup(candidate)
        except KeyError:
            continue
    return char


@lru_cache(maxsize=4096)
def variant_of(char: str) -> str | None:
    """The mathvariant whose alphabet `char` belongs to (𝒩 -> "script"), or None."""
    name = unicodedata.name(char, "")
    m = re.fullmatch(r"(?:MATHEMATICAL )?(.+?) (?:CAPITAL|SMALL|DIGIT) \w+", name)
    if not m or name.startswith(("LATIN", "GREEK", "DIGIT")):
        return None
    prefix = {"BLACK-LETTER": "FRAKTUR"}.get(m[1], m[1])
    return _VARIANT.get(prefix)


def _text(escaped: str) -> str:
    return _CHAR_REF.sub(lambda m: chr(int(m[1], 16) if m[1] else int(m[2])), escaped)


def _token(m: re.Match) -> str:
    tag, variant, text = m[1], m[3], html.unescape(_text(m[4]))
    if variant is None:
        found = {variant_of(c) for c in text}
        if len(found) != 1 or None in found:
            return m[0]
        variant = found.pop()
    elif variant != "normal":
        text = "".join(styled(c, variant) for c in text)
    return f'<{tag} mathvariant="{variant}">{html.escape(text, quote=False)}</{tag}>'


# latex2mathml writes `\\mathrm{d}` as a bare <mi>d</mi>, which MathML shows in italics; the
# old form `{\\rm d}` gets mathvariant="normal", so the one becomes the other first.
_MATHRM = re.compile(r"\\mathrm\s*\{([^{}]*)\}")


def prepare(tex: str) -> str:
    """TeX rewritten where latex2mathml handles one spelling of a font command better."""
    return _MATHRM.sub(r"{\\rm \1}", tex) if "\\mathrm" in tex else tex


def apply_fonts(mathml: str) -> str:
    """The MathML with every styled token written as described in the module docstring."""
    return _TOKEN.sub(_token, mathml) if "<m" in mathml else mathml
