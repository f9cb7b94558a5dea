"""The handlers of the context operations (the `contexts` tag of the spec), added to api.py's `Handlers`.

Every parameter of these operations travels in the query, with the wire names as keyword arguments; the
POSTs' body is `{}`. What each does is in contexts.py.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import Response

from .api import Handlers, reply
from .contexts import iso
from .envelope import bad_parameter

Body = dict[str, Any] | None


class ContextHandlers(Handlers):
    async def list_contexts(self, owner: str, maxResults: int = 10, nextToken: str = "") -> Response:
        page, token, total = self.service.contexts.page(owner, maxResults, nextToken or "")
        data = [
            {"id": r.id, "name": r.name, "createTime": iso(r.created_at), "lastUsedTime": iso(r.last_used_at)}
            for r in page
        ]
        return reply(data, nextToken=token, maxResults=maxResults, totalCount=total)

    async def get_context(
        self,
        owner: str,
        id: str | None = None,
        name: str | None = None,
        loginRegionId: str | None = None,
        allowCreate: bool = False,
    ) -> Response:
        r = self.service.contexts.get(owner, id, name, allowCreate)
        return reply(
            {
                "id": r.id,
                "name": r.name,
                "createTime": iso(r.created_at),
                "lastUsedTime": iso(r.last_used_at),
                "state": r.state,
            }
        )

    async def modify_context(self, owner: str, id: str, name: str, body: Body = None) -> Response:
        self.service.contexts.rename(owner, id, name)
        return reply()

    async def delete_context(self, owner: str, id: str, body: Body = None) -> Response:
        await self.service.contexts.delete(owner, id)
        return reply()

    async def clear_context(self, owner: str, id: str, body: Body = None) -> Response:
        self.service.contexts.clear(owner, id)
        return reply()

    async def describe_context_files(
        self,
        owner: str,
        contextId: str,
        parentFolderPath: str | None = None,
        pageNumber: int = 1,
        pageSize: int = 50,
        body: Body = None,
    ) -> Response:
        entries, count = self.service.contexts.list_files(owner, contextId, parentFolderPath, pageNumber, pageSize)
        return reply(entries, count=count)

    async def delete_context_file(self, owner: str, contextId: str, filePath: str, body: Body = None) -> Response:
        await self.service.contexts.delete_file(owner, contextId, filePath)
        return reply()

    async def get_context_file_upload_url(
        self, owner: str, contextId: str, filePath: str, body: Body = None
    ) -> Response:
        url, expires = self.service.contexts.file_url(owner, contextId, filePath, "PUT")
        return reply({"url": url, "expireTime": expires})

    async def get_context_file_download_url(
        self, owner: str, contextId: str, filePath: str, body: Body = None
    ) -> Response:
        url, expires = self.service.contexts.file_url(owner, contextId, filePath, "GET")
        return reply({"url": url, "expireTime": expires})

    async def get_and_load_internal_context(
        self, owner: str, sessionId: str, contextTypes: str | None = None, body: Body = None
    ) -> Response:
        types = _types(contextTypes)
        found = self.service.contexts.internal(owner, sessionId, types)
        return reply([{"contextId": r.id, "contextType": r.kind, "contextPath": path} for r, path in found])

    async def sync_context(
        self,
        owner: str,
        sessionId: str,
        contextId: str | None = None,
        path: str | None = None,
        mode: str | None = None,
        body: Body = None,
    ) -> Response:
        await self.service.contexts.sync(owner, sessionId, contextId, path, mode or "upload")
        return reply()

    async def get_context_info(
        self,
        owner: str,
        sessionId: str,
        contextId: str | None = None,
        path: str | None = None,
        taskType: str | None = None,
    ) -> Response:
        items = self.service.contexts.info(owner, sessionId, contextId, path, taskType)
        # JSON in a string twice over, as clients parse it (default separators, like the cloud's own).
        status = json.dumps([{"type": "data", "data": json.dumps(items)}])
        return reply({"contextStatus": status})


def _types(text: str | None) -> list[str] | None:
    if not text:
        return None
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise bad_parameter(f"contextTypes is not valid JSON: {exc}") from None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise bad_parameter('contextTypes must be a JSON array of strings, e.g. ["file_transfer"]')
    return value


__all__ = ["ContextHandlers"]
