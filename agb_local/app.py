"""The ASGI app: requests routed and validated from openapi/agb.yaml (see routes.py) to the handlers of
api.py; every reply, errors included, is the AGB envelope with a request id."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from starlette.responses import Response
from starlette.types import Receive, Scope, Send

import agb_spec

from . import portlink, presigned, streaming
from .access import base_url_of, current_base_url
from .api import Handlers, error_reply
from .bodies import Disconnected, read_body
from .config import ServerConfig
from .context_api import ContextHandlers
from .envelope import ApiError, current_request_id, internal, new_request_id, too_large, unauthorized
from .routes import Handler, bearer_token, compile_operations
from .service import AgbService

log = logging.getLogger("agb_local")

SPEC_PATH = "/openapi.json"  # the spec this server implements, as JSON, for tools that want to read it


def create_app(config: ServerConfig) -> AgbApp:
    spec = agb_spec.load(config.spec_file)
    service = AgbService(config, spec)
    return AgbApp(service, spec)


def _handler_for(handlers: Handlers) -> Callable[[str], Handler | None]:
    def handler_for(operation_id: str) -> Handler | None:
        try:
            return handlers.resolve(operation_id)
        except LookupError:
            # A new operation of the spec, not implemented here yet: the server still starts and answers it
            # NotOffered; mark it `x-agb-local: unsupported` if it is a cloud feature agb_local will not serve.
            log.warning("agb_local has no handler for %s: it is answered 501 NotImplemented.LocalBackend", operation_id)
            return None

    return handler_for


class AgbApp:
    """The whole server as one ASGI callable; `service` is exposed for embedding and tests."""

    def __init__(self, service: AgbService, spec: agb_spec.Spec) -> None:
        self.service = service
        self.operations = compile_operations(spec, _handler_for(ContextHandlers(service)))
        self._spec_json = json.dumps(spec, ensure_ascii=False).encode()
        self._ws_frames = streaming.frame_validator(spec)
        self._max_body = service.config.max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            token = current_request_id.set(new_request_id())
            base = current_base_url.set(base_url_of(scope))
            try:
                if scope["path"].startswith(portlink.PREFIX):
                    await portlink.serve_http(self.service, scope, receive, send)
                else:
                    await self._http(scope, receive, send)
            finally:
                current_base_url.reset(base)
                current_request_id.reset(token)
        elif scope["type"] == "websocket":
            if scope["path"].startswith(portlink.PREFIX):
                await portlink.serve_websocket(self.service, scope, receive, send)
            else:
                await streaming.serve(self.service, self._ws_frames, scope, receive, send)
        elif scope["type"] == "lifespan":
            await self._lifespan(receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    await self.service.start()
                except Exception as exc:
                    log.exception("agb_local could not start")
                    await send({"type": "lifespan.startup.failed", "message": str(exc)})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                try:
                    await self.service.stop()
                except Exception as exc:
                    log.exception("agb_local did not stop cleanly")
                    await send({"type": "lifespan.shutdown.failed", "message": str(exc)})
                    return
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["path"] == presigned.PATH:  # bodies of any size, streamed to and from disk
            await presigned.serve(self.service.contexts, scope, receive, send)
            return
        try:
            response = await self._respond(scope, receive)
        except ApiError as error:
            response = error_reply(error)
        except Disconnected:
            return
        except Exception as exc:
            log.error("unhandled error", exc_info=exc)
            response = error_reply(internal())
        await response(scope, receive, send)

    async def _respond(self, scope: Scope, receive: Receive) -> Response:
        path, method = scope["path"], scope["method"]
        methods = self.operations.get(path)
        if methods is None:
            if path == SPEC_PATH and method == "GET":
                return Response(self._spec_json, media_type="application/json")
            raise ApiError(404, "NotFound", f"no such endpoint: {method} {path}")
        op = methods.get(method)
        if op is None:
            allowed = ", ".join(methods)
            raise ApiError(405, "MethodNotAllowed", f"{path} accepts {allowed}, not {method}", {"Allow": allowed})
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self._max_body:
            raise too_large(self._max_body)
        # The body is read before anything is answered: a reply sent while the body is still arriving races
        # with uvicorn answering a broken body itself, and an unread body would cost the connection.
        raw = await read_body(receive, self._max_body) if op.body is not None or not op.offered else b""
        # The key (or the LinkUrl route's session token) is checked before the arguments: a caller without a
        # valid one learns nothing else.
        owner, extra = None, {}
        if op.secured and op.scheme == "accessToken":
            token = headers.get(b"x-access-token", b"").decode("latin-1")
            record = self.service.by_token(token)
            owner, extra = record.owner, {"session": record.id, "access_token": token}
        elif op.secured:
            owner = self._authenticate(headers.get(b"authorization"))
        kwargs = op.arguments(scope.get("query_string", b""))
        kwargs.update(extra)
        if op.body is not None:
            kwargs["body"] = op.parse_body(headers.get(b"content-type", b"").decode("latin-1"), raw)
        if owner is not None:
            kwargs["owner"] = owner
        return await op.handler(**kwargs)

    def _authenticate(self, authorization: bytes | None) -> str:
        """The registry's owner name for the request's key, or a 401."""
        owner = self.service.authenticate(bearer_token(authorization))
        if not owner:
            raise unauthorized()
        return owner


__all__ = ["AgbApp", "create_app"]
