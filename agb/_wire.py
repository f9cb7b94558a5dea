"""The wire protocol's oddities, in one place: JSON inside strings, the envelope, and what a reply means.

Requests are built with the generated models, and replies are read through them: `read_reply` reads an
operation's reply as its response model of the spec, `read_model` / `read_json_model` a decoded object or a
JSON document (a tool's output) as a component model. So a reply field renamed or removed in the spec, once
the client is regenerated, fails mypy where the SDK reads it. The generated models trust value types, so
the SDK checks each value where it reads one (`text`, `number`, `as_int`). The variants clients tolerate
(PascalCase and ``body``-nested envelopes...) are schemas of the spec too, listed in its
``x-agb-client-variants``; nothing else is tolerated.
"""

from __future__ import annotations

import email.utils
import json
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Protocol, Self, TypeVar, cast

import httpx
from agb_api.facts import LABELS_MAX_CHARS
from agb_api.models import Envelope as EnvelopeModel
from agb_api.models import NestedEnvelope, PascalCaseEnvelope

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
    """The fields every AGB reply carries, read through the spec's envelope models.

    The plain envelope is ``Envelope`` of the spec; releaseSessionAsync replies may also come as a
    ``PascalCaseEnvelope`` or a ``NestedEnvelope`` (the spec lists them in ``x-agb-client-variants``). A body
    that fits none keeps ``success`` None, so it is never taken for a success. ``body`` is the reply's JSON
    object, for the operation's own response model (`read_reply`).
    """

    success: object
    code: str
    message: str
    request_id: str
    http_status_code: int | None
    body: Mapping[str, Any]

    @classmethod
    def read(cls, body: Mapping[str, Any], header_request_id: str) -> Envelope:
        # The keys every envelope must carry, filled in where a reply lacks them: a reply without
        # `requestId` is identified by its header, and one without `success` keeps success None.
        defaults = EnvelopeModel(success=cast(bool, None), request_id=header_request_id).to_dict()
        plain = EnvelopeModel.from_dict({**defaults, **body})
        if plain.success is None:
            variant = _variant(body, header_request_id)
            if variant is not None:
                return variant
        return cls(
            success=plain.success,
            code=_str(plain.code),
            message=_str(plain.message),
            request_id=_str(plain.request_id) or header_request_id,
            http_status_code=as_int(plain.http_status_code),
            body=body,
        )


def _variant(body: Mapping[str, Any], header_request_id: str) -> Envelope | None:
    """The envelope of a PascalCase or `body`-nested reply, or None when the body is neither."""
    try:
        pascal = PascalCaseEnvelope.from_dict(body)
    except KeyError:
        pass
    else:
        return Envelope(
            success=pascal.success,
            code=_str(pascal.code),
            message=_str(pascal.message),
            request_id=_str(pascal.request_id) or header_request_id,
            http_status_code=as_int(pascal.http_status_code),
            body=body,
        )
    try:
        nested = NestedEnvelope.from_dict(body)
    except (KeyError, TypeError, AttributeError):
        return None
    inner = nested.body.additional_properties
    if NestedEnvelope(body=nested.body).to_dict().keys() & inner.keys():
        return None  # nested twice: not a variant the spec names
    return Envelope.read(inner, header_request_id)


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


# ---------------------------------------------------------------- reading replies through the spec's models


class Model(Protocol):
    """A generated ``agb_api.models`` class: built from a reply's JSON by ``from_dict``."""

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self: ...


M = TypeVar("M", bound=Model)


def read_model(model: type[M], raw: object, what: str, request_id: str) -> M:
    """`raw` (a decoded JSON object) read as the spec's `model`; a ``ServerError`` when it does not fit.

    The generated ``from_dict`` finds missing required fields; the values' types are checked where they are
    read (`text`, `number`...), since ``from_dict`` trusts them.
    """
    if not isinstance(raw, Mapping):
        raise malformed(what, f"expected a JSON object ({model.__name__}), got {type(raw).__name__}", request_id)
    try:
        return model.from_dict(raw)
    except KeyError as exc:
        raise malformed(what, f"`{exc.args[0]}` is missing ({model.__name__})", request_id) from None
    except (TypeError, ValueError, AttributeError) as exc:
        raise malformed(what, f"it does not fit {model.__name__} ({type(exc).__name__}: {exc})", request_id) from None


def read_json_model(model: type[M], text: str, what: str, request_id: str) -> M:
    """`text`, a JSON document (a JSON-in-string field or a tool's output), read as `model`."""
    try:
        raw = json.loads(text)
    except (ValueError, RecursionError):
        raise malformed(what, f"expected a JSON document ({model.__name__})", request_id) from None
    return read_model(model, raw, what, request_id)


def text(value: object) -> str:
    """A string field of a model: its value, or "" when unset, null or not a string."""
    return value if isinstance(value, str) else ""


def number(value: object) -> float | None:
    """A number field of a model (bools are not numbers), or None."""
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


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
        if not isinstance(body, dict):
            return None
        try:
            return Envelope.read(body, self.header_request_id)
        except (TypeError, ValueError, AttributeError):
            return None

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


def read_reply(outcome: Outcome, model: type[M], what: str, *, lenient: bool = False) -> M:
    """A successful reply (see `ok_envelope`) read as the operation's response `model` of the spec.

    The envelope's required keys are filled from what `ok_envelope` found (the header's request id; for a
    `lenient` operation a missing ``success``), so the model sees the reply as the spec describes it.
    """
    env = ok_envelope(outcome, what, lenient=lenient)
    defaults = EnvelopeModel(success=True, request_id=env.request_id).to_dict()
    return read_model(model, {**defaults, **env.body}, what, env.request_id)


def malformed(what: str, detail: str, request_id: str) -> ServerError:
    """The error for a reply that is JSON but not the documented shape."""
    return ServerError(f"{what}: malformed reply, {detail}", request_id=request_id)
