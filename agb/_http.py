"""The httpx clients the SDK makes (never a client the user passes in), and what makes them cheaper per call.

The async client sends its requests through `AsyncTransport`, an ``httpx.AsyncBaseTransport`` around
`LifoPool`. httpx's default async transport hands every request to httpcore's ``AsyncConnectionPool``, which
rescans every connection for every queued request and again whenever a reply is closed (``is_idle`` about
1,000 times per request with 16 connections: a size check inside the scan lists all connections for each idle
one). In the bench's fan-out that bookkeeping was most of the client's CPU per call. ``LifoPool`` does the
same job in constant time per request: a last-in-first-out stack of idle keep-alive connections per origin
(the most recently used, so the warmest, goes first), one "did the server close it?" check on the connection
about to be reused, and a count of connections in use bounded by ``max_connections``, with a queue only when
that bound is reached. The HTTP itself is still httpcore's ``AsyncHTTPConnection`` (h11, TLS, its
exceptions), over asyncio streams (`_AsyncioStream`) instead of anyio's; `AsyncTransport` maps httpcore's
exceptions to httpx's as httpx's own transport does. Only public API of httpx and httpcore is used, so the
transport does not depend on how a given httpx release lays out its internals. Proxies configured in the
environment keep httpx's own transports (they are separate mounts).

The async client also skips httpx's cookie bookkeeping for replies that set no cookie (`_Cookies`, through
the client's public ``cookies`` property).
"""

from __future__ import annotations

import asyncio
import select
import ssl
import sys
import time
from collections import deque
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Iterable
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


class _AsyncioStream(httpcore.AsyncNetworkStream):
    """A connection on asyncio's streams, raising httpcore's exceptions.

    httpcore's default on asyncio goes through anyio, whose cancel scopes, stream wrappers and checkpoints
    cost more per read and write than the HTTP parsing does; `asyncio.timeout` and the stream calls are
    enough here. Whether the server closed an idle connection is read from the stream's state and a poll
    of the socket (EOF may be waiting there before the event loop has seen it)."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        try:
            async with asyncio.timeout(timeout):
                return await self._reader.read(max_bytes)
        except TimeoutError:
            raise httpcore.ReadTimeout(f"no data within {timeout} s") from None
        except OSError as exc:
            raise httpcore.ReadError(str(exc) or type(exc).__name__) from exc

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        if self._writer.is_closing():
            raise httpcore.WriteError("the connection is closed")
        try:
            async with asyncio.timeout(timeout):
                self._writer.write(buffer)
                await self._writer.drain()
        except TimeoutError:
            raise httpcore.WriteTimeout(f"could not send within {timeout} s") from None
        except OSError as exc:
            raise httpcore.WriteError(str(exc) or type(exc).__name__) from exc

    async def aclose(self) -> None:
        # Not waiting for the close to finish: a TLS peer that never answers close_notify must not hang us.
        self._writer.close()

    async def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.AsyncNetworkStream:
        try:
            async with asyncio.timeout(timeout):
                await self._writer.start_tls(ssl_context, server_hostname=server_hostname)
        except TimeoutError:
            self._writer.close()
            raise httpcore.ConnectTimeout(f"TLS handshake not done within {timeout} s") from None
        except (OSError, ssl.SSLError) as exc:  # ssl.SSLError is an OSError; named for the reader
            self._writer.close()
            raise httpcore.ConnectError(str(exc) or type(exc).__name__) from exc
        return self

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":
            reader = self._reader
            closed = reader.at_eof() or reader.exception() is not None or self._writer.is_closing()
            return closed or _readable(self._writer.get_extra_info("socket"))
        if info == "client_addr":
            return self._writer.get_extra_info("sockname")
        if info == "server_addr":
            return self._writer.get_extra_info("peername")
        if info in ("ssl_object", "socket"):
            return self._writer.get_extra_info(info)
        return None


async def _connected(
    opening: Awaitable[tuple[asyncio.StreamReader, asyncio.StreamWriter]],
    timeout: float | None,
    socket_options: Iterable[Any] | None,
) -> _AsyncioStream:
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await opening
    except TimeoutError:
        raise httpcore.ConnectTimeout(f"not connected within {timeout} s") from None
    except OSError as exc:
        raise httpcore.ConnectError(str(exc) or type(exc).__name__) from exc
    sock = writer.get_extra_info("socket")
    for option in socket_options or ():
        sock.setsockopt(*option)
    return _AsyncioStream(reader, writer)


class _Backend(httpcore.AsyncNetworkBackend):
    """`_AsyncioStream` connections on asyncio; httpcore's trio backend under trio."""

    def __init__(self) -> None:
        self._trio: httpcore.AsyncNetworkBackend | None = None

    def _on_trio(self) -> httpcore.AsyncNetworkBackend | None:
        import sniffio

        if sniffio.current_async_library() != "trio":
            return None
        if self._trio is None:
            self._trio = httpcore.TrioBackend()
        return self._trio

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        trio = self._on_trio()
        if trio is not None:
            return await trio.connect_tcp(host, port, timeout, local_address, socket_options)
        local = None if local_address is None else (local_address, 0)
        return await _connected(asyncio.open_connection(host, port, local_addr=local), timeout, socket_options)

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        trio = self._on_trio()
        if trio is not None:
            return await trio.connect_unix_socket(path, timeout, socket_options)
        return await _connected(asyncio.open_unix_connection(path), timeout, socket_options)

    async def sleep(self, seconds: float) -> None:
        trio = self._on_trio()
        await (trio.sleep(seconds) if trio is not None else asyncio.sleep(seconds))


_Key = tuple[bytes, bytes, int]  # an origin's (scheme, host, port): httpcore's Origin is not hashable


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
        self._idle: dict[_Key, list[httpcore.AsyncHTTPConnection]] = {}
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

    async def _connection(self, origin: httpcore.Origin, key: _Key) -> httpcore.AsyncHTTPConnection:
        """The most recently used idle connection to `origin` the server has not closed, else a new one."""
        idle = self._idle.get(key)
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

    async def _check_in(self, connection: httpcore.AsyncHTTPConnection, key: _Key) -> None:
        """Back on its origin's stack if it can carry another request, else closed; the slot is freed."""
        try:
            if connection.is_idle() and not self._closed and self._idle_count < self._max_idle:
                stack = self._idle.setdefault(key, [])
                stack.append(connection)
                self._idle_count += 1
                await self._prune(stack)
            elif not connection.is_closed():
                await connection.aclose()
        finally:
            self._release()

    async def _prune(self, stack: list[httpcore.AsyncHTTPConnection]) -> None:
        """Close the least recently used connections that expired or that the server closed. LIFO reuse
        rarely reaches the bottom of a stack, so without this a burst's extra connections would hold their
        sockets (half-closed by the server) until the client is closed."""
        while len(stack) > 1 and stack[0].has_expired():
            self._idle_count -= 1
            await stack.pop(0).aclose()

    async def handle_async_request(self, request: httpcore.Request) -> httpcore.Response:
        if self._closed:
            raise RuntimeError("the SDK's HTTP connection pool is closed")
        scheme = request.url.scheme.decode()
        if scheme not in ("http", "https"):
            raise httpcore.UnsupportedProtocol(f"Request URL has an unsupported protocol '{scheme}://'.")
        timeouts = request.extensions.get("timeout", {})
        origin = request.url.origin
        key = (origin.scheme, origin.host, origin.port)
        started = time.monotonic()
        await self._acquire(timeouts.get("pool"))
        try:
            for _ in range(3):  # a connection that turned out unusable at the last moment: take another
                connection = await self._connection(origin, key)
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
            content=_CheckInStream(response.stream, self, connection, key),
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

    def __init__(self, inner: Any, pool: LifoPool, connection: httpcore.AsyncHTTPConnection, key: _Key) -> None:
        self._inner = inner
        self._pool: LifoPool | None = pool
        self._connection = connection
        self._key = key

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
            await pool._check_in(self._connection, self._key)


# What each httpcore exception becomes, as httpx's own transport maps them (the most specific class wins).
_EXCEPTIONS: dict[type[Exception], type[httpx.TransportError]] = {
    httpcore.TimeoutException: httpx.TimeoutException,
    httpcore.ConnectTimeout: httpx.ConnectTimeout,
    httpcore.ReadTimeout: httpx.ReadTimeout,
    httpcore.WriteTimeout: httpx.WriteTimeout,
    httpcore.PoolTimeout: httpx.PoolTimeout,
    httpcore.NetworkError: httpx.NetworkError,
    httpcore.ConnectError: httpx.ConnectError,
    httpcore.ReadError: httpx.ReadError,
    httpcore.WriteError: httpx.WriteError,
    httpcore.ProxyError: httpx.ProxyError,
    httpcore.UnsupportedProtocol: httpx.UnsupportedProtocol,
    httpcore.ProtocolError: httpx.ProtocolError,
    httpcore.LocalProtocolError: httpx.LocalProtocolError,
    httpcore.RemoteProtocolError: httpx.RemoteProtocolError,
}


def _httpx_error(exc: Exception, request: httpx.Request | None = None) -> httpx.TransportError | None:
    """httpx's exception for httpcore's `exc`, None for any other exception."""
    for cls in type(exc).__mro__:
        mapped = _EXCEPTIONS.get(cls)
        if mapped is not None:
            return mapped(str(exc), request=request)
    return None


class _ReplyStream(httpx.AsyncByteStream):
    """The reply body for httpx, with httpcore's errors mapped to httpx's."""

    def __init__(self, inner: _CheckInStream) -> None:
        self._inner = inner

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for part in self._inner:
                yield part
        except Exception as exc:
            mapped = _httpx_error(exc)
            if mapped is None:
                raise
            raise mapped from exc

    async def aclose(self) -> None:
        try:
            await self._inner.aclose()
        except Exception as exc:
            mapped = _httpx_error(exc)
            if mapped is None:
                raise
            raise mapped from exc


class AsyncTransport(httpx.AsyncBaseTransport):
    """An ``httpx.AsyncClient`` transport sending every request through a `LifoPool` (see the module doc).

    What httpx's own ``AsyncHTTPTransport`` does around its pool, on httpx's and httpcore's public API: the
    httpx request becomes an httpcore one, httpcore's exceptions become httpx's, the reply streams back.
    """

    def __init__(self, *, ssl_context: ssl.SSLContext, limits: httpx.Limits) -> None:
        self.pool = LifoPool(
            ssl_context=ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        core = httpcore.Request(
            method=request.method,
            url=httpcore.URL(scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path),
            headers=request.headers.raw,
            content=cast(AsyncIterable[bytes], request.stream),
            extensions=request.extensions,
        )
        try:
            reply = await self.pool.handle_async_request(core)
        except Exception as exc:
            mapped = _httpx_error(exc, request)
            if mapped is None:
                raise
            raise mapped from exc
        return httpx.Response(
            status_code=reply.status,
            headers=reply.headers,
            stream=_ReplyStream(cast(_CheckInStream, reply.stream)),
            extensions=reply.extensions,
        )

    async def aclose(self) -> None:
        await self.pool.aclose()


class _Cookies(httpx.Cookies):
    """httpx's cookie store, which only looks at a reply that sets a cookie: for every other one httpx would
    build urllib request and response stand-ins to find nothing, about a tenth of the client's CPU per call."""

    def extract_cookies(self, response: httpx.Response) -> None:
        headers = response.headers
        if "set-cookie" in headers or "set-cookie2" in headers:
            super().extract_cookies(response)


class _AsyncClient(httpx.AsyncClient):
    """httpx's ``AsyncClient`` whose public ``cookies`` is a `_Cookies` on the client's own cookie jar.

    httpx reads and stores cookies through this property; the jar is the one httpx made, so cookies stay
    right whichever store an httpx release uses, and only the cost of cookie-less replies differs."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._sdk_cookies = _Cookies(super().cookies.jar)

    @property
    def cookies(self) -> httpx.Cookies:
        return self._sdk_cookies

    @cookies.setter
    def cookies(self, cookies: Any) -> None:
        httpx.AsyncClient.cookies.fset(self, cookies)  # type: ignore[attr-defined]  # mypy: no property object
        self._sdk_cookies = _Cookies(super().cookies.jar)


def sync_client(*, timeout: httpx.Timeout | float | None, headers: dict[str, str]) -> httpx.Client:
    """The ``httpx.Client`` the SDK makes: httpx's own (sequential calls keep one connection busy, which
    httpcore's pool serves cheaply)."""
    return httpx.Client(timeout=timeout, headers=headers)


# httpx's limits, but up to 100 idle connections kept instead of 20: a fan-out over 64 sessions should not
# open a new connection for most calls. Idle ones still close after 5 s.
LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=100, keepalive_expiry=5.0)


def async_client(*, timeout: httpx.Timeout | float | None, headers: dict[str, str]) -> httpx.AsyncClient:
    """The ``httpx.AsyncClient`` the SDK makes: requests go through an `AsyncTransport`, cookies through
    `_Cookies`.

    The transport is mounted for ``all://``, so proxies from the environment (``HTTPS_PROXY``...), being more
    specific mounts, still win, and hosts in ``NO_PROXY`` use httpx's own transport (passing it as
    ``transport=`` would turn the environment's proxies off). One TLS context serves all of them."""
    ssl_context = httpx.create_ssl_context()
    ours = AsyncTransport(ssl_context=ssl_context, limits=LIMITS)
    return _AsyncClient(timeout=timeout, headers=headers, verify=ssl_context, limits=LIMITS, mounts={"all://": ours})
