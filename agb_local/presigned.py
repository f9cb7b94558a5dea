"""Presigned URLs for context files, served by agb_local itself: signing, checking, and the streamed PUT/GET.

A URL is `<base>/presigned/context-file?token=<payload>.<signature>`: the payload names one context, one file
key, one method and an expiry; the signature is an HMAC-SHA256 of it with the server's secret (a file in the
data dir, made once, mode 0600, so URLs outlive a restart). The API key is never in it. A token that is forged,
expired, for the other method, or whose context is gone (or is being cleared) is a 403.

The bodies never sit in memory: a PUT is written chunk by chunk as it arrives into the context's `incoming/`
and renamed to its key when complete; a GET is read and sent a chunk at a time, with HTTP flow control.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import logging
import os
import secrets
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from starlette.types import Receive, Scope, Send

from .access import current_base_url
from .context_files import CHUNK, BadName, SyncError
from .envelope import REQUEST_ID_HEADER, ApiError, encode, envelope, request_id

if TYPE_CHECKING:
    from .contexts import ContextService

log = logging.getLogger("agb_local")

PATH = "/presigned/context-file"
DEFAULT_TTL_S = 3600


def load_secret(data_dir: Path) -> bytes:
    path = data_dir / "presign-secret"
    try:
        return bytes.fromhex(path.read_text().strip())
    except FileNotFoundError:
        data_dir.mkdir(parents=True, exist_ok=True)
        secret = secrets.token_bytes(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secret.hex() + "\n")
        return secret


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def forbidden(reason: str) -> ApiError:
    return ApiError(403, "Forbidden.PresignedUrl", reason)


class Signer:
    def __init__(self, secret: bytes, ttl_s: int = DEFAULT_TTL_S) -> None:
        self._secret = secret
        self.ttl_s = ttl_s

    def _mac(self, payload: str) -> str:
        return _b64(hmac.new(self._secret, payload.encode(), hashlib.sha256).digest())

    def url(self, context_id: str, key: str, method: str, now: float | None = None) -> tuple[str, int]:
        """The URL allowing `method` on `key` of `context_id`, and when it expires (epoch seconds)."""
        expires = int((time.time() if now is None else now) + self.ttl_s)
        body = json.dumps({"c": context_id, "k": key, "m": method, "e": expires}, separators=(",", ":"))
        payload = _b64(body.encode())
        return f"{current_base_url.get()}{PATH}?token={payload}.{self._mac(payload)}", expires

    def check(self, token: str, method: str) -> tuple[str, str]:
        """(context id, key) of a valid token for `method`, or a 403."""
        payload, _, mac = token.partition(".")
        if not payload or not hmac.compare_digest(mac.encode(), self._mac(payload).encode()):
            raise forbidden("the presigned URL's signature does not match; use the URL exactly as it was given")
        try:
            claims = json.loads(_unb64(payload))
            context_id, key, allowed, expires = claims["c"], claims["k"], claims["m"], int(claims["e"])
        except (ValueError, KeyError, TypeError, binascii.Error):
            raise forbidden("the presigned URL's token is malformed") from None
        if allowed != method:
            raise forbidden(f"this presigned URL is for {allowed}, not {method}")
        if expires < time.time():
            raise forbidden("the presigned URL has expired; ask for a new one")
        return str(context_id), str(key)


# ---------------------------------------------------------------- the transfers


async def serve(contexts: ContextService, scope: Scope, receive: Receive, send: Send) -> None:
    """Answer one request to PATH: a streamed PUT or GET, or an error envelope."""
    method = scope["method"]
    try:
        if method not in ("PUT", "GET", "HEAD"):
            raise ApiError(405, "MethodNotAllowed", f"{PATH} accepts PUT, GET, not {method}", {"Allow": "PUT, GET"})
        token = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1"))).get("token", "")
        if not token:
            raise ApiError(400, "InvalidParameter", "token: the query parameter is required")
        if method == "PUT":
            await _put(contexts, token, scope, receive, send)
        else:
            await _get(contexts, token, method, send)
    except ApiError as error:
        await _error(send, error)
    except _Gone:
        return


class _Gone(Exception):
    """The client went away mid-body: nobody to answer."""


async def _put(contexts: ContextService, token: str, scope: Scope, receive: Receive, send: Send) -> None:
    context_id, key = contexts.signer.check(token, "PUT")
    record, tree, area = contexts.transfer_target(context_id)
    headers = dict(scope["headers"])
    declared = headers.get(b"content-length")
    room = contexts.room(record.owner)
    if declared is not None and declared.isdigit() and int(declared) > room:
        raise contexts.quota_error(int(declared), room)
    incoming = tree.incoming()
    try:
        while True:
            message = await receive()
            if message["type"] != "http.request":
                raise _Gone
            chunk = message.get("body", b"")
            if chunk:
                incoming.write(chunk)
                if incoming.size > room:
                    raise contexts.quota_error(incoming.size, room)
            if not message.get("more_body", False):
                break
        contexts.transfer_target(context_id)  # still there (not deleted or cleared meanwhile)
        try:
            incoming.commit(key, area)
        except BadName as exc:
            raise ApiError(400, "InvalidParameter.FilePath", str(exc)) from exc
        except SyncError as exc:
            raise ApiError(409, "InvalidContext.PathConflict", str(exc)) from exc
    except BaseException:
        incoming.abort()
        raise
    etag = contexts.stored(record, key, area, incoming.size)
    body = encode(envelope({"size": incoming.size, "etag": etag}))
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"etag", etag.encode()),
                (REQUEST_ID_HEADER.encode(), request_id().encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _get(contexts: ContextService, token: str, method: str, send: Send) -> None:
    context_id, key = contexts.signer.check(token, "GET")
    _, tree, _ = contexts.transfer_target(context_id)
    path = tree.readable(key)
    if path is None:
        raise ApiError(404, "InvalidContext.FileNotFound", f"{key} is not a file of context {context_id}")
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)  # only agb_local writes there; still
    with open(fd, "rb", buffering=0) as f:
        st = os.fstat(f.fileno())
        etag = _etag(st.st_size, st.st_mtime_ns)
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"application/octet-stream"),
                    (b"content-length", str(st.st_size).encode()),
                    (b"etag", etag.encode()),
                    (REQUEST_ID_HEADER.encode(), request_id().encode()),
                ],
            }
        )
        if method == "HEAD":
            await send({"type": "http.response.body", "body": b""})
            return
        left = st.st_size
        buffer = bytearray(CHUNK)
        view = memoryview(buffer)
        while left > 0:
            n = f.readinto(view[: min(CHUNK, left)])
            if not n:
                break  # the file was replaced by a shorter one mid-read: the client sees a short body
            left -= n
            # bytes(): the server may keep the chunk after send returns, and the buffer is reused.
            await send({"type": "http.response.body", "body": bytes(view[:n]), "more_body": left > 0})
        if left > 0:
            await send({"type": "http.response.body", "body": b""})


def _etag(size: int, mtime_ns: int) -> str:
    return f'"{size}-{mtime_ns}"'


async def _error(send: Send, error: ApiError) -> None:
    body = encode(envelope(None, status=error.status, code=error.code, message=error.message))
    headers: list[tuple[bytes, bytes]] = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (REQUEST_ID_HEADER.encode(), request_id().encode()),
        *((k.lower().encode(), v.encode()) for k, v in error.headers.items()),
    ]
    await send({"type": "http.response.start", "status": error.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def etag_of(path: Path) -> str:
    st = os.stat(path)
    return _etag(st.st_size, st.st_mtime_ns)


__all__: list[Any] = ["PATH", "Signer", "etag_of", "forbidden", "load_secret", "serve"]
