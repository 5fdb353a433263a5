"""`sitegen serve` on a hostile output/: no symbolic link is served at any point of a path (a
404, as for a missing file), and a FIFO or a huge file cannot stall or exhaust a request.
Real HTTP requests to the server on 127.0.0.1."""

from __future__ import annotations

import http.client
import os
import threading

import pytest

from sitegen.serve import MAX_FILE_BYTES, SiteServer
from tests.hostile_disk import make_outside

PREFIX = "/repo/"


@pytest.fixture
def served(tmp_path, tmp_path_factory):
    """(server port, output folder, outside folder): a small built site served under PREFIX."""
    outside = make_outside(tmp_path_factory.mktemp("outside"))
    out = tmp_path / "out"
    (out / "papers" / "x").mkdir(parents=True)
    (out / "papers" / "x" / "index.html").write_text("<html><body>paper x</body></html>")
    (out / "index.html").write_text("<html><body>home</body></html>")
    (out / "404.html").write_text("<html><body>custom not found</body></html>")
    server = SiteServer(("127.0.0.1", 0), out, PREFIX)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], out, outside
    finally:
        server.shutdown()
        server.server_close()


def _get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)  # a hang fails the test
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def test_a_link_to_a_file_outside_is_not_served(served):
    port, out, outside = served
    (out / "leak.txt").symlink_to(outside / "settings.yml")
    (out / "passwd.html").symlink_to("/etc/passwd")
    for name in ("leak.txt", "passwd.html"):
        status, body = _get(port, PREFIX + name)
        assert status == 404 and body == b"<html><body>custom not found</body></html>"
    assert _get(port, PREFIX + "papers/x/")[0] == 200  # the real pages still are


def test_no_folder_on_the_way_may_be_a_link(served):
    port, out, outside = served
    (out / "papers" / "linked").symlink_to(outside / "sub", target_is_directory=True)
    (out / "elsewhere").symlink_to(outside, target_is_directory=True)
    for path in ("papers/linked/", "papers/linked/index.html", "papers/linked", "elsewhere/notes.txt",
                 "elsewhere/sub/index.html", "elsewhere/sub/"):
        status, body = _get(port, PREFIX + path)
        assert status == 404 and b"outside" not in body and b"notes" not in body, path


def test_a_link_inside_the_site_to_a_page_of_it_is_not_served_either(served):
    port, out, _ = served
    (out / "alias.html").symlink_to(out / "index.html")
    assert _get(port, PREFIX + "alias.html")[0] == 404


def test_a_linked_404_page_is_not_served(served):
    port, out, outside = served
    (out / "404.html").unlink()
    (out / "404.html").symlink_to(outside / "notes.txt")
    status, body = _get(port, PREFIX + "missing.html")
    assert status == 404 and body == b"404 Not Found\n"


def test_a_fifo_or_a_huge_file_is_a_404_not_a_hang(served):
    port, out, _ = served
    os.mkfifo(out / "pipe.html")
    with open(out / "huge.json", "wb") as f:  # sparse: costs no disk
        f.truncate(MAX_FILE_BYTES + 1)
    assert _get(port, PREFIX + "pipe.html")[0] == 404
    assert _get(port, PREFIX + "huge.json")[0] == 404
    assert _get(port, PREFIX)[0] == 200  # and the server still answers
