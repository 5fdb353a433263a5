"""Text as tokens for the venue reader: runs of letters, runs of digits, line breaks and single
other characters ("ICLR'26" is "ICLR", "'", "26"; "camera-ready" is "camera", "-", "ready").

One pass of a pattern whose alternatives are single character classes, possessive (`++`), so
it cannot backtrack: fetched text of any length is read in time linear in its length.
"""

from __future__ import annotations

import re

# Letters (\w without digits and "_"), digits, a line break, any other visible character.
_TOKEN = re.compile(r"[^\W\d_]++|\d++|\n|\S")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def words(text: str) -> list[str]:
    """Only the runs of letters."""
    return [t for t in _TOKEN.findall(text) if t[0].isalpha()]
