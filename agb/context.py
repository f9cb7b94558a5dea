"""``agb.context``: contexts, persistent storage of an API key (the official client's ``ContextService``).

A context is found or made by name (``get(name, create=True)``), mounted into sessions with
``CreateSessionParams(context_syncs=[ContextSync(context.id, "/home/user/data")])``, and its files are listed,
deleted, or moved directly with presigned URLs. Results carry typed errors like every other result. Unlike the
official client, ``list()`` returns the pagination the service sends, and ``clear()`` returns a failed result
(``APITimeoutError``) instead of raising when the clearing outlasts its timeout.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from agb_api.api.contexts import (
    clear_context,
    delete_context,
    delete_context_file,
    describe_context_files,
    get_context,
    get_context_file_download_url,
    get_context_file_upload_url,
    list_contexts,
    modify_context,
)
from agb_api.models import (
    ContextData,
    ContextFileUrlResponse,
    ContextItem,
    DescribeContextFilesResponse,
    EmptyDataResponse,
    EmptyRequest,
    GetContextResponse,
    ListContextsResponse,
)

from ._control import _call, _present
from ._face import Face
from ._flow import Context as FlowContext
from ._flow import Endpoint, Flow, guarded, send, sleep
from ._wire import as_int, check_int, check_text, malformed, read_reply, text
from .errors import APITimeoutError, InvalidParameterError
from .results import ApiResult, OperationResult

if TYPE_CHECKING:
    from .client import ClientCore

__all__ = [
    "ClearContextResult",
    "Context",
    "ContextFileEntry",
    "ContextFileListResult",
    "ContextListParams",
    "ContextListResult",
    "ContextModule",
    "ContextResult",
    "FileUrlResult",
]

AVAILABLE, CLEARING = "available", "clearing"
CLEAR_POLL_FIRST_S = 0.05


@dataclass
class Context:
    id: str
    name: str
    created_at: str | None = None
    last_used_at: str | None = None
    state: str | None = None


@dataclass
class ContextListParams:
    max_results: int | None = None
    next_token: str | None = None


@dataclass
class ContextFileEntry:
    file_id: str = ""
    file_name: str = ""
    file_path: str = ""
    file_type: str = ""
    gmt_create: str = ""
    gmt_modified: str = ""
    size: int = 0
    status: str = ""


@dataclass(kw_only=True)
class ContextResult(ApiResult[Context]):
    """``agb.context.get()`` / ``create()``: ``context`` and ``context_id``."""

    context_id: str = ""
    context: Context | None = None

    def _payload(self) -> Context:
        assert self.context is not None
        return self.context


@dataclass(kw_only=True)
class ContextListResult(ApiResult[list[Context]]):
    """One page of contexts; ``next_token`` fetches the next (empty on the last page)."""

    contexts: list[Context] = field(default_factory=list)
    next_token: str = ""
    max_results: int | None = None
    total_count: int | None = None

    _payload_field = "contexts"


@dataclass(kw_only=True)
class ContextFileListResult(ApiResult[list[ContextFileEntry]]):
    """One page of a context folder; ``count`` is the folder's total over all pages."""

    entries: list[ContextFileEntry] = field(default_factory=list)
    count: int | None = None

    _payload_field = "entries"


@dataclass(kw_only=True)
class FileUrlResult(ApiResult[str]):
    """A presigned URL (no key in it) and when it expires (epoch seconds)."""

    url: str = ""
    expire_time: int | None = None

    _payload_field = "url"


@dataclass(kw_only=True)
class ClearContextResult(OperationResult):
    """``clear()`` / ``clear_async()`` / ``get_clear_status()``: ``status`` is ``clearing`` or ``available``."""

    status: str | None = None
    context_id: str | None = None


def _context_of(context: object) -> str:
    return check_text(context.id if isinstance(context, Context) else context, "context id")


def _context(data: ContextItem | ContextData, fallback_id: str = "", fallback_name: str = "") -> Context:
    return Context(
        id=text(data.id) or fallback_id,
        name=text(data.name) or fallback_name,
        created_at=text(data.create_time) or None,
        last_used_at=text(data.last_used_time) or None,
        state=(text(data.state) or None) if isinstance(data, ContextData) else None,
    )


# ---------------------------------------------------------------- the operations


@guarded(ContextListResult)
def list_page(svc: ContextModule, params: ContextListParams | None = None) -> Flow[ContextListResult]:
    """One page of the key's contexts (``params.max_results`` 1 to 100, default 10)."""
    params = params or ContextListParams()
    size = 10 if params.max_results is None else check_int(params.max_results, "max_results", 1, 100)
    kwargs: dict[str, Any] = {"max_results": size}
    if params.next_token:
        kwargs["next_token"] = check_text(params.next_token, "next_token")
    outcome = yield from send(svc._ctx, _call(list_contexts, kwargs, "listContexts"))
    reply = read_reply(outcome, ListContextsResponse, "listContexts")
    contexts = [_context(item) for item in _present(reply.data) or []]
    return ContextListResult(
        success=True,
        request_id=reply.request_id,
        contexts=contexts,
        next_token=text(reply.next_token),
        max_results=as_int(reply.max_results) or size,
        total_count=as_int(reply.total_count),
    )


def _get(
    ctx: FlowContext, context_id: str | None, name: str | None, create: bool, region: str | None
) -> Flow[tuple[ContextData, str]]:
    kwargs: dict[str, Any] = {"allow_create": create}
    if context_id:
        kwargs["id"] = context_id
    if name:
        kwargs["name"] = name
    if region:
        kwargs["login_region_id"] = region
    outcome = yield from send(ctx, _call(get_context, kwargs, "getContext"))
    reply = read_reply(outcome, GetContextResponse, "getContext")
    data = _present(reply.data)
    if data is None:
        raise malformed("getContext", "no `data`", reply.request_id)
    return data, reply.request_id


@guarded(ContextResult)
def get(
    svc: ContextModule,
    name: str | None = None,
    create: bool = False,
    login_region_id: str | None = None,
    context_id: str | None = None,
) -> Flow[ContextResult]:
    """The context named `name` (or with id `context_id`); with `create`, made when the key has none."""
    name = name.strip() if isinstance(name, str) and name.strip() else None
    context_id = context_id.strip() if isinstance(context_id, str) and context_id.strip() else None
    if name is None and context_id is None:
        raise InvalidParameterError("give the context's name or context_id")
    if create and context_id is not None:
        raise InvalidParameterError("create=True takes a name, not a context_id (the service chooses ids)")
    data, request_id = yield from _get(svc._ctx, context_id, name, create, login_region_id)
    context = _context(data, context_id or "", name or "")
    return ContextResult(success=True, request_id=request_id, context_id=context.id, context=context)


@guarded(ContextResult)
def create(svc: ContextModule, name: str) -> Flow[ContextResult]:
    """``get(name, create=True)``: the context named `name`, made if missing."""
    return (yield from get(svc, check_text(name, "name"), create=True))


@guarded(OperationResult)
def update(svc: ContextModule, context: Context) -> Flow[OperationResult]:
    """Rename the context ``context.id`` to ``context.name``."""
    if not isinstance(context, Context):
        raise InvalidParameterError(f"context must be a Context, got {type(context).__name__}")
    kwargs = {"id": _context_of(context), "name": check_text(context.name, "name"), "body": EmptyRequest()}
    outcome = yield from send(svc._ctx, _call(modify_context, kwargs, "modifyContext"))
    reply = read_reply(outcome, EmptyDataResponse, "modifyContext")
    return OperationResult(success=True, request_id=reply.request_id, data={"context_id": context.id})


@guarded(OperationResult)
def delete(svc: ContextModule, context: Context | str) -> Flow[OperationResult]:
    """Delete a context (a ``Context`` or its id) with all its files."""
    context_id = _context_of(context)
    call = _call(delete_context, {"id": context_id, "body": EmptyRequest()}, "deleteContext")
    reply = read_reply((yield from send(svc._ctx, call)), EmptyDataResponse, "deleteContext")
    return OperationResult(success=True, request_id=reply.request_id, data={"context_id": context_id})


def _url(svc: Face, context_id: str, file_path: str, endpoint: Endpoint, what: str) -> Flow[FileUrlResult]:
    """A presigned URL of `endpoint` (the upload or the download one); `svc` is any object with flows."""
    kwargs = {
        "context_id": check_text(context_id, "context_id").strip(),
        "file_path": check_text(file_path, "file_path").strip(),
        "body": EmptyRequest(),
    }
    outcome = yield from send(svc._ctx, _call(endpoint, kwargs, what))
    reply = read_reply(outcome, ContextFileUrlResponse, what)
    data = _present(reply.data)
    if data is None or not text(data.url):
        raise malformed(what, "no `data.url`", reply.request_id)
    return FileUrlResult(success=True, request_id=reply.request_id, url=data.url, expire_time=as_int(data.expire_time))


@guarded(FileUrlResult)
def get_file_upload_url(svc: ContextModule, context_id: str, file_path: str) -> Flow[FileUrlResult]:
    """A URL that takes one ``PUT`` of a file's bytes into `file_path` of the context (no key needed)."""
    return (yield from _url(svc, context_id, file_path, get_context_file_upload_url, "getContextFileUploadUrl"))


@guarded(FileUrlResult)
def get_file_download_url(svc: ContextModule, context_id: str, file_path: str) -> Flow[FileUrlResult]:
    """A URL that answers one ``GET`` with the bytes of `file_path` of the context (no key needed)."""
    return (yield from _url(svc, context_id, file_path, get_context_file_download_url, "getContextFileDownloadUrl"))


@guarded(OperationResult)
def delete_file(svc: ContextModule, context_id: str, file_path: str) -> Flow[OperationResult]:
    """Delete a file (or folder) of the context; a missing one is no error."""
    kwargs = {
        "context_id": check_text(context_id, "context_id"),
        "file_path": check_text(file_path, "file_path"),
        "body": EmptyRequest(),
    }
    outcome = yield from send(svc._ctx, _call(delete_context_file, kwargs, "deleteContextFile"))
    reply = read_reply(outcome, EmptyDataResponse, "deleteContextFile")
    return OperationResult(success=True, request_id=reply.request_id, data=True)


@guarded(ContextFileListResult)
def list_files(
    svc: ContextModule,
    context_id: str,
    parent_folder_path: str | None = None,
    page_number: int = 1,
    page_size: int = 50,
) -> Flow[ContextFileListResult]:
    """One page (from 1) of the entries of a context folder (default ``/``), sorted by name."""
    kwargs: dict[str, Any] = {
        "context_id": check_text(context_id, "context_id"),
        "page_number": check_int(page_number, "page_number", 1, 1_000_000),
        "page_size": check_int(page_size, "page_size", 1, 1000),
        "body": EmptyRequest(),
    }
    if parent_folder_path:
        kwargs["parent_folder_path"] = check_text(parent_folder_path, "parent_folder_path")
    outcome = yield from send(svc._ctx, _call(describe_context_files, kwargs, "describeContextFiles"))
    reply = read_reply(outcome, DescribeContextFilesResponse, "describeContextFiles")
    entries = [
        ContextFileEntry(
            file_id=text(e.file_id),
            file_name=text(e.file_name),
            file_path=text(e.file_path),
            file_type=text(e.file_type),
            gmt_create=text(e.gmt_create),
            gmt_modified=text(e.gmt_modified),
            size=as_int(e.size) or 0,
            status=text(e.status),
        )
        for e in _present(reply.data) or []
    ]
    return ContextFileListResult(success=True, request_id=reply.request_id, entries=entries, count=as_int(reply.count))


@guarded(ClearContextResult)
def clear_async(svc: ContextModule, context_id: str) -> Flow[ClearContextResult]:
    """Start deleting every file of the context; ``status`` is ``clearing`` (see ``get_clear_status``)."""
    context_id = check_text(context_id, "context_id")
    call = _call(clear_context, {"id": context_id, "body": EmptyRequest()}, "clearContext")
    reply = read_reply((yield from send(svc._ctx, call)), EmptyDataResponse, "clearContext")
    return ClearContextResult(success=True, request_id=reply.request_id, status=CLEARING, context_id=context_id)


@guarded(ClearContextResult)
def get_clear_status(svc: ContextModule, context_id: str) -> Flow[ClearContextResult]:
    """The context's state: ``clearing`` while a clear runs, then ``available``."""
    context_id = check_text(context_id, "context_id")
    data, request_id = yield from _get(svc._ctx, context_id, None, False, None)
    status = text(data.state) or CLEARING
    return ClearContextResult(success=True, request_id=request_id, status=status, context_id=context_id)


@guarded(ClearContextResult)
def clear(
    svc: ContextModule, context_id: str, timeout: float = 60, poll_interval: float = 2.0
) -> Flow[ClearContextResult]:
    """Clear the context and wait until it is ``available`` again, at most `timeout` seconds."""
    started = yield from clear_async(svc, context_id)
    if not started.success:
        return started
    deadline, wait = svc._ctx.clock() + timeout, CLEAR_POLL_FIRST_S
    while True:
        status = yield from get_clear_status(svc, context_id)
        if not status.success or status.status == AVAILABLE:
            return status
        if svc._ctx.clock() + wait > deadline:
            raise APITimeoutError(f"context {context_id} is still {status.status} after {timeout:g} s")
        yield from sleep(wait)
        wait = min(wait * 2, poll_interval)


class ContextModule(Face):
    """What ``agb.context`` is on both faces (``ContextService``, ``AsyncContextService`` in client.py): the
    client's flows context and driver."""

    def __init__(self, agb: ClientCore[Any]) -> None:
        self.agb = agb
        self._ctx = agb._ctx
        self._driver = agb._driver

    def __repr__(self) -> str:
        return f"{type(self).__name__}(endpoint={self.agb.endpoint!r})"
