"""Calling a tool through ``POST /mcp`` and reading what it returned."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from agb_api.api.tools import call_tool
from agb_api.facts import READ_ONLY_TOOLS
from agb_api.models import CallToolRequest, CallToolResponse
from agb_api.types import Unset

from ._flow import Call, Flow, send
from ._wire import Outcome, check_text, dumps_args, malformed, read_reply, text
from .errors import ToolError

if TYPE_CHECKING:
    from .session import SessionCore

# Tools that only read: retried like the other idempotent reads.

# Margin of the HTTP read timeout over a tool's own timeout, so the tool's timeout fires first.
TOOL_TIMEOUT_MARGIN_S = 30.0


@dataclass(frozen=True)
class ToolOutput:
    """The tool's text (the ``type: "text"`` items joined by newlines) and whether the tool failed."""

    tool: str
    text: str
    is_error: bool
    message: str
    request_id: str

    def error(self) -> ToolError:
        """The ToolError for a failed tool: its own text first (the envelope message is a fallback)."""
        reason = self.text.strip() or self.message or "the tool failed without saying why"
        return ToolError(f"{self.tool}: {reason}", code="", request_id=self.request_id)


def tool_call(session: SessionCore, name: str, args: Mapping[str, Any], *, read_timeout: float | None = None) -> Call:
    """The generated ``callTool`` call: `args` as a JSON string, ``autoGenSession=false`` as clients send it."""
    body = CallToolRequest(session_id=check_text(session.session_id, "session_id"), name=name, args=dumps_args(args))
    return Call(
        call_tool,
        {"body": body, "auto_gen_session": False},
        f"callTool {name}",
        idempotent=name in READ_ONLY_TOOLS,
        read_timeout=read_timeout,
    )


def read_tool_output(outcome: Outcome, tool: str) -> ToolOutput:
    """The tool output in a reply (a ``CallToolResponse``); raises the typed error when the call itself failed."""
    what = f"tool {tool}"
    reply = read_reply(outcome, CallToolResponse, what)
    if isinstance(reply.data, Unset):
        raise malformed(what, "no `data`", reply.request_id)
    result = reply.data
    if not isinstance(result.content, list):
        raise malformed(what, "`data.content` is not a list", reply.request_id)
    items = result.content
    texts = [text(item.text) for item in items if item.type_ == "text" and isinstance(item.text, str)]
    if not texts:  # no text: the payload of the first image item, as the official client does
        texts = [text(item.data) for item in items if item.type_ == "image" and isinstance(item.data, str)][:1]
    return ToolOutput(tool, "\n".join(texts), result.is_error is True, text(reply.message), reply.request_id)


def run_tool(
    session: SessionCore, name: str, args: Mapping[str, Any], *, read_timeout: float | None = None
) -> Flow[ToolOutput]:
    """Call tool `name` and return its output, failed or not (API errors raise)."""
    outcome = yield from send(session._ctx, tool_call(session, name, args, read_timeout=read_timeout))
    return read_tool_output(outcome, name)


def tool_text(
    session: SessionCore, name: str, args: Mapping[str, Any], *, read_timeout: float | None = None
) -> Flow[ToolOutput]:
    """Like ``run_tool``, but a failed tool raises its ``ToolError``."""
    output = yield from run_tool(session, name, args, read_timeout=read_timeout)
    if output.is_error:
        raise output.error()
    return output
