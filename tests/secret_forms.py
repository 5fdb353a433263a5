"""`leaks(text, secret)`: does `text` give `secret` away, in any form a server could echo?

An oracle independent of sitegen.echo: it does not list forms to look for, it decodes what
is there. The secret as it is (any ASCII case), after percent-decoding the whole text (any
percent-encoding of it), and inside the base64 decoding of every run of base64 characters
(standard or URL-safe alphabet) read from each of its four starting offsets (base64 of any
longer string holding it, at any alignment).
"""

from __future__ import annotations

import base64
import re
from urllib.parse import unquote, unquote_plus

_RUN = re.compile(r"[A-Za-z0-9+/_-]{2,}")


def leaks(text: str, secret: str) -> bool:
    if not secret:
        return False
    folded, wanted = text.lower(), secret.lower()
    if any(wanted in form for form in (folded, unquote(folded), unquote_plus(folded))):
        return True
    data = secret.encode("utf-8")
    for run in _RUN.findall(text):
        run = run.replace("-", "+").replace("_", "/")
        for offset in range(4):
            chunk = run[offset:]
            chunk = chunk[:len(chunk) - len(chunk) % 4]
            if chunk and data in base64.b64decode(chunk):
                return True
    return False
