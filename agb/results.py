"""Result objects: what every public method returns.

Each result has ``success``, ``error_message``, ``request_id`` and a typed ``error`` (an ``AGBError`` or
None), plus ``raise_for_error()`` (raise ``error`` if the call failed) and ``unwrap()`` (the payload, or
raise). Field names follow the official AGB client, so code written for it keeps working.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Self, TypeVar, cast

from .errors import AGBError, ExecutionError

if TYPE_CHECKING:
    from .session import SessionCore

__all__ = [
    "ApiResult",
    "BinaryFileContentResult",
    "BoolResult",
    "CommandResult",
    "DeleteResult",
    "DirectoryListResult",
    "EnhancedCodeExecutionResult",
    "ExecutionLogs",
    "ExecutionResult",
    "FileChangeEvent",
    "FileChangeResult",
    "FileContentResult",
    "FileInfoResult",
    "FileSearchResult",
    "McpTool",
    "McpToolResult",
    "McpToolsResult",
    "MultipleFileContentResult",
    "OperationResult",
    "SessionListResult",
    "SessionMetrics",
    "SessionMetricsResult",
    "SessionResult",
    "SessionStatusResult",
    "SessionSummary",
]

T = TypeVar("T")
S = TypeVar("S", bound="SessionCore")


@dataclass(kw_only=True)
class ApiResult(Generic[T]):
    """Fields and helpers shared by every result."""

    success: bool = False
    error_message: str = ""
    request_id: str = ""
    error: AGBError | None = field(default=None, repr=False)

    @classmethod
    def failed(cls, error: AGBError) -> Self:
        """The failed result carrying `error`."""
        return cls(success=False, error_message=error.message, request_id=error.request_id, error=error)

    def raise_for_error(self) -> Self:
        """Raise ``error`` if the call failed; return the result otherwise."""
        if not self.success:
            raise self.error or AGBError(self.error_message or "the call failed", request_id=self.request_id)
        return self

    # The attribute ``unwrap()`` returns; empty means the result itself.
    _payload_field: ClassVar[str] = ""

    def unwrap(self) -> T:
        """The payload (documented per result class), or raise ``error`` if the call failed."""
        self.raise_for_error()
        return self._payload()

    def _payload(self) -> T:
        return cast(T, getattr(self, self._payload_field) if self._payload_field else self)

    def _redact(self, secret: str) -> None:
        if secret and secret in self.error_message:
            self.error_message = self.error_message.replace(secret, "****")
        if self.error is not None:
            self.error._redact(secret)


@dataclass(kw_only=True)
class SessionResult(ApiResult[S]):
    """``agb.create()`` / ``agb.get()``: ``session`` (``unwrap()`` returns it)."""

    session: S | None = None

    def _payload(self) -> S:
        if self.session is None:
            raise AGBError("this result carries no session", request_id=self.request_id)
        return self.session


@dataclass(kw_only=True)
class DeleteResult(ApiResult[None]):
    """``delete()``: no payload (``unwrap()`` returns None)."""

    def _payload(self) -> None:
        return None


@dataclass(kw_only=True)
class OperationResult(ApiResult[Any]):
    """A generic result; ``data`` is the payload (labels dict for ``get_labels``, a dict for ``info``)."""

    data: Any = None

    _payload_field = "data"


@dataclass(kw_only=True)
class BoolResult(ApiResult[bool]):
    """A file operation that returns nothing but success; ``data`` is True on success."""

    data: bool | None = None

    def _payload(self) -> bool:
        return bool(self.data)


@dataclass(kw_only=True)
class SessionStatusResult(ApiResult[str]):
    """``session.get_status()``: ``status`` (``RUNNING``, ``DELETING``, ``FINISH``, ...)."""

    status: str = ""

    _payload_field = "status"


@dataclass(frozen=True)
class SessionSummary:
    """One listed session: its id and status."""

    session_id: str
    status: str = ""


@dataclass(kw_only=True)
class SessionListResult(ApiResult[list[str]]):
    """One page of ``agb.list()``. ``unwrap()`` returns ``session_ids``.

    ``next_token`` is empty on the last page; ``total_count`` counts every matching session.
    """

    session_ids: list[str] = field(default_factory=list)
    sessions: list[SessionSummary] = field(default_factory=list)
    next_token: str = ""
    max_results: int = 0
    total_count: int = 0

    _payload_field = "session_ids"


@dataclass(frozen=True)
class McpTool:
    """One tool of an image, as listed by ``session.list_mcp_tools()``."""

    name: str
    description: str = ""
    input_schema: dict[str, Any] = field(default_factory=dict)
    server: str = ""
    tool: str = ""


@dataclass(kw_only=True)
class McpToolResult(ApiResult[str]):
    """``session.call_mcp_tool()``: ``data`` is the tool's text output (also set when the tool failed)."""

    data: str = ""

    _payload_field = "data"


@dataclass(kw_only=True)
class McpToolsResult(ApiResult[list[McpTool]]):
    """``session.list_mcp_tools()``: ``tools``."""

    tools: list[McpTool] = field(default_factory=list)

    _payload_field = "tools"


@dataclass(kw_only=True)
class CommandResult(ApiResult["CommandResult"]):
    """``session.command.execute()``. ``success`` is ``exit_code == 0``; ``unwrap()`` returns the result itself.

    ``output`` is ``stdout + stderr``. ``exit_code`` is None when the service returned plain text (early
    format). A non-zero exit sets ``error`` to a ``ToolError`` and keeps ``stdout``/``stderr``.
    """

    output: str = ""
    exit_code: int | None = None
    stdout: str = ""
    stderr: str = ""
    trace_id: str = ""


@dataclass
class ExecutionResult:
    """One output of a code run, by format. ``is_main_result`` marks the value of the last expression."""

    text: str | None = None
    html: str | None = None
    markdown: str | None = None
    png: str | None = None
    jpeg: str | None = None
    svg: str | None = None
    json: Any = None
    latex: str | None = None
    chart: Any = None
    is_main_result: bool = False

    def formats(self) -> list[str]:
        """The names of the formats this output has."""
        names = ("text", "html", "markdown", "png", "jpeg", "svg", "json", "latex", "chart")
        return [name for name in names if getattr(self, name) is not None]


@dataclass
class ExecutionLogs:
    """What a code run printed, as the chunks the interpreter produced."""

    stdout: list[str] = field(default_factory=list)
    stderr: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class EnhancedCodeExecutionResult(ApiResult["EnhancedCodeExecutionResult"]):
    """``session.code.run()``: the outputs, logs and error of a code run; ``unwrap()`` returns the result itself.

    When the code raised, ``success`` is False and ``error`` is an ``ExecutionError`` with ``name``,
    ``value`` and ``traceback``; other failures (session gone, timeout...) carry their own ``AGBError``.
    """

    results: list[ExecutionResult] = field(default_factory=list)
    logs: ExecutionLogs = field(default_factory=ExecutionLogs)
    execution_count: int | None = None
    execution_time: float = 0.0

    @property
    def execution_error(self) -> ExecutionError | None:
        """``error`` when it is an exception raised by the code, else None."""
        return self.error if isinstance(self.error, ExecutionError) else None

    @property
    def result(self) -> str:
        """The main text: the main result's text, else the first text result, else stdout, else ``""``."""
        for item in self.results:
            if item.is_main_result and item.text is not None:
                return item.text
        for item in self.results:
            if item.text is not None:
                return item.text
        return "".join(self.logs.stdout)

    @property
    def text(self) -> str:
        """Same as ``result``."""
        return self.result


@dataclass(kw_only=True)
class FileContentResult(ApiResult[str]):
    """``session.file.read(path)``: ``content`` as text."""

    content: str = ""

    _payload_field = "content"


@dataclass(kw_only=True)
class BinaryFileContentResult(ApiResult[bytes]):
    """``session.file.read(path, format="bytes")``: ``content`` as bytes and its ``size``."""

    content: bytes = b""
    size: int = 0

    _payload_field = "content"


@dataclass(kw_only=True)
class FileInfoResult(ApiResult[dict[str, Any]]):
    """``session.file.info(path)``: ``file_info`` with at least ``size`` (bytes) and ``isDirectory``."""

    file_info: dict[str, Any] = field(default_factory=dict)

    _payload_field = "file_info"


@dataclass(kw_only=True)
class DirectoryListResult(ApiResult[list[dict[str, Any]]]):
    """``session.file.list(path)``: ``entries``, each ``{"name": str, "isDirectory": bool}``."""

    entries: list[dict[str, Any]] = field(default_factory=list)

    _payload_field = "entries"


@dataclass(kw_only=True)
class MultipleFileContentResult(ApiResult[dict[str, str]]):
    """``session.file.read_batch(paths)``: ``contents``, path to text."""

    contents: dict[str, str] = field(default_factory=dict)

    _payload_field = "contents"


@dataclass(kw_only=True)
class FileSearchResult(ApiResult[list[str]]):
    """``session.file.search(path, pattern)``: ``matches``, full paths."""

    matches: list[str] = field(default_factory=list)

    _payload_field = "matches"


@dataclass
class SessionMetrics:
    """A session's resource use (``session.get_metrics()``): sizes in bytes, rates in KB/s, counters in KB.

    Field names follow the official client; a figure the service does not know is 0.
    """

    cpu_count: int = 0
    cpu_used_pct: float = 0.0
    disk_total: int = 0
    disk_used: int = 0
    mem_total: int = 0
    mem_used: int = 0
    rx_rate_kbyte_per_s: float = 0.0
    tx_rate_kbyte_per_s: float = 0.0
    rx_used_kbyte: float = 0.0
    tx_used_kbyte: float = 0.0
    timestamp: str = ""


@dataclass(kw_only=True)
class SessionMetricsResult(ApiResult[SessionMetrics]):
    """``session.get_metrics()``: ``metrics``, and ``raw``, the document as the service sent it."""

    metrics: SessionMetrics | None = None
    raw: dict[str, Any] = field(default_factory=dict)

    _payload_field = "metrics"


@dataclass(frozen=True)
class FileChangeEvent:
    """One change under a watched directory: ``event_type`` is ``create``, ``modify`` or ``delete``,
    ``path_type`` ``file`` or ``directory``."""

    event_type: str
    path: str
    path_type: str


@dataclass(kw_only=True)
class FileChangeResult(ApiResult[list[FileChangeEvent]]):
    """``session.file.get_file_change(path)``: the ``events`` since the previous call for that path (the
    first call records where watching starts and has none)."""

    events: list[FileChangeEvent] = field(default_factory=list)

    _payload_field = "events"
