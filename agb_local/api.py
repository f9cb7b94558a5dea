"""One handler per operationId of the spec. The app routes, authenticates and validates requests from the spec
(routes.py), then calls these with the caller's `owner` (registry.owner_of of its key) and the wire names
(`sessionId`, `Labels`, `body`, ...); they speak the envelope back, and an ApiError they raise becomes the
app's error reply."""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import Response

from .envelope import REQUEST_ID_HEADER, ApiError, encode, envelope, request_id, token_refused
from .routes import Handler
from .service import AgbService, decode_labels


def reply(data: Any = None, status: int = 200, **extra: Any) -> Response:
    return json_response(envelope(data, status=status, **extra), status)


def error_reply(error: ApiError) -> Response:
    body = envelope(None, status=error.status, code=error.code, message=error.message)
    return json_response(body, error.status, error.headers)


def json_response(body: dict[str, Any], status: int, headers: dict[str, str] | None = None) -> Response:
    return Response(
        encode(body),
        status_code=status,
        media_type="application/json",
        headers={REQUEST_ID_HEADER: request_id(), **(headers or {})},
    )


class Handlers:
    """The operations of the spec, bound to one service."""

    def __init__(self, service: AgbService) -> None:
        self.service = service

    def resolve(self, operation_id: str) -> Handler:
        handler: Handler | None = getattr(self, _snake(operation_id), None)
        if handler is None:
            raise LookupError(f"agb_local does not implement operation {operation_id!r}")
        return handler

    # ---------------------------------------------------------------- sessions
    async def create_session(
        self,
        owner: str,
        body: dict[str, Any] | None = None,
        imageId: str | None = None,
        sdkStats: str | None = None,
    ) -> Response:
        body = body or {}
        labels = decode_labels(body.get("labels"), "labels")
        mounts = self.service.contexts.check_mounts(owner, body.get("persistenceDataList") or [])  # before creating
        record = await self.service.create(owner, imageId, labels, body.get("timeout"), body.get("mcpPolicyId"))
        if mounts:
            await self.service.contexts.mount(record.id, mounts)
        return reply({"sessionId": record.id, "success": True, **self.service.direct_fields(record)})

    async def get_session(self, owner: str, body: dict[str, Any]) -> Response:
        record = self.service.use(owner, body["sessionId"])
        return reply({"sessionId": record.id, "status": record.status, **self.service.direct_fields(record)})

    async def get_session_info(self, owner: str, body: dict[str, Any]) -> Response:
        record = self.service.lookup(owner, body["sessionId"], allow_releasing=True)
        return reply({"status": record.status})

    async def get_mcp_resource(self, owner: str, body: dict[str, Any]) -> Response:
        record = self.service.use(owner, body["sessionId"])
        return reply({"sessionId": record.id, "resourceUrl": self.service.direct_fields(record)["resourceUrl"]})

    async def release_session(self, owner: str, body: dict[str, Any]) -> Response:
        await self.service.release(owner, body["sessionId"], wait=True)
        return reply()

    async def release_session_async(self, owner: str, body: dict[str, Any]) -> Response:
        await self.service.release(owner, body["sessionId"], wait=False)
        return reply()

    async def refresh_session_idle_time(
        self, owner: str, sessionId: str, body: dict[str, Any] | None = None
    ) -> Response:
        self.service.use(owner, sessionId)
        return reply()

    # ---------------------------------------------------------------- labels
    async def list_sessions(
        self,
        owner: str,
        maxResults: int = 10,
        nextToken: str = "",
        labels: str | None = None,
        isAll: bool | None = None,
    ) -> Response:
        wanted = decode_labels(labels, "labels")
        page = self.service.list_sessions(owner, wanted, maxResults, nextToken or "")
        data = [{"sessionId": r.id, "sessionStatus": r.status} for r in page.sessions]
        return reply(data, nextToken=page.next_token, maxResults=maxResults, count=page.total)

    async def set_label(self, owner: str, sessionId: str, Labels: str, body: dict[str, Any] | None = None) -> Response:
        self.service.set_labels(owner, sessionId, decode_labels(Labels, "Labels"))
        return reply()

    async def get_label(
        self, owner: str, sessionId: str, maxResults: int | None = None, nextToken: str | None = None
    ) -> Response:
        record = self.service.use(owner, sessionId)
        return reply({"labels": json.dumps(record.labels), "count": len(record.labels)})

    # ---------------------------------------------------------------- tools
    async def call_tool(
        self,
        owner: str,
        body: dict[str, Any],
        autoGenSession: bool | None = None,
        imageId: str | None = None,
    ) -> Response:
        result = await self.service.call_tool(owner, body["sessionId"], body["name"], body.get("args"))
        # Tool errors are not API errors: 200, success true, an empty message (old clients show a
        # non-empty message instead of the tool's text), the text in content.
        return reply({"isError": result.is_error, "content": [{"type": "text", "text": result.text}]})

    async def link_call_tool(self, owner: str, session: str, access_token: str, body: dict[str, Any]) -> Response:
        # The header's token chose the session (app.py); the body's copy must agree with it.
        if body["token"] != access_token:
            raise token_refused()
        args = body.get("args")
        result = await self.service.call_tool(
            owner, session, body["tool"], json.dumps(args if args is not None else {})
        )
        return reply({"result": {"isError": result.is_error, "content": [{"type": "text", "text": result.text}]}})

    async def get_link(
        self, owner: str, sessionId: str, protocolType: str | None = None, port: int | None = None
    ) -> Response:
        return reply({"url": self.service.link(owner, sessionId, protocolType, port)})

    get_link_mcp = get_link

    async def list_tools(self, owner: str, imageId: str | None = None, body: dict[str, Any] | None = None) -> Response:
        self.service.image(imageId)
        return reply(json.dumps(self.service.tool_descriptors()))


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")
