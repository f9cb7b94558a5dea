"""The AGB Python SDK: sandboxes ("sessions") in the AGB cloud, or on this machine with ``AGB.local()``.

    from agb import AGB
    from agb.session_params import CreateSessionParams

    with AGB() as agb:                                   # AGB_API_KEY, or AGB(api_key=...)
        with agb.create(CreateSessionParams(labels={"project": "demo"})).unwrap() as session:
            print(session.code.run("1 + 1").result)      # "2"

Every method returns a result (``success``, ``error_message``, ``request_id``, ``error``); ``unwrap()``
gives the payload or raises the typed error. ``AsyncAGB`` has the same surface with awaitables.
"""

# Exports load on first use: `import agb` stays at interpreter-start cost, and a program pays for httpx
# and the generated client only when it touches them (`from agb import AGB` does, at once).
import importlib
import logging
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from .client import (
        AGB,
        AsyncAGB,
    )
    from .config import (
        Config,
    )
    from .context import (
        Context,
        ContextFileEntry,
        ContextListParams,
    )
    from .context_sync import (
        ContextSync,
        DeletePolicy,
        DownloadPolicy,
        DownloadStrategy,
        ExtractPolicy,
        MappingPolicy,
        SyncPolicy,
        UploadMode,
        UploadPolicy,
        UploadStrategy,
    )
    from .errors import (
        AGBError,
        APIConnectionError,
        APITimeoutError,
        AuthenticationError,
        ExecutionError,
        InvalidParameterError,
        RateLimitError,
        ServerError,
        SessionNotFoundError,
        SessionReleasingError,
        ToolError,
    )
    from .file_transfer import (
        DownloadResult,
        UploadResult,
    )
    from .results import (
        BinaryFileContentResult,
        BoolResult,
        CommandResult,
        DeleteResult,
        DirectoryListResult,
        EnhancedCodeExecutionResult,
        ExecutionLogs,
        ExecutionResult,
        FileChangeEvent,
        FileChangeResult,
        FileContentResult,
        FileInfoResult,
        FileSearchResult,
        McpTool,
        McpToolResult,
        McpToolsResult,
        MultipleFileContentResult,
        OperationResult,
        SessionListResult,
        SessionResult,
        SessionStatusResult,
        SessionSummary,
    )
    from .session import (
        AsyncSession,
        Session,
    )
    from .session_params import (
        CreateSessionParams,
        ListSessionParams,
    )

_EXPORTS: dict[str, str] = {
    "AGB": "client",
    "AsyncAGB": "client",
    "Config": "config",
    "Context": "context",
    "ContextFileEntry": "context",
    "ContextListParams": "context",
    "ContextSync": "context_sync",
    "DeletePolicy": "context_sync",
    "DownloadPolicy": "context_sync",
    "DownloadStrategy": "context_sync",
    "ExtractPolicy": "context_sync",
    "MappingPolicy": "context_sync",
    "SyncPolicy": "context_sync",
    "UploadMode": "context_sync",
    "UploadPolicy": "context_sync",
    "UploadStrategy": "context_sync",
    "DownloadResult": "file_transfer",
    "UploadResult": "file_transfer",
    "AGBError": "errors",
    "APIConnectionError": "errors",
    "APITimeoutError": "errors",
    "AuthenticationError": "errors",
    "ExecutionError": "errors",
    "InvalidParameterError": "errors",
    "RateLimitError": "errors",
    "ServerError": "errors",
    "SessionNotFoundError": "errors",
    "SessionReleasingError": "errors",
    "ToolError": "errors",
    "BinaryFileContentResult": "results",
    "BoolResult": "results",
    "CommandResult": "results",
    "DeleteResult": "results",
    "DirectoryListResult": "results",
    "EnhancedCodeExecutionResult": "results",
    "ExecutionLogs": "results",
    "ExecutionResult": "results",
    "FileChangeEvent": "results",
    "FileChangeResult": "results",
    "FileContentResult": "results",
    "FileInfoResult": "results",
    "FileSearchResult": "results",
    "McpTool": "results",
    "McpToolResult": "results",
    "McpToolsResult": "results",
    "MultipleFileContentResult": "results",
    "OperationResult": "results",
    "SessionListResult": "results",
    "SessionResult": "results",
    "SessionStatusResult": "results",
    "SessionSummary": "results",
    "AsyncSession": "session",
    "Session": "session",
    "CreateSessionParams": "session_params",
    "ListSessionParams": "session_params",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


logging.getLogger("agb").addHandler(logging.NullHandler())

__all__ = [
    "AGB",
    "AGBError",
    "APIConnectionError",
    "APITimeoutError",
    "AsyncAGB",
    "AsyncSession",
    "AuthenticationError",
    "BinaryFileContentResult",
    "BoolResult",
    "CommandResult",
    "Config",
    "Context",
    "ContextFileEntry",
    "ContextListParams",
    "ContextSync",
    "CreateSessionParams",
    "DeletePolicy",
    "DeleteResult",
    "DirectoryListResult",
    "DownloadPolicy",
    "DownloadResult",
    "DownloadStrategy",
    "EnhancedCodeExecutionResult",
    "ExecutionError",
    "ExecutionLogs",
    "ExecutionResult",
    "ExtractPolicy",
    "FileChangeEvent",
    "FileChangeResult",
    "FileContentResult",
    "FileInfoResult",
    "FileSearchResult",
    "InvalidParameterError",
    "ListSessionParams",
    "MappingPolicy",
    "McpTool",
    "McpToolResult",
    "McpToolsResult",
    "MultipleFileContentResult",
    "OperationResult",
    "RateLimitError",
    "ServerError",
    "Session",
    "SessionListResult",
    "SessionNotFoundError",
    "SessionReleasingError",
    "SessionResult",
    "SessionStatusResult",
    "SessionSummary",
    "SyncPolicy",
    "ToolError",
    "UploadMode",
    "UploadPolicy",
    "UploadResult",
    "UploadStrategy",
    "__version__",
]
