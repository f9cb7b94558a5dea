"""A lean asyncio HTTP/1.1 transport for ``httpx.AsyncClient``: how far below the SDK's client cost could go.

The SDK's async client already has its own connection pool (``agb/_http.py``: httpcore's pool rescanned every
connection for every request); what it still pays for per call is httpcore's HTTP/1.1 connection over h11
and anyio's streams and cancel scopes. This transport keeps a LIFO of idle keep-alive connections per origin
and speaks HTTP/1.1 directly on asyncio streams, so the difference between the two rows of the bench is what
those layers cost. It is a measuring stick (plain http, Content-Length or chunked replies), not a production
transport: no TLS, proxies or the error mapping httpx's transport does.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict

import httpx

_MAX_HEAD = 64 * 1024


class _Stale(Exception):
    """A reused keep-alive connection was closed by the server before it answered."""


class LeanAsyncTransport(httpx.AsyncBaseTransport):
    def __init__(self, max_idle_per_origin: int = 128) -> None:
        self._idle: defaultdict[tuple[str, int], list[tuple[asyncio.StreamReader, asyncio.StreamWriter]]]
        self._idle = defaultdict(list)
        self._max_idle = max_idle_per_origin

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        if url.scheme != "http":
            raise httpx.UnsupportedProtocol(f"LeanAsyncTransport speaks plain http only, not {url.scheme}")
        origin = (url.host, url.port or 80)
        body = await request.aread()
        head = [f"{request.method} {url.raw_path.decode('ascii')} HTTP/1.1\r\n".encode()]
        head += [k + b": " + v + b"\r\n" for k, v in request.headers.raw if k.lower() != b"content-length"]
        head.append(b"content-length: %d\r\n\r\n" % len(body))
        payload = b"".join(head) + body
        timeout = request.extensions.get("timeout", {}).get("read")
        idle = self._idle[origin]
        while idle:
            conn = idle.pop()
            if conn[0].at_eof():
                conn[1].close()
                continue
            try:
                return await self._exchange(conn, origin, payload, request, timeout, reused=True)
            except _Stale:
                continue
        try:
            conn = await asyncio.open_connection(*origin)
        except OSError as exc:
            raise httpx.ConnectError(str(exc), request=request) from exc
        return await self._exchange(conn, origin, payload, request, timeout, reused=False)

    async def _exchange(
        self,
        conn: tuple[asyncio.StreamReader, asyncio.StreamWriter],
        origin: tuple[str, int],
        payload: bytes,
        request: httpx.Request,
        timeout: float | None,
        *,
        reused: bool,
    ) -> httpx.Response:
        reader, writer = conn
        try:
            writer.write(payload)
            async with asyncio.timeout(timeout):
                try:
                    raw_head = await reader.readuntil(b"\r\n\r\n")
                except asyncio.IncompleteReadError as exc:
                    if reused and not exc.partial:
                        raise _Stale from exc
                    raise
                lines = raw_head[:-4].split(b"\r\n")
                status = int(lines[0].split(b" ", 2)[1])
                headers = [tuple(line.split(b":", 1)) for line in lines[1:]]
                fields = {k.strip().lower(): v.strip() for k, v in headers}
                if fields.get(b"transfer-encoding", b"").lower() == b"chunked":
                    content = await _read_chunked(reader)
                else:
                    content = await reader.readexactly(int(fields.get(b"content-length", b"0")))
        except _Stale:
            writer.close()
            raise
        except TimeoutError as exc:
            writer.close()
            raise httpx.ReadTimeout("timed out waiting for the reply", request=request) from exc
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError, IndexError) as exc:
            writer.close()
            raise httpx.RemoteProtocolError(f"{type(exc).__name__}: {exc}", request=request) from exc
        if fields.get(b"connection", b"").lower() == b"close" or len(self._idle[origin]) >= self._max_idle:
            writer.close()
        else:
            self._idle[origin].append(conn)
        return httpx.Response(
            status, headers=[(k.strip(), v.strip()) for k, v in headers], content=content, request=request
        )

    async def aclose(self) -> None:
        for conns in self._idle.values():
            for _, writer in conns:
                writer.close()
        self._idle.clear()


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    parts = []
    while True:
        size = int((await reader.readuntil(b"\r\n"))[:-2].split(b";", 1)[0], 16)
        if size == 0:
            await reader.readuntil(b"\r\n")  # no trailers from uvicorn
            return b"".join(parts)
        parts.append(await reader.readexactly(size))
        await reader.readexactly(2)
