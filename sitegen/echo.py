"""What a server said, fit to print: one short line, with secrets blanked out.

Servers are untrusted and what sitegen prints often lands in a public CI log, so every text a
server sends back (an SMTP reply, an HTTP reason phrase or error body, a redirect's Location,
the reason in an arXiv error feed or a Hugging Face error) reaches a message only through
`echo`: control characters dropped, line breaks and runs of spaces made one space, cut to
ECHO_CHARS. With a `Mask`, every form of the secrets it holds is blanked out first: as
given, percent-encoded and -decoded, and base64 at all three byte alignments (so the
secret is found inside the base64 of any longer string too, such as AUTH PLAIN's
"\\0user\\0password" or a server's own re-encoding). Matching ignores ASCII case.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from urllib.parse import quote, quote_plus, unquote

ECHO_CHARS = 200  # a server's words in one message: enough for "550 5.7.1 <why>", no essay
HIDDEN = "***"
# A base64 "core" shorter than this is not blanked on its own: two characters carry 12 bits
# and would blank half of any text. The secret's full forms are blanked whatever their length.
MIN_CORE = 3

# Dropped, not made spaces: C0/C1 controls other than whitespace, DEL, bidi and other format
# characters that reorder or hide text, lone surrogates, BOM. A server that spreads a secret
# out with NULs ("p\0a\0s\0s", UTF-16) gets it joined again, and blanked.
_INVISIBLE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069"
                        "\ud800-\udfff\ufeff]")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def one_line(text: str) -> str:
    """`text` without invisible characters, every run of whitespace one space."""
    return " ".join(_INVISIBLE.sub("", text).split())


def cut(text: str, limit: int) -> str:
    """`text` if it fits in `limit` characters, else its start and "…"."""
    return text if len(text) <= limit else text[:max(limit - 1, 0)].rstrip() + "…"


class Mask:
    """The forms of some secrets that must never be printed."""

    def __init__(self, secrets: Iterable[str | None] = ()):
        self._forms: set[str] = set()
        for secret in secrets:
            self.add(secret)

    def add(self, secret: str | None) -> None:
        """Blank `secret` in every form: as given, percent-encoded or -decoded, base64."""
        if not secret:
            return
        texts = {secret, unquote(secret), quote(secret, safe=""), quote(secret), quote_plus(secret)}
        for text in texts:
            self.add_exact(text)
        for data in {t.encode("utf-8", "surrogatepass") for t in texts if t}:
            self.add_exact(base64.b64encode(data).decode("ascii"))
            for core in base64_cores(data):
                if len(core) >= MIN_CORE:
                    self.add_exact(core)

    def add_exact(self, text: str | None) -> None:
        """Blank `text` itself (and as `echo` flattens it), no other form of it."""
        for form in {text or "", one_line(text or "")} - {""}:
            urlsafe = form.replace("+", "-").replace("/", "_")  # base64's URL-safe alphabet
            self._forms.update({form.translate(_ASCII_LOWER), urlsafe.translate(_ASCII_LOWER)})

    def merge(self, other: Mask) -> None:
        """Blank what `other` blanks, too."""
        self._forms |= other._forms

    @property
    def longest(self) -> int:
        return max(map(len, self._forms), default=0)

    def __bool__(self) -> bool:
        return bool(self._forms)

    def hide(self, text: str, complete: bool = True) -> str:
        """`text` with every occurrence of every form (overlapping ones too) replaced by one
        HIDDEN. `complete=False`: `text` is the start of something longer, so its last
        `longest` characters might begin a secret that goes on; they are dropped."""
        if not self._forms:
            return text
        covered = bytearray(len(text))
        self._cover(text.translate(_ASCII_LOWER), covered, None)  # ASCII only: indexes stay put
        if "%" in text or "+" in text:
            # And with every %XX of an ASCII character decoded, and "+" read as a space (as
            # forms write it): a server may escape any mix of characters.
            decoded, starts = _percent_decoded(text)
            decoded = decoded.translate(_ASCII_LOWER)
            self._cover(decoded, covered, starts)
            if "+" in decoded:
                self._cover(decoded.replace("+", " "), covered, starts)
        end = len(text) if complete else max(len(text) - self.longest, 0)
        out, i = [], 0
        while i < end:
            j = i
            if covered[i]:
                while j < len(text) and covered[j]:
                    j += 1
                out.append(HIDDEN)
            else:
                while j < end and not covered[j]:
                    j += 1
                out.append(text[i:j])
            i = j
        return "".join(out)


    def _cover(self, folded: str, covered: bytearray, starts: list[int] | None) -> None:
        """Mark in `covered` where a form occurs in `folded`; `starts` maps `folded`'s
        indexes back to the text's (None: they are the text's)."""
        for form in self._forms:
            start = folded.find(form)
            while start >= 0:
                a, b = (start, start + len(form)) if starts is None else (starts[start], starts[start + len(form)])
                covered[a:b] = b"\x01" * (b - a)
                start = folded.find(form, start + 1)


_ESCAPE = re.compile("%([0-7][0-9A-Fa-f])")  # an ASCII byte; others stay escaped (their forms are listed)


def _percent_decoded(text: str) -> tuple[str, list[int]]:
    """`text` with each %XX of an ASCII character decoded, and where each of its characters
    (and its end) lies in `text`."""
    out: list[str] = []
    starts: list[int] = []
    last = 0
    for m in _ESCAPE.finditer(text):
        out.append(text[last:m.start()])
        starts.extend(range(last, m.start()))
        out.append(chr(int(m.group(1), 16)))
        starts.append(m.start())
        last = m.end()
    out.append(text[last:])
    starts.extend(range(last, len(text) + 1))
    return "".join(out), starts


def base64_cores(data: bytes) -> list[str]:
    """For each of the three offsets (mod 3) `data` can start at inside a longer byte string,
    the base64 characters that depend on `data` alone: whatever surrounds it, the base64 of
    that longer string holds one of these."""
    cores = []
    for offset in range(3):
        encoded = base64.b64encode(bytes(offset) + data).decode("ascii")
        first = -(-8 * offset // 6)  # the first character whose 6 bits all come from `data`
        last = 8 * (offset + len(data)) // 6  # one past the last such character
        cores.append(encoded[first:last])
    return cores


def echo(text: str | bytes | None, limit: int = ECHO_CHARS, mask: Mask | None = None) -> str:
    """A server's `text` as one line of at most `limit` characters, with `mask`'s secrets
    blanked. Linear in `limit` (and the secrets' length), however long `text` is."""
    if not text:
        return ""
    longest = mask.longest if mask else 0
    # Only the start can show: `limit` characters, plus what blanked secrets and dropped
    # characters may take away before the output is full.
    window = 4 * limit + (limit // len(HIDDEN) + 2) * longest + 64
    if isinstance(text, (bytes, bytearray)):  # a UTF-8 character is at most 4 bytes
        head = bytes(text[:4 * window]).decode("utf-8", "replace")
        complete = len(text) <= 4 * window and len(head) <= window
    else:
        head, complete = text, len(text) <= window
    line = one_line(head[:window])
    if mask:
        line = mask.hide(line, complete=complete)
    return cut(line, limit) if complete else cut(line + "…", limit)
