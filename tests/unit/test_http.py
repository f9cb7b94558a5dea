"""The connection pool of the AsyncClient the SDK makes (agb/_http.py), against a real loopback server."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import httpx
import pytest

from agb import AGB, AsyncAGB, Config
from agb._http import LifoPool, _readable, async_client, sync_client

from .conftest import API_KEY


@dataclass
class Server:
    """A keep-alive HTTP/1.1 server: answers `/slow` after `delay` s, `/close` then closes the connection,
    `/big` with a large body; counts connections and the most requests it ever had in progress."""

    delay: float = 0.2
    port: int = 0
    accepted: int = 0
    in_progress: int = 0
    most_in_progress: int = 0
    writers: list[asyncio.StreamWriter] = field(default_factory=list)

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.accepted += 1
        self.writers.append(writer)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                path = head.split(b" ", 2)[1]
                self.in_progress += 1
                self.most_in_progress = max(self.most_in_progress, self.in_progress)
                if path == b"/slow":
                    await asyncio.sleep(self.delay)
                self.in_progress -= 1
                body = b"x" * 1_000_000 if path == b"/big" else b"{}"
                writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: %d\r\n\r\n" % len(body) + body)
                await writer.drain()
                if path == b"/close":
                    break  # no "Connection: close": the client believes it may keep the connection
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@asynccontextmanager
async def running(delay: float = 0.2) -> AsyncIterator[Server]:
    state = Server(delay=delay)
    server = await asyncio.start_server(state.serve, "127.0.0.1", 0)
    state.port = server.sockets[0].getsockname()[1]
    async with server:
        yield state
        for w in state.writers:
            w.close()


def pool_of(client: httpx.AsyncClient) -> LifoPool:
    transport = client._transport_for_url(httpx.URL("http://agb.test/"))  # type: ignore[attr-defined]
    pool = transport._pool
    assert isinstance(pool, LifoPool)
    return pool


def small_pool_client(max_connections: int) -> httpx.AsyncClient:
    client = async_client(timeout=5.0, headers={})
    pool = pool_of(client)
    pool._max_connections = max_connections
    return client


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


async def test_only_the_async_client_the_sdk_makes_uses_it() -> None:
    async with AsyncAGB(API_KEY, Config(endpoint="http://agb.test")) as ours:
        assert isinstance(pool_of(ours._http), LifoPool)  # type: ignore[arg-type]
    given = httpx.AsyncClient()
    async with given, AsyncAGB(API_KEY, Config(endpoint="http://agb.test"), http_client=given):
        assert not isinstance(getattr(given._transport, "_pool", None), LifoPool)  # type: ignore[attr-defined]
    with AGB(API_KEY, Config(endpoint="http://agb.test")) as sync:
        assert not isinstance(getattr(sync._http._transport, "_pool", None), LifoPool)  # type: ignore[attr-defined]


async def test_proxies_from_the_environment_still_apply(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.test:3128")
    monkeypatch.setenv("NO_PROXY", "direct.test")
    client = async_client(timeout=5.0, headers={})
    async with client:
        proxied = client._transport_for_url(httpx.URL("http://agb.test/"))  # type: ignore[attr-defined]
        assert not isinstance(getattr(proxied, "_pool", None), LifoPool)
        assert "Proxy" in type(proxied._pool).__name__
        direct = client._transport_for_url(httpx.URL("http://direct.test/"))  # type: ignore[attr-defined]
        assert not isinstance(getattr(direct, "_pool", None), LifoPool)  # httpx's own, unproxied
        ours = client._transport_for_url(httpx.URL("https://agb.test/"))  # type: ignore[attr-defined]  # not proxied
        assert isinstance(ours._pool, LifoPool)


async def test_sequential_requests_share_one_connection() -> None:
    async with running() as server, async_client(timeout=5.0, headers={}) as client:
        for _ in range(5):
            assert (await client.get(server.url("/"))).status_code == 200
        assert server.accepted == 1
        assert pool_of(client)._in_use == 0


async def test_a_kept_alive_connection_the_server_closed_is_not_reused() -> None:
    async with running() as server, async_client(timeout=5.0, headers={}) as client:
        for _ in range(3):
            assert (await client.get(server.url("/close"))).status_code == 200
            await asyncio.sleep(0.05)  # the close reaches the client
        assert server.accepted == 3


async def test_concurrent_requests_open_connections_then_reuse_them() -> None:
    async with running() as server, async_client(timeout=5.0, headers={}) as client:
        for _ in range(3):
            replies = await asyncio.gather(*(client.get(server.url("/slow")) for _ in range(16)))
            assert all(r.status_code == 200 for r in replies)
        assert server.accepted == 16
        assert server.most_in_progress == 16
        assert pool_of(client)._idle_count == 16 and pool_of(client)._in_use == 0


async def test_at_most_max_connections_at_once_and_the_rest_wait() -> None:
    async with running(delay=0.1) as server, small_pool_client(2) as client:
        replies = await asyncio.gather(*(client.get(server.url("/slow")) for _ in range(7)))
        assert all(r.status_code == 200 for r in replies)
        assert server.most_in_progress == 2 and server.accepted == 2
        assert pool_of(client)._in_use == 0 and not pool_of(client)._waiters


async def test_a_full_pool_times_out_with_pool_timeout() -> None:
    async with running(delay=1.0) as server, small_pool_client(1) as client:
        holder = asyncio.create_task(client.get(server.url("/slow")))
        await asyncio.sleep(0.1)
        with pytest.raises(httpx.PoolTimeout):
            await client.get(server.url("/"), timeout=httpx.Timeout(5.0, pool=0.1))
        assert (await holder).status_code == 200
        assert (await client.get(server.url("/"))).status_code == 200  # nothing leaked
        assert pool_of(client)._in_use == 0 and not pool_of(client)._waiters


async def test_a_cancelled_waiter_leaks_no_slot() -> None:
    async with running(delay=0.3) as server, small_pool_client(1) as client:
        holder = asyncio.create_task(client.get(server.url("/slow")))
        await asyncio.sleep(0.05)
        waiters = [asyncio.create_task(client.get(server.url("/"))) for _ in range(3)]
        await asyncio.sleep(0.05)
        waiters[0].cancel()
        await holder
        waiters[1].cancel()  # may be cancelled just as the slot is handed to it
        results = await asyncio.gather(*waiters, return_exceptions=True)
        assert isinstance(results[0], asyncio.CancelledError)
        assert results[2].status_code == 200  # type: ignore[union-attr]
        assert pool_of(client)._in_use == 0 and not pool_of(client)._waiters
        assert (await client.get(server.url("/"))).status_code == 200


async def test_a_reply_closed_unread_frees_its_slot_and_drops_its_connection() -> None:
    async with running() as server, async_client(timeout=5.0, headers={}) as client:
        async with client.stream("GET", server.url("/big")) as response:
            async for _chunk in response.aiter_bytes():
                break  # most of the body never read
        pool = pool_of(client)
        assert pool._in_use == 0 and pool._idle_count == 0  # unusable for another request: closed
        assert (await client.get(server.url("/"))).status_code == 200
        assert server.accepted == 2 and pool._idle_count == 1


async def test_a_refused_connection_is_a_connect_error_and_frees_its_slot() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound, not listening: connections are refused
        async with async_client(timeout=5.0, headers={}) as client:
            with pytest.raises(httpx.ConnectError):
                await client.get(f"http://127.0.0.1:{port}/")
            assert pool_of(client)._in_use == 0


async def test_closing_the_client_closes_idle_connections() -> None:
    async with running() as server:
        client = async_client(timeout=5.0, headers={})
        await asyncio.gather(*(client.get(server.url("/slow")) for _ in range(3)))
        pool = pool_of(client)
        assert pool._idle_count == 3
        await client.aclose()
        assert pool._idle_count == 0
        with pytest.raises(RuntimeError, match="closed"):
            await client.get(server.url("/"))


async def test_a_waiter_cancelled_just_after_being_handed_a_slot_passes_it_on() -> None:
    pool = LifoPool(ssl_context=None, max_connections=1, max_keepalive_connections=1, keepalive_expiry=5.0)
    await pool._acquire(None)
    first = asyncio.create_task(pool._acquire(None))
    second = asyncio.create_task(pool._acquire(None))
    await asyncio.sleep(0.01)
    assert len(pool._waiters) == 2
    pool._release()  # hands the slot to `first`...
    first.cancel()  # ...which is cancelled before it runs again
    with pytest.raises(asyncio.CancelledError):
        await first
    await asyncio.wait_for(second, 1)  # the slot went on to `second`
    assert pool._in_use == 1 and not pool._waiters
    pool._release()
    assert pool._in_use == 0


async def test_tls_through_the_asyncio_streams() -> None:
    """HTTPS: the handshake checks the certificate against the host name, then keep-alive as over plain http."""
    import ssl

    import trustme

    ca = trustme.CA()
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost").configure_cert(server_ctx)
    client_ctx = ssl.create_default_context()
    ca.configure_trust(client_ctx)
    state = Server()
    server = await asyncio.start_server(state.serve, "127.0.0.1", 0, ssl=server_ctx)
    port = server.sockets[0].getsockname()[1]
    transport = httpx.AsyncHTTPTransport(verify=client_ctx)
    transport._pool = LifoPool(  # type: ignore[assignment]
        ssl_context=client_ctx, max_connections=10, max_keepalive_connections=10, keepalive_expiry=5.0
    )
    async with server, httpx.AsyncClient(transport=transport) as client:
        for _ in range(3):
            r = await client.get(f"https://localhost:{port}/")
            assert r.status_code == 200 and r.extensions["http_version"] == b"HTTP/1.1"
        assert state.accepted == 1
        with pytest.raises(httpx.ConnectError, match=r"certificate|hostname|match"):
            await client.get(f"https://127.0.0.1:{port}/")  # the certificate names localhost only
        for w in state.writers:
            w.close()


async def test_a_silent_server_is_a_read_timeout_and_the_connection_is_not_reused() -> None:
    async with running(delay=5.0) as server, async_client(timeout=5.0, headers={}) as client:
        with pytest.raises(httpx.ReadTimeout):
            await client.get(server.url("/slow"), timeout=httpx.Timeout(5.0, read=0.2))
        pool = pool_of(client)
        assert pool._in_use == 0 and pool._idle_count == 0


async def test_a_connection_reset_mid_reply_is_an_error_not_a_hang() -> None:
    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\npartial")
        await writer.drain()
        writer.transport.abort()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server, async_client(timeout=5.0, headers={}) as client:
        with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
            await client.get(f"http://127.0.0.1:{port}/")
        assert pool_of(client)._in_use == 0


@pytest.mark.parametrize("face", ["sync", "async"])
async def test_cookies_a_reply_sets_are_kept_and_others_cost_nothing(face: str) -> None:
    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except asyncio.IncompleteReadError:
                break
            sent = b"yes" if b"cookie: lb=1" in head.lower() else b"no"
            cookie = b"set-cookie: lb=1; Path=/\r\n" if head.startswith(b"GET /set ") else b""
            writer.write(b"HTTP/1.1 200 OK\r\n" + cookie + b"content-length: %d\r\n\r\n" % len(sent) + sent)
            await writer.drain()
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    base = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    async with server:
        if face == "async":
            async with async_client(timeout=5.0, headers={}) as client:
                assert (await client.get(base + "/")).text == "no" and not client.cookies
                assert (await client.get(base + "/set")).text == "no"
                assert (await client.get(base + "/")).text == "yes" and client.cookies["lb"] == "1"
        else:

            def run() -> list[str]:
                with sync_client(timeout=5.0, headers={}) as client:
                    return [client.get(base + p).text for p in ("/", "/set", "/")]

            assert await asyncio.to_thread(run) == ["no", "no", "yes"]


async def test_connections_left_over_from_a_burst_are_closed_once_they_expire() -> None:
    async with running(delay=0.1) as server, async_client(timeout=5.0, headers={}) as client:
        pool = pool_of(client)
        pool._keepalive_expiry = 0.3
        await asyncio.gather(*(client.get(server.url("/slow")) for _ in range(8)))
        assert pool._idle_count == 8
        # Sequential use from here on only ever takes the top connection, which so never expires; the
        # others do, and must not linger.
        for _ in range(12):
            assert (await client.get(server.url("/"))).status_code == 200
            await asyncio.sleep(0.05)
        assert pool._idle_count == 1
        assert server.accepted == 8
