"""The AGB checks, registered with schemathesis. They act only on the runs of this package (`RUNS`), since
schemathesis keeps checks process-wide.

AGB checks. Some built-in checks assume REST shapes this RPC-style API does not have: use_after_free and
ensure_resource_availability look for a DELETE and for resources below a POST's path (so POST /mcp seems to
create /mcp/releaseSession), object_level_authorization replays GETs as identities of schemathesis' WFC auth.
They stay enabled; ensure_resource_availability's reports are dropped only where the session model proves the
404 right (the session was released before the call). These check what they mean here:

  agb_auth_accepted       a request carrying the key is never answered 401/403 (a wrong key fails the run)
  agb_envelope            every reply is the envelope: success matches the status, requestId equals the
                          x-request-id header, errors carry the documented code, success keeps message empty
  agb_json_in_string      every JSON-in-string field (x-agb-json-schema) decodes and fits its schema; tool
                          outputs of successful calls fit their *Output schema or line format
  agb_session_lifecycle   a model of the sessions the run created: a live session is never 404/409, a released
                          one never answers 2xx, labels read back are the labels set, listings are filtered
                          by labels and never contain released sessions
  agb_tenant_isolation    with --other-api-key: reads of this key's sessions replayed with the other key are
                          404 InvalidMcpSession.NotFound, and its listings never show them
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import schemathesis
from schemathesis.core.failures import Failure

import agb_spec

from .backend import Backend
from .contract import Contract, schema_errors
from .outputs import tool_reply_problems
from .sessions import SessionModel


@dataclasses.dataclass
class Run:
    """The state one schemathesis run shares with the AGB checks and hooks."""

    contract: Contract
    api_key: str
    model: SessionModel | None = None
    other: Backend | None = None  # the second tenant
    probed: set[tuple[str, str]] = dataclasses.field(default_factory=set)
    session_token: str = ""  # the token sent to the operations a session token authorises ("" when none came)


class AgbFailure(Failure):
    code = "AGB"
    kind_title = "AGB contract violated"


# The schema each check run belongs to (checks are registered process-wide; they act only on our runs).
RUNS: dict[int, Run] = {}


def _run_of(case: Any) -> Run | None:
    return RUNS.get(id(case.operation.schema))


def _fail(case: Any, title: str, problems: list[str]) -> None:
    if problems:
        raise AgbFailure(operation=case.operation.label, title=title, message="\n".join(problems))


def reply_body(response: Any) -> Any:
    try:
        return json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        return None


ERROR_CODES = {
    401: ("InvalidApiKey",),
    409: ("InvalidMcpSession.Releasing",),
    413: ("RequestTooLarge",),
    500: ("InternalError",),
    agb_spec.LOCAL_NOT_OFFERED_STATUS: (agb_spec.LOCAL_NOT_OFFERED_CODE,),
}


@schemathesis.check
def agb_auth_accepted(ctx: Any, response: Any, case: Any) -> bool | None:
    run = _run_of(case)
    if run is None:
        return None
    headers = response.request.headers if response.request is not None else {}
    sent = headers.get("Authorization")
    if sent == f"Bearer {run.api_key}" and response.status_code in (401, 403):
        _fail(
            case,
            "The API key was rejected",
            [f"{case.operation.label} answered {response.status_code} to a request with the configured API key"],
        )
    token = run.session_token
    body = case.body if isinstance(case.body, dict) else {}
    if token and headers.get("X-Access-Token") == token and body.get("token") == token and response.status_code == 401:
        _fail(
            case,
            "The session token was rejected",
            [f"{case.operation.label} answered 401 to a request with a live session's token in header and body"],
        )
    return None


@schemathesis.check
def agb_envelope(ctx: Any, response: Any, case: Any) -> bool | None:
    run = _run_of(case)
    if run is None:
        return None
    body = reply_body(response)
    status = response.status_code
    problems: list[str] = []
    if not isinstance(body, dict):
        problems.append(f"the reply is not a JSON object (HTTP {status}): {response.content[:200]!r}")
        _fail(case, "Not an AGB envelope", problems)
        return None
    if not isinstance(body.get("success"), bool) or body["success"] != (status < 400):
        problems.append(f"`success` is {body.get('success')!r} on HTTP {status} (true below 400, false from 400)")
    rid = body.get("requestId")
    header = response.headers.get("x-request-id") or response.headers.get("X-Request-Id")
    header = header[0] if isinstance(header, list) and header else header
    if not isinstance(rid, str) or not rid:
        problems.append("`requestId` is missing or empty")
    elif header != rid:
        problems.append(f"the x-request-id header ({header!r}) is not the envelope requestId ({rid!r})")
    if status >= 400:
        code, message = body.get("code"), body.get("message")
        if not isinstance(code, str) or not code:
            problems.append(f"an error reply (HTTP {status}) has no `code`")
        if not isinstance(message, str) or not message:
            problems.append(f"an error reply (HTTP {status}) has no `message`")
        op = run.contract.op_of(case)
        # One code per status (ERROR_CODES), unless the operation documents another for it (the LinkUrl route's
        # 401 is the session token's, InvalidAccessToken).
        documented = run.contract.documented_code(op, status) if op is not None and status in ERROR_CODES else None
        expected: tuple[str, ...] | None = (documented,) if documented else ERROR_CODES.get(status)
        if status == 404 and op is not None and op.session_id_in:
            expected = ("InvalidMcpSession.NotFound",)
        if status == 429:
            expected = None if isinstance(code, str) and code.startswith("QuotaExceeded") else ("QuotaExceeded.*",)
        declared = run.contract.declared_codes(op, status) if op is not None else ()
        if declared:  # the response names its codes in the spec (x-agb-codes)
            expected = declared
        if status == 400 and isinstance(code, str) and not code.startswith("InvalidParameter"):
            problems.append(f"a 400 has code {code!r}; the spec says InvalidParameter or InvalidParameter.*")
        if expected and code not in expected:
            problems.append(f"HTTP {status} has code {code!r}; the spec says {' or '.join(expected)}")
    elif body.get("message") not in ("", None):
        problems.append(f"a successful reply has message {body.get('message')!r}; the spec says empty on success")
    _fail(case, "Not the AGB envelope", problems)
    return None


@schemathesis.check
def agb_json_in_string(ctx: Any, response: Any, case: Any) -> bool | None:
    run = _run_of(case)
    if run is None:
        return None
    op = run.contract.op_of(case)
    body = reply_body(response)
    if op is None or not isinstance(body, dict):
        return None
    problems: list[str] = []
    for where, schema in run.contract.json_in_string_fields(op.operation_id, response.status_code):
        value: Any = body
        for part in where:
            value = value.get(part) if isinstance(value, dict) else None
        if value is None:
            continue
        label = ".".join(where)
        if not isinstance(value, str):
            problems.append(f"`{label}` is a JSON-in-string field, but the reply has a {type(value).__name__}")
            continue
        try:
            decoded = json.loads(value)
        except ValueError as exc:
            problems.append(f"`{label}` does not decode as JSON: {exc}: {value[:200]!r}")
            continue
        problems += [f"decoded `{label}`: {e}" for e in schema_errors(schema, decoded)]
    if op.operation_id == "callTool" and response.status_code == 200:
        problems += tool_reply_problems(run.contract, case.body, body)
    _fail(case, "A JSON-in-string field does not fit its schema", problems)
    return None


@schemathesis.check
def agb_session_lifecycle(ctx: Any, response: Any, case: Any) -> bool | None:
    run = _run_of(case)
    if run is None or run.model is None:
        return None
    with run.model.lock:
        problems = run.model.verdicts.get(case.id, [])
    _fail(case, "Session state contradicts earlier replies", problems)
    return None


MAX_TENANT_PROBES = 200


@schemathesis.check
def agb_tenant_isolation(ctx: Any, response: Any, case: Any) -> bool | None:
    """A session of this key is invisible to another key: its reads answer 404, its listings omit it.

    (schemathesis' object_level_authorization needs several identities from its WFC auth setup and only
    replays GETs of REST resources; this replays this API's reads as the second key given with
    --other-api-key.)"""
    run = _run_of(case)
    if run is None or run.other is None or run.model is None or not 200 <= response.status_code < 300:
        return None
    op = run.contract.op_of(case)
    # Only idempotent calls (reads, or touching the idle timer) are safe to replay as another tenant.
    if op is None or op.operation_id not in run.contract.idempotent or len(run.probed) >= MAX_TENANT_PROBES:
        return None
    with run.model.lock:
        mine = {sid for sid, state in run.model.sessions.items() if state.status == "live"}
    sid = run.model.session_of(case, op)
    key = (op.operation_id, sid or "")
    if (sid is not None and sid not in mine) or key in run.probed or (sid is None and not mine):
        return None
    run.probed.add(key)
    request = response.request
    probe = run.other.session.request(
        request.method,
        request.url,
        data=request.body,
        headers={"content-type": "application/json", "authorization": f"Bearer {run.other.api_key}"},
        timeout=run.other.timeout,
    )
    body = reply_body(probe)
    problems = []
    if sid is not None:
        code = body.get("code") if isinstance(body, dict) else None
        if probe.status_code != 404 or code != "InvalidMcpSession.NotFound":
            problems.append(
                f"another API key calling {op.operation_id} on session {sid} got HTTP {probe.status_code} "
                f"(code {code!r}); a session of another key must be a 404 InvalidMcpSession.NotFound"
            )
    elif isinstance(body, dict) and isinstance(body.get("data"), list):
        leaked = sorted(mine & {item.get("sessionId") for item in body["data"] if isinstance(item, dict)})
        if leaked:
            problems.append(f"another API key's ListSession listed this key's sessions {leaked}")
    _fail(case, "Sessions leak across API keys", problems)
    return None


AGB_CHECKS = (
    "agb_auth_accepted",
    "agb_envelope",
    "agb_json_in_string",
    "agb_session_lifecycle",
    "agb_tenant_isolation",
)
