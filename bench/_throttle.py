"""A slow network between the browser and the app: a TCP proxy that limits bandwidth and adds latency.

Chrome's own network emulation (DevTools ``Network.emulateNetworkConditions``) slows a websocket's messages by
their size *after* decompression: with ``server.enableWebsocketCompression`` the Karte's map message (0.74 MB,
0.14 MB on the wire) took 3.7 s at 1.6 Mbit/s – exactly its uncompressed size at that rate. This proxy throttles
the bytes that really cross the wire (HTTP, compressed or not, and the websocket alike), as a phone's link does:
one shared link per direction (all connections of the browser share its bandwidth), every chunk delayed by half
the round trip. Used by ``bench_pages.py --netz mobil-proxy``.
"""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass, field

CHUNK = 16 * 1024


@dataclass
class Link:
    """One direction of the link: *rate* bytes per second, *delay* seconds one way."""

    rate: float
    delay: float
    _free_at: float = field(default=0.0)

    def schedule(self, size: int) -> float:
        """The time at which a chunk of *size* bytes sent now arrives (it queues behind earlier chunks)."""
        now = time.monotonic()
        start = max(now, self._free_at)
        self._free_at = start + size / self.rate
        return self._free_at + self.delay


async def _pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, link: Link) -> None:
    queue: asyncio.Queue[tuple[float, bytes] | None] = asyncio.Queue()

    async def deliver() -> None:
        while (item := await queue.get()) is not None:
            due, data = item
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            writer.write(data)
            await writer.drain()
        writer.close()

    sender = asyncio.create_task(deliver())
    try:
        while data := await reader.read(CHUNK):
            queue.put_nowait((link.schedule(len(data)), data))
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        queue.put_nowait(None)
        await asyncio.gather(sender, return_exceptions=True)


class ThrottledProxy:
    """``ThrottledProxy(upstream_port, down_bps, up_bps, rtt_s).start()`` → a local port that forwards to
    *upstream_port* on 127.0.0.1 through a link of the given bandwidths (bits per second) and round trip."""

    def __init__(self, upstream_port: int, down_bps: float, up_bps: float, rtt_s: float) -> None:
        self.upstream_port = upstream_port
        self.down = Link(down_bps / 8, rtt_s / 2)
        self.up = Link(up_bps / 8, rtt_s / 2)
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()

    async def _handle(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(self.down.delay + self.up.delay)  # the TCP handshake: one round trip
        try:
            server_reader, server_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(_pump(client_reader, server_writer, self.up),
                             _pump(server_reader, client_writer, self.down), return_exceptions=True)

    async def _serve(self) -> None:
        server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        async with server:
            await server.serve_forever()

    def start(self) -> int:
        threading.Thread(target=self._loop.run_until_complete, args=(self._serve(),), daemon=True).start()
        self._ready.wait(10)
        return self.port
