"""``session.code``: run code in the session's stateful interpreter (the ``run_code`` tool)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from agb_api.models import RunCodeArgs

from ._face import Module
from ._flow import Flow, guarded
from ._tools import TOOL_TIMEOUT_MARGIN_S, ToolOutput, run_tool
from ._wire import as_int, check_int, loads_object
from .errors import ExecutionError, InvalidParameterError, ToolError
from .results import EnhancedCodeExecutionResult, ExecutionLogs, ExecutionResult

__all__ = ["LANGUAGE_ALIASES"]

# Accepted names (trimmed, case-insensitive) and the canonical name sent on the wire.
LANGUAGE_ALIASES = {
    "python": "python",
    "py": "python",
    "python3": "python",
    "javascript": "javascript",
    "js": "javascript",
    "node": "javascript",
    "nodejs": "javascript",
    "java": "java",
    "r": "r",
}
DEFAULT_RUN_TIMEOUT_S = 60
MAX_RUN_TIMEOUT_S = 3600

# ExecutionResult field -> keys tried in order (MIME type first, then the short alias).
_FORMAT_KEYS = {
    "text": ("text/plain", "text"),
    "html": ("text/html", "html"),
    "markdown": ("text/markdown", "markdown"),
    "png": ("image/png", "png"),
    "jpeg": ("image/jpeg", "jpeg"),
    "svg": ("image/svg+xml", "svg"),
    "json": ("application/json", "json"),
    "latex": ("text/latex", "latex"),
    "chart": ("application/vnd.vegalite.v5+json", "application/vnd.vegalite.v4+json", "chart"),
}


def normalize_language(language: object) -> str:
    """The canonical language name for `language`, or an ``InvalidParameterError``."""
    canonical = LANGUAGE_ALIASES.get(language.strip().lower()) if isinstance(language, str) else None
    if canonical is None:
        names = ", ".join(sorted(set(LANGUAGE_ALIASES.values())))
        raise InvalidParameterError(f"unsupported language {language!r}: use one of {names} (or py, js, node)")
    return canonical


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _item(raw: object) -> ExecutionResult:
    """One result item: an object keyed by format, a string holding JSON (maybe twice encoded), or text."""
    for _ in range(3):  # unwrap JSON inside strings, at most twice encoded
        if not isinstance(raw, str):
            break
        try:
            decoded = json.loads(raw)
        except (ValueError, RecursionError):
            break
        if not isinstance(decoded, str | Mapping):
            break
        raw = decoded
    if not isinstance(raw, Mapping):
        return ExecutionResult(text=raw if isinstance(raw, str) else str(raw))
    item = ExecutionResult(is_main_result=raw.get("isMainResult", raw.get("is_main_result")) is True)
    for name, keys in _FORMAT_KEYS.items():
        value = next((raw[key] for key in keys if raw.get(key) is not None), None)
        setattr(item, name, value)
    return item


def _error(raw: object, request_id: str) -> ExecutionError | None:
    if not isinstance(raw, Mapping) or not (raw.get("name") or raw.get("value")):
        return None
    traceback = raw.get("traceback")
    if isinstance(traceback, list):
        traceback = "\n".join(str(line) for line in traceback)
    return ExecutionError(
        str(raw.get("name") or "Error"), str(raw.get("value") or ""), str(traceback or ""), request_id=request_id
    )


def _result(
    obj: Mapping[str, Any], items: object, stdout: object, stderr: object, error: ExecutionError | None, rid: str
) -> EnhancedCodeExecutionResult:
    count = obj.get("execution_count")
    duration = obj.get("execution_time")
    return EnhancedCodeExecutionResult(
        success=error is None,
        error_message="" if error is None else str(obj.get("executionError") or error.message),
        request_id=rid,
        error=error,
        results=[_item(raw) for raw in items] if isinstance(items, list) else [],
        logs=ExecutionLogs(stdout=_strings(stdout), stderr=_strings(stderr)),
        execution_count=as_int(count),
        execution_time=float(duration) if isinstance(duration, int | float) and not isinstance(duration, bool) else 0.0,
    )


def _plain(text: str, rid: str) -> EnhancedCodeExecutionResult:
    results = [ExecutionResult(text=text, is_main_result=True)] if text else []
    return EnhancedCodeExecutionResult(
        success=True, request_id=rid, results=results, logs=ExecutionLogs(stdout=[text] if text else [])
    )


def parse_run_code(output: ToolOutput) -> EnhancedCodeExecutionResult:
    """The result of a ``run_code`` tool output, in any of the formats services have used.

    In order: plain text; a ``content`` wrapper holding the JSON; ``isError``; the "new" format (``result``
    list, ``stdout``/``stderr`` lists, ``executionError`` summary, plus the ``error`` object of
    ``RunCodeOutput``); the "rich" format (``logs``, ``results``, ``error``); the "legacy" ``content`` text.
    """
    rid = output.request_id
    if output.is_error:
        raise output.error()
    obj = loads_object(output.text.strip())
    if obj is None:
        return _plain(output.text, rid)
    content = obj.get("content")
    first = content[0] if isinstance(content, list) and content and isinstance(content[0], Mapping) else {}
    inner = loads_object(first.get("text"))
    if inner is not None and ("result" in inner or "executionError" in inner):
        obj, content = inner, inner.get("content")
    if obj.get("isError") is True:
        texts = [c["text"] for c in content or [] if isinstance(c, Mapping) and isinstance(c.get("text"), str)]
        raise ToolError("run_code: " + ("; ".join(texts) or "the service reported an error"), request_id=rid)
    if isinstance(obj.get("result"), list):
        summary = obj.get("executionError")
        error = _error(obj.get("error"), rid)
        if error is None and isinstance(summary, str) and summary:
            error = ExecutionError("ExecutionError", summary, request_id=rid)
        return _result(obj, obj["result"], obj.get("stdout"), obj.get("stderr"), error, rid)
    if "logs" in obj or "results" in obj:
        raw_logs = obj.get("logs")
        logs = raw_logs if isinstance(raw_logs, Mapping) else {}
        return _result(
            obj, obj.get("results"), logs.get("stdout"), logs.get("stderr"), _error(obj.get("error"), rid), rid
        )
    if isinstance(first.get("text"), str):
        return _plain(first["text"], rid)
    return _plain(output.text, rid)


@guarded(EnhancedCodeExecutionResult)
def run(
    module: Module, code: str, language: str = "python", timeout_s: int = DEFAULT_RUN_TIMEOUT_S
) -> Flow[EnhancedCodeExecutionResult]:
    """Run `code` and return its outputs (text, html, images, charts...), logs and error.

    `language`: ``python`` (aliases ``py``, ``python3``), ``javascript`` (``js``, ``node``, ``nodejs``),
    ``java`` or ``r`` where the image has them. State persists between runs of the same language.
    `timeout_s` (1 to 3600) interrupts the run; the HTTP read timeout is set above it, so long runs are
    not cut off by the client. An exception in the code gives ``success=False`` and an ``ExecutionError``.
    """
    if not isinstance(code, str):
        raise InvalidParameterError(f"code must be a string, got {type(code).__name__}")
    args = RunCodeArgs(
        code=code,
        language=normalize_language(language),
        timeout_s=check_int(timeout_s, "timeout_s", 1, MAX_RUN_TIMEOUT_S),
    ).to_dict()
    output = yield from run_tool(module.session, "run_code", args, read_timeout=timeout_s + TOOL_TIMEOUT_MARGIN_S)
    return parse_run_code(output)
