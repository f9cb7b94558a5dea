"""``session.code``: run code in the session's stateful interpreter (the ``run_code`` tool)."""

from __future__ import annotations

import json
from typing import Any

from agb_api.facts import LANGUAGE_ALIASES, LANGUAGES, RUN_CODE_TIMEOUT_MAX_S, RUN_CODE_TIMEOUT_MIN_S
from agb_api.models import (
    RunCodeArgs,
    RunCodeErrorType0,
    RunCodeOutput,
    RunCodeResultItem,
    RunCodeResultItemShortNames,
    RunCodeRichOutput,
    RunCodeWrappedOutput,
)
from agb_api.types import Unset

from ._face import Module
from ._flow import Flow, guarded
from ._tools import TOOL_TIMEOUT_MARGIN_S, ToolOutput, run_tool
from ._wire import M, as_int, check_int, loads_object, malformed, number, read_model, text
from .errors import ExecutionError, InvalidParameterError, ToolError
from .results import EnhancedCodeExecutionResult, ExecutionLogs, ExecutionResult

__all__ = ["LANGUAGE_ALIASES"]

# LANGUAGE_ALIASES (from the spec): accepted names, trimmed and case-insensitive, to the name sent on the wire.
DEFAULT_RUN_TIMEOUT_S = 60


def normalize_language(language: object) -> str:
    """The canonical language name for `language`, or an ``InvalidParameterError``."""
    canonical = LANGUAGE_ALIASES.get(language.strip().lower()) if isinstance(language, str) else None
    if canonical is None:
        aliases = ", ".join(name for name in LANGUAGE_ALIASES if name not in LANGUAGES)
        raise InvalidParameterError(
            f"unsupported language {language!r}: use one of {', '.join(LANGUAGES)} (or {aliases})"
        )
    return canonical


def _strings(value: object) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _first(*values: object) -> Any:
    """The first value that is set (neither unset nor null): a MIME key before its short alias."""
    return next((v for v in values if not isinstance(v, Unset) and v is not None), None)


def _object(value: object) -> dict[str, Any] | None:
    """A free-form object field (a chart) as a dict."""
    return dict(value.additional_properties) if hasattr(value, "additional_properties") else None


def result_item(raw: RunCodeResultItem | str, request_id: str) -> ExecutionResult:
    """One ``RunCodeResult``: an item keyed by format, or a string holding one (at most twice encoded), or text."""
    for _ in range(3):
        if not isinstance(raw, str):
            break
        try:
            decoded = json.loads(raw)
        except (ValueError, RecursionError):
            break
        if isinstance(decoded, dict):
            raw = read_model(RunCodeResultItem, decoded, "run_code", request_id)
        elif isinstance(decoded, str):
            raw = decoded
        else:
            break
    if isinstance(raw, str):
        return ExecutionResult(text=raw)
    if not isinstance(raw, RunCodeResultItem):
        raise malformed("run_code", f"a result is neither an object nor a string: {raw!r:.80}", request_id)
    short = read_model(RunCodeResultItemShortNames, raw.additional_properties, "run_code", request_id)
    chart = _first(raw.applicationvnd_vegalite_v5json, raw.applicationvnd_vegalite_v4json, short.chart)
    return ExecutionResult(
        is_main_result=_first(raw.is_main_result, short.is_main_result) is True,
        text=_first(raw.textplain, short.text),
        html=_first(raw.texthtml, short.html),
        markdown=_first(raw.textmarkdown, short.markdown),
        png=_first(raw.imagepng, short.png),
        jpeg=_first(raw.imagejpeg, short.jpeg),
        svg=_first(raw.imagesvgxml, short.svg),
        json=_first(raw.applicationjson, short.json),
        latex=_first(raw.textlatex, short.latex),
        chart=None if chart is None else _object(chart),
    )


def _error(raw: object, summary: object, request_id: str) -> ExecutionError | None:
    """The exception of a run: the ``RunCodeError`` parts, else the ``executionError`` one-line summary."""
    if isinstance(raw, RunCodeErrorType0) and (text(raw.name) or text(raw.value)):
        lines = raw.traceback
        traceback = "\n".join(_strings(lines)) if isinstance(lines, list) else text(lines)
        return ExecutionError(text(raw.name) or "Error", text(raw.value), traceback, request_id=request_id)
    if text(summary):
        return ExecutionError("ExecutionError", text(summary), request_id=request_id)
    return None


def _result(
    items: list[RunCodeResultItem | str] | Unset,
    stdout: object,
    stderr: object,
    error: ExecutionError | None,
    summary: object,
    count: object,
    duration: object,
    rid: str,
) -> EnhancedCodeExecutionResult:
    return EnhancedCodeExecutionResult(
        success=error is None,
        error_message="" if error is None else (text(summary) or error.message),
        request_id=rid,
        error=error,
        results=[] if isinstance(items, Unset) else [result_item(raw, rid) for raw in items],
        logs=ExecutionLogs(stdout=_strings(stdout), stderr=_strings(stderr)),
        execution_count=as_int(count),
        execution_time=number(duration) or 0.0,
    )


def _plain(value: str, rid: str) -> EnhancedCodeExecutionResult:
    results = [ExecutionResult(text=value, is_main_result=True)] if value else []
    return EnhancedCodeExecutionResult(
        success=True, request_id=rid, results=results, logs=ExecutionLogs(stdout=[value] if value else [])
    )


def _variant(model: type[M], obj: dict[str, Any], rid: str) -> M | None:
    """`obj` read as one of the output formats of the spec, or None when its required keys are absent."""
    try:
        return model.from_dict(obj)
    except KeyError:
        return None
    except (TypeError, ValueError, AttributeError) as exc:
        raise malformed("run_code", f"the output does not fit {model.__name__} ({exc})", rid) from None


def parse_run_code(output: ToolOutput) -> EnhancedCodeExecutionResult:
    """The result of a ``run_code`` tool output, in the formats the spec describes.

    ``RunCodeOutput`` (``result`` list, ``stdout``/``stderr`` lists, ``executionError`` summary and the
    ``error`` parts); its ``x-agb-client-variants``: ``RunCodeRichOutput`` (``logs``, ``results``) and
    ``RunCodeWrappedOutput`` (a content list holding the document, or the value as text); plain text.
    """
    rid = output.request_id
    if output.is_error:
        raise output.error()
    obj = loads_object(output.text.strip())
    if obj is None:
        return _plain(output.text, rid)
    wrapped = _variant(RunCodeWrappedOutput, obj, rid)
    if wrapped is not None:
        texts = [text(item.text) for item in wrapped.content if item.type_ == "text" and isinstance(item.text, str)]
        if wrapped.is_error is True:
            raise ToolError("run_code: " + ("; ".join(texts) or "the service reported an error"), request_id=rid)
        inner = loads_object(texts[0]) if texts else None
        if inner is None:
            return _plain(texts[0] if texts else output.text, rid)
        obj = inner
    new = _variant(RunCodeOutput, obj, rid)
    if new is not None:
        error = _error(new.error, new.execution_error, rid)
        return _result(
            new.result, new.stdout, new.stderr, error, new.execution_error, new.execution_count, new.execution_time, rid
        )
    rich = _variant(RunCodeRichOutput, obj, rid)
    if rich is not None:
        logs = rich.logs
        error = _error(rich.error, None, rid)
        return _result(
            rich.results, logs.stdout, logs.stderr, error, None, rich.execution_count, rich.execution_time, rid
        )
    return _plain(output.text, rid)  # a JSON object in none of the formats: the code's value, as text


def run_args(code: object, language: object, timeout_s: object) -> dict[str, Any]:
    """The ``run_code`` arguments (``RunCodeArgs``), checked: an ``InvalidParameterError`` before any request."""
    if not isinstance(code, str):
        raise InvalidParameterError(f"code must be a string, got {type(code).__name__}")
    return RunCodeArgs(
        code=code,
        language=normalize_language(language),
        timeout_s=check_int(timeout_s, "timeout_s", RUN_CODE_TIMEOUT_MIN_S, RUN_CODE_TIMEOUT_MAX_S),
    ).to_dict()


@guarded(EnhancedCodeExecutionResult)
def run(
    module: Module, code: str, language: str = "python", timeout_s: int = DEFAULT_RUN_TIMEOUT_S
) -> Flow[EnhancedCodeExecutionResult]:
    """Run `code` through ``POST /mcp`` and return its outputs, logs and error (see ``RUN_DOC``)."""
    args = run_args(code, language, timeout_s)
    output = yield from run_tool(module.session, "run_code", args, read_timeout=timeout_s + TOOL_TIMEOUT_MARGIN_S)
    return parse_run_code(output)


RUN_DOC = """Run `code` and return its outputs (text, html, images, charts...), logs and error.

    `language`: ``python`` (aliases ``py``, ``python3``), ``javascript`` (``js``, ``node``, ``nodejs``),
    ``java`` or ``r`` where the image has them. State persists between runs of the same language.
    `timeout_s` (1 to 3600) interrupts the run; the client waits a little longer than that. An exception in
    the code gives ``success=False`` and an ``ExecutionError``.

    Streaming: with any of `on_stdout`, `on_stderr` (each chunk, a ``str``, as the code prints it),
    `on_result` (each rich ``ExecutionResult``) or `on_error` (the ``ExecutionError`` the code raised, or the
    error that ended the stream), or with ``stream_beta=True``, the run goes over the session's WebSocket and
    the callbacks are called as output arrives (coroutine functions are awaited on the async face). The
    result is the same as without streaming.

    A streamed run that is cancelled (KeyboardInterrupt, task cancellation, its time running out) is stopped
    in the sandbox as well: the cell is interrupted and the interpreter keeps its state. (A run without
    streaming goes on in the sandbox until its own timeout, as the HTTP API does not cancel abandoned calls.)
    """
