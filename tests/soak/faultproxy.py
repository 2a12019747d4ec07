"""A TCP proxy on loopback that a test steers to drop, delay and reset the connections through it.

Dropping holds bytes instead of discarding them, as a network partition looks to TCP: nothing
arrives until the path comes back, then everything does. New connections made while dropped are
accepted and held the same way. Resetting closes both sides with SO_LINGER 0, so each peer gets
an RST rather than an orderly FIN.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

_LINGER_ZERO = struct.pack("ii", 1, 0)


@dataclass(eq=False)
class _Link:
    client: asyncio.StreamWriter
    server: asyncio.StreamWriter | None = None
    pumps: list[asyncio.Task[None]] = field(default_factory=list)


def _reset(writer: asyncio.StreamWriter) -> None:
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _LINGER_ZERO)
    writer.transport.abort()


class FaultProxy:
    """Forwards 127.0.0.1:port to the target; ``drop``, ``delay``, ``reset``, ``restore``."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self.connections_accepted = 0
        self.connections_reset = 0
        self._flowing = asyncio.Event()
        self._flowing.set()
        self._delay = 0.0
        self._links: set[_Link] = set()
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
        self.reset()
        self.restore()  # connections held while dropped wake up, find themselves reset, and end
        if self._server is not None:
            await self._server.wait_closed()

    def dsn(self, dsn: str) -> str:
        """The same DSN, pointed at the proxy."""
        parts = urlsplit(dsn)
        credentials = parts.netloc.rpartition("@")[0]
        netloc = f"{credentials}@127.0.0.1:{self.port}" if credentials else f"127.0.0.1:{self.port}"
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))

    def drop(self) -> None:
        """Stop forwarding in both directions, and hold new connections, until ``restore``."""
        self._flowing.clear()

    def delay(self, seconds: float) -> None:
        """Hold every chunk this long before forwarding it."""
        self._delay = seconds

    def restore(self) -> None:
        self._delay = 0.0
        self._flowing.set()

    def reset(self) -> int:
        """RST every connection through the proxy; returns how many there were."""
        links, self._links = self._links, set()
        for link in links:
            for pump in link.pumps:
                pump.cancel()
            _reset(link.client)
            if link.server is not None:
                _reset(link.server)
        self.connections_reset += len(links)
        return len(links)

    @property
    def open_connections(self) -> int:
        return len(self._links)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections_accepted += 1
        link = _Link(client=writer)
        self._links.add(link)
        try:
            await self._flowing.wait()
            server_reader, link.server = await asyncio.open_connection(*self.target)
        except (OSError, asyncio.CancelledError):
            self._links.discard(link)
            _reset(writer)
            return
        if link not in self._links:  # reset while connecting
            _reset(link.server)
            return
        link.pumps = [
            asyncio.create_task(self._pump(reader, link.server, link)),
            asyncio.create_task(self._pump(server_reader, writer, link)),
        ]

    async def _pump(
        self, source: asyncio.StreamReader, sink: asyncio.StreamWriter, link: _Link
    ) -> None:
        try:
            while data := await source.read(65536):
                await self._flowing.wait()
                if self._delay:
                    await asyncio.sleep(self._delay)
                sink.write(data)
                await sink.drain()
        except (OSError, asyncio.IncompleteReadError):
            pass
        # One side hung up or failed: the other side sees the same, as with a direct connection.
        if link in self._links:
            self._links.discard(link)
            for pump in link.pumps:
                if pump is not asyncio.current_task():
                    pump.cancel()
            for writer in (link.client, link.server):
                if writer is not None:
                    writer.close()


@contextlib.asynccontextmanager
async def fault_proxy(target_host: str, target_port: int) -> AsyncIterator[FaultProxy]:
    proxy = FaultProxy(target_host, target_port)
    await proxy.start()
    try:
        yield proxy
    finally:
        await proxy.stop()
