"""Typed errors of the SDK.

Public methods do not raise them: they return a result with ``success=False`` and the error in
``result.error``. ``result.raise_for_error()`` and ``result.unwrap()`` raise it for those who prefer
exceptions. The class is chosen from the HTTP status and the envelope ``code``, never from message text.
"""

from __future__ import annotations

__all__ = [
    "AGBError",
    "APIConnectionError",
    "APITimeoutError",
    "AuthenticationError",
    "ExecutionError",
    "InvalidParameterError",
    "RateLimitError",
    "ServerError",
    "SessionNotFoundError",
    "SessionReleasingError",
    "ToolError",
]


class AGBError(Exception):
    """Base class of every SDK error.

    Attributes:
        message: what went wrong and, where possible, what to do about it.
        status_code: the HTTP status of the reply, or None when there was no reply.
        code: the envelope ``code`` (e.g. ``InvalidMcpSession.NotFound``), or ``""``.
        request_id: the request id to quote when reporting a problem, or ``""``.
    """

    def __init__(self, message: str, *, status_code: int | None = None, code: str = "", request_id: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.code = code
        self.request_id = request_id

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self.message!r}, status_code={self.status_code!r}, code={self.code!r}, "
            f"request_id={self.request_id!r})"
        )

    def _redact(self, secret: str) -> None:
        """Remove `secret` from the message (a proxy may echo request headers in an error page)."""
        if secret and secret in self.message:
            self.message = self.message.replace(secret, "****")
            self.args = (self.message,)


class AuthenticationError(AGBError):
    """No API key, or the service rejected it (HTTP 401/403, code ``InvalidApiKey``)."""


class SessionNotFoundError(AGBError):
    """The session does not exist, was released, or belongs to another API key (``InvalidMcpSession.NotFound``)."""


class SessionReleasingError(SessionNotFoundError):
    """The session is being released (HTTP 409, ``InvalidMcpSession.Releasing``) and takes no more calls.

    A subclass of ``SessionNotFoundError``: a call that races a delete or the idle reaper is, for the caller,
    a call on a session that is gone.
    """


class InvalidParameterError(AGBError):
    """A parameter is missing or malformed, found before any request or reported by the service (HTTP 400/413)."""


class RateLimitError(AGBError):
    """A quota or rate limit was reached (HTTP 429). ``retry_after`` is the server's hint in seconds, if any."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        code: str = "",
        request_id: str = "",
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, status_code=status_code, code=code, request_id=request_id)
        self.retry_after = retry_after


class ToolError(AGBError):
    """A tool ran and failed (``data.isError: true``), or a command exited with a non-zero status."""


class ExecutionError(ToolError):
    """The code given to ``session.code.run`` raised: ``name`` (e.g. ``NameError``), ``value``, ``traceback``."""

    def __init__(self, name: str, value: str, traceback: str = "", *, request_id: str = "") -> None:
        super().__init__(f"{name}: {value}" if value else name, request_id=request_id)
        self.name = name
        self.value = value
        self.traceback = traceback


class APITimeoutError(AGBError):
    """No complete reply within the timeout, or a wait (such as delete polling) ran out of time."""


class APIConnectionError(AGBError):
    """The service could not be reached, or the connection dropped before the reply was complete."""


class ServerError(AGBError):
    """The service (or a proxy in front of it) failed: HTTP 5xx, or a reply that is not the documented JSON."""
