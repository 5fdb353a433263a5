"""Reading a response body with a hard cap on its size after decompression.

urllib3 never decodes here: the client asks for `gzip, deflate` only, streams the raw body
and inflates it with zlib's `decompressobj().decompress(data, max_length)`, which never
returns more than asked for. So a small compressed body that would inflate to gigabytes (a
gzip bomb) costs at most the cap in memory before it is refused, whatever its ratio. A
Content-Length above the cap is refused before anything is read.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable

CHUNK = 64 * 1024
_GZIP = ("gzip", "x-gzip")
_GZIP_MAGIC = b"\x1f\x8b"


class TooLarge(Exception):
    """The body is (or announces itself as) larger than the cap."""


class BadEncoding(Exception):
    """A Content-Encoding we did not ask for (`unsupported`), or a corrupt compressed stream."""

    def __init__(self, message: str, unsupported: bool = False):
        super().__init__(message)
        self.unsupported = unsupported


class CutShort(Exception):
    """The compressed stream ended before its own end marker: the body was cut off."""


def check_length(declared: str | None, limit: int) -> None:
    """Refuse before reading when Content-Length already exceeds the cap."""
    text = (declared or "").strip()
    if len(text) > 18 and text.isdigit():  # more than 10^18 bytes, said in as many digits as it likes
        raise TooLarge(f"the answer announces a {len(text):,}-digit number of bytes (Content-Length), more than "
                       f"the {limit} allowed")
    try:
        length = int(text)
    except ValueError:
        return  # absent or garbled: the streamed count decides
    if length > limit:
        raise TooLarge(f"the answer announces {length} bytes (Content-Length), more than the {limit} allowed")


def read_body(chunks: Iterable[bytes], encoding: str | None, limit: int) -> bytes:
    """The decoded body of `chunks` (raw bytes off the wire); TooLarge past `limit` bytes."""
    inflater = Inflater(encoding or "", limit)
    raw = 0
    for chunk in chunks:
        raw += len(chunk)
        if raw > limit:  # compressed data beyond the cap cannot decode to less that we want
            raise TooLarge(f"the answer is larger than {limit} bytes")
        inflater.feed(chunk)
    return inflater.finish()


class Inflater:
    """gzip, deflate or identity decoding that never holds more than `limit` decoded bytes."""

    def __init__(self, encoding: str, limit: int):
        codings = [c.strip().lower() for c in encoding.split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        if len(codings) > 1 or (codings and codings[0] not in (*_GZIP, "deflate")):
            raise BadEncoding(f"unsupported Content-Encoding {encoding.strip()[:40]!r}", unsupported=True)
        self.coding = codings[0] if codings else None
        self.limit = limit
        self.size = 0
        self._parts: list[bytes] = []
        self._z: zlib._Decompress | None = None  # created once the first bytes tell the format
        self._head = b""  # deflate: the first bytes, until they tell zlib-wrapped from raw
        self._ended = False

    def feed(self, data: bytes) -> None:
        if self.coding is None:
            self._keep(data)
            return
        if self._z is None:
            self._head += data
            if self.coding == "deflate" and len(self._head) < 2:
                return
            data, self._head = self._head, b""
            self._z = zlib.decompressobj(self._wbits(data))
        self._inflate(data)

    def finish(self) -> bytes:
        if self.coding is not None:
            if self._z is None and self._head:  # a one-byte deflate body: let zlib judge it
                self._z = zlib.decompressobj(-zlib.MAX_WBITS)
                self._inflate(self._head)
            if self._z is not None and not self._ended:
                raise CutShort(f"the {self.coding} stream ends early")
        return b"".join(self._parts)

    def _wbits(self, head: bytes) -> int:
        if self.coding in _GZIP:
            return 16 + zlib.MAX_WBITS
        # HTTP's deflate is zlib-wrapped, but some servers send raw deflate: the zlib header
        # (compression method 8, header checksum divisible by 31) tells them apart.
        wrapped = head[0] & 0x0F == 8 and ((head[0] << 8) | head[1]) % 31 == 0
        return zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS

    def _inflate(self, data: bytes) -> None:
        z = self._z
        assert z is not None, "feed and finish create the decompressor before inflating"
        while data:
            if self._ended:
                if self.coding in _GZIP and data.startswith(_GZIP_MAGIC):
                    z = self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)  # the next member
                    self._ended = False
                else:
                    return  # padding after the stream's end marker: ignored, as gzip(1) does
            try:
                # Never more than one byte past the cap: if that much comes, it is too large.
                out = z.decompress(data, self.limit - self.size + 1)
            except zlib.error as exc:
                raise BadEncoding(f"corrupt {self.coding} body ({exc})") from None
            self._keep(out)
            if z.eof:
                self._ended = True
                data = z.unused_data
            else:
                # Output stayed under max_length, so zlib took all the input it was given.
                data = z.unconsumed_tail

    def _keep(self, out: bytes) -> None:
        self.size += len(out)
        if self.size > self.limit:
            after = " after decompression" if self.coding else ""
            raise TooLarge(f"the answer is larger than {self.limit} bytes{after}")
        if out:
            self._parts.append(out)
