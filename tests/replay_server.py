"""A local HTTP server that replays recorded fixtures and injects faults, for fetch tests.

    with ReplayServer() as server:
        server.route("/api/query", Reply(file="arxiv-api/api2026-search-zero-results.xml"),
                     query={"id_list": "1706.03762"})
        server.route("/rss/cs.CL", Reply(status=503), Reply(file="arxiv-rss/rss-cs.CL-2026-08-14.xml"))
        ... server.url ...

A route answers its replies in turn and repeats the last one, so "503 then success" is two
replies. Routes added later win over earlier ones, so a test can override a default table.
Faults: any status and headers (429 + Retry-After, 400 error feed), `delay` (longer than the
client's read timeout), `truncate` (a complete response holding cut-off XML/JSON), `cut_off`
(Content-Length promises more than is sent, then the socket closes), ETag -> 304, and 406 for
a request without an Accept header, as arXiv does. `closed_port_url()` gives a refused port.

Runs on 127.0.0.1, port 0, in a daemon thread; never touches the internet.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
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

    def payload(self) -> bytes:
        if self.body is not None:
            return self.body
        if self.file is not None:
            return (FIXTURES / self.file).read_bytes()
        return b""

    def guess_type(self) -> str:
        if self.content_type:
            return self.content_type
        name = self.file or ""
        if name.endswith(".json"):
            return "application/json"
        if name.endswith(".html"):
            return "text/html; charset=utf-8"
        if name.endswith(".xml"):
            return "application/atom+xml; charset=utf-8" if "arxiv-api" in name else "application/rss+xml; charset=utf-8"
        return "text/plain; charset=utf-8"


@dataclass
class Recorded:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    at: float


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
    def __init__(self, *, require_accept: bool = True):
        self.require_accept = require_accept
        self.requests: list[Recorded] = []
        self._routes: list[_Route] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> ReplayServer:
        self._thread.start()
        return self

    def stop(self) -> None:
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


def _handler_for(server: ReplayServer):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format, *args):  # keep pytest output clean
            pass

        def do_GET(self):
            parts = urlsplit(self.path)
            query = dict(parse_qsl(parts.query, keep_blank_values=True))
            headers = {k: v for k, v in self.headers.items()}
            server.requests.append(Recorded(parts.path, query, headers, time.monotonic()))
            if server.require_accept and not self.headers.get("Accept"):
                return self._send(406, b"Not Acceptable: send an Accept header", "text/plain")
            reply = server._pick(parts.path, query)
            if reply is None:
                return self._send(404, f"no route for {parts.path}?{parts.query}".encode(), "text/plain")
            if reply.delay:
                time.sleep(reply.delay)
            extra = dict(reply.headers)
            if reply.etag:
                extra["ETag"] = reply.etag
            if reply.last_modified:
                extra["Last-Modified"] = reply.last_modified
            if (reply.etag and self.headers.get("If-None-Match") == reply.etag) or (
                    reply.last_modified and not reply.etag
                    and self.headers.get("If-Modified-Since") == reply.last_modified):
                return self._send(304, b"", None, extra)
            body = reply.payload()
            if reply.truncate is not None:
                body = body[:reply.truncate]
            if reply.cut_off is not None:
                return self._send(reply.status, body[:reply.cut_off], reply.guess_type(), extra, length=len(body))
            return self._send(reply.status, body, reply.guess_type(), extra)

        def _send(self, status, body, content_type, headers=None, length=None):
            try:
                self.send_response(status)
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

    return Handler


def closed_port_url() -> str:
    """An http URL on 127.0.0.1 where nothing listens: connecting is refused at once."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"
