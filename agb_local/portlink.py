"""Port links (the spec's getLink and `x-agb-port-link`): `/links/<link token>/<path>` reaches a server
listening on the link's port on the session's own loopback, HTTP and WebSocket alike.

The connection into the sandbox comes from the sandbox runtime (a socket made inside the sandbox's network
namespace), so the sandbox gains no network of its own. HTTP is forwarded one request per connection
(`Connection: close`), the reply streamed back as it comes; a WebSocket upgrade is made to the server in the
sandbox first, then accepted here with the subprotocol it chose, and frames are relayed both ways.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import h11
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketDisconnect

from .bodies import Disconnected, read_body
from .envelope import ApiError
from .sandbox.netns import PortClosed
from .service import AgbService

log = logging.getLogger("agb_local")

PREFIX = "/links/"
HEAD_TIMEOUT_S = 60.0  # for the server in the sandbox to start its reply
READ_IDLE_TIMEOUT_S = 300.0  # between two pieces of a reply (long polls and event streams stay open)
_HOP_BY_HOP = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-authenticate",
        b"proxy-authorization",
        b"te",
        b"trailer",
        b"transfer-encoding",
        b"upgrade",
        b"host",
        b"content-length",
    }
)


# A reply keeps its own length; uvicorn chunks one that has none.
_HOP_BY_HOP_REPLY = _HOP_BY_HOP - {b"content-length"}


def _split(path: str) -> tuple[str, str]:
    """The link token and the path to forward (at least `/`)."""
    rest = path[len(PREFIX) :]
    token, slash, tail = rest.partition("/")
    return token, "/" + tail if slash else "/"


async def _plain(send: Send, status: int, text: str) -> None:
    body = text.encode()
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def serve_http(service: AgbService, scope: Scope, receive: Receive, send: Send) -> None:
    token, path = _split(scope["path"])
    try:
        _, sock = await service.open_link(token)
    except LookupError:
        await _plain(send, 404, "no such link: it is unknown, or its session was released\n")
        return
    except PortClosed as exc:
        await _plain(send, 502, f"{exc}: start a server on it inside the session first\n")
        return
    reader, writer = await asyncio.open_connection(sock=sock)
    try:
        try:
            body = await read_body(receive, service.config.max_body_bytes)
        except Disconnected:
            return  # nobody to answer
        except ApiError:  # over the size limit
            await _plain(send, 413, f"the request body exceeds {service.config.max_body_bytes} bytes\n")
            return
        port = sock.getpeername()[1]
        target = path + ("?" + scope["query_string"].decode("latin-1") if scope.get("query_string") else "")
        headers = [(k, v) for k, v in scope["headers"] if k.lower() not in _HOP_BY_HOP]
        headers += [(b"host", f"127.0.0.1:{port}".encode()), (b"connection", b"close")]
        headers.append((b"content-length", str(len(body)).encode()))
        conn = h11.Connection(our_role=h11.CLIENT)
        writer.write(conn.send(h11.Request(method=scope["method"], target=target.encode("latin-1"), headers=headers)))
        writer.write(conn.send(h11.Data(data=body)) or b"")
        writer.write(conn.send(h11.EndOfMessage()) or b"")
        await writer.drain()
        await _relay_reply(conn, reader, send)
    finally:
        writer.close()
        with contextlib.suppress(Exception):
            await writer.wait_closed()


async def _relay_reply(conn: h11.Connection, reader: asyncio.StreamReader, send: Send) -> None:
    started = False
    while True:
        event = conn.next_event()
        if event is h11.NEED_DATA:
            try:
                data = await asyncio.wait_for(reader.read(65536), READ_IDLE_TIMEOUT_S if started else HEAD_TIMEOUT_S)
            except TimeoutError:
                if not started:
                    await _plain(send, 504, "the server in the session did not answer in time\n")
                else:
                    await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
            except ConnectionError:
                data = b""
            try:
                conn.receive_data(data)
            except h11.RemoteProtocolError as exc:
                if not started:
                    await _plain(send, 502, f"the server in the session sent a broken reply: {exc}\n")
                return
            continue
        if isinstance(event, h11.Response):
            headers = [(k, v) for k, v in event.headers if k.lower() not in _HOP_BY_HOP_REPLY]
            await send({"type": "http.response.start", "status": event.status_code, "headers": headers})
            started = True
        elif isinstance(event, h11.Data):
            await send({"type": "http.response.body", "body": bytes(event.data), "more_body": True})
        elif isinstance(event, (h11.EndOfMessage, h11.ConnectionClosed)) or event is h11.PAUSED:
            if not started:
                await _plain(send, 502, "the server in the session closed the connection without a reply\n")
            else:
                await send({"type": "http.response.body", "body": b"", "more_body": False})
            return
        elif isinstance(event, h11.InformationalResponse):
            continue


async def serve_websocket(service: AgbService, scope: Scope, receive: Receive, send: Send) -> None:
    from websockets.asyncio.client import connect
    from websockets.exceptions import ConnectionClosed, InvalidHandshake

    ws = WebSocket(scope, receive, send)
    token, path = _split(scope["path"])
    try:
        _, sock = await service.open_link(token)
    except LookupError:
        await ws.close(code=1008, reason="no such link")
        return
    except PortClosed as exc:
        await ws.close(code=1011, reason=str(exc)[:100])
        return
    port = sock.getpeername()[1]
    query = scope.get("query_string", b"").decode("latin-1")
    uri = f"ws://127.0.0.1:{port}{path}" + (f"?{query}" if query else "")
    subprotocols: list[Any] = list(scope.get("subprotocols") or [])
    try:
        upstream = await connect(uri, sock=sock, subprotocols=subprotocols or None, open_timeout=HEAD_TIMEOUT_S)
    except (InvalidHandshake, OSError, TimeoutError) as exc:
        sock.close()
        await ws.close(code=1011, reason=f"the server in the session refused the WebSocket: {exc}"[:120])
        return
    await ws.accept(subprotocol=upstream.subprotocol)

    async def inbound() -> None:
        while True:
            message = await ws.receive()
            if message["type"] == "websocket.disconnect":
                return
            if message.get("text") is not None:
                await upstream.send(message["text"])
            elif message.get("bytes") is not None:
                await upstream.send(message["bytes"])

    async def outbound() -> None:
        async for message in upstream:
            if isinstance(message, str):
                await ws.send_text(message)
            else:
                await ws.send_bytes(message)

    tasks = [asyncio.create_task(inbound()), asyncio.create_task(outbound())]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        with contextlib.suppress(Exception):
            await upstream.close()
        with contextlib.suppress(WebSocketDisconnect, RuntimeError, ConnectionClosed):
            await ws.close()
