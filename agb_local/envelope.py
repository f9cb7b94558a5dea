"""The AGB reply envelope, request ids, and API errors as the wire protocol wants them.

Every reply is `{success, code, message, httpStatusCode, requestId, data}` with the request id also in
the `x-request-id` header. API errors carry a real 4xx/5xx status *and* `success: false` with a `code`.
"""

from __future__ import annotations

import json
import uuid
from contextvars import ContextVar
from typing import Any

from agb_spec import LOCAL_NOT_OFFERED_CODE, LOCAL_NOT_OFFERED_STATUS

REQUEST_ID_HEADER = "x-request-id"

# Set by the outer middleware for each request, read by whoever builds the reply (handlers and error
# handlers run in the same task), so body and header always carry the same id.
current_request_id: ContextVar[str] = ContextVar("agb_local_request_id", default="")


def new_request_id() -> str:
    return str(uuid.uuid4()).upper()


def request_id() -> str:
    rid = current_request_id.get()
    if not rid:
        rid = new_request_id()
        current_request_id.set(rid)
    return rid


def envelope(
    data: Any = None, *, status: int = 200, code: str = "ok", message: str = "", **extra: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "success": status < 400,
        "code": code,
        "message": message,
        "httpStatusCode": status,
        "requestId": request_id(),
        "data": data,
    }
    body.update(extra)
    return body


def encode(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


class ApiError(Exception):
    """An API-level failure: becomes an HTTP 4xx/5xx reply with the envelope."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def bad_parameter(message: str, code: str = "InvalidParameter") -> ApiError:
    return ApiError(400, code, message)


def unauthorized(message: str = "missing or invalid API key: send 'authorization: Bearer <key>'") -> ApiError:
    return ApiError(401, "InvalidApiKey", message)


def token_refused() -> ApiError:
    return ApiError(
        401, "InvalidAccessToken", "missing or invalid session token: send the session's token in 'X-Access-Token'"
    )


def session_not_found(session_id: str) -> ApiError:
    # Clients (the official delete poller among them) key off this exact code.
    return ApiError(404, "InvalidMcpSession.NotFound", f"session {session_id} not found")


def session_releasing(session_id: str) -> ApiError:
    return ApiError(409, "InvalidMcpSession.Releasing", f"session {session_id} is being released")


def quota_exceeded(message: str) -> ApiError:
    return ApiError(429, "QuotaExceeded.Sessions", message, {"Retry-After": "5"})


def too_large(limit: int) -> ApiError:
    return ApiError(413, "RequestTooLarge", f"request body exceeds {limit} bytes")


def storage_failure(detail: object) -> ApiError:
    # Almost always a full disk under the data directory; the client can fix that (delete files, release
    # sessions), so say so instead of a bare internal error.
    return ApiError(
        500,
        "InternalError.Storage",
        f"the server could not save this change to its registry ({detail}); its data directory is probably out "
        "of disk space: free some (delete files, release sessions) and retry",
    )


def not_offered(operation_id: str, reason: str | None = None) -> ApiError:
    """The spec's NotOffered reply: an operation of the AGB cloud that this backend does not serve, with the
    reason when there is a more specific one (a capability this backend has no)."""
    return ApiError(
        LOCAL_NOT_OFFERED_STATUS,
        LOCAL_NOT_OFFERED_CODE,
        f"agb_local does not offer {operation_id}: {reason}"
        if reason
        else f"agb_local does not offer {operation_id}; it is an operation of the AGB cloud",
    )


def internal(message: str = "internal error; quote the request id when reporting it") -> ApiError:
    return ApiError(500, "InternalError", message)
