"""The AGB Python SDK: sandboxes ("sessions") in the AGB cloud, or on this machine with ``AGB.local()``.

    from agb import AGB
    from agb.session_params import CreateSessionParams

    with AGB() as agb:                                   # AGB_API_KEY, or AGB(api_key=...)
        with agb.create(CreateSessionParams(labels={"project": "demo"})).unwrap() as session:
            print(session.code.run("1 + 1").result)      # "2"

Every method returns a result (``success``, ``error_message``, ``request_id``, ``error``); ``unwrap()``
gives the payload or raises the typed error. ``AsyncAGB`` has the same surface with awaitables.
"""

import logging

from ._version import __version__
from .client import AGB, AsyncAGB
from .config import Config
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
from .results import (
    BinaryFileContentResult,
    BoolResult,
    CommandResult,
    DeleteResult,
    DirectoryListResult,
    EnhancedCodeExecutionResult,
    ExecutionLogs,
    ExecutionResult,
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
from .session import AsyncSession, Session
from .session_params import CreateSessionParams, ListSessionParams

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
    "CreateSessionParams",
    "DeleteResult",
    "DirectoryListResult",
    "EnhancedCodeExecutionResult",
    "ExecutionError",
    "ExecutionLogs",
    "ExecutionResult",
    "FileContentResult",
    "FileInfoResult",
    "FileSearchResult",
    "InvalidParameterError",
    "ListSessionParams",
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
    "ToolError",
    "__version__",
]
