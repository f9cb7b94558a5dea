"""A cheaper idle-connection check for the ``httpx.AsyncClient`` the SDK makes (never for a given one).

Before each request, and again when a reply is closed, httpcore's async pool asks every idle connection
whether the server closed it: ``get_extra_info("is_readable")``, a zero-timeout poll of the socket. Its anyio
streams answer that by rebuilding anyio's table of socket attributes each time (with a ``getpeername``
system call) just to find the socket, about 25 times per request with 16 connections: a quarter of the
client's CPU per call in the bench's fan-out. The streams here find the socket once and poll it; every
read, write, close and TLS upgrade still goes to httpcore's own backend, and every other question too.

It relies on two private attributes (``httpx.AsyncClient._transport._pool`` and httpcore's
``AsyncConnectionPool._network_backend``); when they are not what is expected, nothing is changed.
"""

from __future__ import annotations

import select
import sys
from typing import Any

import httpcore
import httpx


def _readable(sock: Any) -> bool:
    """Whether a read would not block: data or EOF waiting (httpcore's test; a closed socket counts)."""
    fd = -1 if sock is None else sock.fileno()
    if fd < 0:
        return True
    if sys.platform == "win32" or not hasattr(select, "poll"):
        return bool(select.select([fd], [], [], 0)[0])
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return bool(poller.poll(0))


class _Stream(httpcore.AsyncNetworkStream):
    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner
        sock = inner.get_extra_info("socket")  # asyncio's TransportSocket, or a socket.socket
        self._sock = sock if callable(getattr(sock, "fileno", None)) else None

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(self, *args: Any, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        return _Stream(await self._inner.start_tls(*args, **kwargs))

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable" and self._sock is not None:
            return _readable(self._sock)
        return self._inner.get_extra_info(info)


class _Backend(httpcore.AsyncNetworkBackend):
    def __init__(self, inner: httpcore.AsyncNetworkBackend) -> None:
        self._inner = inner

    async def connect_tcp(self, *args: Any, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        return _Stream(await self._inner.connect_tcp(*args, **kwargs))

    async def connect_unix_socket(self, *args: Any, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        return _Stream(await self._inner.connect_unix_socket(*args, **kwargs))

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def lighten(client: httpx.AsyncClient) -> bool:
    """Give `client`'s direct connection pool the cheaper check; False (and no change) if it cannot."""
    pool = getattr(getattr(client, "_transport", None), "_pool", None)
    backend = getattr(pool, "_network_backend", None)
    # The exact class: proxy pools (subclasses) are left as they are.
    if type(pool) is not httpcore.AsyncConnectionPool or not isinstance(backend, httpcore.AsyncNetworkBackend):
        return False
    if not isinstance(backend, _Backend):
        pool._network_backend = _Backend(backend)
    return True
