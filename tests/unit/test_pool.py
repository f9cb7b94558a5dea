"""The cheaper idle-connection check on the AsyncClient the SDK makes (agb/_pool.py)."""

from __future__ import annotations

import asyncio
import socket

import httpcore
import httpx

from agb import AGB, AsyncAGB, Config
from agb._pool import _Backend, _readable, lighten

from .conftest import API_KEY


def test_readable_is_true_for_data_eof_and_closed_sockets() -> None:
    a, b = socket.socketpair()
    with a, b:
        assert not _readable(a)
        b.sendall(b"x")
        assert _readable(a)
        a.recv(1)
        assert not _readable(a)
        b.close()
        assert _readable(a)  # EOF waiting: the peer closed
    assert _readable(a)  # closed here: fileno() is -1
    assert _readable(None)


async def test_only_the_async_client_the_sdk_makes_is_changed() -> None:
    ours = AsyncAGB(API_KEY, Config(endpoint="http://agb.test"))
    pool = ours._http._transport._pool  # type: ignore[attr-defined]
    assert isinstance(pool._network_backend, _Backend)
    assert lighten(ours._http) and isinstance(pool._network_backend._inner, httpcore.AsyncNetworkBackend)  # once
    given = httpx.AsyncClient()
    async with AsyncAGB(API_KEY, Config(endpoint="http://agb.test"), http_client=given):
        assert not isinstance(given._transport._pool._network_backend, _Backend)  # type: ignore[attr-defined]
    mocked = httpx.AsyncClient(transport=httpx.MockTransport(lambda r: httpx.Response(200)))
    proxied = httpx.AsyncClient(proxy="http://proxy.test:3128")
    assert not lighten(mocked)
    lighten(proxied)  # its direct pool, unused here; the proxy's pool is left as it is
    (proxy_transport,) = proxied._mounts.values()  # type: ignore[attr-defined]
    assert not isinstance(proxy_transport._pool._network_backend, _Backend)
    with AGB(API_KEY, Config(endpoint="http://agb.test")) as sync:
        assert not isinstance(getattr(sync._http._transport._pool, "_network_backend", None), _Backend)  # type: ignore[attr-defined]
    for client in (ours._http, given, mocked, proxied):
        await client.aclose()


async def test_a_kept_alive_connection_the_server_closed_is_not_reused() -> None:
    """What the check is for: the server closes an idle connection; the next request opens a new one."""
    accepted = 0

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal accepted
        accepted += 1
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}")
        await writer.drain()
        writer.close()  # no "Connection: close": the client believes it may keep the connection

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    client = httpx.AsyncClient()
    assert lighten(client)
    async with server, client:
        for _ in range(3):
            response = await client.get(f"http://127.0.0.1:{port}/")
            assert response.status_code == 200
            await asyncio.sleep(0.05)  # the close reaches the client
    assert accepted == 3
