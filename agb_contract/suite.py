"""A whole run against one backend: the operations it does not offer, the schemathesis phase, the tool payloads,
the image families."""

from __future__ import annotations

import time
from typing import Any

import agb_spec

from .backend import Backend, preflight
from .checks import reply_body
from .contract import Contract, json_schema, load_spec, resolve, schema_errors, without_operations
from .families import check_families
from .guard import only_traffic_to
from .options import Options
from .payloads import run_payloads
from .phase import run_schemathesis
from .report import Report


def not_offered(contract: Contract, backend: Backend, report: Report) -> set[str]:
    """The operations marked `x-agb-local: unsupported` that this backend answers with the spec's NotOffered reply
    (agb_local does; the cloud serves them). Each is reported as "not offered" and left out of the run; its
    reply must still be the documented one."""
    found: set[str] = set()
    for operation_id in agb_spec.locally_unsupported_operations(contract.spec):
        op = contract.operations[operation_id]
        body_expected = "requestBody" in op.definition
        r = backend.call(op.method, op.path, json_body={} if body_expected else None)
        body = reply_body(r)
        code = body.get("code") if isinstance(body, dict) else None
        if r.status_code != agb_spec.LOCAL_NOT_OFFERED_STATUS or code != agb_spec.LOCAL_NOT_OFFERED_CODE:
            continue  # offered: the run tests it like any other operation
        found.add(operation_id)
        row = report.row(op.label)
        row.offered = False
        again = backend.curl(op.method, op.path, body={} if body_expected else None)
        documented = resolve(contract.spec, op.definition["responses"].get(str(r.status_code), {}))
        schema = documented.get("content", {}).get("application/json", {}).get("schema")
        if schema is None:
            message = f"{op.label} answered {r.status_code} {code}, which its responses do not document"
            row.fail("status_code_conformance", "NotOffered is not documented", message, again)
            continue
        problems = schema_errors(json_schema(contract.spec, schema), body)
        if body.get("success") is not False or body.get("requestId") != r.headers.get("x-request-id"):
            problems.append("the NotOffered reply must have success: false and requestId equal to x-request-id")
        if problems:
            row.fail("agb_envelope", "Not the documented NotOffered reply", "\n".join(problems), again)
    return found


def run_suite(url: str, api_key: str, options: Options | None = None, app: Any = None) -> Report:
    """Both parts against one backend (over HTTP at `url`, or in-process through `app`), traffic to `url` only."""
    options = options or Options()
    contract = whole = Contract(load_spec(options.spec_path))
    report = Report(url=url, seed=options.seed, max_examples=options.max_examples)
    started = time.monotonic()
    with only_traffic_to("http://localhost" if app is not None else url):
        backend = Backend("http://localhost" if app is not None else url, api_key, app=app)
        preflight(backend)
        if options.other_api_key:
            preflight(Backend(backend.url, options.other_api_key, app=app))
        unserved = not_offered(contract, backend, report)
        if unserved:
            contract = Contract(without_operations(contract.spec, unserved))
        if options.schemathesis:
            run_schemathesis(contract, backend, report, options, app=app)
        if options.payloads:
            try:
                run_payloads(contract, backend, report, options)
            except Exception as exc:
                report.run_errors.append(f"tool payloads: {type(exc).__name__}: {exc}")
            try:
                check_families(whole, backend, report)  # the families name every operation of the spec
            except Exception as exc:
                report.run_errors.append(f"image families: {type(exc).__name__}: {exc}")
    report.elapsed = time.monotonic() - started
    return report
