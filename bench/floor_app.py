"""The floor: a bare Starlette app on uvicorn, no validation, no service, no sandbox.

It binds its socket and configures uvicorn exactly as agb_local does (``agb_local.server.bind`` and
``uvicorn_config``: same HTTP implementation, same socket options), so the distance between the two is our
code. Run as a script by ``bench.servers.FloorServer``: binds a free loopback port, prints ``port N``,
serves ``POST /rtt`` (a small JSON envelope, like an AGB reply) and ``POST /echo`` (the body back).
"""

from __future__ import annotations

import socket
import sys

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

REPLY = {"success": True, "code": "ok", "message": "", "httpStatusCode": 200, "requestId": "r", "data": {}}


async def rtt(request: Request) -> JSONResponse:
    await request.body()
    return JSONResponse(REPLY)


async def echo(request: Request) -> Response:
    return Response(await request.body(), media_type="application/octet-stream")


app = Starlette(routes=[Route("/rtt", rtt, methods=["POST"]), Route("/echo", echo, methods=["POST"])])


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
