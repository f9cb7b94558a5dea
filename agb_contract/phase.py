"""The schemathesis phase: every operation through schemathesis 4 (examples, coverage, fuzzing, stateful), every
built-in check (not_a_server_error, status_code_conformance, content_type_conformance,
response_headers_conformance, response_schema_conformance, negative_data_rejection, positive_data_acceptance,
missing_required_header, unsupported_method, allow_header_conformance, ignored_auth, use_after_free,
ensure_resource_availability, object_level_authorization) and the AGB checks (checks.py), collected per
operation into the report. The stateful phase follows the spec's links.

imageId: any string is schema-valid, but only the backend's images start a session (the cloud has images per
account), so a schema-valid imageId is drawn from --image-id (default code_latest, agb-code-space-1).

Sessions the run creates are released as it goes (a stateful scenario's when it ends, others beyond
--max-sessions first in, first out) and at the end.
"""

from __future__ import annotations

import contextlib
import re
import zlib
from collections.abc import Iterator
from typing import Any

import requests
import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events, from_schema

from .backend import Backend
from .checks import RUNS, Run, reply_body
from .contract import Contract, for_schemathesis, resolve
from .options import Options
from .report import Report, with_key_variable
from .sessions import SessionModel

# How schemathesis names a followed link: "POST /mcp/createSession -> [200] GetSession -> POST /mcp/getSession".
TRANSITION_ID = re.compile(r"^(.+?) -> \[(\d+)\] (.+?) -> (.+)$")


def build_schema(
    contract: Contract, url: str, api_key: str, options: Options, app: Any = None, session_token: str = ""
) -> Any:
    config = SchemathesisConfig.from_dict(
        {
            "seed": options.seed,
            "workers": 1,  # several workers crash schemathesis' coverage phase on CPython 3.11 (ast recursion)
            "cache": {"enabled": False},  # no feedback carried over from earlier runs: a run is its seed
            "generation": {"max-examples": options.max_examples, "mode": "all", "database": "none"},
            "phases": {
                "stateful": {
                    "max-steps": options.max_steps,
                    # Negative cases are the fuzzing phase's job; scenarios are for flows that succeed. Scenarios of
                    # up to 15 steps, 1.5 per example, reach every link of the spec (measured: the rarest link is
                    # followed 5 times at 100 examples).
                    "generation": {
                        "mode": "positive",
                        "max-examples": options.stateful_examples or (3 * options.max_examples) // 2,
                    },
                }
            },
            "auth": {
                "openapi": {
                    "bearerAuth": {"bearer": api_key},
                    **({"accessToken": {"api_key": session_token}} if session_token else {}),
                }
            },
            "request-timeout": 120,
            # Reproductions must name the session and the page token they sent (schemathesis filters any key
            # containing "session" or "token" by default); only the credentials are secret.
            "output": {
                "sanitization": {
                    "keys-to-sanitize": ["authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"],
                    "sensitive-markers": ["api-key", "apikey", "password", "secret"],
                }
            },
        }
    )
    schema = schemathesis.openapi.from_dict(for_schemathesis(contract.spec), config=config)
    if app is not None:
        schema.app = app
        schema.config.update(base_url="http://localhost")
    else:
        schema.config.update(base_url=url)
    images = list(options.image_ids)

    def map_case(ctx: Any, case: Any) -> Any:
        # Any string is a schema-valid imageId, but only the backend's images start a session: the real cloud
        # has images per account, so the spec cannot list them. A schema-valid imageId is therefore drawn from
        # the images this backend offers (--image-id); schema-invalid ones are left for negative testing.
        op = contract.op_of(case)
        query = case.query
        if op is not None and op.operation_id in ("createSession", "listTools") and isinstance(query, dict):
            value = query.get("imageId")
            if isinstance(value, str) and 1 <= len(value) <= 128:
                query["imageId"] = images[zlib.crc32(value.encode("utf-8", "surrogatepass")) % len(images)]
        # The LinkUrl route takes the session token in the header (the auth above) and again in the body; a
        # schema-valid body carries the same token (any other string is a 401 the spec documents).
        body = case.body
        linked = op is not None and op.operation_id == "linkCallTool" and session_token
        if linked and isinstance(body, dict) and isinstance(body.get("token"), str):
            body["token"] = session_token
        return case

    schema.hook("map_case")(map_case)
    return schema


@contextlib.contextmanager
def _session_creators_are_roots(contract: Contract) -> Iterator[None]:
    """Let stateful scenarios start by creating a session.

    schemathesis starts scenarios only at "likely root" operations, and its dependency analysis reads the
    optional `imageId`, `mcpPolicyId`, `contextId` and `sessionId` inputs of createSession as foreign keys to
    resources no operation produces, so createSession is never a root: no scenario creates a session, and the
    links that leave createSession (the ones that carry a live session into every other operation) are never
    followed. An operation that is the source of links in the spec and needs no input at all is a root.
    """
    from schemathesis.specs.openapi import stateful

    sources = {
        op.label
        for op in contract.operations.values()
        if any(resolve(contract.spec, r).get("links") for r in op.definition["responses"].values())
        and not any(resolve(contract.spec, p).get("required") for p in op.definition.get("parameters", []))
        and not resolve(contract.spec, op.definition.get("requestBody", {})).get("required")
    }
    original = stateful.is_likely_root_transition

    def is_likely_root_transition(operation: Any, node: Any, produced_anywhere: set[str]) -> bool:
        return operation.label in sources or original(operation, node, produced_anywhere)

    stateful.is_likely_root_transition = is_likely_root_transition
    try:
        yield
    finally:
        stateful.is_likely_root_transition = original


def token_session(backend: Backend) -> tuple[str, str] | None:
    """A session of this run and its token (getSession `data.token`), for the operations a session token
    authorises; None when the backend gives none (those operations are then called without a valid token)."""
    try:
        sid = backend.create_session()
    except (RuntimeError, ValueError, requests.RequestException):
        return None
    try:
        r = backend.call("POST", "/mcp/getSession", json_body={"sessionId": sid})
        data = r.json().get("data") if r.status_code == 200 else None
    except (ValueError, requests.RequestException):
        data = None
    token = data.get("token") if isinstance(data, dict) else None
    return sid, token if isinstance(token, str) else ""


def run_schemathesis(contract: Contract, backend: Backend, report: Report, options: Options, app: Any = None) -> None:
    made = token_session(backend) if contract.token_scheme else None
    try:
        _run_schemathesis(contract, backend, report, options, app, made[1] if made else "")
    finally:
        if made is not None:
            backend.release(made[0])


def _run_schemathesis(
    contract: Contract, backend: Backend, report: Report, options: Options, app: Any, session_token: str
) -> None:
    schema = build_schema(contract, backend.url, backend.api_key, options, app=app, session_token=session_token)
    model = SessionModel(contract, options.max_sessions, backend.release)
    run = Run(contract, backend.api_key, model, session_token=session_token)
    if options.other_api_key:
        run.other = Backend(backend.url, options.other_api_key, app=app)

    def after_call(ctx: Any, case: Any, response: Any) -> None:
        model.observe(case, response.status_code, reply_body(response))

    schema.hook("after_call")(after_call)

    def filter_failure(ctx: Any, failure: Any, case: Any, response: Any) -> bool:
        # ensure_resource_availability knows REST: it takes POST /mcp for a collection that creates what
        # /mcp/releaseSession names, and only a DELETE for a release. This API releases with POST
        # /mcp/releaseSession, so a session released by an earlier step of the scenario reads to it as
        # "created but not found". Only that case is dropped: when the session model saw the session
        # released before the call. Any other 404 of a live session stays a failure (and agb_session_lifecycle
        # reports it as well).
        if type(failure).__name__ == "EnsureResourceAvailability" and response.status_code == 404:
            return not model.gone_before(case)
        return True

    schema.hook("filter_failure")(filter_failure)
    original_build = schema.build_state_machine

    def build_state_machine(*args: Any, **kwargs: Any) -> Any:
        # A scenario's sessions are released when it ends, on the scenario's own thread, before the next
        # scenario starts: no scenario ever sees a session vanish that it did not release itself.
        machine = original_build(*args, **kwargs)

        class ReleasingStateMachine(machine):  # type: ignore[misc, valid-type]
            def teardown(self) -> None:
                try:
                    model.release_scenario(list(self.recorder.cases))
                finally:
                    super().teardown()

        return ReleasingStateMachine

    schema.build_state_machine = build_state_machine
    RUNS[id(schema)] = run
    explicit_links = {
        f"{op.operation_id}.{name}": 0
        for op in contract.operations.values()
        for resp in op.definition["responses"].values()
        for name in resolve(contract.spec, resp).get("links", {})
    }
    report.links.update(explicit_links)
    for op in contract.operations.values():
        report.row(op.label)
    with _session_creators_are_roots(contract):
        try:
            for event in from_schema(schema).execute():
                if isinstance(event, events.ScenarioFinished):
                    _collect_scenario(event, report, contract)
                elif isinstance(event, events.NonFatalError):
                    message = f"{event.info.title}: {event.info.message}"
                    if event.label in report.operations:
                        report.row(event.label).errors.append(message)
                    else:
                        report.run_errors.append(f"{event.label}: {message}")
                elif isinstance(event, events.FatalError):
                    report.run_errors.append(f"schemathesis crashed: {event.exception!r}")
                elif isinstance(event, events.EngineFinished):
                    for failure in event.failures:
                        if failure.operation in report.operations:
                            report.row(failure.operation).fail("after_run", failure.title, failure.message or "")
                        else:
                            report.run_errors.append(f"{failure.title}: {failure.message}")
        finally:
            model.release_all()
            RUNS.pop(id(schema), None)


def _collect_scenario(event: Any, report: Report, contract: Contract) -> None:
    recorder = event.recorder
    for case_id, node in recorder.cases.items():
        case = node.value
        row = report.row(case.operation.label)
        row.cases += 1
        row.phase_cases[event.phase.value] = row.phase_cases.get(event.phase.value, 0) + 1
        report.phase_cases[event.phase.value] += 1
        transition = node.transition
        if transition is not None and node.is_transition_applied:
            # "POST /mcp/createSession -> [200] GetSession -> POST /mcp/getSession"
            m = TRANSITION_ID.match(transition.id)
            source = contract.by_label.get(m.group(1)) if m else None
            key = f"{source.operation_id}.{m.group(3)}" if m and source else transition.id
            if transition.is_inferred or key not in report.links:
                key = f"(inferred) {transition.id}"
            report.links[key] = report.links.get(key, 0) + 1
        for check in recorder.checks.get(case_id, []):
            info = check.failure_info
            if info is None:
                continue
            failure = info.failure
            label = failure.operation if failure.operation in report.operations else case.operation.label
            command = with_key_variable(info.code_sample) if info.code_sample else None
            report.row(label).fail(check.name, failure.title, failure.message or "", command)
