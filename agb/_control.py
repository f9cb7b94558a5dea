"""Flows of the control plane: sessions (create, get, delete, list), labels, status, keep-alive, tool lists.

Each flow builds the generated call, sends it (retries in ``send``) and parses the reply, once for both the
sync and the async classes. Problems raise ``AGBError``; ``guarded`` turns them into failed results.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypedDict, TypeVar

from agb_api.api.labels import get_label, list_sessions, set_label
from agb_api.api.sessions import (
    create_session,
    get_mcp_resource,
    get_session,
    get_session_info,
    refresh_session_idle_time,
    release_session_async,
)
from agb_api.api.tools import list_tools
from agb_api.facts import (
    IDEMPOTENT_OPERATIONS,
    IDLE_TIMEOUT_MAX_S,
    IDLE_TIMEOUT_MIN_S,
    LIST_PAGE_SIZE_DEFAULT,
    LIST_PAGE_SIZE_MAX,
    LIST_PAGE_SIZE_MIN,
)
from agb_api.models import (
    CreateSessionData,
    CreateSessionRequest,
    CreateSessionResponse,
    EmptyRequest,
    GetLabelData,
    GetLabelResponse,
    GetMcpResourceData,
    GetMcpResourceResponse,
    GetSessionData,
    GetSessionInfoPascalCaseData,
    GetSessionInfoResponse,
    GetSessionResponse,
    ListSessionsResponse,
    ListToolsResponse,
    PersistenceData,
    SessionIdRequest,
    ToolDescriptor,
)
from agb_api.types import UNSET, Unset

from ._flow import Call, Context, Emit, Endpoint, Flow, Stream, guarded, send, sleep
from ._links import tool_list
from ._tools import TOOL_TIMEOUT_MARGIN_S, run_tool
from ._version import __version__
from ._wire import (
    as_int,
    check_int,
    check_labels,
    check_text,
    dumps_labels,
    loads_object,
    malformed,
    ok_envelope,
    read_model,
    read_reply,
    text,
)
from .errors import (
    AGBError,
    APIConnectionError,
    APITimeoutError,
    InvalidParameterError,
    RateLimitError,
    ServerError,
    SessionNotFoundError,
)
from .results import (
    DeleteResult,
    McpTool,
    McpToolResult,
    McpToolsResult,
    OperationResult,
    SessionListResult,
    SessionResult,
    SessionStatusResult,
    SessionSummary,
)
from .session_params import DEFAULT_IMAGE_ID, CreateSessionParams, ListSessionParams

if TYPE_CHECKING:
    from .client import ClientCore
    from .session import SessionCore

T = TypeVar("T")
log = logging.getLogger("agb")

# Compact JSON, as the official client sends it; informational only.
SDK_STATS = json.dumps(
    {"source": "sdk", "sdk_language": "python", "sdk_version": __version__, "is_release": True},
    separators=(",", ":"),
)
# Statuses that mean "released" to the delete poller (besides the InvalidMcpSession.NotFound reply).
RELEASED_STATUSES = frozenset({"FINISH", "DELETED"})
# Delete polling: first wait, growth, longest wait (seconds), and the default bound of the whole wait.
POLL_FIRST_S, POLL_FACTOR, POLL_MAX_S = 0.25, 2.0, 2.0
DELETE_TIMEOUT_S = 60.0
# After a create with context_syncs: how often, and at most how far apart, the sync tasks are looked at.
MOUNT_POLLS, MOUNT_POLL_MAX_S = 150, 2.0


def _call(endpoint: Endpoint, kwargs: dict[str, Any], name: str) -> Call:
    """The call of operation `name`; retried after it left only if the spec says it is idempotent."""
    return Call(endpoint, kwargs, name, idempotent=name in IDEMPOTENT_OPERATIONS)


def _by_id(endpoint: Endpoint, session_id: str, name: str) -> Call:
    """A call whose body is ``{"sessionId": ...}``."""
    return _call(endpoint, {"body": SessionIdRequest(session_id=session_id)}, name)


def _present(data: T | Unset | None) -> T | None:
    """A reply's ``data`` model, or None when the reply has no ``data`` (absent or null)."""
    return None if isinstance(data, Unset) or data is None else data


def _session_of(session_or_id: object) -> tuple[str, SessionCore | None]:
    from .session import SessionCore

    if isinstance(session_or_id, SessionCore):
        return check_text(session_or_id.session_id, "session_id"), session_or_id
    return check_text(session_or_id, "session_id"), None


# ---------------------------------------------------------------- sessions


@guarded(SessionResult)
def create(agb: ClientCore[Any], params: CreateSessionParams | None = None) -> Flow[SessionResult[Any]]:
    """Create a session (default image ``code_latest``); ``result.session`` is ready for tool calls.

    Labels, image id, idle timeout and policy id are checked before any request: a bad value gives a failed
    result with an ``InvalidParameterError``.
    """
    params = CreateSessionParams() if params is None else params
    if not isinstance(params, CreateSessionParams):
        raise InvalidParameterError(f"params must be a CreateSessionParams, got {type(params).__name__}")
    labels = {} if params.labels is None else check_labels(params.labels, allow_empty=True)
    image_id = DEFAULT_IMAGE_ID if params.image_id is None else check_text(params.image_id, "image_id")
    idle = params.idle_release_timeout
    mounts = _mounts(params.context_syncs)
    body = CreateSessionRequest(
        labels=dumps_labels(labels) if labels else UNSET,
        mcp_policy_id=UNSET if params.policy_id is None else check_text(params.policy_id, "policy_id"),
        timeout=UNSET
        if idle is None or idle == 0
        else check_int(idle, "idle_release_timeout", IDLE_TIMEOUT_MIN_S, IDLE_TIMEOUT_MAX_S),
        persistence_data_list=mounts or UNSET,
    )
    call = _call(create_session, {"body": body, "image_id": image_id, "sdk_stats": SDK_STATS}, "createSession")
    outcome = yield from send(agb._ctx, call)
    reply = read_reply(outcome, CreateSessionResponse, "createSession", lenient=True)
    data = _present(reply.data)
    if data is None:
        raise malformed("createSession", "no `data`", reply.request_id)
    if data.success is False:
        reason = text(data.err_msg) or "the service could not create the session"
        raise AGBError(f"createSession: {reason}", status_code=200, code=text(reply.code), request_id=reply.request_id)
    session_id = text(data.session_id)
    if not session_id:
        raise malformed("createSession", "no `data.sessionId`", reply.request_id)
    session = agb._session_cls(
        agb, session_id, image_id=image_id, labels=labels, **_session_fields(data, reply.request_id)
    )
    if mounts:
        yield from _wait_mounted(agb._ctx, session_id)
    return SessionResult(success=True, session=session, request_id=reply.request_id)


class _SessionFields(TypedDict):
    resource_url: str
    app_instance_id: str
    resource_id: str
    ws_url: str
    token: str
    link_url: str
    tool_list: Callable[[], list[McpTool]]


def _session_fields(data: CreateSessionData | GetSessionData, request_id: str) -> _SessionFields:
    """What createSession and getSession both say of a session, as the session's keyword arguments."""
    return {
        "resource_url": text(data.resource_url),
        "app_instance_id": text(data.app_instance_id),
        "resource_id": text(data.resource_id),
        "ws_url": text(data.ws_url),
        "token": text(data.token),
        "link_url": text(data.link_url),
        "tool_list": tool_list(data.tool_list, request_id),
    }


def _mounts(syncs: object) -> list[PersistenceData]:
    from .context_sync import ContextSync

    if syncs is None:
        return []
    if not isinstance(syncs, list | tuple) or not all(isinstance(s, ContextSync) for s in syncs):
        raise InvalidParameterError("context_syncs must be a list of ContextSync")
    return [sync.to_wire() for sync in syncs]


def _wait_mounted(ctx: Context, session_id: str) -> Flow[None]:
    """After a create with mounts: wait until their downloads finished, as the official client does (a
    failed one is logged, not an error: the session exists). agb_local has finished them already."""
    from .context_manager import wait_for_tasks

    done, failure, _ = yield from wait_for_tasks(
        ctx, session_id, None, None, None, polls=MOUNT_POLLS, interval_s=MOUNT_POLL_MAX_S
    )
    if failure or not done:
        log.warning("session %s: a context sync did not succeed: %s", session_id, failure or "still running")


@guarded(SessionResult)
def get(agb: ClientCore[Any], session_id: str) -> Flow[SessionResult[Any]]:
    """Reconnect to a live session by id. An unknown or released id gives a ``SessionNotFoundError``.

    The service does not say which image the session runs, so ``session.image_id`` is None.
    """
    session_id = check_text(session_id, "session_id")
    outcome = yield from send(agb._ctx, _by_id(get_session, session_id, "getSession"))
    reply = read_reply(outcome, GetSessionResponse, "getSession")
    data = _present(reply.data) or GetSessionData()
    session = agb._session_cls(agb, text(data.session_id) or session_id, **_session_fields(data, reply.request_id))
    return SessionResult(success=True, session=session, request_id=reply.request_id)


def _release(
    ctx: Context, session_id: str, wait: bool, timeout_s: float, sync_context: bool = False
) -> Flow[DeleteResult]:
    if isinstance(timeout_s, bool) or not isinstance(timeout_s, int | float) or timeout_s < 0:
        raise InvalidParameterError(f"timeout_s must be a number of seconds >= 0, got {timeout_s!r}")
    if sync_context:
        yield from _sync_before_release(ctx, session_id, float(timeout_s))
    outcome = yield from send(ctx, _by_id(release_session_async, session_id, "releaseSessionAsync"))
    request_id = ok_envelope(outcome, "releaseSessionAsync").request_id
    if wait:
        request_id = yield from _wait_released(ctx, session_id, float(timeout_s))
    return DeleteResult(success=True, request_id=request_id)


def _sync_before_release(ctx: Context, session_id: str, timeout_s: float) -> Flow[None]:
    """Upload every mounted context and wait for it (within `timeout_s`); a failed upload fails the delete
    before anything is released, so no data is lost silently."""
    from .context_manager import start_sync, wait_for_tasks

    yield from start_sync(ctx, session_id, None, None, None)
    done, failure, request_id = yield from wait_for_tasks(
        ctx, session_id, None, None, "upload", polls=MOUNT_POLLS, interval_s=MOUNT_POLL_MAX_S, timeout_s=timeout_s
    )
    if failure or not done:
        reason = failure or f"still running after {timeout_s:g} s"
        raise AGBError(
            f"session {session_id} was not deleted: syncing its contexts failed: {reason}", request_id=request_id
        )


def _wait_released(ctx: Context, session_id: str, timeout_s: float) -> Flow[str]:
    """Poll getSessionInfo until the session is gone (code ``InvalidMcpSession.NotFound``, or a released
    status); return the last request id. A busy or slow service (5xx, 429, a read timeout) is polled again,
    within `timeout_s`. An unreachable one ends the wait at once with ``APIConnectionError``: the poll's own
    retries have already been spent (the retry policy), and a caller must not sit out an outage in here."""
    deadline = ctx.clock() + timeout_s
    interval, status = POLL_FIRST_S, "unknown"
    while True:
        outcome = yield from send(ctx, _by_id(get_session_info, session_id, "getSessionInfo"))
        try:
            reply = read_reply(outcome, GetSessionInfoResponse, "getSessionInfo")
        except SessionNotFoundError as exc:
            return exc.request_id
        except APIConnectionError as exc:
            raise APIConnectionError(
                f"session {session_id}: the release was accepted, but waiting for it to finish failed: {exc.message}",
                request_id=exc.request_id,
            ) from exc
        except (ServerError, APITimeoutError, RateLimitError):
            pass  # busy or slow: poll again
        else:
            status = _status(reply) or status
            if status in RELEASED_STATUSES:
                return reply.request_id
        remaining = deadline - ctx.clock()
        if remaining <= 0:
            raise APITimeoutError(
                f"session {session_id} is releasing but still reports status {status} after {timeout_s:g} s; "
                "it may finish later: check with get_status(), or delete with a longer timeout_s"
            )
        yield from sleep(min(interval, remaining))
        interval = min(interval * POLL_FACTOR, POLL_MAX_S)


@guarded(DeleteResult)
def delete(
    agb: ClientCore[Any],
    session: SessionCore | str,
    sync_context: bool = False,
    *,
    wait: bool = True,
    timeout_s: float = DELETE_TIMEOUT_S,
) -> Flow[DeleteResult]:
    """Release a session (a ``Session`` or its id) and, with `wait`, wait until the service reports it gone.

    `sync_context` first uploads its mounted contexts and waits for that (a failure keeps the session).

    The wait polls ``getSessionInfo`` for at most `timeout_s` seconds; running out of time gives a failed
    result with an ``APITimeoutError`` (the release was accepted and may still complete), and a service that
    cannot be reached any more one with an ``APIConnectionError`` at once.
    """
    session_id, obj = _session_of(session)
    result = yield from _release(agb._ctx, session_id, wait, timeout_s, bool(sync_context))
    if obj is not None:
        obj._released = True
    return result


@guarded(DeleteResult)
def delete_self(
    session: SessionCore, sync_context: bool = False, *, wait: bool = True, timeout_s: float = DELETE_TIMEOUT_S
) -> Flow[DeleteResult]:
    """Release this session; see ``AGB.delete``."""
    session_id = check_text(session.session_id, "session_id")
    result = yield from _release(session._ctx, session_id, wait, timeout_s, bool(sync_context))
    session._released = True
    return result


def _list_filter(labels: object) -> str:
    return dumps_labels(check_labels({} if labels is None else labels, allow_empty=True, what="label filter"))


def _page(ctx: Context, labels_json: str, limit: int, next_token: str) -> Flow[SessionListResult]:
    kwargs: dict[str, Any] = {"max_results": limit, "labels": labels_json}
    if next_token:
        kwargs["next_token"] = next_token
    outcome = yield from send(ctx, _call(list_sessions, kwargs, "listSessions"))
    reply = read_reply(outcome, ListSessionsResponse, "listSessions")
    items = _present(reply.data) or []
    sessions = [SessionSummary(text(item.session_id), text(item.session_status)) for item in items]
    if not all(s.session_id for s in sessions):
        raise malformed("listSessions", "an item has no `sessionId` string", reply.request_id)
    size, count = as_int(reply.max_results), as_int(reply.count)
    return SessionListResult(
        success=True,
        request_id=reply.request_id,
        session_ids=[s.session_id for s in sessions],
        sessions=sessions,
        next_token=text(reply.next_token),
        max_results=limit if size is None else size,
        total_count=len(sessions) if count is None else count,
    )


@guarded(SessionListResult)
def list_page(
    agb: ClientCore[Any],
    params: ListSessionParams | Mapping[str, str] | None = None,
    *,
    labels: Mapping[str, str] | None = None,
    limit: int | None = None,
    next_token: str | None = None,
    page: int | None = None,
) -> Flow[SessionListResult]:
    """One page of live sessions, filtered by labels (a session matches when it has every given label).

    Pass a ``ListSessionParams``, or the keywords (which win over it); a plain dict as `params` is a label
    filter, as in the official client. ``next_token`` continues from the previous page; ``page=N`` (from
    1) walks the first N-1 pages to find it, as the official client does. ``list_all`` walks every page.
    """
    if isinstance(params, ListSessionParams):
        labels = params.labels if labels is None else labels
        limit = params.limit if limit is None else limit
        next_token = params.next_token if next_token is None else next_token
    elif isinstance(params, Mapping):
        labels = params if labels is None else labels
    elif params is not None:
        raise InvalidParameterError(f"params must be a ListSessionParams or a dict, got {type(params).__name__}")
    labels_json = _list_filter(labels)
    size = (
        LIST_PAGE_SIZE_DEFAULT if limit is None else check_int(limit, "limit", LIST_PAGE_SIZE_MIN, LIST_PAGE_SIZE_MAX)
    )
    token = "" if next_token is None else next_token
    if not isinstance(token, str):
        raise InvalidParameterError(f"next_token must be a string, got {type(token).__name__}")
    if page is not None:
        check_int(page, "page", 1, 1_000_000)
        if token:
            raise InvalidParameterError("pass either page or next_token, not both")
        for number in range(1, page):
            token = (yield from _page(agb._ctx, labels_json, size, token)).next_token
            if not token:
                raise InvalidParameterError(f"cannot reach page {page}: there are only {number} pages")
    return (yield from _page(agb._ctx, labels_json, size, token))


def list_all(
    agb: ClientCore[Any], labels: Mapping[str, str] | None = None, page_size: int = LIST_PAGE_SIZE_MAX
) -> Stream[str]:
    """Iterate over the ids of every live session matching `labels`, fetching pages as needed.

    An iterator has no result to return, so a page that fails raises its ``AGBError`` here.
    """
    labels_json = _list_filter(labels)
    size = check_int(page_size, "page_size", LIST_PAGE_SIZE_MIN, LIST_PAGE_SIZE_MAX)
    token, seen = "", set()
    while True:
        page = yield from _page(agb._ctx, labels_json, size, token)
        for session_id in page.session_ids:
            yield Emit(session_id)
        if not page.next_token:
            return
        if page.next_token in seen:
            raise ServerError("listSessions: the service returned the same nextToken twice", request_id=page.request_id)
        seen.add(page.next_token)
        token = page.next_token


# ---------------------------------------------------------------- one session


@guarded(OperationResult)
def set_labels(session: SessionCore, labels: Mapping[str, str]) -> Flow[OperationResult]:
    """Replace the session's labels (a non-empty dict of non-empty strings)."""
    checked = check_labels(labels, allow_empty=False)
    kwargs = {"session_id": check_text(session.session_id, "session_id"), "labels": dumps_labels(checked)}
    outcome = yield from send(session._ctx, _call(set_label, {**kwargs, "body": EmptyRequest()}, "setLabel"))
    env = ok_envelope(outcome, "setLabel")
    session.labels = checked
    return OperationResult(success=True, request_id=env.request_id, data=True)


@guarded(OperationResult)
def get_labels(session: SessionCore) -> Flow[OperationResult]:
    """The session's labels, as the service has them; ``result.data`` is a dict."""
    kwargs = {"session_id": check_text(session.session_id, "session_id")}
    outcome = yield from send(session._ctx, _call(get_label, kwargs, "getLabel"))
    reply = read_reply(outcome, GetLabelResponse, "getLabel")
    raw = (_present(reply.data) or GetLabelData()).labels
    labels = {} if isinstance(raw, Unset) or raw in (None, "") else loads_object(raw)
    if labels is None or not all(isinstance(k, str) and isinstance(v, str) for k, v in labels.items()):
        raise malformed("getLabel", "`data.labels` is not a JSON object of strings", reply.request_id)
    session.labels = dict(labels)
    return OperationResult(success=True, request_id=reply.request_id, data=dict(labels))


@guarded(OperationResult)
def info(session: SessionCore) -> Flow[OperationResult]:
    """Resource information: ``result.data`` has ``session_id``, ``resource_url`` and, for desktop images,
    ``app_id``, ``auth_code``, ``connection_properties``, ``resource_id``, ``resource_type``, ``ticket``."""
    session_id = check_text(session.session_id, "session_id")
    outcome = yield from send(session._ctx, _by_id(get_mcp_resource, session_id, "getMcpResource"))
    reply = read_reply(outcome, GetMcpResourceResponse, "getMcpResource", lenient=True)
    data = _present(reply.data) or GetMcpResourceData()
    result: dict[str, Any] = {
        "session_id": text(data.session_id) or session_id,
        "resource_url": text(data.resource_url),
    }
    desktop = data.desktop_info
    if not isinstance(desktop, Unset):
        result.update(
            app_id=text(desktop.app_id),
            auth_code=text(desktop.auth_code),
            connection_properties=text(desktop.connection_properties),
            resource_id=text(desktop.resource_id),
            resource_type=text(desktop.resource_type),
            ticket=text(desktop.ticket),
        )
    if result["resource_url"]:
        session.resource_url = result["resource_url"]
    return OperationResult(success=True, request_id=reply.request_id, data=result)


@guarded(SessionStatusResult)
def get_status(session: SessionCore) -> Flow[SessionStatusResult]:
    """The session's status: ``RUNNING``, ``DELETING``, ``FINISH``... (a released session is not found)."""
    session_id = check_text(session.session_id, "session_id")
    outcome = yield from send(session._ctx, _by_id(get_session_info, session_id, "getSessionInfo"))
    reply = read_reply(outcome, GetSessionInfoResponse, "getSessionInfo")
    return SessionStatusResult(success=True, request_id=reply.request_id, status=_status(reply))


def _status(reply: GetSessionInfoResponse) -> str:
    """``data.status``, else its PascalCase variant ``Status`` (``GetSessionInfoPascalCaseData``)."""
    data = _present(reply.data)
    if data is None:
        return ""
    pascal = GetSessionInfoPascalCaseData.from_dict(data.additional_properties)
    return text(data.status) or text(pascal.status)


@guarded(OperationResult)
def keep_alive(session: SessionCore) -> Flow[OperationResult]:
    """Reset the session's idle timer (any other call does too)."""
    kwargs = {"session_id": check_text(session.session_id, "session_id"), "body": EmptyRequest()}
    call = _call(refresh_session_idle_time, kwargs, "refreshSessionIdleTime")
    env = ok_envelope((yield from send(session._ctx, call)), "refreshSessionIdleTime")
    return OperationResult(success=True, request_id=env.request_id, data=True)


def _tool(item: ToolDescriptor) -> McpTool:
    schema = item.input_schema
    return McpTool(
        name=text(item.name),
        description=text(item.description),
        input_schema={} if isinstance(schema, Unset) else dict(schema.additional_properties),
        server=text(item.server),
        tool=text(item.tool),
    )


@guarded(McpToolsResult)
def list_mcp_tools(session: SessionCore, image_id: str | None = None) -> Flow[McpToolsResult]:
    """The tools of `image_id` (default: the session's image, else the service's default image)."""
    image = image_id if image_id is not None else session.image_id
    kwargs: dict[str, Any] = {"body": EmptyRequest()}
    if image is not None:
        kwargs["image_id"] = check_text(image, "image_id")
    outcome = yield from send(session._ctx, _call(list_tools, kwargs, "listTools"))
    reply = read_reply(outcome, ListToolsResponse, "listTools")
    raw: object = "" if isinstance(reply.data, Unset) else reply.data
    if isinstance(raw, str):  # the spec's form: a ToolDescriptorList serialised into the string
        try:
            raw = json.loads(raw) if raw.strip() else []
        except (ValueError, RecursionError):
            raw = None
    if not isinstance(raw, list):
        raise malformed("listTools", "`data` is not a JSON list of tools", reply.request_id)
    descriptors = [read_model(ToolDescriptor, item, "listTools", reply.request_id) for item in raw]
    if not all(isinstance(d.name, str) and d.name for d in descriptors):
        raise malformed("listTools", "a tool has no `name` string", reply.request_id)
    return McpToolsResult(success=True, request_id=reply.request_id, tools=[_tool(d) for d in descriptors])


@guarded(McpToolResult)
def call_mcp_tool(
    session: SessionCore, tool_name: str, args: Mapping[str, Any] | None = None, *, timeout_s: float | None = None
) -> Flow[McpToolResult]:
    """Call any tool of the session by name; ``result.data`` is its text output.

    `timeout_s` is how long the tool may run (the HTTP read timeout is that plus a margin); by default the
    configured timeout applies. A tool error gives ``success=False``, a ``ToolError`` and the text in ``data``.
    """
    name = check_text(tool_name, "tool_name")
    if args is not None and not isinstance(args, Mapping):
        raise InvalidParameterError(f"args must be a dict, got {type(args).__name__}")
    if timeout_s is not None and (
        isinstance(timeout_s, bool) or not isinstance(timeout_s, int | float) or timeout_s <= 0
    ):
        raise InvalidParameterError(f"timeout_s must be a positive number of seconds, got {timeout_s!r}")
    read_timeout = None if timeout_s is None else timeout_s + TOOL_TIMEOUT_MARGIN_S
    output = yield from run_tool(session, name, args or {}, read_timeout=read_timeout)
    if output.is_error:
        error = output.error()
        return McpToolResult(
            success=False, error_message=error.message, request_id=output.request_id, error=error, data=output.text
        )
    return McpToolResult(success=True, request_id=output.request_id, data=output.text)
