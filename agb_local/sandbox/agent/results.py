"""The ``run_code`` output document (``RunCodeOutput`` in openapi/agb.yaml: the clients' "new" format, plus
``error``).

::

    {"result": [{<mime>: <data>, ..., "isMainResult": bool}, ...],
     "stdout": [str, ...], "stderr": [str, ...],
     "executionError": null | "Name: value",
     "error": null | {"name", "value", "traceback"},
     "execution_count": int, "execution_time": float}
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from .output import CappedTextList, truncation_marker

# CSI sequences (colours, cursor moves) and the rarer OSC ones IPython may emit in tracebacks.
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[@-Z\\-_]")


def strip_ansi(text: str) -> str:
    return _ANSI.sub("", text)


# A streamed run's event sink: one payload per call, in the WebSocket's event shape (eventType and its
# fields); the agent forwards each as a line tagged with the call's id.
Emit = Callable[[dict[str, Any]], None]


class CodeResult:
    def __init__(self, limit: int, emit: Emit | None = None) -> None:
        self.emit = emit
        self._streamed = 0  # bytes of stdout and stderr sent as events, bounded like the kept output
        self.stdout = CappedTextList(limit)
        self.stderr = CappedTextList(limit)
        self._limit = limit
        self._result_bytes = 0
        self.results: list[dict[str, Any]] = []
        self._display_index: dict[str, int] = {}
        self.error: dict[str, str] | None = None
        self.execution_count = 0

    def add_stream(self, name: str, text: str) -> None:
        """Output the code printed, kept, and sent at once to a streamed run."""
        (self.stdout if name == "stdout" else self.stderr).add(text)
        if self.emit is None or not text:
            return
        size = len(text.encode("utf-8", errors="replace"))
        if self._streamed >= 2 * self._limit:  # beyond both streams' caps: the rest is counted, not sent
            return
        self._streamed += size
        if self._streamed >= 2 * self._limit:
            text += "\n[... output truncated: the rest of this run's output is not streamed]"
        self.emit({"eventType": "stdout" if name == "stdout" else "stderr", "chunk": text})

    def add_result(self, data: dict[str, Any], *, is_main: bool, display_id: str | None = None) -> None:
        item = self._bounded(data, is_main)
        if self.emit is not None:
            mime = {k: v for k, v in item.items() if k != "isMainResult"}
            self.emit({"eventType": "result", "result": {"isMainResult": is_main, "mime": mime}})
        if display_id and display_id in self._display_index:
            self.results[self._display_index[display_id]] = item
            return
        if display_id:
            self._display_index[display_id] = len(self.results)
        self.results.append(item)

    def update_display(self, data: dict[str, Any], display_id: str | None) -> None:
        """``update_display_data`` replaces an earlier output of this cell, if there is one."""
        if display_id and display_id in self._display_index:
            index = self._display_index[display_id]
            self.results[index] = self._bounded(data, self.results[index].get("isMainResult", False))

    def _bounded(self, data: dict[str, Any], is_main: bool) -> dict[str, Any]:
        # Rich results share one byte budget; one that does not fit is replaced by a marker so
        # the caller still sees that something was displayed.
        size = len(json.dumps(data, ensure_ascii=False, default=str))
        if self._result_bytes + size > self._limit:
            return {"text/plain": truncation_marker(size).lstrip("\n"), "isMainResult": is_main}
        self._result_bytes += size
        return {**data, "isMainResult": is_main}

    def clear(self) -> None:
        """``clear_output``: forget what this cell showed so far."""
        self.stdout.clear()
        self.stderr.clear()
        self.results.clear()
        self._display_index.clear()
        self._result_bytes = 0

    def set_error(self, name: str, value: str, traceback: str) -> None:
        self.error = {"name": name, "value": value, "traceback": strip_ansi(traceback)}
        if self.emit is not None:
            self.emit(
                {
                    "eventType": "error",
                    "error": {"code": name, "message": value, "traceId": "", "traceback": self.error["traceback"]},
                }
            )

    def to_json(self, execution_time: float) -> str:
        error = self.error
        execution_error = None
        if error is not None:
            execution_error = f"{error['name']}: {error['value']}" if error["value"] else error["name"]
        return json.dumps(
            {
                "result": self.results,
                "stdout": self.stdout.finish(),
                "stderr": self.stderr.finish(),
                "executionError": execution_error,
                "error": error,
                "execution_count": self.execution_count,
                "execution_time": round(execution_time, 6),
            },
            ensure_ascii=False,
            default=str,
        )
