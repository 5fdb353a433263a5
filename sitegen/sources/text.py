"""Cleaning of untrusted text from sources: one-line fields, abstracts and URLs.

Titles and names are whitespace-collapsed; abstracts keep their paragraphs and their LaTeX
exactly as written; control characters (other than newline) and bidi controls never reach a
snapshot; URLs are made valid or dropped (sitegen.urls).
"""

from __future__ import annotations

import re
import unicodedata

from sitegen.urls import encode_link

# C0/C1 controls, DEL, lone surrogates (JSON can carry "\ud800", which no file can encode),
# the two non-characters, and the bidi embeddings, overrides and isolates (U+202A-U+202E,
# U+2066-U+2069), which a title could leave open to reverse what a page shows after it. Tab
# and CR are turned into space and newline before this runs.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069]")


def _normalize(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = text.replace("\u2029", "\n\n").replace("\u2028", "\n")
    return _CONTROL.sub("", text)


def clean_line(text: str | None) -> str:
    """One line of text: titles, names, comments. Every whitespace run becomes one space.

    2016-era API titles wrap over lines ("... in the Large\\n  Connectivity Limit").
    """
    if not text:
        return ""
    return " ".join(_normalize(text).split())


def clean_optional(text: str | None) -> str | None:
    """`clean_line`, with empty results as None (for doi, journal_ref, comment)."""
    return clean_line(text) or None


def clean_abstract(text: str | None) -> str:
    """Unwrap hard-wrapped lines into paragraphs separated by one blank line.

    arXiv marks a new paragraph by starting a line with spaces ("\\n  In this paper ...");
    any other line break is a hard wrap (the legacy API wraps at ~80 columns) and becomes a
    space. Text inside a line, LaTeX included, is left exactly as written.
    """
    if not text:
        return ""
    paragraphs: list[list[str]] = []
    current: list[str] = []
    for line in _normalize(text).split("\n"):
        if (not line.strip() or line[0].isspace()) and current:
            paragraphs.append(current)
            current = []
        if line.strip():
            current.append(line.strip())
    if current:
        paragraphs.append(current)
    return "\n\n".join(" ".join(lines) for lines in paragraphs)


def clean_url(url: object) -> str | None:
    """An absolute http(s) URL, percent-encoded where RFC 3986 needs it (sitegen.urls), or
    None: `javascript:`, relative URLs and URLs with a bad host, port or control characters
    are dropped."""
    return encode_link(url)


# arXiv's RSS feed writes author names in TeX ("Jim\'enez Guti\'errez", "K{\i}z{\i}ltepe")
# where the API and listings give Unicode; names are matched and shown as text, so decode
# the accent macros. Titles and abstracts keep their TeX as written.
_ACCENTS = {
    "'": "\u0301", "`": "\u0300", '"': "\u0308", "^": "\u0302", "~": "\u0303", "=": "\u0304",
    ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "k": "\u0328",
    "r": "\u030a",
}
_LETTERS = {
    "i": "ı", "j": "ȷ", "o": "ø", "O": "Ø", "l": "ł", "L": "Ł", "ss": "ß", "ae": "æ", "AE": "Æ",
    "oe": "œ", "OE": "Œ", "aa": "å", "AA": "Å",
}
_SYMBOL_ACCENT = re.compile(r"""\\(['`"^~=.])\s*(?:\{\s*([^{}\\]|\\[ij])\s*\}|([A-Za-z]|\\[ij]\b))""")
_LETTER_ACCENT = re.compile(r"\\([uvHckr])\s*(?:\{\s*([^{}\\]|\\[ij])\s*\}|\s([A-Za-z]))")
_LETTER = re.compile(r"\\(ss|ae|AE|oe|OE|aa|AA|[ijoOlL])(?![A-Za-z])\s*")


def _accent(m: re.Match) -> str:
    base = m.group(2) or m.group(3)
    base = {"\\i": "i", "\\j": "j", "ı": "i", "ȷ": "j"}.get(base, base)
    return base + _ACCENTS[m.group(1)]


def clean_name(text: str | None) -> str:
    """An author name as one line of Unicode text, TeX accent macros decoded."""
    name = clean_line(text)
    if "\\" not in name and "{" not in name:
        return name
    name = _SYMBOL_ACCENT.sub(_accent, name)
    name = _LETTER_ACCENT.sub(_accent, name)
    name = _LETTER.sub(lambda m: _LETTERS[m.group(1)], name)
    if "\\" not in name:
        name = name.replace("{", "").replace("}", "")  # TeX grouping braces, now empty of macros
    return clean_line(unicodedata.normalize("NFC", name))
