"""`sitegen serve`: build, serve output/ on 127.0.0.1 under base_url's path, rebuild on change.

The server behaves like GitHub Pages for a project site: the site lives under the base URL's
path (`/paper-feeds/`; `/` redirects there), a folder URL serves its index.html, a folder
without its trailing slash is redirected, and a missing file gets 404.html with status 404.

While serving, content/, the template folders and the config file are watched (watchfiles);
a change rebuilds the site (incrementally, as `sitegen build` does) and open pages reload:
every HTML *response* gets a small script that polls `/__sitegen/version`. Absolute URLs made
from base_url (the subscribe box's feed address, feed and sitemap links, canonical links) are
rewritten in each text response to the server's own address, so what the page offers to copy
or subscribe to works locally. Nothing is ever written into output/ for either, so output/
stays exactly what `sitegen build` makes, for the address it will be published at. A failed
build is printed (and shown on open pages) while the last good site keeps being served.
Ctrl-C stops the server cleanly (exit status 0). Each rebuild takes the build lock, as
`sitegen build` does (sitegen.write.lock).

No symbolic link is served: every folder on the way to a file is opened with O_NOFOLLOW
relative to the one before (sitegen.safe_fs), and a link anywhere in the path, a FIFO, a
device or a file over MAX_FILE_BYTES is a 404, so a link placed in output/ cannot serve
/etc/passwd, and nothing in output/ can stall a request.
"""

from __future__ import annotations

import contextlib
import html
import json
import mimetypes
import os
import posixpath
import stat
import threading
import time
import traceback
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from sitegen.config.load import load_config
from sitegen.config.settings import Config
from sitegen.errors import SitegenError
from sitegen.safe_fs import lstat_under, read_under

VERSION_PATH = "/__sitegen/version"
# Each file is read whole (base URLs are rewritten in it). sitegen's largest are feeds of a
# few MB (a 600-paper day: 1.5 MB of RSS); 100 MB is the largest file GitHub takes in a
# repository. A bigger file is a 404, not a read of gigabytes into memory.
MAX_FILE_BYTES = 100_000_000
_TEXT = (".html", ".xml", ".opml", ".txt", ".json")  # where base_url may stand, written out
_TYPES = {
    ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8", ".json": "application/json",
    ".xml": "application/xml; charset=utf-8", ".opml": "text/x-opml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8", ".svg": "image/svg+xml", ".wasm": "application/wasm",
}
# Polls the version endpoint; reloads when a rebuild finished, shows the error when one failed.
_RELOAD = """<script>(function(){var v=%d,box=null;function show(t){if(!t){if(box){box.remove();box=null}return}\
if(!box){box=document.createElement("pre");box.setAttribute("role","alert");box.style.cssText="position:fixed;\
left:0;right:0;bottom:0;margin:0;max-height:40vh;overflow:auto;padding:.75rem;background:#7a0d0d;color:#fff;\
font:13px/1.4 monospace;white-space:pre-wrap;z-index:9999";document.body.appendChild(box)}box.textContent=\
"sitegen: the last build failed; showing the previous site.\\n\\n"+t}function poll(){fetch("%s",{cache:\
"no-store"}).then(function(r){return r.json()}).then(function(d){if(d.version!==v){location.reload();return}\
show(d.error);setTimeout(poll,1000)},function(){setTimeout(poll,2000)})}setTimeout(poll,1000)})();</script>"""


def base_path(base_url: str) -> str:
    """The path the site lives under: '/paper-feeds/' for https://owner.github.io/paper-feeds/."""
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"


class SiteServer(ThreadingHTTPServer):
    """A static server for a built site under a path prefix; optionally live-reloading."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], out_dir: Path, prefix: str = "/", live_reload: bool = False,
                 public_url: str | None = None):
        self.out_dir = Path(out_dir)
        self.prefix = prefix
        self.live_reload = live_reload
        self.public_url = public_url  # the site's base_url, shown as self.url in responses
        self.version = 0  # bumped after every successful rebuild
        self.error: str | None = None  # the last build's error, while it is unresolved
        self.lock = threading.Lock()
        super().__init__(address, _Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        if isinstance(host, (bytes, bytearray)):  # typeshed allows it; an AF_INET server has a str
            host = host.decode()
        return f"http://{host}:{port}{self.prefix}"

    def localise(self, data: bytes) -> bytes:
        """`data` with the public base URL replaced by this server's (as written in text and
        in HTML or XML, where `&` is `&amp;`)."""
        if not self.public_url or self.public_url == self.url:
            return data
        for public, local in {(self.public_url, self.url), (html.escape(self.public_url), html.escape(self.url))}:
            data = data.replace(public.encode(), local.encode())
        return data

    def rebuilt(self, error: str | None = None) -> None:
        with self.lock:
            if error is None:
                self.version += 1
            self.error = error


class _Handler(BaseHTTPRequestHandler):
    server: SiteServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002 - quiet: a page load is dozens of requests
        pass

    def do_HEAD(self):
        self._respond(head=True)

    def do_GET(self):
        self._respond(head=False)

    def _respond(self, head: bool) -> None:
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        srv = self.server
        if path == VERSION_PATH:
            with srv.lock:
                body = json.dumps({"version": srv.version, "error": srv.error}).encode()
            return self._send(HTTPStatus.OK, body, "application/json", head)
        prefix = srv.prefix
        if prefix != "/" and (path == "/" or path == prefix.rstrip("/")):
            return self._redirect(prefix)
        if not path.startswith(prefix):
            return self._not_found(head)
        rel = posixpath.normpath(path[len(prefix):]) if path != prefix else "."
        if rel.startswith("..") or rel.startswith("/") or "\0" in rel:
            return self._not_found(head)
        kind = _kind(srv.out_dir, rel)
        if kind == "folder":
            if not path.endswith("/"):
                query = f"?{parts.query}" if parts.query else ""
                return self._redirect(quote(path + "/") + query)
            rel = "index.html" if rel == "." else rel + "/index.html"
            kind = _kind(srv.out_dir, rel)
        if kind != "file":  # missing, or a link, a FIFO, a device: never served
            return self._not_found(head)
        self._send_file(HTTPStatus.OK, rel, head)

    def _not_found(self, head: bool) -> None:
        if _kind(self.server.out_dir, "404.html") == "file":
            return self._send_file(HTTPStatus.NOT_FOUND, "404.html", head)
        self._send(HTTPStatus.NOT_FOUND, b"404 Not Found\n", "text/plain; charset=utf-8", head)

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.FOUND)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send_file(self, status: HTTPStatus, rel: str, head: bool) -> None:
        try:
            data = read_under(self.server.out_dir, rel, MAX_FILE_BYTES)
        except (OSError, ValueError):  # replaced by a rebuild (or a link) since the check, too big
            return self._send(HTTPStatus.NOT_FOUND, b"404 Not Found\n", "text/plain; charset=utf-8", head)
        name = rel.rpartition("/")[2]
        suffix = posixpath.splitext(name)[1].lower()
        ctype = _TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"
        if suffix in _TEXT:
            data = self.server.localise(data)
        if suffix == ".html" and self.server.live_reload:
            data = inject_reload(data, self.server.version)
        self._send(status, data, ctype, head)

    def _send(self, status: HTTPStatus, body: bytes, ctype: str, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head:
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)


def _kind(root: Path, rel: str) -> str | None:
    """"folder", "file" (a regular file) or None (missing, or anything else: a link, a FIFO)
    for root/rel, reached without following a link on the way."""
    try:
        mode = os.stat(root).st_mode if rel == "." else lstat_under(root, rel).st_mode
    except (OSError, ValueError):  # missing, or a link among the folders (UnsafeFile)
        return None
    if stat.S_ISDIR(mode):
        return "folder"
    return "file" if stat.S_ISREG(mode) else None


def inject_reload(page: bytes, version: int) -> bytes:
    """The page with the live-reload script added before </body> (or at its end)."""
    script = (_RELOAD % (version, VERSION_PATH)).encode()
    at = page.rfind(b"</body>")
    return page + script if at == -1 else page[:at] + script + page[at:]


# --- the serve command -------------------------------------------------------------------------

@dataclass
class _Watched:
    config: Config
    stamp: tuple  # the config file's bytes when last read

    @property
    def folders(self) -> list[Path]:
        b = self.config.build
        return [p for p in (b.content, b.templates, b.overrides) if p is not None and p.is_dir()]


def _config_stamp(path: Path) -> tuple:
    try:
        return (path.read_bytes(),)
    except OSError:
        return (None,)


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def _build(config: Config) -> str | None:
    """Build once; print the summary or the error. Returns the error text, or None."""
    from sitegen.build import build

    try:
        result = build(config)
    except SitegenError as exc:
        _log(f"build failed; still serving the previous site:\n{exc}")
        return str(exc)
    except Exception:  # a bug must not stop the server either; show it in full
        text = traceback.format_exc()
        _log(f"build crashed; still serving the previous site:\n{text}")
        return text
    for warning in result.warnings:
        _log(f"warning: {warning}")
    _log(result.summary())
    return None


def serve(config: Config, port: int = 8000, host: str = "127.0.0.1", *,
          debounce_ms: int = 300, stop: threading.Event | None = None) -> int:
    """Build, serve and rebuild on change until Ctrl-C (or `stop` is set). Returns 0."""
    watched = _Watched(config, _config_stamp(config.path))
    error = _build(config)
    try:
        server = SiteServer((host, port), config.build.output.resolve(), base_path(config.site.base_url),
                            live_reload=True, public_url=config.site.base_url)
    except OSError as exc:
        raise SitegenError(f"cannot listen on {host}:{port}: {exc.strerror or exc}; "
                           "pass another port with --port N") from None
    server.rebuilt(error)
    thread = threading.Thread(target=server.serve_forever, name="sitegen-serve", daemon=True)
    thread.start()
    print(f"Serving {server.url}  (watching {', '.join(str(p) for p in watched.folders + [config.path])}; "
          "Ctrl-C to stop)", flush=True)
    stop = stop or threading.Event()
    try:
        _watch_loop(server, watched, debounce_ms, stop)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
    print("Stopped.", flush=True)
    return 0


def _watch_loop(server: SiteServer, watched: _Watched, debounce_ms: int, stop: threading.Event) -> None:
    import watchfiles

    while not stop.is_set():
        folders = watched.folders
        # With no folder to watch yet, the config's folder (not its subfolders) is watched.
        recursive = bool(folders)
        paths = folders or [watched.config.path.parent]
        # The config file is compared on every wake-up instead of being watched itself, so
        # editors that save by renaming a new file into place are noticed too.
        for changes in watchfiles.watch(*paths, stop_event=stop, debounce=debounce_ms, step=50, recursive=recursive,
                                        rust_timeout=500, yield_on_timeout=True, raise_interrupt=True):
            stamp = _config_stamp(watched.config.path)
            if not changes and stamp == watched.stamp:
                continue
            if stamp != watched.stamp:
                watched.stamp = stamp
                try:
                    watched.config = load_config(watched.config.path)
                except SitegenError as exc:
                    _log(f"config not reloaded; still serving the previous site:\n{exc}")
                    server.rebuilt(str(exc))
                    continue
                _log(f"{watched.config.path.name} changed; rebuilding")
            else:
                _log(f"{len(changes)} change{'s' if len(changes) != 1 else ''}; rebuilding")
            config = watched.config
            error = _build(config)
            server.out_dir = config.build.output.resolve()
            server.public_url = config.site.base_url
            new_prefix = base_path(config.site.base_url)
            if new_prefix != server.prefix:
                server.prefix = new_prefix
                print(f"Serving {server.url}", flush=True)
            server.rebuilt(error)
            if watched.folders != folders:
                break  # the config moved the content or template folders: watch the new ones
