"""uvicorn's HTTP/1.1 protocol (h11), answering the requests it cannot parse with the AGB envelope.

uvicorn answers a malformed request, or a request head over the size limit, with a plain-text 400 of its own
before any application code runs. Clients of this API get the envelope for every error, so this protocol
sends one: 431 when the head is too large, 400 otherwise, with a request id like any other reply.
"""

from __future__ import annotations

import json

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from .envelope import REQUEST_ID_HEADER, new_request_id

MAX_HEAD = 64 * 1024  # uvicorn's default, used when the config sets none


class EnvelopeH11Protocol(H11Protocol):
    def send_400_response(self, msg: str) -> None:
        limit = self.config.h11_max_incomplete_event_size or MAX_HEAD
        buffered, _ = self.conn.trailing_data
        if len(buffered) > limit:
            status, code = 431, "RequestHeaderFieldsTooLarge"
            message = f"the request head (request line and headers) exceeds {limit} bytes"
        else:
            status, code = 400, "InvalidParameter"
            message = "malformed HTTP request: the request line, a header or the body framing is invalid"
        rid = new_request_id()
        body = {"success": False, "code": code, "message": message, "httpStatusCode": status, "requestId": rid}
        payload = json.dumps({**body, "data": None}, separators=(",", ":")).encode()
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(payload)).encode()),
            (REQUEST_ID_HEADER.encode(), rid.encode()),
            (b"connection", b"close"),
        ]
        self.logger.warning("%s: %s", msg, message)
        self.transport.write(self.conn.send(h11.Response(status_code=status, headers=headers)) or b"")
        self.transport.write(self.conn.send(h11.Data(data=payload)) or b"")
        self.transport.write(self.conn.send(h11.EndOfMessage()) or b"")
        self.transport.close()
