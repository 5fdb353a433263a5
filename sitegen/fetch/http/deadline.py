"""A wall-clock deadline for one HTTP attempt, whatever the server does.

requests' read timeout bounds each recv(), not the answer: a server that sends one byte a
second (in its headers or its body) never trips it, and BufferedReader.readinto keeps
calling recv() until its buffer is full, so checking the clock between chunks is no
bound either. Each attempt therefore runs under a `Watchdog`, a threading.Timer that at
the deadline shuts down every socket the attempt opened or reused: a blocked recv() returns
at once, urllib3 raises (or sees an early end), and the caller, finding `fired` set, reports
the deadline instead of whatever urllib3 made of the cut.

Why a timer that shuts the socket rather than a worker thread the caller stops waiting
for: the attempt stays on the caller's thread, so its connection always goes back to the
pool (the client's pool holds one connection per host and blocks when it is out, so a
connection kept by an abandoned thread would hang the next request), and no thread
outlives its request.

The sockets are found through small urllib3 connection subclasses mounted with the
adapter's pool classes: `_new_conn` sees each new TCP socket right after it connects (so a
TLS handshake is under the deadline too) and `request` sees a reused keep-alive socket.
The watchdog keeps its own dup() of each socket's descriptor: shutdown() acts on the socket
itself, the dup stays valid when http.client or ssl close or detach their objects, and no
descriptor number can be recycled under the timer while the attempt runs.

Outside the deadline: name resolution (getaddrinfo cannot be interrupted; the system
resolver's own timeouts bound it) and the TCP connect, which the client bounds with a
connect timeout no longer than the time left.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
from typing import TYPE_CHECKING

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.poolmanager import ProxyManager

_active = threading.local()  # the watchdog of the attempt running on this thread, if any


class Watchdog:
    """`with Watchdog(seconds) as dog:` cuts the attempt's sockets when `seconds` pass."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.fired = False
        self._done = False
        self._socks: list[socket.socket] = []
        self._lock = threading.Lock()  # shutdown and close never race on a descriptor
        self._timer = threading.Timer(max(seconds, 0.0), self._fire)
        self._timer.daemon = True

    def __enter__(self) -> Watchdog:
        _active.watchdog = self
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        _active.watchdog = None
        self.stop()

    def watch(self, sock: socket.socket) -> None:
        try:
            dup = socket.socket(sock.family, sock.type, sock.proto, fileno=os.dup(sock.fileno()))
        except (OSError, ValueError):
            return  # already closed: nothing left to cut
        with self._lock:
            if self._done:
                dup.close()
                return
            self._socks.append(dup)
            if self.fired:  # connected after the deadline: cut at once
                _shutdown(dup)

    def stop(self) -> bool:
        """Disarm; True if the deadline had already passed (the attempt's answer is void)."""
        self._timer.cancel()
        with self._lock:
            self._done = True
            for dup in self._socks:
                dup.close()
            self._socks.clear()
            return self.fired

    def _fire(self) -> None:
        with self._lock:
            if self._done:
                return
            self.fired = True
            for dup in self._socks:
                _shutdown(dup)


def _shutdown(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # not connected any more: nothing to wake
        sock.shutdown(socket.SHUT_RDWR)


def _watch(sock: socket.socket | None) -> None:
    dog = getattr(_active, "watchdog", None)
    if dog is not None and sock is not None:
        dog.watch(sock)


if TYPE_CHECKING:  # to the type checker the mixin is the connection it is mixed into
    _MixinBase = HTTPConnection
else:
    _MixinBase = object


class _Watched(_MixinBase):
    """Mixed into urllib3's connections: hand every socket to the running watchdog."""

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        _watch(sock)
        return sock

    def request(self, *args, **kwargs):
        _watch(self.sock)  # a reused keep-alive connection; a new one is seen in _new_conn
        return super().request(*args, **kwargs)


class _WatchedHTTPConnection(_Watched, HTTPConnection):
    pass


class _WatchedHTTPSConnection(_Watched, HTTPSConnection):
    pass


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


POOL_CLASSES = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}


class WatchedAdapter(HTTPAdapter):
    """requests' adapter with pools whose connections the watchdog can cut."""

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(POOL_CLASSES)

    def proxy_manager_for(self, proxy, **proxy_kwargs):
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if type(manager) is ProxyManager:  # an HTTP proxy; SOCKS pools keep their own classes
            manager.pool_classes_by_scheme = dict(POOL_CLASSES)
        return manager
