"""Reading a whole HTTP request body from ASGI, within a size limit (the API's routes and the port links)."""

from __future__ import annotations

from starlette.types import Receive

from .envelope import too_large


class Disconnected(Exception):
    """The client went away before its request body arrived: there is no one to answer."""


async def read_body(receive: Receive, limit: int) -> bytes:
    """The whole body, whether framed by content-length or chunked; ``too_large`` past `limit` bytes,
    ``Disconnected`` when the client leaves first."""
    body = bytearray()
    while True:
        message = await receive()
        if message["type"] != "http.request":
            raise Disconnected
        body += message.get("body", b"")
        if len(body) > limit:
            raise too_large(limit)
        if not message.get("more_body", False):
            return bytes(body)
