"""The on-disk cache behind conditional GETs: one body and one validator record per URL.

A server that sends `ETag` or `Last-Modified` gets them back as `If-None-Match` /
`If-Modified-Since` on the next request; a 304 is then answered from the stored body, so an
unchanged feed costs the server almost nothing. The cache lives under `[fetch] cache`, never
inside content/, and losing it only costs one full download: every failure to read or write
it is swallowed, never allowed to fail a fetch. Its files are read only as regular files, not
through a link, and no bigger than an answer may be (`max_bytes`); a link or a FIFO there is a
cache miss, never a hang or an outside file's bytes (sitegen.safe_fs).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from sitegen.atomic import atomic_write
from sitegen.safe_fs import read_regular_file

_META_CAP = 64_000  # a URL, two validators and a hash: well under 10 KB


@dataclass(frozen=True)
class CachedResponse:
    url: str
    body: bytes
    etag: str | None
    last_modified: str | None

    def validators(self) -> dict[str, str]:
        """The conditional-request headers that ask "has this changed since?"."""
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


class HttpCache:
    """Validator + body per URL in `folder`; `None` as folder disables caching."""

    def __init__(self, folder: Path | None):
        self.folder = folder

    def _paths(self, url: str) -> tuple[Path, Path]:
        # Hashed names: URLs hold characters no file system likes, and length is bounded.
        assert self.folder is not None
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()[:40]
        return self.folder / f"{key}.json", self.folder / f"{key}.body"

    def load(self, url: str, max_bytes: int) -> CachedResponse | None:
        """The stored answer to url, if it is whole and at most max_bytes (what the source may send)."""
        if self.folder is None:
            return None
        meta_path, body_path = self._paths(url)
        try:
            meta = json.loads(read_regular_file(meta_path, _META_CAP, "a cache record"))
            body = read_regular_file(body_path, max_bytes, "a cached answer")
        except (OSError, ValueError):  # UnsafeFile is an OSError: a link, a FIFO, too big
            return None
        # A hash collision or a half-written pair must never serve the wrong body.
        if (not isinstance(meta, dict) or meta.get("url") != url
                or meta.get("sha256") != hashlib.sha256(body).hexdigest()):
            return None
        return CachedResponse(url, body, meta.get("etag"), meta.get("last_modified"))

    def store(self, url: str, body: bytes, etag: str | None, last_modified: str | None) -> None:
        if self.folder is None or not (etag or last_modified):
            return  # nothing to validate against next time: keeping the body would be waste
        meta_path, body_path = self._paths(url)
        meta = {"url": url, "etag": etag, "last_modified": last_modified, "sha256": hashlib.sha256(body).hexdigest()}
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            # Body first, then the record that vouches for it (by hash): a crash between the
            # two leaves a record whose hash check fails, never validators for the wrong body.
            atomic_write(body_path, body)
            atomic_write(meta_path, json.dumps(meta, sort_keys=True).encode("utf-8"))
        except OSError:
            pass
