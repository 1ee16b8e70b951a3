"""The benchmark's throttling proxy (``bench/_throttle.py``) slows the bytes on the wire as configured.

A local SYNTHETIC server sends a known number of bytes; through the proxy they must take at least their size
at the link's rate plus the round trips, and arrive complete and in order – so the mobile figures of
``bench_pages.py --netz mobil-proxy`` can only err on the fast side of the configured link, never be faster.
"""

from __future__ import annotations

import socket
import threading
import time

from tests.bench_loader import load_bench_module

PAYLOAD = bytes(range(256)) * 128  # 32 KiB, a recognisable order
RATE_BPS = 256_000  # 32 kB/s: the payload needs 1.0 s
RTT_S = 0.2


def _sender() -> int:
    """A server that answers one connection's first byte with PAYLOAD and closes; returns its port."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(1)
            conn.sendall(PAYLOAD)
        listener.close()

    threading.Thread(target=serve, daemon=True).start()
    return int(listener.getsockname()[1])


def test_proxy_delivers_everything_no_faster_than_the_link() -> None:
    proxy = load_bench_module('_throttle').ThrottledProxy(_sender(), RATE_BPS, RATE_BPS, RTT_S)
    port = proxy.start()
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
        conn.sendall(b"?")
        received = b""
        while chunk := conn.recv(65536):
            received += chunk
    elapsed = time.monotonic() - started
    assert received == PAYLOAD
    # handshake (one round trip) + request up and answer down (one more) + the payload at the link's rate
    assert elapsed >= 2 * RTT_S + len(PAYLOAD) * 8 / RATE_BPS
