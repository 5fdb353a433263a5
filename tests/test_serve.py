"""`sitegen serve`: the sub-path static server, live reload, rebuild on change, clean Ctrl-C."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
from browser_support import REPO, fixture_papers, static_server

from sitegen.serve import VERSION_PATH, base_path, inject_reload
from sitegen.snapshot.format import dump_paper, parse_snapshot

pytestmark = pytest.mark.slow  # serves and rebuilds in threads


def _get(url_or_port, path: str, method: str = "GET"):
    """(status, headers, body) without following redirects."""
    port = url_or_port if isinstance(url_or_port, int) else int(re.search(r":(\d+)/", url_or_port).group(1))
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path)
        resp = conn.getresponse()
        return resp.status, dict(resp.getheaders()), resp.read()
    finally:
        conn.close()


def test_base_path():
    assert base_path("https://owner.github.io/paper-feeds/") == "/paper-feeds/"
    assert base_path("https://example.org/") == "/"
    assert base_path("https://example.org") == "/"
    assert base_path("https://example.org/a/b") == "/a/b/"


def test_inject_reload_goes_before_body_end():
    page = b"<html><body><p>x</p></body></html>"
    out = inject_reload(page, 7)
    assert out.startswith(b"<html><body><p>x</p><script>") and out.endswith(b"</script></body></html>")
    assert b"var v=7" in out and VERSION_PATH.encode() in out
    assert inject_reload(b"<p>fragment</p>", 1).startswith(b"<p>fragment</p><script>")


@pytest.fixture
def built(tmp_path):
    out = tmp_path / "out"
    (out / "papers" / "x").mkdir(parents=True)
    (out / "papers" / "x" / "index.html").write_text("<html><body>paper x</body></html>")
    (out / "index.html").write_text("<html><body>home</body></html>")
    (out / "404.html").write_text("<html><body>custom not found</body></html>")
    (out / "rss.xml").write_text("<rss/>")
    (out / "feeds.opml").write_text("<opml/>")
    (tmp_path / "secret.txt").write_text("outside the site")
    return out


def test_server_behaves_like_github_project_pages(built):
    with static_server(built, "/repo/") as srv:
        port = srv.server_address[1]
        status, headers, _ = _get(port, "/")
        assert status == 302 and headers["Location"] == "/repo/"
        assert _get(port, "/repo")[1]["Location"] == "/repo/"
        status, headers, body = _get(port, "/repo/")
        assert status == 200 and body == b"<html><body>home</body></html>"  # no reload script: not live
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        status, headers, _ = _get(port, "/repo/papers/x?a=1")
        assert status == 302 and headers["Location"] == "/repo/papers/x/?a=1"
        assert _get(port, "/repo/papers/x/")[2] == b"<html><body>paper x</body></html>"
        status, _, body = _get(port, "/repo/papers/missing/")
        assert status == 404 and b"custom not found" in body
        assert _get(port, "/papers/x/")[0] == 404  # outside the sub-path
        assert _get(port, "/repo/../secret.txt")[0] == 404
        assert _get(port, "/repo/%2e%2e/secret.txt")[0] == 404
        assert _get(port, "/repo/rss.xml")[1]["Content-Type"].startswith("application/xml")
        assert _get(port, "/repo/feeds.opml")[1]["Content-Type"].startswith("text/x-opml")
        status, headers, body = _get(port, "/repo/papers/x/", method="HEAD")
        assert status == 200 and body == b""
        assert headers["Content-Length"] == str(len("<html><body>paper x</body></html>"))


def test_the_public_address_is_shown_as_the_servers_own(built):
    (built / "index.html").write_text('<a href="https://example.org/a&amp;b/feed.xml">x</a>'
                                      '<a href="https://example.org/a&amp;bc">y</a>')
    (built / "rss.xml").write_text('<link>https://example.org/a&amp;b/</link>')
    (built / "data.bin").write_bytes(b"https://example.org/a&b/")
    with static_server(built, "/a&b/") as srv:
        srv.public_url = "https://example.org/a&b/"
        local = srv.url.replace("&", "&amp;")
        assert _get(srv.url, "/a&b/")[2].decode() == f'<a href="{local}feed.xml">x</a><a href="https://example.org/a&amp;bc">y</a>'
        assert _get(srv.url, "/a&b/rss.xml")[2].decode() == f"<link>{local}</link>"
        assert _get(srv.url, "/a&b/data.bin")[2] == b"https://example.org/a&b/"  # not text: as it is
    assert "example.org" in (built / "index.html").read_text()


def test_live_server_injects_into_html_responses_only(built):
    with static_server(built, "/repo/") as srv:
        srv.live_reload = True
        port = srv.server_address[1]
        body = _get(port, "/repo/papers/x/")[2]
        assert VERSION_PATH.encode() in body and body.endswith(b"</body></html>")
        assert VERSION_PATH.encode() in _get(port, "/repo/nope/")[2]  # the 404 page reloads too
        assert _get(port, "/repo/rss.xml")[2] == b"<rss/>"
        assert json.loads(_get(port, VERSION_PATH)[2]) == {"version": 0, "error": None}
        srv.rebuilt()
        srv.rebuilt("broken")
        assert json.loads(_get(port, VERSION_PATH)[2]) == {"version": 1, "error": "broken"}
    assert b"__sitegen" not in (built / "papers" / "x" / "index.html").read_bytes()


# --- the command, end to end -------------------------------------------------------------------

CONFIG = """\
[site]
title = "{title}"
base_url = "https://example.org/paper-feeds/"

[build]
templates = "{templates}"

[[topics]]
slug = "ml"
title = "Machine Learning"
categories = ["cs.LG"]
"""


class ServeProcess:
    """`python -m sitegen serve --port 0` in a subprocess, its output read by a thread."""

    def __init__(self, root: Path):
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        env.pop("SITEGEN_BASE_URL", None)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "sitegen", "serve", "--config", str(root / "sitegen.toml"), "--port", "0"],
            cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        line = self.wait_for(r"Serving (http://\S+)", timeout=60)
        self.url = re.search(r"Serving (http://\S+)", line).group(1)
        self.port = int(re.search(r":(\d+)/", self.url).group(1))

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line)

    def wait_for(self, pattern: str, timeout: float = 30, start: int = 0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.lines[start:]:
                if re.search(pattern, line):
                    return line
            if self.proc.poll() is not None and not self.reader.is_alive():
                break
            time.sleep(0.05)
        raise AssertionError(f"no line matching {pattern!r} in:\n{''.join(self.lines)}")

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                return self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise AssertionError("sitegen serve did not stop on Ctrl-C:\n" + "".join(self.lines)) from None
        return self.proc.returncode


def _wait_until(check, timeout: float = 90, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def site_root(tmp_path):
    (tmp_path / "sitegen.toml").write_text(CONFIG.format(title="Serve Test", templates=REPO / "templates"))
    for p in fixture_papers():
        path = tmp_path / "content" / "papers" / "0704" / f"{p.id}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump_paper(p))
    return tmp_path


def test_serve_builds_serves_rebuilds_and_stops_on_ctrl_c(site_root):
    server = ServeProcess(site_root)
    try:
        assert server.url == f"http://127.0.0.1:{server.port}/paper-feeds/"
        status, headers, _ = _get(server.port, "/")
        assert status == 302 and headers["Location"] == "/paper-feeds/"
        page_path = "/paper-feeds/papers/0704.9993/"
        status, _, body = _get(server.port, page_path)
        assert status == 200 and b"A middling fixture paper" in body and VERSION_PATH.encode() in body
        version = json.loads(_get(server.port, VERSION_PATH)[2])["version"]
        on_disk = site_root / "output" / "papers" / "0704.9993" / "index.html"
        assert b"__sitegen" not in on_disk.read_bytes()  # injected into responses only

        # The subscribe box, the feeds and the sitemap name this server, not the production site.
        body = _get(server.port, "/paper-feeds/topics/ml/")[2]
        assert f'value="{server.url}topics/ml/atom.xml"'.encode() in body and b"https://example.org/" not in body
        assert f'<link href="{server.url}atom.xml" rel="self"'.encode() in _get(server.port, "/paper-feeds/atom.xml")[2]
        assert f"<loc>{server.url}</loc>".encode() in _get(server.port, "/paper-feeds/sitemap.xml")[2]
        topic_on_disk = (site_root / "output" / "topics" / "ml" / "index.html").read_bytes()
        assert b'value="https://example.org/paper-feeds/topics/ml/atom.xml"' in topic_on_disk  # output/ is untouched

        # A changed snapshot is rebuilt and the version (which open pages poll) moves on.
        snap = site_root / "content" / "papers" / "0704" / "0704.9993.md"
        snap.write_text(dump_paper(replace(parse_snapshot(snap.read_text()), title="A retitled fixture paper")))
        _wait_until(lambda: b"A retitled fixture paper" in _get(server.port, page_path)[2], what="the rebuilt page")
        _wait_until(lambda: json.loads(_get(server.port, VERSION_PATH)[2])["version"] > version, what="a new version")
        assert b"__sitegen" not in on_disk.read_bytes()

        # A broken snapshot: the error is printed and reported, the last good site stays up.
        mark = len(server.lines)
        bad = site_root / "content" / "papers" / "0704" / "0704.9990.md"
        good = bad.read_text()
        bad.write_text(good.replace('title: "', 'title: [unclosed "', 1))
        server.wait_for(r"build failed", start=mark)
        _wait_until(lambda: json.loads(_get(server.port, VERSION_PATH)[2])["error"], what="the reported error")
        assert "0704.9990.md" in json.loads(_get(server.port, VERSION_PATH)[2])["error"]
        assert b"A retitled fixture paper" in _get(server.port, page_path)[2]
        bad.write_text(good)
        _wait_until(lambda: json.loads(_get(server.port, VERSION_PATH)[2])["error"] is None, what="recovery")

        # The config file is watched too.
        mark = len(server.lines)
        (site_root / "sitegen.toml").write_text(CONFIG.format(title="Renamed Site", templates=REPO / "templates"))
        server.wait_for(r"sitegen.toml changed", start=mark)
        _wait_until(lambda: b"Renamed Site" in _get(server.port, "/paper-feeds/")[2], what="the new title")
    finally:
        code = server.stop()
    assert code == 0, "".join(server.lines)
    assert "Stopped." in "".join(server.lines)
    assert "Traceback" not in "".join(server.lines)


def test_serve_reports_a_busy_port(site_root):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        proc = subprocess.run(
            [sys.executable, "-m", "sitegen", "serve", "--config", str(site_root / "sitegen.toml"),
             "--port", str(port)],
            cwd=site_root, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("sitegen serve: error: cannot listen on 127.0.0.1:") and "--port" in last
