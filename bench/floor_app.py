"""The floor: a bare Starlette app on uvicorn (same loop and HTTP parser as agb_local), no validation.

Run as a script by ``bench.servers.FloorServer``: binds a free loopback port, prints ``port N``, serves
``POST /rtt`` (a small JSON envelope, like an AGB reply) and ``POST /echo`` (the body back).
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
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(2048)
    print(f"port {sock.getsockname()[1]}", flush=True)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    uvicorn.Server(config).run(sockets=[sock])


if __name__ == "__main__":
    sys.exit(main())
