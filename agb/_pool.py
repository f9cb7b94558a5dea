"""The HTTP transport of the ``httpx.AsyncClient`` the SDK makes (never of a client the user passes in).

httpx's default async transport hands every request to httpcore's ``AsyncConnectionPool``, which rescans
every connection for every queued request and again whenever a reply is closed (``is_idle`` about 1,000
times per request with 16 connections: a size check inside the scan lists all connections for each idle
one), and asks each idle connection whether the server closed it with an anyio ``get_extra_info`` that
rebuilds a table of socket attributes every time. In the bench's fan-out that bookkeeping was most of the
client's CPU per call.

``LifoPool`` does the same job in constant time per request: a last-in-first-out stack of idle keep-alive
connections per origin (the most recently used, so the warmest, goes first), one "did the server close it?"
check on the connection about to be reused, and a count of connections in use bounded by
``max_connections``, with a queue only when that bound is reached. The HTTP itself is still httpcore's
``AsyncHTTPConnection`` (h11, TLS, timeouts, its exceptions), and httpx's own transport still maps those
exceptions and wraps the reply: only the transport's ``_pool`` is swapped. Proxies configured in the
environment keep httpx's own transports (they are separate mounts).
"""

from __future__ import annotations

import select
import sys
import time
from collections import deque
from collections.abc import AsyncIterator
from typing import Any, cast

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
    """httpcore's stream, with the "is readable" question answered by polling the socket directly (anyio
    rebuilds its table of socket attributes, with a ``getpeername`` system call, to answer it)."""

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
    """httpcore's default backend (anyio or trio, whichever runs), with `_Stream` streams."""

    def __init__(self) -> None:
        self._inner: httpcore.AsyncNetworkBackend | None = None

    def _backend(self) -> httpcore.AsyncNetworkBackend:
        if self._inner is None:
            import sniffio

            trio = sniffio.current_async_library() == "trio"
            self._inner = httpcore.TrioBackend() if trio else httpcore.AnyIOBackend()
        return self._inner

    async def connect_tcp(self, *args: Any, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        return _Stream(await self._backend().connect_tcp(*args, **kwargs))

    async def connect_unix_socket(self, *args: Any, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        return _Stream(await self._backend().connect_unix_socket(*args, **kwargs))

    async def sleep(self, seconds: float) -> None:
        await self._backend().sleep(seconds)


class _Slot:
    """A waiter for a connection slot; `granted` once a finishing request hands its slot over."""

    __slots__ = ("event", "granted")

    def __init__(self, event: Any) -> None:
        self.event = event
        self.granted = False


class LifoPool:
    """HTTP/1.1 keep-alive connections per origin, reused last-in first-out (see the module doc)."""

    def __init__(
        self,
        *,
        ssl_context: Any,
        max_connections: int | None,
        max_keepalive_connections: int | None,
        keepalive_expiry: float | None,
    ) -> None:
        self._ssl_context = ssl_context
        self._max_connections = sys.maxsize if max_connections is None else max_connections
        self._max_idle = sys.maxsize if max_keepalive_connections is None else max_keepalive_connections
        self._keepalive_expiry = keepalive_expiry
        self._backend = _Backend()
        # Keyed by (scheme, host, port): httpcore's Origin is not hashable.
        self._idle: dict[tuple[bytes, bytes, int], list[httpcore.AsyncHTTPConnection]] = {}
        self._idle_count = 0
        self._in_use = 0  # requests holding a slot: sending, or a reply not yet closed
        self._waiters: deque[_Slot] = deque()
        self._closed = False

    # -- slots: at most max_connections requests at a time ------------------------------------------

    async def _acquire(self, timeout: float | None) -> None:
        if self._in_use < self._max_connections and not self._waiters:
            self._in_use += 1
            return
        import anyio  # only when the pool is full

        slot = _Slot(anyio.Event())
        self._waiters.append(slot)
        try:
            with anyio.fail_after(timeout):
                await slot.event.wait()
        except TimeoutError:
            if not slot.granted:
                self._waiters.remove(slot)
                raise httpcore.PoolTimeout("no connection became free in time") from None
            self._release()
            raise httpcore.PoolTimeout("no connection became free in time") from None
        except BaseException:
            if slot.granted:
                self._release()  # handed over just as this waiter was cancelled: pass it on
            else:
                self._waiters.remove(slot)
            raise

    def _release(self) -> None:
        if self._waiters:
            slot = self._waiters.popleft()  # the slot goes straight to the next waiter
            slot.granted = True
            slot.event.set()
        else:
            self._in_use -= 1

    # -- connections ---------------------------------------------------------------------------------

    async def _connection(self, origin: httpcore.Origin) -> httpcore.AsyncHTTPConnection:
        """The most recently used idle connection to `origin` the server has not closed, else a new one."""
        idle = self._idle.get((origin.scheme, origin.host, origin.port))
        while idle:
            connection = idle.pop()
            self._idle_count -= 1
            if connection.is_idle() and not connection.has_expired():
                return connection
            await connection.aclose()
        return httpcore.AsyncHTTPConnection(
            origin=origin,
            ssl_context=self._ssl_context,
            keepalive_expiry=self._keepalive_expiry,
            http1=True,
            http2=False,
            network_backend=self._backend,
        )

    async def _check_in(self, connection: httpcore.AsyncHTTPConnection) -> None:
        """Back on its origin's stack if it can carry another request, else closed; the slot is freed."""
        try:
            if connection.is_idle() and not self._closed and self._idle_count < self._max_idle:
                origin = connection._origin
                self._idle.setdefault((origin.scheme, origin.host, origin.port), []).append(connection)
                self._idle_count += 1
            elif not connection.is_closed():
                await connection.aclose()
        finally:
            self._release()

    async def handle_async_request(self, request: httpcore.Request) -> httpcore.Response:
        if self._closed:
            raise RuntimeError("the SDK's HTTP connection pool is closed")
        scheme = request.url.scheme.decode()
        if scheme not in ("http", "https"):
            raise httpcore.UnsupportedProtocol(f"Request URL has an unsupported protocol '{scheme}://'.")
        timeouts = request.extensions.get("timeout", {})
        started = time.monotonic()
        await self._acquire(timeouts.get("pool"))
        try:
            for _ in range(3):  # a connection that turned out unusable at the last moment: take another
                connection = await self._connection(request.url.origin)
                try:
                    response = await connection.handle_async_request(request)
                except httpcore.ConnectionNotAvailable:
                    await connection.aclose()
                    continue
                except BaseException:
                    if not connection.is_closed():
                        await connection.aclose()
                    raise
                break
            else:
                raise httpcore.ConnectError(f"no usable connection after {time.monotonic() - started:.1f} s")
        except BaseException:
            self._release()
            raise
        return httpcore.Response(
            status=response.status,
            headers=response.headers,
            content=_CheckInStream(response.stream, self, connection),
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        self._closed = True
        idle = [c for stack in self._idle.values() for c in stack]
        self._idle.clear()
        self._idle_count = 0
        for connection in idle:
            await connection.aclose()

    async def __aenter__(self) -> LifoPool:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


class _CheckInStream:
    """The reply body; closing it returns the connection to the pool (once)."""

    def __init__(self, inner: Any, pool: LifoPool, connection: httpcore.AsyncHTTPConnection) -> None:
        self._inner = inner
        self._pool: LifoPool | None = pool
        self._connection = connection

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for part in self._inner:
                yield part
        except BaseException:
            await self.aclose()
            raise

    async def aclose(self) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        try:
            if hasattr(self._inner, "aclose"):
                await self._inner.aclose()
        finally:
            await pool._check_in(self._connection)


# httpx's limits, but up to 100 idle connections kept instead of 20: a fan-out over 64 sessions should not
# open a new connection for most calls. Idle ones still close after 5 s.
LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=100, keepalive_expiry=5.0)


def async_client(*, timeout: httpx.Timeout | float | None, headers: dict[str, str]) -> httpx.AsyncClient:
    """The ``httpx.AsyncClient`` the SDK makes: requests go through a `LifoPool`.

    It is mounted for ``all://``, so proxies from the environment (``HTTPS_PROXY``...), being more specific
    mounts, still win, and hosts in ``NO_PROXY`` use httpx's own transport. One TLS context serves both.
    If this httpx keeps its pool elsewhere than ``AsyncHTTPTransport._pool``, nothing is swapped."""
    ssl_context = httpx.create_ssl_context()
    transport = httpx.AsyncHTTPTransport(verify=ssl_context, limits=LIMITS)
    if type(getattr(transport, "_pool", None)) is not httpcore.AsyncConnectionPool:
        return httpx.AsyncClient(timeout=timeout, headers=headers, verify=ssl_context, limits=LIMITS)
    cast(Any, transport)._pool = LifoPool(
        ssl_context=ssl_context,
        max_connections=LIMITS.max_connections,
        max_keepalive_connections=LIMITS.max_keepalive_connections,
        keepalive_expiry=LIMITS.keepalive_expiry,
    )
    return httpx.AsyncClient(
        timeout=timeout, headers=headers, verify=ssl_context, limits=LIMITS, mounts={"all://": transport}
    )
