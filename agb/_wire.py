"""The wire protocol's oddities, in one place: JSON inside strings, the envelope, and what a reply means.

Every reply is read from its raw bytes here, not from the generated ``parsed`` model: the generated models
do not check value types, reject an envelope without ``requestId``, and know nothing of the PascalCase or
``body``-nested envelopes some endpoints return. Requests are built with the generated models.
"""

from __future__ import annotations

import email.utils
import json
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import httpx

from .errors import (
    AGBError,
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    InvalidParameterError,
    RateLimitError,
    ServerError,
    SessionNotFoundError,
    SessionReleasingError,
)

SESSION_NOT_FOUND = "InvalidMcpSession.NotFound"
SESSION_RELEASING = "InvalidMcpSession.Releasing"
LABELS_MAX_CHARS = 8192  # LabelsJson.maxLength in the spec


# ---------------------------------------------------------------- JSON inside strings


def dumps_labels(labels: Mapping[str, str]) -> str:
    """Labels as the wire carries them: Python ``json.dumps`` defaults (``", "``, ``": "``, ASCII escapes)."""
    return json.dumps(dict(labels))


def dumps_args(args: Mapping[str, Any]) -> str:
    """Tool ``args`` as the wire carries them: ``json.dumps`` separators, non-ASCII kept as is."""
    try:
        return json.dumps(dict(args), ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise InvalidParameterError(f"tool arguments must be JSON-serialisable: {exc}") from None


def check_labels(labels: object, *, allow_empty: bool, what: str = "labels") -> dict[str, str]:
    """`labels` checked: a dict of non-empty string keys (not blank) to non-empty string values."""
    if not isinstance(labels, Mapping):
        raise InvalidParameterError(f"{what} must be a dict of strings to strings, got {type(labels).__name__}")
    if not labels and not allow_empty:
        raise InvalidParameterError(f"{what} must not be empty")
    for key, value in labels.items():
        if not isinstance(key, str) or not key.strip():
            raise InvalidParameterError(f"{what}: every key must be a non-empty string, got {key!r}")
        if not isinstance(value, str) or not value:
            raise InvalidParameterError(f"{what}: the value of {key!r} must be a non-empty string, got {value!r}")
        if not (key + value).isascii() and not _is_unicode(key + value):
            raise InvalidParameterError(f"{what}: {key!r} has a lone surrogate, which is not text")
    checked = dict(labels)
    if len(dumps_labels(checked)) > LABELS_MAX_CHARS:
        raise InvalidParameterError(f"{what} are too large: at most {LABELS_MAX_CHARS} characters of JSON")
    return checked


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_text(value: object, what: str) -> str:
    """`value` checked to be a non-empty string (ids, paths, names)."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidParameterError(f"{what} must be a non-empty string, got {value!r}")
    return value


def as_int(value: object) -> int | None:
    """`value` if it is an int (a bool is not), else None: for numbers read from replies."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def check_int(value: object, what: str, low: int, high: int) -> int:
    """`value` checked to be an int in [low, high] (bools are not ints here)."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidParameterError(f"{what} must be a whole number from {low} to {high}, got {value!r}")
    return value


def loads_object(text: object) -> dict[str, Any] | None:
    """`text` parsed as a JSON object, or None when it is not a string holding one."""
    if not isinstance(text, str | bytes):
        return None
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


# ---------------------------------------------------------------- outcomes of one HTTP attempt


@dataclass(frozen=True)
class Failure:
    """An HTTP attempt that produced no reply. `sent` is False when the request surely never left."""

    exc: Exception
    url: str

    @property
    def sent(self) -> bool:
        return not isinstance(self.exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)

    @property
    def dropped(self) -> bool:
        """The connection failed after the request was sent (not a timeout): safe to retry only reads."""
        return self.sent and isinstance(self.exc, httpx.NetworkError | httpx.RemoteProtocolError)

    def error(self) -> AGBError:
        detail = f"{type(self.exc).__name__}: {self.exc}" if str(self.exc) else type(self.exc).__name__
        if isinstance(self.exc, httpx.TimeoutException):
            if not self.sent:
                return APITimeoutError(f"could not connect to {self.url} in time ({detail}); check the endpoint")
            return APITimeoutError(
                f"no complete reply from {self.url} in time ({detail}); the call may still have run. "
                "Raise Config.timeout_ms, or the tool's own timeout for long tool calls"
            )
        if not self.sent:
            return APIConnectionError(f"could not connect to {self.url} ({detail}); check AGB_ENDPOINT and the network")
        if isinstance(self.exc, httpx.HTTPError):
            return APIConnectionError(
                f"the connection to {self.url} failed before the reply was complete ({detail}); "
                "the call may still have run"
            )
        return APIConnectionError(f"the request to {self.url} failed ({detail})")


@dataclass(frozen=True)
class Envelope:
    """The fields every AGB reply carries, read tolerantly (camelCase or PascalCase, maybe under ``body``)."""

    success: object
    code: str
    message: str
    request_id: str
    http_status_code: int | None
    data: Any
    raw: Mapping[str, Any]

    @classmethod
    def read(cls, body: Mapping[str, Any], header_request_id: str) -> Envelope:
        src = body
        nested = body.get("body")
        if "success" not in body and "Success" not in body and isinstance(nested, Mapping):
            src = nested

        def pick(*names: str) -> object:
            for name in names:
                if name in src:
                    return src[name]
            return None

        code, message = pick("code", "Code"), pick("message", "Message")
        request_id = pick("requestId", "RequestId", "request_id")
        status = pick("httpStatusCode", "HttpStatusCode")
        return cls(
            success=pick("success", "Success"),
            code=code if isinstance(code, str) else "",
            message=message if isinstance(message, str) else "",
            request_id=request_id if isinstance(request_id, str) and request_id else header_request_id,
            http_status_code=as_int(status),
            data=src.get("data"),
            raw=src,
        )


@dataclass(frozen=True)
class Reply:
    """A complete HTTP reply: status, headers and the raw body."""

    status: int
    headers: Mapping[str, str]
    content: bytes
    url: str = ""

    @cached_property
    def envelope(self) -> Envelope | None:
        """The envelope, or None when the body is not a JSON object (an HTML error page, a truncated body...)."""
        try:
            body = json.loads(self.content) if self.content else None
        except (ValueError, RecursionError):
            return None
        return Envelope.read(body, self.header_request_id) if isinstance(body, dict) else None

    @property
    def header_request_id(self) -> str:
        return self.headers.get("x-request-id", "") or ""

    @property
    def request_id(self) -> str:
        env = self.envelope
        return env.request_id if env is not None else self.header_request_id


Outcome = Reply | Failure


# ---------------------------------------------------------------- what a reply means


def retry_after(headers: Mapping[str, str]) -> float | None:
    """The ``Retry-After`` header in seconds (delta-seconds or an HTTP date), or None."""
    raw = (headers.get("retry-after") or "").strip()
    if not raw:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - time.time()) if when.tzinfo is not None else None


def _error_class(status: int, code: str, has_envelope: bool) -> type[AGBError]:
    if code == SESSION_NOT_FOUND:
        return SessionNotFoundError
    if code == SESSION_RELEASING:
        return SessionReleasingError
    if status in (401, 403) or code.startswith(("InvalidApiKey", "Unauthorized", "Forbidden")):
        return AuthenticationError
    if status == 429 or code.startswith(("QuotaExceeded", "Throttling", "TooManyRequests")):
        return RateLimitError
    if status == 404 and has_envelope and not code:
        return SessionNotFoundError
    if status in (400, 413, 422) or code.startswith(("InvalidParameter", "MissingParameter", "RequestTooLarge")):
        return InvalidParameterError
    if status >= 500 or (200 <= status < 300 and not has_envelope):
        return ServerError
    return AGBError


_HINTS: dict[type[AGBError], str] = {
    AuthenticationError: "check the API key: AGB(api_key=...) or AGB_API_KEY",
    RateLimitError: "a quota or rate limit was reached; wait, or release sessions you no longer need",
    ServerError: "the service failed; retry later and quote the request id if it persists",
}


def _snippet(content: bytes) -> str:
    text = content[:2000].decode("utf-8", "replace")
    title = re.search(r"<title[^>]*>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
    if title:
        text = title.group(1)
    text = " ".join(text.split())
    return text[:200] + ("..." if len(text) > 200 else "")


def reply_error(reply: Reply, what: str) -> AGBError:
    """The typed error for a reply that is not a success of operation `what`."""
    env = reply.envelope
    code = env.code if env else ""
    effective = reply.status
    if env is not None and effective < 400 and env.http_status_code is not None and env.http_status_code >= 400:
        effective = env.http_status_code  # HTTP 200 carrying a failed envelope: use its business status
    cls = _error_class(effective, code, env is not None)
    request_id = env.request_id if env else reply.header_request_id

    if 300 <= reply.status < 400:
        location = reply.headers.get("location", "")
        text = f"{what}: HTTP {reply.status} redirect to {location or 'an unknown place'}; point the endpoint there"
    elif env is None:
        ctype = reply.headers.get("content-type", "unknown type").split(";")[0]
        body = f": {_snippet(reply.content)!r}" if reply.content else ""
        kind = (
            "an empty body" if not reply.content else f"a body that is not JSON ({ctype}, {len(reply.content)} bytes)"
        )
        text = f"{what}: HTTP {reply.status} with {kind}{body}"
        if reply.status == 404:
            text += "; is the endpoint an AGB API? check AGB_ENDPOINT"
        elif 200 <= reply.status < 300:
            text += "; the reply was cut short or did not come from the AGB API"
    else:
        reason = env.message or ("the service reported a failure" if env.success is False else "unexpected reply")
        detail = ", ".join(x for x in (f"HTTP {reply.status}", f"code {code}" if code else "") if x)
        text = f"{what}: {reason} ({detail})"
    hint = _HINTS.get(cls)
    if hint:
        text = f"{text}; {hint}"
    if cls is RateLimitError:
        return RateLimitError(
            text, status_code=reply.status, code=code, request_id=request_id, retry_after=retry_after(reply.headers)
        )
    return cls(text, status_code=reply.status, code=code, request_id=request_id)


def ok_envelope(outcome: Outcome, what: str, *, lenient: bool = False) -> Envelope:
    """The envelope of a successful reply; raises the typed error otherwise.

    Success is HTTP 2xx, a JSON object body and ``success: true``; `lenient` accepts a missing ``success``
    (createSession and getMcpResource, whose clients never read it) but still refuses ``success: false``.
    """
    if isinstance(outcome, Failure):
        raise outcome.error()
    env = outcome.envelope
    accepted = env is not None and (env.success is True or (lenient and env.success is not False))
    if env is None or not accepted or not 200 <= outcome.status < 300:
        raise reply_error(outcome, what)
    return env


def malformed(what: str, detail: str, request_id: str) -> ServerError:
    """The error for a reply that is JSON but not the documented shape."""
    return ServerError(f"{what}: malformed reply, {detail}", request_id=request_id)
