"""A local HTTP server that replays recorded fixtures and injects faults, for fetch tests.

    with ReplayServer() as server:
        server.route("/api/query", Reply(file="arxiv-api/api2026-search-zero-results.xml"),
                     query={"id_list": "1706.03762"})
        server.route("/rss/cs.CL", Reply(status=503), Reply(file="arxiv-rss/rss-cs.CL-2026-08-14.xml"))
        ... server.url ...

A route answers its replies in turn and repeats the last one, so "503 then success" is two
replies. Routes added later win over earlier ones, so a test can override a default table.
Faults: any status, reason phrase and headers (429 + Retry-After, 400 error feed), `delay`
(longer than the client's read timeout), `truncate` (a complete response holding cut-off
XML/JSON), `cut_off` (Content-Length promises more than is sent, then the socket closes), ETag
-> 304, and 406 for a request without an Accept header, as arXiv does. `closed_port_url()`
gives a refused port.

Hostile servers (issue 8): `location` (a redirect; "{self}" is the request's own URL,
"{base}" the server's), `encoding` (the body sent gzip- or deflate-compressed), `stream` (a
body made chunk by chunk while it is sent, such as `gzip_bomb()`, so a test never holds it
whole), `trickle` (one byte every N seconds, of the body or, with `trickle_headers`, of the
whole answer), `body_fn` (a body computed from the query, e.g. endless fresh listing pages).
`SilentServer` accepts connections and never answers. `ReplayServer(tls=(cert, key))` speaks
https with a test certificate.

POST (Semantic Scholar's batch lookup) is answered from the same routes; the request's body
is recorded (`Recorded.body`), and `post_fn` makes a reply's body from it (answering the ids
a batch asked for, in their order).

Runs on 127.0.0.1, port 0, in daemon threads; never touches the internet.
"""

from __future__ import annotations

import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass
class Reply:
    status: int = 200
    file: str | None = None  # path under tests/fixtures
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = None
    delay: float = 0.0  # seconds before answering: a read timeout when > the client's
    etag: str | None = None  # answer 304 when the request's If-None-Match equals it
    last_modified: str | None = None
    truncate: int | None = None  # send only the first N bytes, with a matching Content-Length
    cut_off: int | None = None  # send N bytes but announce the full length, then hang up
    location: str | None = None  # a Location header; "{self}" and "{base}" are filled in
    encoding: str | None = None  # "gzip", "deflate" or "raw-deflate": compress the payload
    stream: Callable[[], Iterable[bytes]] | None = None  # a body made while sending, no length
    trickle: float = 0.0  # seconds between single bytes of the body
    trickle_headers: bool = False  # with trickle: the status line and headers too
    body_fn: Callable[[dict[str, str]], bytes] | None = None  # the body, from the request's query
    post_fn: Callable[[bytes], bytes] | None = None  # the body, from a POST request's body
    reason: str | None = None  # the status line's reason phrase, instead of the standard one

    def payload(self, query: dict[str, str] | None = None, posted: bytes = b"") -> bytes:
        if self.post_fn is not None:
            data = self.post_fn(posted)
        elif self.body_fn is not None:
            data = self.body_fn(query or {})
        elif self.body is not None:
            data = self.body
        elif self.file is not None:
            data = (FIXTURES / self.file).read_bytes()
        else:
            data = b""
        return compress(data, self.encoding) if self.encoding else data

    def guess_type(self) -> str:
        if self.content_type:
            return self.content_type
        name = self.file or ""
        if name.endswith(".json"):
            return "application/json"
        if name.endswith(".html"):
            return "text/html; charset=utf-8"
        if name.endswith(".xml"):
            feed = "atom" if "arxiv-api" in name else "rss"
            return f"application/{feed}+xml; charset=utf-8"
        return "text/plain; charset=utf-8"


@dataclass
class Recorded:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    at: float
    method: str = "GET"
    body: bytes = b""


@dataclass
class _Route:
    path: str
    query: dict[str, str | Callable[[str], bool]] | None
    replies: list[Reply]
    hits: int = 0

    def matches(self, path: str, query: dict[str, str]) -> bool:
        if path != self.path:
            return False
        for key, want in (self.query or {}).items():
            have = query.get(key)
            if have is None or not (want(have) if callable(want) else have == want):
                return False
        return True

    def next_reply(self) -> Reply:
        reply = self.replies[min(self.hits, len(self.replies) - 1)]
        self.hits += 1
        return reply


class ReplayServer:
    def __init__(self, *, require_accept: bool = True, tls: tuple[str, str] | None = None):
        self.require_accept = require_accept
        self.requests: list[Recorded] = []
        self.stopping = threading.Event()  # ends trickles and streams when the test is over
        self._routes: list[_Route] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self.scheme = "http"
        if tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self._httpd.socket = context.wrap_socket(self._httpd.socket, server_side=True)
            self.scheme = "https"
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"{self.scheme}://{host}:{port}"

    def start(self) -> ReplayServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> ReplayServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def route(self, path: str, *replies: Reply, query: dict | None = None) -> _Route:
        if not replies:
            raise ValueError("a route needs at least one reply")
        r = _Route(path, query, list(replies))
        with self._lock:
            self._routes.insert(0, r)  # newest first: later routes override earlier ones
        return r

    def hits(self, path: str, **query: str) -> list[Recorded]:
        """Recorded requests to `path` whose query holds every given key=value."""
        return [r for r in self.requests if r.path == path and all(r.query.get(k) == v for k, v in query.items())]

    def _pick(self, path: str, query: dict[str, str]) -> Reply | None:
        with self._lock:
            for r in self._routes:
                if r.matches(path, query):
                    return r.next_reply()
        return None


def _handler_for(server: ReplayServer) -> type[_ReplayHandler]:
    class Handler(_ReplayHandler):
        replay = server

    return Handler


class _ReplayHandler(BaseHTTPRequestHandler):
    """Answers requests from the routes of `replay` (set per server by _handler_for)."""

    protocol_version = "HTTP/1.1"
    replay: ReplayServer

    def log_message(self, format, *args):  # keep pytest output clean
        pass

    def do_GET(self):
        self._answer("GET", b"")

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self._answer("POST", self.rfile.read(min(length, 10_000_000)))

    def _answer(self, method: str, posted: bytes):
        parts = urlsplit(self.path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        headers = {k: v for k, v in self.headers.items()}
        self.replay.requests.append(Recorded(parts.path, query, headers, time.monotonic(), method, posted))
        if self.replay.require_accept and not self.headers.get("Accept"):
            return self._send(406, b"Not Acceptable: send an Accept header", "text/plain")
        reply = self.replay._pick(parts.path, query)
        if reply is None:
            return self._send(404, f"no route for {parts.path}?{parts.query}".encode(), "text/plain")
        if reply.delay:
            time.sleep(reply.delay)
        extra = self._reply_headers(reply)
        if self._not_modified(reply):
            return self._send(304, b"", None, extra)
        if reply.stream is not None:
            return self._stream(reply, extra)
        return self._send_payload(reply, query, extra, posted)

    def _reply_headers(self, reply: Reply) -> dict[str, str]:
        """The headers the reply adds to the usual ones."""
        extra = dict(reply.headers)
        if reply.etag:
            extra["ETag"] = reply.etag
        if reply.last_modified:
            extra["Last-Modified"] = reply.last_modified
        if reply.location is not None:
            base = self.replay.url
            extra["Location"] = reply.location.replace("{self}", base + self.path).replace("{base}", base)
        if reply.encoding:
            extra["Content-Encoding"] = "deflate" if reply.encoding == "raw-deflate" else reply.encoding
        return extra

    def _not_modified(self, reply: Reply) -> bool:
        """The request's validator matches the reply's: answer 304."""
        if reply.etag:
            return self.headers.get("If-None-Match") == reply.etag
        return bool(reply.last_modified) and self.headers.get("If-Modified-Since") == reply.last_modified

    def _send_payload(self, reply: Reply, query: dict[str, str], headers: dict[str, str], posted: bytes = b"") -> None:
        body = reply.payload(query, posted)
        if reply.truncate is not None:
            body = body[:reply.truncate]
        if reply.trickle:
            return self._trickle(reply, body, headers)
        if reply.cut_off is not None:
            return self._send(reply.status, body[:reply.cut_off], reply.guess_type(), headers, length=len(body))
        return self._send(reply.status, body, reply.guess_type(), headers, reason=reply.reason)

    def _stream(self, reply: Reply, headers: dict[str, str]) -> None:
        """A body of unknown length, ended by closing the connection (HTTP/1.0 style)."""
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.guess_type())
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Connection", "close")
            self.close_connection = True
            self.end_headers()
            for chunk in reply.stream():
                if self.replay.stopping.is_set():
                    break
                self.wfile.write(chunk)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading: what these tests want

    def _trickle(self, reply: Reply, body: bytes, headers: dict[str, str]) -> None:
        head = [f"HTTP/1.1 {reply.status} {self.responses.get(reply.status, ('',))[0]}",
                f"Content-Type: {reply.guess_type()}", f"Content-Length: {len(body)}",
                *(f"{k}: {v}" for k, v in headers.items()), "", ""]
        raw = "\r\n".join(head).encode("latin-1")
        self.close_connection = True
        try:
            if not reply.trickle_headers:
                self.wfile.write(raw)
                self.wfile.flush()
                raw = b""
            data = raw + body
            for i in range(len(data)):
                if self.replay.stopping.is_set():
                    return
                self.wfile.write(data[i:i + 1])
                self.wfile.flush()
                time.sleep(reply.trickle)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _send(self, status, body, content_type, headers=None, length=None, reason=None):
        try:
            self.send_response(status, reason)
            if content_type:
                self.send_header("Content-Type", content_type)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            if status != 304:
                self.send_header("Content-Length", str(length if length is not None else len(body)))
            if length is not None:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (read timeout): nothing left to tell it


def compress(data: bytes, encoding: str) -> bytes:
    """`data` as a server would send it with Content-Encoding gzip, deflate (zlib-wrapped,
    as HTTP says) or raw-deflate (bare, as some servers send "deflate")."""
    wbits = {"gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS, "raw-deflate": -zlib.MAX_WBITS}[encoding]
    z = zlib.compressobj(6, zlib.DEFLATED, wbits)
    return z.compress(data) + z.flush()


GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"


def gzip_bomb(inflated: int = 1 << 30, block: int = 1 << 20) -> Iterator[bytes]:
    """A valid gzip stream of `inflated` zero bytes (~1 MB of gzip per GiB), made while sent.

    One block of zeros is deflated once and closed with a full flush, which resets the
    compressor's history: that piece of deflate data decodes the same wherever it stands, so
    repeating it builds the stream without ever compressing (or holding) a GiB. The CRC in
    the trailer is only computed as far as the stream is actually read.
    """
    z = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    zeros = bytes(block)
    piece = z.compress(zeros) + z.flush(zlib.Z_FULL_FLUSH)
    yield GZIP_HEADER
    crc, blocks = 0, inflated // block
    for _ in range(blocks):
        crc = zlib.crc32(zeros, crc)
        yield piece
    yield zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS).flush()  # the final, empty block
    yield crc.to_bytes(4, "little") + ((blocks * block) & 0xFFFFFFFF).to_bytes(4, "little")


class SilentServer:
    """A host that accepts TCP connections on 127.0.0.1 and never says a word."""

    def __init__(self):
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self._listener.settimeout(0.05)
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._held: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self.accepted = 0

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except (TimeoutError, OSError):
                continue
            self.accepted += 1
            self._held.append(conn)  # held open, never read, never answered

    def __enter__(self) -> SilentServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        for conn in self._held:
            conn.close()
        self._listener.close()


def closed_port_url() -> str:
    """An http URL on 127.0.0.1 where nothing listens: connecting is refused at once."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"
