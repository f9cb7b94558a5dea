"""The ASGI app: connexion routes and validates requests from openapi/agb.yaml; every reply, errors from
connexion itself included, is the AGB envelope with a request id."""

from __future__ import annotations

import contextlib
import copy
import logging
import re
import warnings
from collections.abc import AsyncIterator, Mapping
from typing import Any

import yaml

with warnings.catch_warnings():
    # connexion imports starlette's TestClient at import time, which warns about httpx; we never use it.
    warnings.filterwarnings("ignore", message=".*httpx2.*")
    import connexion
    from connexion.exceptions import ProblemException
    from connexion.lifecycle import ConnexionRequest, ConnexionResponse
    from connexion.resolver import Resolver
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .api import SERVICE_SCOPE_KEY, Handlers, error_reply
from .config import ServerConfig
from .envelope import REQUEST_ID_HEADER, ApiError, current_request_id, internal, new_request_id, too_large
from .service import AgbService
from .spec import spec_path

log = logging.getLogger("agb_local")

# Status → envelope code for errors raised by connexion/starlette before a handler runs.
_PROBLEM_CODES = {
    400: "InvalidParameter",
    401: "InvalidApiKey",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    406: "NotAcceptable",
    413: "RequestTooLarge",
    415: "UnsupportedMediaType",
}


def load_spec() -> dict[str, Any]:
    with open(spec_path(), encoding="utf-8") as f:
        spec: dict[str, Any] = yaml.safe_load(f)
    return spec


def create_app(config: ServerConfig) -> AgbApp:
    spec = load_spec()
    service = AgbService(config, spec)
    return AgbApp(service, spec)


class AgbApp:
    """The whole server as one ASGI callable; `service` is exposed for embedding and tests."""

    def __init__(self, service: AgbService, spec: dict[str, Any]) -> None:
        self.service = service
        bound = copy.deepcopy(spec)
        # The spec names the scheme; the server names the function that checks keys against it.
        bound["components"]["securitySchemes"]["bearerAuth"]["x-bearerInfoFunc"] = "agb_local.api.bearer_info"

        @contextlib.asynccontextmanager
        async def lifespan(_app: Any) -> AsyncIterator[None]:
            await service.start()
            try:
                yield
            finally:
                await service.stop()

        inner = connexion.AsyncApp(__name__, lifespan=lifespan)
        inner.add_api(
            bound,
            resolver=Resolver(function_resolver=Handlers(service).resolve),
            validate_responses=False,
            swagger_ui_options=connexion.options.SwaggerUIOptions(swagger_ui=False, serve_spec=True),
        )
        inner.add_error_handler(ProblemException, _problem_reply)
        inner.add_error_handler(HTTPException, _problem_reply)
        inner.add_error_handler(Exception, _crash_reply)
        self._app: ASGIApp = inner
        self._max_body = service.config.max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        token = current_request_id.set(new_request_id())
        scope[SERVICE_SCOPE_KEY] = self.service
        try:
            await self._http(scope, receive, send)
        finally:
            current_request_id.reset(token)

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers") or [])
        if scope["method"] == "POST" and b"content-type" not in headers:
            # The protocol is JSON-only and some clients send bodiless POSTs without a content type;
            # declaring it lets connexion validate (or default) the body like any other.
            scope["headers"] = [*scope.get("headers", []), (b"content-type", b"application/json")]
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self._max_body:
            await _send(error_reply(too_large(self._max_body)), scope, receive, send)
            return
        if declared is None and scope["method"] == "POST":
            # A chunked body: connexion only looks at content-length and would see no body at all, so
            # read it here (within the limit) and pass it on with its length.
            body = bytearray()
            more = True
            while more:
                message = await receive()
                if message["type"] != "http.request":
                    return
                body += message.get("body", b"")
                more = message.get("more_body", False)
                if len(body) > self._max_body:
                    await _send(error_reply(too_large(self._max_body)), scope, receive, send)
                    return
            scope["headers"] = [*scope["headers"], (b"content-length", str(len(body)).encode())]
            receive = _replay(bytes(body), receive)

        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self._max_body:
                    raise _BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self._app(scope, limited_receive, tracking_send)
        except _BodyTooLarge:
            if not started:
                await _send(error_reply(too_large(self._max_body)), scope, receive, send)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


class _BodyTooLarge(Exception):
    pass


async def _send(response: Response, scope: Scope, receive: Receive, send: Send) -> None:
    await response(scope, receive, send)


def _as_connexion(response: Response) -> ConnexionResponse:
    """Connexion's error-handler hook wants its own response type."""
    headers = {k: v for k, v in response.headers.items() if k.lower() not in ("content-length", "content-type")}
    return ConnexionResponse(
        status_code=response.status_code, mimetype="application/json", body=response.body, headers=headers
    )


def _problem_reply(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
    try:
        query = dict(request.query_params)
    except Exception:  # the query string itself may be what is wrong
        query = {}
    return _as_connexion(_problem_response(exc, query))


def _problem_response(exc: Exception, query: Mapping[str, str] | None = None) -> Response:
    status = getattr(exc, "status", None) or getattr(exc, "status_code", 500)
    detail = getattr(exc, "detail", None) or getattr(exc, "title", None) or str(exc)
    headers = dict(getattr(exc, "headers", None) or {})
    if status >= 500:
        log.error("request failed: %r", exc)
        return error_reply(internal())
    code = _PROBLEM_CODES.get(status, "InvalidParameter")
    if status == 401:
        detail = "missing or invalid API key: send 'authorization: Bearer <key>'"
    elif status == 400:
        detail = concise(str(detail), query or {})
    return error_reply(ApiError(status, code, str(detail), headers))


_FIELD_SUFFIX = re.compile(r" - '([^']+)'$")
_PATTERN = re.compile(r" does not match '.*'$", re.S)
MAX_MESSAGE = 300


def concise(detail: str, query: Mapping[str, str]) -> str:
    """A validation error as one short sentence that names the field.

    jsonschema's messages carry the whole schema after a blank line (4 KB for the labels pattern), quote the
    offending value however long it is, and for query parameters do not say which one failed.
    """
    text = detail.split("\n", 1)[0]
    field = None
    suffix = _FIELD_SUFFIX.search(text)
    if suffix:  # a body field: "... - 'timeout'"
        field, text = suffix.group(1), text[: suffix.start()]
    text = _PATTERN.sub(" does not have the expected format", text)
    if field is None:  # a query parameter: the one whose value the message quotes
        field = next((n for n, v in query.items() if v and (repr(v)[:40] in text or text.startswith(v))), None)
    if len(text) > 160:
        text = f"{text[:60]} [...] {text[-80:]}"
    message = f"{field}: {text}" if field else text
    return message[:MAX_MESSAGE]


def _crash_reply(_request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
    # Request bodies that are not UTF-8 JSON surface as decode errors inside connexion's validation.
    if isinstance(exc, UnicodeDecodeError | ValueError | RecursionError):
        return _as_connexion(
            error_reply(ApiError(400, "InvalidParameter", f"the request body is not valid JSON: {exc}"))
        )
    log.error("unhandled error", exc_info=exc)
    return _as_connexion(error_reply(internal()))


__all__ = ["REQUEST_ID_HEADER", "AgbApp", "create_app", "load_spec"]
