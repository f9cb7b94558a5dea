"""The floor: a bare Starlette app on uvicorn, no validation, no service, no sandbox.

It binds its socket and configures uvicorn exactly as agb_local does (``agb_local.server.bind`` and
``uvicorn_config``: same HTTP implementation, same socket options), so the distance between the two is our
code. Run as a script by ``bench.servers.FloorServer``: binds a free loopback port, prints ``port N``,
serves ``POST /rtt`` (a small JSON envelope, like an AGB reply), ``POST /echo`` (the body back), and
``PUT``/``GET /file`` (the body streamed to one file on disk and back: the floor of presigned transfers).
"""

from __future__ import annotations

import os
import socket
import sys
import tempfile

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

REPLY = {"success": True, "code": "ok", "message": "", "httpStatusCode": 200, "requestId": "r", "data": {}}


async def rtt(request: Request) -> JSONResponse:
    await request.body()
    return JSONResponse(REPLY)


async def echo(request: Request) -> Response:
    return Response(await request.body(), media_type="application/octet-stream")


_FILE = os.path.join(tempfile.mkdtemp(prefix="agb-bench-floor-"), "file")
CHUNK = 1 << 20


async def file(scope: Scope, receive: Receive, send: Send) -> None:
    """The least a server can do: the body to disk as it arrives, or the file back a MiB at a time."""
    if scope["method"] == "PUT":
        with open(_FILE, "wb") as f:
            more = True
            while more:
                message = await receive()
                f.write(message.get("body", b""))
                more = message.get("more_body", False)
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"0")]})
        await send({"type": "http.response.body", "body": b""})
        return
    size = os.path.getsize(_FILE)
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", str(size).encode())]})
    with open(_FILE, "rb") as f:
        while piece := f.read(CHUNK):
            await send({"type": "http.response.body", "body": piece, "more_body": True})
    await send({"type": "http.response.body", "body": b""})


routes = Starlette(routes=[Route("/rtt", rtt, methods=["POST"]), Route("/echo", echo, methods=["POST"])])


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "http" and scope["path"] == "/file":
        await file(scope, receive, send)
    else:
        await routes(scope, receive, send)


def main() -> None:
    try:
        from agb_local.server import bind, uvicorn_config

        sock = bind("127.0.0.1", 0)
        config = uvicorn_config(app, log_level="warning")  # type: ignore[arg-type]
    except (ImportError, TypeError):  # agb_local changed: a plain uvicorn on a TCP socket
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        sock.listen(2048)
        config = uvicorn.Config(app, log_level="warning", access_log=False)
    config.lifespan = "off"
    print(f"port {sock.getsockname()[1]}", flush=True)
    uvicorn.Server(config).run(sockets=[sock])


if __name__ == "__main__":
    sys.exit(main())
