"""Routing and request validation compiled from the spec once, at start-up.

Each operation of openapi/agb.yaml becomes an `Operation`: its method and path, its query parameters (type,
required, default, a JSON Schema validator), its JSON body (required, default, validator) and the handler
named by its operationId. A request then costs one dictionary lookup, the bearer check, a parse of the query
string and of the body, and the validators' work, and reaches the handler with the wire names as keyword
arguments. (Connexion, which did this before, redid much of the compilation on every request: signature
inspection, schema copies, several routers; it was about two thirds of the server's CPU per call.)

What the spec says is what is enforced: unknown paths are 404, a known path with another method 405, no or a
wrong key 401 (before anything else is looked at), bad query parameters and bodies 400 with a message naming
the field, a body that is not JSON 415 or 400. Unknown query parameters are ignored, as the protocol's clients
send extra ones.

An operation this backend does not serve (a cloud feature, marked `x-agb-local: unsupported`, or one the spec
gained that has no handler yet) is routed all the same, so the server starts whatever the spec adds: after the
bearer check it is answered 501 `NotImplemented.LocalBackend`, the spec's `NotOffered` reply.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from jsonschema import Draft4Validator, ValidationError
from starlette.responses import Response

import agb_spec

from .capabilities import operation_reasons
from .envelope import ApiError, bad_parameter, not_offered, unauthorized

Handler = Callable[..., Awaitable[Response]]
_BEARER = re.compile(r"bearer[ \t]+(\S+)[ \t]*", re.I)
_JSON_TYPE = re.compile(r"application/([\w.+-]+\+)?json", re.I)
_PATTERN = re.compile(r" does not match '.*'$", re.S)
MAX_MESSAGE = agb_spec.limits()["errorMessageMaxChars"].value


def bad_request(message: str) -> ApiError:
    """envelope's 400 for a request that breaks the spec, its message capped at MAX_MESSAGE."""
    return bad_parameter(message[:MAX_MESSAGE])


def concise(field: str, error: ValidationError) -> str:
    """A schema violation as one short sentence that names the field (jsonschema quotes the offending value
    however long it is, and the whole pattern of a pattern that did not match)."""
    text = _PATTERN.sub(" does not have the expected format", error.message)
    if len(text) > 160:
        text = f"{text[:60]} [...] {text[-80:]}"
    return f"{field}: {text}" if field else text


def _not_json(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _first_error(validator: Draft4Validator, value: Any) -> ValidationError | None:
    return next(iter(sorted(validator.iter_errors(value), key=lambda e: list(e.path))), None)


def _coerce(kind: str | None, raw: str) -> Any:
    """A query string value as the parameter's type; left as the string when it is not one (the schema
    then says what is wrong)."""
    try:
        if kind == "integer":
            return int(raw) if raw.strip() == raw and raw.lstrip("+-").isdigit() else raw
        if kind == "number":
            return float(raw)
        if kind == "boolean":
            return {"true": True, "false": False}.get(raw.lower(), raw)
    except ValueError:
        pass
    return raw


@dataclass(frozen=True)
class QueryParam:
    name: str
    required: bool
    kind: str | None  # the schema's type
    default: Any
    validator: Draft4Validator


@dataclass(frozen=True)
class Body:
    required: bool
    default: Any  # used when the body is missing (the schema's default), or None
    validator: Draft4Validator


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    path: str
    query: tuple[QueryParam, ...]
    body: Body | None
    secured: bool
    handler: Handler
    offered: bool = True  # False: answered NotOffered (501) after the bearer check, whatever the request
    scheme: str = "bearerAuth"  # the security scheme that authorises it (the first one the spec lists)

    def arguments(self, query_string: bytes) -> dict[str, Any]:
        """The handler's keyword arguments from the query string, or a 400."""
        given: dict[str, str] = {}
        for key, value in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True):
            given[key] = value  # a repeated parameter: the last one counts
        out: dict[str, Any] = {}
        for p in self.query:
            raw = given.get(p.name)
            if raw is None:
                if p.required:
                    raise bad_request(f"{p.name}: the query parameter is required")
                if p.default is not None:
                    out[p.name] = p.default
                continue
            value = _coerce(p.kind, raw)
            error = _first_error(p.validator, value)
            if error is not None:
                raise bad_request(concise(p.name, error))
            out[p.name] = value
        return out

    def parse_body(self, content_type: str, raw: bytes) -> Any:
        """The JSON body, validated; the schema's default when it is missing; or a 4xx."""
        body = self.body
        if body is None:
            return None
        if not raw:
            if body.default is not None:
                return copy.deepcopy(body.default)
            if body.required:
                raise bad_request("the request body is required")
            return None
        mime = content_type.split(";", 1)[0].strip()
        if mime and not _JSON_TYPE.fullmatch(mime):
            raise ApiError(415, "UnsupportedMediaType", f"the request body must be application/json, not {mime!r}")
        try:
            # UTF-8 only (RFC 8259; json.loads would also take UTF-16 and -32 bytes), and no NaN or Infinity.
            value = json.loads(raw.decode("utf-8"), parse_constant=_not_json)
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise bad_request(f"the request body is not valid JSON: {exc}") from None
        error = _first_error(body.validator, value)
        if error is not None:
            field = ".".join(str(part) for part in error.path)
            raise bad_request(concise(field, error))
        return value


def compile_operations(
    spec: Mapping[str, Any], handler_for: Callable[[str], Handler | None]
) -> dict[str, dict[str, Operation]]:
    """path -> method -> Operation, for every operation of the spec; `handler_for` gives None for an operation
    this backend has no handler for."""
    checker = Draft4Validator.FORMAT_CHECKER
    global_security = spec.get("security") or []
    table: dict[str, dict[str, Operation]] = {}
    reasons = operation_reasons(spec)
    for path, method, op in agb_spec.operations(spec):
        if op.get("x-agb-presigned"):  # streamed by presigned.py, not routed and buffered here
            continue
        operation_id = op["operationId"]
        security = op.get("security", global_security)
        secured = bool(security)
        scheme = next(iter(security[0]), "bearerAuth") if security else "bearerAuth"
        handler = None if agb_spec.unsupported_locally(op) else handler_for(operation_id)
        if handler is None:
            table.setdefault(path, {})[method.upper()] = Operation(
                operation_id,
                method.upper(),
                path,
                (),
                None,
                secured,
                _not_offered(operation_id, reasons.get(operation_id)),
                offered=False,
                scheme=scheme,
            )
            continue
        query: list[QueryParam] = []
        for param in [*spec["paths"][path].get("parameters", []), *op.get("parameters", [])]:
            param = agb_spec.resolve(spec, param)
            if param["in"] != "query":
                raise ValueError(f"{operation_id}: only query parameters are supported")
            schema = agb_spec.json_schema(spec, param.get("schema", {}))
            query.append(
                QueryParam(
                    name=param["name"],
                    required=bool(param.get("required")),
                    kind=schema.get("type"),
                    default=schema.get("default"),
                    validator=Draft4Validator(schema, format_checker=checker),
                )
            )
        body = None
        if "requestBody" in op:
            request_body = agb_spec.resolve(spec, op["requestBody"])
            schema = agb_spec.json_schema(spec, request_body["content"]["application/json"]["schema"])
            body = Body(
                required=bool(request_body.get("required")),
                default=schema.get("default"),
                validator=Draft4Validator(schema, format_checker=checker),
            )
        table.setdefault(path, {})[method.upper()] = Operation(
            operation_id=operation_id,
            method=method.upper(),
            path=path,
            query=tuple(query),
            body=body,
            secured=secured,
            handler=handler,
            scheme=scheme,
        )
    return table


def _not_offered(operation_id: str, reason: str | None) -> Handler:
    async def handler(**_: Any) -> Response:
        raise not_offered(operation_id, reason)

    return handler


def bearer_token(authorization: bytes | None) -> str:
    """The key of an `authorization: Bearer <key>` header, or a 401."""
    if authorization is None:
        raise unauthorized()
    found = _BEARER.fullmatch(authorization.decode("latin-1"))
    if found is None:
        raise unauthorized()
    return found.group(1)
