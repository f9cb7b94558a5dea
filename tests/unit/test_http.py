"""The transport and connection pool of the AsyncClient the SDK makes (agb/_http.py), against real loopback
servers, through httpx's public API only."""

from __future__ import annotations

import asyncio
import pathlib
import socket
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import httpcore
import httpx
import pytest

from agb import AGB, AsyncAGB, Config
from agb._http import AsyncTransport, LifoPool, _AsyncioStream, _readable, async_client, sync_client

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
    paths: list[bytes] = field(default_factory=list)

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.accepted += 1
        self.writers.append(writer)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                path = head.split(b" ", 2)[1]
                self.paths.append(path)
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


def ours(max_connections: int = 100, ssl_context: ssl.SSLContext | None = None) -> AsyncTransport:
    """The SDK's transport with room for `max_connections` requests at a time."""
    limits = httpx.Limits(max_connections=max_connections, max_keepalive_connections=100, keepalive_expiry=5.0)
    return AsyncTransport(ssl_context=ssl_context or httpx.create_ssl_context(), limits=limits)


def on(transport: AsyncTransport) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=transport, timeout=5.0)


def through_ours(reply: httpx.Response) -> bool:
    """Whether `reply` came over the SDK's connections (httpcore's public ``network_stream`` extension)."""
    return isinstance(reply.extensions["network_stream"], _AsyncioStream)


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
    async with running() as server:
        async with AsyncAGB(API_KEY, Config(endpoint=server.url(""))) as agb:
            assert through_ours(await agb._http.get(server.url("/")))
        async with (
            httpx.AsyncClient() as given,
            AsyncAGB(API_KEY, Config(endpoint="http://agb.test"), http_client=given),
        ):
            assert not through_ours(await given.get(server.url("/")))
        with AGB(API_KEY, Config(endpoint=server.url(""))) as sync:
            reply = await asyncio.to_thread(sync._http.get, server.url("/"))
            assert not isinstance(reply.extensions["network_stream"], _AsyncioStream)


async def test_proxies_from_the_environment_still_apply(
    monkeypatch: pytest.MonkeyPatch, tmp_path: pathlib.Path
) -> None:
    """HTTP_PROXY sends http:// through the proxy, NO_PROXY hosts go direct on httpx's own transport, and
    what no proxy covers (https:// here) goes through the SDK's transport."""
    import trustme

    ca = trustme.CA()
    ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(server_ctx)
    tls = Server()
    tls_server = await asyncio.start_server(tls.serve, "127.0.0.1", 0, ssl=server_ctx)
    tls_port = tls_server.sockets[0].getsockname()[1]
    async with running() as proxy, running() as direct, tls_server:
        monkeypatch.setenv("HTTP_PROXY", proxy.url(""))
        monkeypatch.setenv("NO_PROXY", "localhost")
        monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "ca.pem"))  # httpx's TLS context trusts it
        async with async_client(timeout=5.0, headers={}) as client:
            assert (await client.get("http://agb.test/x")).status_code == 200
            assert proxy.paths == [b"http://agb.test/x"]  # the absolute form: it went to the proxy
            reply = await client.get(f"http://localhost:{direct.port}/d")
            assert direct.paths == [b"/d"] and not through_ours(reply)
            reply = await client.get(f"https://127.0.0.1:{tls_port}/t")
            assert tls.paths == [b"/t"] and through_ours(reply)
        for w in tls.writers:
            w.close()


async def test_sequential_requests_share_one_connection() -> None:
    transport = ours()
    async with running() as server, on(transport) as client:
        for _ in range(5):
            reply = await client.get(server.url("/"))
            assert reply.status_code == 200 and through_ours(reply)
        assert server.accepted == 1
        assert transport.pool._in_use == 0


async def test_a_kept_alive_connection_the_server_closed_is_not_reused() -> None:
    async with running() as server, on(ours()) as client:
        for _ in range(3):
            assert (await client.get(server.url("/close"))).status_code == 200
            await asyncio.sleep(0.05)  # the close reaches the client
        assert server.accepted == 3


async def test_concurrent_requests_open_connections_then_reuse_them() -> None:
    transport = ours()
    async with running() as server, on(transport) as client:
        for _ in range(3):
            replies = await asyncio.gather(*(client.get(server.url("/slow")) for _ in range(16)))
            assert all(r.status_code == 200 for r in replies)
        assert server.accepted == 16
        assert server.most_in_progress == 16
        assert transport.pool._idle_count == 16 and transport.pool._in_use == 0


async def test_at_most_max_connections_at_once_and_the_rest_wait() -> None:
    transport = ours(max_connections=2)
    async with running(delay=0.1) as server, on(transport) as client:
        replies = await asyncio.gather(*(client.get(server.url("/slow")) for _ in range(7)))
        assert all(r.status_code == 200 for r in replies)
        assert server.most_in_progress == 2 and server.accepted == 2
        assert transport.pool._in_use == 0 and not transport.pool._waiters


async def test_a_full_pool_times_out_with_pool_timeout() -> None:
    transport = ours(max_connections=1)
    async with running(delay=1.0) as server, on(transport) as client:
        holder = asyncio.create_task(client.get(server.url("/slow")))
        await asyncio.sleep(0.1)
        with pytest.raises(httpx.PoolTimeout) as caught:
            await client.get(server.url("/"), timeout=httpx.Timeout(5.0, pool=0.1))
        assert caught.value.request.url == server.url("/")
        assert isinstance(caught.value.__cause__, httpcore.PoolTimeout)
        assert (await holder).status_code == 200
        assert (await client.get(server.url("/"))).status_code == 200  # nothing leaked
        assert transport.pool._in_use == 0 and not transport.pool._waiters


async def test_a_cancelled_waiter_leaks_no_slot() -> None:
    transport = ours(max_connections=1)
    async with running(delay=0.3) as server, on(transport) as client:
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
        assert transport.pool._in_use == 0 and not transport.pool._waiters
        assert (await client.get(server.url("/"))).status_code == 200


async def test_a_reply_closed_unread_frees_its_slot_and_drops_its_connection() -> None:
    transport = ours()
    async with running() as server, on(transport) as client:
        async with client.stream("GET", server.url("/big")) as response:
            async for _chunk in response.aiter_bytes():
                break  # most of the body never read
        pool = transport.pool
        assert pool._in_use == 0 and pool._idle_count == 0  # unusable for another request: closed
        assert (await client.get(server.url("/"))).status_code == 200
        assert server.accepted == 2 and pool._idle_count == 1


async def test_a_refused_connection_is_a_connect_error_and_frees_its_slot() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound, not listening: connections are refused
        transport = ours()
        async with on(transport) as client:
            with pytest.raises(httpx.ConnectError) as caught:
                await client.get(f"http://127.0.0.1:{port}/")
            assert caught.value.request.url == f"http://127.0.0.1:{port}/"
            assert transport.pool._in_use == 0


async def test_closing_the_client_closes_idle_connections() -> None:
    async with running() as server:
        transport = ours()
        client = on(transport)
        await asyncio.gather(*(client.get(server.url("/slow")) for _ in range(3)))
        pool = transport.pool
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
    import trustme

    ca = trustme.CA()
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost").configure_cert(server_ctx)
    client_ctx = ssl.create_default_context()
    ca.configure_trust(client_ctx)
    state = Server()
    server = await asyncio.start_server(state.serve, "127.0.0.1", 0, ssl=server_ctx)
    port = server.sockets[0].getsockname()[1]
    async with server, on(ours(ssl_context=client_ctx)) as client:
        for _ in range(3):
            r = await client.get(f"https://localhost:{port}/")
            assert r.status_code == 200 and r.extensions["http_version"] == b"HTTP/1.1" and through_ours(r)
        assert state.accepted == 1
        with pytest.raises(httpx.ConnectError, match=r"certificate|hostname|match"):
            await client.get(f"https://127.0.0.1:{port}/")  # the certificate names localhost only
        for w in state.writers:
            w.close()


async def test_a_silent_server_is_a_read_timeout_and_the_connection_is_not_reused() -> None:
    transport = ours()
    async with running(delay=5.0) as server, on(transport) as client:
        with pytest.raises(httpx.ReadTimeout):
            await client.get(server.url("/slow"), timeout=httpx.Timeout(5.0, read=0.2))
        pool = transport.pool
        assert pool._in_use == 0 and pool._idle_count == 0


async def test_a_connection_reset_mid_reply_is_an_error_not_a_hang() -> None:
    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\npartial")
        await writer.drain()
        writer.transport.abort()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    transport = ours()
    async with server, on(transport) as client:
        with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):  # raised while the body streams
            await client.get(f"http://127.0.0.1:{port}/")
        assert transport.pool._in_use == 0


@pytest.mark.parametrize("face", ["sync", "async"])
async def test_cookies_a_reply_sets_are_kept(face: str, monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[str] = []  # replies httpx's cookie parsing looked at
    parse = httpx.Cookies.extract_cookies

    def counted(self: httpx.Cookies, response: httpx.Response) -> None:
        parsed.append(response.url.path)
        parse(self, response)

    monkeypatch.setattr(httpx.Cookies, "extract_cookies", counted)

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
                client.cookies = {}
                assert (await client.get(base + "/")).text == "no" and not client.cookies
                assert (await client.get(base + "/set")).text == "no" and client.cookies["lb"] == "1"
            assert parsed == ["/set", "/set"]  # the async client skips replies that set no cookie
        else:

            def run() -> list[str]:
                with sync_client(timeout=5.0, headers={}) as client:
                    return [client.get(base + p).text for p in ("/", "/set", "/")]

            assert await asyncio.to_thread(run) == ["no", "no", "yes"]


async def test_connections_left_over_from_a_burst_are_closed_once_they_expire() -> None:
    transport = ours()
    async with running(delay=0.1) as server, on(transport) as client:
        pool = transport.pool
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
