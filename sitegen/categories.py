"""arXiv subject categories: the one rule for what a category name looks like.

`cs.CL`, `math-ph`, `cond-mat.str-el`, `hep-th`: an archive of lower-case words joined by
hyphens, optionally a dot and a subject class. The API also returns ACM and MSC classes as
category terms (`I.2.7`, `68T05`); those do not match and are never treated as categories.
"""

from __future__ import annotations

import re

CATEGORY = re.compile(r"[a-z]+(?:-[a-z]+)*(?:\.[A-Za-z]+(?:-[A-Za-z]+)*)?")


def is_category(text: str) -> bool:
    return CATEGORY.fullmatch(text) is not None
