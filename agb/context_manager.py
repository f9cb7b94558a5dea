"""``session.context``: the session's sync tasks (``info``) and syncs on demand (``sync``).

``GetContextInfo``'s ``contextStatus`` is JSON inside a string twice over (``ContextStatusEntry`` whose
``data`` holds ``ContextStatusItem``s); it is read through those models. A task ends as ``Success`` or
``Failed`` (exact case); anything else means it is still running.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from agb_api.api.contexts import get_context_info, sync_context
from agb_api.models import (
    ContextStatusEntry,
    ContextStatusItem,
    EmptyDataResponse,
    EmptyRequest,
    GetContextInfoResponse,
)
from agb_api.models.sync_mode import check_sync_mode

from ._control import _call, _present
from ._face import Module
from ._flow import Context, Flow, guarded, send, sleep
from ._wire import as_int, check_text, malformed, read_model, read_reply, text
from .errors import InvalidParameterError
from .results import ApiResult

__all__ = ["ContextInfoResult", "ContextStatusData", "ContextSyncResult"]

SUCCESS, FAILED = "Success", "Failed"
TASK_TYPES = ("upload", "download")
# Polling of a sync: the first look is at once (agb_local finishes small syncs before it answers), then
# waits grow from POLL_FIRST_S to the caller's interval.
POLL_FIRST_S = 0.05


@dataclass
class ContextStatusData:
    """One sync task: ``status`` is ``Success``, ``Failed`` or (while it runs) anything else."""

    context_id: str = ""
    path: str = ""
    error_message: str = ""
    status: str = ""
    start_time: int = 0
    finish_time: int = 0
    task_type: str = ""

    @property
    def finished(self) -> bool:
        return self.status in (SUCCESS, FAILED)


@dataclass(kw_only=True)
class ContextInfoResult(ApiResult[list[ContextStatusData]]):
    """``session.context.info()``: ``context_status_data`` (``unwrap()`` returns it)."""

    context_status_data: list[ContextStatusData] = field(default_factory=list)

    _payload_field = "context_status_data"


@dataclass(kw_only=True)
class ContextSyncResult(ApiResult[bool]):
    """``session.context.sync()``: ``success`` is True when every task it started succeeded."""

    def _payload(self) -> bool:
        return self.success


def parse_context_status(raw: object, request_id: str) -> list[ContextStatusData]:
    """The tasks in a ``contextStatus`` string (empty or missing: none)."""
    what = "getContextInfo"
    status = text(raw)
    if not status:
        return []
    entries = _json_list(status, what, request_id)
    tasks = []
    for raw_entry in entries:
        entry = read_model(ContextStatusEntry, raw_entry, what, request_id)
        if entry.type_ != "data":
            continue
        for raw_item in _json_list(text(entry.data), what, request_id):
            item = read_model(ContextStatusItem, raw_item, what, request_id)
            tasks.append(
                ContextStatusData(
                    context_id=text(item.context_id),
                    path=text(item.path),
                    error_message=text(item.error_message),
                    status=text(item.status),
                    start_time=as_int(item.start_time) or 0,
                    finish_time=as_int(item.finish_time) or 0,
                    task_type=text(item.task_type),
                )
            )
    return tasks


def _json_list(value: str, what: str, request_id: str) -> list[Any]:
    try:
        decoded = json.loads(value) if value.strip() else []
    except (ValueError, RecursionError):
        raise malformed(what, "`contextStatus` is not JSON", request_id) from None
    if not isinstance(decoded, list):
        raise malformed(what, "`contextStatus` is not a JSON array", request_id)
    return decoded


def context_info(
    ctx: Context, session_id: str, context_id: str | None, path: str | None, task_type: str | None
) -> Flow[tuple[list[ContextStatusData], str]]:
    """The session's tasks matching the filters, and the reply's request id."""
    kwargs: dict[str, Any] = {"session_id": session_id}
    if context_id:
        kwargs["context_id"] = context_id
    if path:
        kwargs["path"] = path
    if task_type:
        kwargs["task_type"] = _checked(check_sync_mode, task_type, "task_type")
    outcome = yield from send(ctx, _call(get_context_info, kwargs, "getContextInfo"))
    reply = read_reply(outcome, GetContextInfoResponse, "getContextInfo")
    data = _present(reply.data)
    tasks = parse_context_status(None if data is None else data.context_status, reply.request_id)
    return tasks, reply.request_id


def start_sync(ctx: Context, session_id: str, context_id: str | None, path: str | None, mode: str | None) -> Flow[str]:
    """Send SyncContext (not retried once sent: a sync is not idempotent); return its request id."""
    kwargs: dict[str, Any] = {"session_id": session_id, "body": EmptyRequest()}
    if context_id:
        kwargs["context_id"] = context_id
    if path:
        kwargs["path"] = path
    if mode:
        kwargs["mode"] = _checked(check_sync_mode, mode, "mode")
    outcome = yield from send(ctx, _call(sync_context, kwargs, "syncContext"))
    return read_reply(outcome, EmptyDataResponse, "syncContext").request_id


def wait_for_tasks(
    ctx: Context,
    session_id: str,
    context_id: str | None,
    path: str | None,
    task_type: str | None,
    *,
    polls: int,
    interval_s: float,
    timeout_s: float | None = None,
) -> Flow[tuple[bool, str, str]]:
    """Poll until every matching upload/download task is finished, at most `polls` times (and `timeout_s`):
    (finished, the first failure's message or "", the last request id)."""
    deadline = None if timeout_s is None else ctx.clock() + timeout_s
    wait, request_id = POLL_FIRST_S, ""
    for attempt in range(polls):
        tasks, request_id = yield from context_info(ctx, session_id, context_id, path, task_type)
        relevant = [t for t in tasks if t.task_type in TASK_TYPES]
        if all(t.finished for t in relevant):
            failed = [t for t in relevant if t.status == FAILED]
            return True, (_failure(failed[0]) if failed else ""), request_id
        if attempt == polls - 1 or (deadline is not None and ctx.clock() + wait > deadline):
            break
        yield from sleep(wait)
        wait = min(wait * 2, interval_s)
    return False, "", request_id


def _failure(task: ContextStatusData) -> str:
    return f"the {task.task_type} of {task.path} failed: {task.error_message or 'no reason given'}"


def _checked(check: Callable[[str], Any], value: object, what: str) -> Any:
    try:
        return check(str(value))
    except TypeError:
        raise InvalidParameterError(f"{what} must be 'upload' or 'download', got {value!r}") from None


# ---------------------------------------------------------------- the operations


@guarded(ContextInfoResult)
def info(
    manager: Module, context_id: str | None = None, path: str | None = None, task_type: str | None = None
) -> Flow[ContextInfoResult]:
    """The session's sync tasks, optionally only those of a context, a sandbox path, a task type."""
    session_id = check_text(manager.session.session_id, "session_id")
    tasks, request_id = yield from context_info(manager._ctx, session_id, context_id, path, task_type)
    return ContextInfoResult(success=True, request_id=request_id, context_status_data=tasks)


@guarded(ContextSyncResult)
def sync(
    manager: Module,
    context_id: str | None = None,
    path: str | None = None,
    mode: str | None = None,
    callback: Callable[[bool], None] | None = None,
    max_retries: int = 150,
    retry_interval: int = 1500,
) -> Flow[ContextSyncResult]:
    """Sync the session's contexts: one (`context_id` with `path`) or, with neither, all of them.

    `mode` is seen from the sandbox: ``"upload"`` copies its files into the context, ``"download"`` the
    context's files into it; None lets the service choose (it uploads). Then waits until the tasks finish
    (at most `max_retries` looks, at most `retry_interval` ms apart; the first at once). `callback`, if
    given, is called with the outcome before this returns (the official client calls it from a thread).
    """
    has_id, has_path = bool(context_id and context_id.strip()), bool(path and path.strip())
    if has_id != has_path:
        raise InvalidParameterError("context_id and path must be given together, or neither (to sync every context)")
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 1:
        raise InvalidParameterError(f"max_retries must be a whole number >= 1, got {max_retries!r}")
    session_id = check_text(manager.session.session_id, "session_id")
    ctx = manager._ctx
    request_id = yield from start_sync(ctx, session_id, context_id, path, mode)
    done, failure, _ = yield from wait_for_tasks(
        ctx, session_id, context_id, path, None, polls=max_retries, interval_s=max(retry_interval, 1) / 1000
    )
    ok = done and not failure
    if callback is not None:
        callback(ok)
    if ok:
        return ContextSyncResult(success=True, request_id=request_id)
    message = failure or f"the sync did not finish after {max_retries} looks at its status"
    return ContextSyncResult(success=False, request_id=request_id, error_message=message)
