"""A slow-client attack for tests and benches: slowloris sockets that send a request header
one byte at a time and never finish it, and POSTs whose body comes one byte at a time. Each
reconnects when the server drops it, so the attack lasts as long as the `with` block.

They come from their own loopback address (127.0.0.2 by default), as an attacker would come
from their own address on the internet.
"""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType

HEADER = b"GET /questions/safety HTTP/1.1\r\nHost: localhost\r\nUser-Agent: slow\r\n"
BODY_HEADER = (
    b"POST /questions/safety HTTP/1.1\r\nHost: localhost\r\n"
    b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 60000\r\n\r\n"
)


class SlowClients:
    def __init__(
        self,
        host: str,
        port: int,
        *,
        headers: int = 20,
        bodies: int = 5,
        pause: float = 0.2,
        source: str = "127.0.0.2",
    ) -> None:
        self.address = (host, port)
        self.pause = pause
        self.source = source
        self.kinds = ["header"] * headers + ["body"] * bodies
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.connections = 0  # made in all, reconnections included
        self.bytes_sent = 0
        self.answers: list[bytes] = []  # first bytes of anything the server sent back
        self.errors: list[str] = []
        self._started = threading.Semaphore(0)
        self._threads = [
            threading.Thread(target=self._run, args=(kind,), daemon=True) for kind in self.kinds
        ]

    def __enter__(self) -> SlowClients:
        for thread in self._threads:
            thread.start()
        deadline = time.monotonic() + 30
        for _ in self._threads:  # every socket connected and has sent its first bytes
            if not self._started.acquire(timeout=max(0.1, deadline - time.monotonic())):
                self.stop.set()
                raise AssertionError(f"slow clients could not connect: {self.errors[:5]}")
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop.set()
        for thread in self._threads:
            thread.join(timeout=5)

    def _connect(self) -> socket.socket:
        sock = socket.socket()
        try:
            sock.bind((self.source, 0))
        except OSError:
            sock.bind(("127.0.0.1", 0))  # a loopback without extra addresses: same address
        sock.settimeout(5)
        sock.connect(self.address)
        with self.lock:
            self.connections += 1
        return sock

    def _run(self, kind: str) -> None:
        first = True
        while not self.stop.is_set():
            try:
                sock = self._connect()
            except OSError as exc:
                with self.lock:
                    self.errors.append(repr(exc))
                if first:
                    self._started.release()  # let __enter__ report it
                    return
                self.stop.wait(self.pause)
                continue
            with sock:
                try:
                    if kind == "body":
                        sock.sendall(BODY_HEADER)
                    data = HEADER + b"X-Slow: 1\r\n" * 3000 if kind == "header" else b"a=b&" * 15000
                    self._trickle(sock, data, first)
                    first = False
                except OSError:
                    first = False  # dropped by the server (its timeout): come again

    def _trickle(self, sock: socket.socket, data: bytes, first: bool) -> None:
        """Send ``data`` a byte at a time; raise when the server answers or hangs up."""
        sock.setblocking(False)
        for i in range(len(data)):
            if self.stop.is_set():
                return
            sock.send(data[i : i + 1])
            with self.lock:
                self.bytes_sent += 1
            if first and i == 2:
                self._started.release()
            try:
                reply = sock.recv(200)
            except BlockingIOError:
                reply = None
            if reply is not None:
                if reply:
                    with self.lock:
                        self.answers.append(reply[:40])
                raise ConnectionError("the server answered or hung up")
            self.stop.wait(self.pause)
