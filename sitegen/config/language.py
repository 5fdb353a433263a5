"""`site.language`: a well-formed BCP 47 language tag (RFC 5646, section 2.1), checked by its syntax.

The tag goes into every page's `lang`, every feed's `<language>` and Pagefind's index, which
panicked on `en" x` and left the site without search. Only the syntax is checked (subtags of
the right length and kind in the right order), not the IANA registry: a tag a browser does
not know still harms nothing, and the registry is a data file to keep up to date for no gain
(why not the `langcodes` package: it validates against that registry, which is the part not
wanted here). One pass over the subtags: linear in the tag's length.
"""

from __future__ import annotations

MAX_LENGTH = 100  # RFC 5646 sets no maximum; real tags are under 20 characters

# Tags registered before RFC 4646 that the grammar below does not produce (section 2.2.8).
_IRREGULAR = frozenset({
    "en-gb-oed", "i-ami", "i-bnn", "i-default", "i-enochian", "i-hak", "i-klingon", "i-lux", "i-mingo",
    "i-navajo", "i-pwn", "i-tao", "i-tay", "i-tsu", "sgn-be-fr", "sgn-be-nl", "sgn-ch-de",
})


def _alpha(s: str, low: int, high: int) -> bool:
    return low <= len(s) <= high and s.isascii() and s.isalpha()


def _alnum(s: str, low: int, high: int) -> bool:
    return low <= len(s) <= high and s.isascii() and s.isalnum()


def _digits(s: str, n: int) -> bool:
    return len(s) == n and s.isascii() and s.isdigit()


def _private(subtags: list[str]) -> bool:
    """`x-` and one or more subtags of 1-8 letters or digits."""
    return len(subtags) > 1 and all(_alnum(s, 1, 8) for s in subtags[1:])


def _is_variant(s: str) -> bool:
    """5-8 letters or digits, or a digit and three letters or digits ("1901", "rozaj")."""
    return _alnum(s, 5, 8) or (_alnum(s, 4, 4) and s[0].isdigit())


def _language(subtags: list[str]) -> int:
    """Where the subtags after the language (and its extlangs) start; 0 if it is not one:
    2-3 letters and up to three 3-letter extlangs, or 4-8 letters."""
    if not _alpha(subtags[0], 2, 8):
        return 0
    i = 1
    if len(subtags[0]) <= 3:
        while i < len(subtags) and i <= 3 and _alpha(subtags[i], 3, 3):
            i += 1
    return i


def _extensions(subtags: list[str], i: int) -> int:
    """Where the subtags after the extensions from `i` start; -1 for a singleton left bare."""
    while i < len(subtags) and _alnum(subtags[i], 1, 1) and subtags[i] != "x":
        j = i + 1
        while j < len(subtags) and _alnum(subtags[j], 2, 8):
            j += 1
        if j == i + 1:
            return -1  # a singleton needs at least one subtag after it
        i = j
    return i


def is_language_tag(tag: str) -> bool:
    """True when `tag` is a well-formed BCP 47 tag ("en", "pt-BR", "zh-Hant-TW", "de-CH-1901")."""
    if not tag or len(tag) > MAX_LENGTH:
        return False
    if tag.lower() in _IRREGULAR:
        return True
    subtags = tag.lower().split("-")
    if subtags[0] == "x":
        return _private(subtags)
    i = _language(subtags)
    if i == 0:
        return False
    if i < len(subtags) and _alpha(subtags[i], 4, 4):  # script
        i += 1
    if i < len(subtags) and (_alpha(subtags[i], 2, 2) or _digits(subtags[i], 3)):  # region
        i += 1
    while i < len(subtags) and _is_variant(subtags[i]):
        i += 1
    i = _extensions(subtags, i)
    if i == -1:
        return False
    if i < len(subtags) and subtags[i] == "x":
        return _private(subtags[i:])
    return i == len(subtags)
