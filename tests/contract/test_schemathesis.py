"""Contract tests: agb_local against openapi/agb.yaml, with schemathesis 4 and hypothesis, through the very
suite `agb-contract-test` runs against any backend (agb_contract's functions, called in-process).

Three ways in, the same suite:

* **embedded**: `agb_local.embedded.start()`, uvicorn on a thread of this process, over loopback HTTP;
* **process**: `agb-local serve` started as its own process on a free loopback port;
* **in-process ASGI**: schemathesis' ASGI transport calls the app directly, no socket. schemathesis 4.32.5 runs
  every ASGI call on one shared event loop (a single blocking portal thread) and starts the app's lifespan once,
  so the server's sandboxes and subprocess pipes, which belong to one loop, work there too. (Starlette's
  TestClient used without a `with` block would start a fresh loop per request and no lifespan; schemathesis
  does not do that.) The HTTP runs stay the main ones: only they exercise uvicorn, where the bugs below were.

What runs (agb_contract's modules have the details): the examples, coverage, fuzzing and stateful phases,
every built-in check enabled, the AGB checks (envelope, JSON-in-string fields, a model of the session lifecycle,
the key accepted), a fixed seed, at least 100 cases per operation, and every tool's JSON-in-string arguments
and outputs. No check is disabled or has its expected statuses relaxed. What is adjusted, and why (all in
agb_contract, next to the code):

* imageId: any string is a schema-valid imageId, but only the backend's images start a session (the real cloud
  has images per account, so the spec cannot list them; agb_local answers 400 listing its images). A
  schema-valid imageId is therefore drawn from the images the backend offers (`--image-id`, default
  `code_latest` and `agb-code-space-1`); schema-invalid ones stay for negative testing; positive_data_acceptance
  keeps its default statuses; an unknown image is checked separately to be a 4xx, never a 2xx or 5xx.
* ensure_resource_availability reads this RPC-style API as REST: POST /mcp looks like a collection that creates
  /mcp/releaseSession, and only a DELETE counts as a release. Its failures are dropped only where the session
  model saw the session released before the call (a 404 the spec requires); every other one stays. Built-in
  use_after_free only looks at DELETE, which this API does not have; agb_session_lifecycle checks
  use-after-release (and availability) for its POST releases instead.
* Two schemathesis 4.32.5 shortcomings are worked around without changing what is tested: LabelsJson's
  pattern and maxLength are handed over as `allOf` (its pattern/length rewrite emits a regex its own negative
  generator rejects), and createSession may start a stateful scenario (its dependency analysis mistakes the
  optional imageId/contextId for foreign keys and would never start one there, so the links out of
  createSession would never be followed).
* Stateful scenarios are positive-only (negative cases are the fuzzing phase's) and release their sessions
  when they end; other phases keep at most 8 sessions of the run alive. The servers keep their default
  limits (100 live sessions per key, 300 s idle timeout).

Links: schemathesis applies link values with true randomness, so which deep links a run follows varies;
test_links.py follows every link of the spec deterministically through schemathesis' own link extraction.

Bugs this suite found in agb_local, fixed and pinned in test_transport.py: requests over 64 KiB (maximal labels
in the query) answered with a plain-text 400 by httptools; and every embedded-server reply held 40 ms by Nagle.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import agb_spec
from agb_contract.backend import Backend, CannotStart
from agb_contract.contract import Contract, load_spec, resolve
from agb_contract.guard import only_traffic_to
from agb_contract.options import Options
from agb_contract.phase import run_schemathesis
from agb_contract.report import Report
from agb_contract.suite import run_suite
from agb_local.embedded import EmbeddedServer

from .conftest import OTHER_KEY, ROOT, Served, live_sessions

EXAMPLES = 100  # per operation, the CI setting
SPEC = yaml.safe_load((ROOT / "openapi" / "agb.yaml").read_text())
OPERATIONS = [
    f"{method.upper()} {path}"
    for path, item in SPEC["paths"].items()
    for method in item
    if method in ("get", "post", "put")
]
# The LinkUrl route takes a session token and presigned URLs none (their token is the permission): a wrong
# key changes nothing for them.
KEY_OPERATIONS = [
    f"{method.upper()} {path}"
    for path, item in SPEC["paths"].items()
    for method, op in item.items()
    if method in ("get", "post", "put") and op.get("security", SPEC["security"]) == [{"bearerAuth": []}]
]
TOOLS = list(SPEC["paths"]["/mcp"]["post"]["x-agb-tools"])
NOT_OFFERED = [
    f"{method.upper()} {path}"
    for path, item in SPEC["paths"].items()
    for method, op in item.items()
    if method in ("get", "post", "put") and op.get("x-agb-local") == "unsupported"
]


def options(**overrides: Any) -> Options:
    return Options(**{"max_examples": EXAMPLES, "payload_examples": 40, "other_api_key": OTHER_KEY, **overrides})


@pytest.fixture(scope="module")
def embedded_report(embedded: EmbeddedServer) -> Any:
    report = run_suite(embedded.endpoint, embedded.api_key, options())
    print(f"\nembedded agb_local, {embedded.endpoint}\n{report.table()}")
    return report


@pytest.fixture(scope="module")
def process_report(served: Served) -> Any:
    # The tool payloads run in full against the embedded server; here a smaller round, same checks.
    report = run_suite(served.url, served.api_key, options(payload_examples=12))
    print(f"\nagb-local serve, {served.url}\n{report.table()}")
    return report


@pytest.fixture(scope="module")
def asgi_report(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from schemathesis.python import asgi

    from agb_local.app import create_app
    from agb_local.config import ServerConfig
    from agb_local.sandbox import SandboxConfig

    key = "akm-contract-asgi-00000000000000000000"
    sandbox = SandboxConfig(data_dir=tmp_path_factory.mktemp("asgi"))
    app = create_app(ServerConfig(sandbox, api_keys=(key, OTHER_KEY)))
    try:
        report = run_suite("http://localhost", key, options(max_examples=25, payload_examples=10), app=app)
    finally:
        asgi.shutdown_lifespans()
    print(f"\nin-process ASGI\n{report.table()}")
    return report


TARGETS = ["embedded_report", "process_report"]


def row_failure(report: Any, row: Any) -> str:
    return f"{row.name} failed the contract:\n{report.details()}"


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("operation", OPERATIONS)
def test_operation_keeps_the_contract(request: pytest.FixtureRequest, target: str, operation: str) -> None:
    report = request.getfixturevalue(target)
    row = report.operations[operation]
    assert not row.failed, row_failure(report, row)
    if operation in NOT_OFFERED:
        # A capability agb_local has no (the browser): answered NotOffered, checked to be that, left out.
        assert (row.result, row.cases) == ("not offered", 0), operation
        return
    if fed_by_captured_values(report, operation):
        # schemathesis draws this operation's inputs from the values it captured from earlier replies (the contexts
        # ListContexts listed): its fuzzing phase then runs out of distinct cases after a dozen or so (measured: 15
        # cases, 8 distinct, for DeleteContextFile; 100 with the captured values off), and the cases that reach
        # real resources are the stateful phase's. Both halves are required.
        stateful = row.phase_cases.get("stateful", 0)
        assert row.cases >= EXAMPLES // 2 and stateful >= 10, f"{operation}: {row.cases} cases, {stateful} stateful"
    else:
        assert row.cases >= EXAMPLES, f"{operation}: only {row.cases} cases"


def fed_by_captured_values(report: Any, operation: str) -> bool:
    """Whether an inferred link (a value of an earlier reply, such as a context id) led into the operation."""
    return any(
        n and name.startswith("(inferred) ") and name.endswith(f" -> {operation}") for name, n in report.links.items()
    )


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("name", TOOLS)
def test_tool_payloads_keep_the_contract(request: pytest.FixtureRequest, target: str, name: str) -> None:
    report = request.getfixturevalue(target)
    row = report.tools[f"tool {name}"]
    assert not row.failed, row_failure(report, row)
    # Both outcomes were seen, so outputs (not only errors) were validated.
    ok, errors = (int(part.split()[0]) for part in row.note.split(", "))
    assert ok > 0 and errors > 0, row.note


@pytest.mark.parametrize("target", TARGETS)
def test_labels_and_tool_list_decode_to_their_schemas(request: pytest.FixtureRequest, target: str) -> None:
    report = request.getfixturevalue(target)
    row = report.tools["labels and tool list"]
    assert not row.failed, row_failure(report, row)
    assert row.cases > 0


@pytest.mark.parametrize("target", TARGETS)
def test_every_documented_image_keeps_the_family_contract(request: pytest.FixtureRequest, target: str) -> None:
    report = request.getfixturevalue(target)
    row = report.tools["image families and capabilities"]
    assert not row.failed, row_failure(report, row)
    assert row.note == f"{len(agb_spec.documented_images())} images started"


@pytest.mark.parametrize("target", TARGETS)
def test_run_has_no_errors_and_the_stateful_phase_follows_the_links(
    request: pytest.FixtureRequest, target: str
) -> None:
    """Every link out of createSession (they carry a live session into each operation) is followed by chance
    in every run; the deeper ones (after a release, after SetLabel) usually are, and test_links.py follows each
    of them deterministically, because schemathesis applies link values with true randomness."""
    report = request.getfixturevalue(target)
    assert not report.run_errors, report.run_errors
    explicit = {name: n for name, n in report.links.items() if not name.startswith("(inferred)")}
    assert len(explicit) >= 15
    unfollowed = sorted(name for name, n in explicit.items() if n == 0 and name.startswith("createSession."))
    assert not unfollowed, f"links out of createSession the stateful phase never followed: {unfollowed}"
    # The deeper links compete for the scenarios' steps with every operation of the spec (29 now) and are
    # drawn with true randomness, so their count varies between runs (11 to 14 of 15 measured): two thirds is
    # the floor here, and test_links.py follows each of them deterministically.
    assert sum(1 for n in explicit.values() if n) >= len(explicit) * 2 // 3, explicit
    assert report.phase_cases["stateful"] > 0 and report.phase_cases["coverage"] > 0


def test_runs_release_every_session_they_create(
    embedded_report: Any, process_report: Any, embedded: EmbeddedServer, served: Served
) -> None:
    assert live_sessions(embedded.endpoint, embedded.api_key) == 0
    assert live_sessions(served.url, served.api_key) == 0


def test_in_process_asgi(asgi_report: Any) -> None:
    assert not asgi_report.failed, asgi_report.details()
    assert all(row.cases > 0 for row in asgi_report.operations.values() if row.offered)
    assert sorted(label for label, row in asgi_report.operations.items() if not row.offered) == sorted(NOT_OFFERED)
    assert asgi_report.phase_cases["stateful"] > 0


def test_a_wrong_key_fails_the_run(embedded: EmbeddedServer) -> None:
    """Past the preflight (which refuses to start), every reply to the wrong key is a failure, not a warning."""
    contract = Contract(load_spec())
    report = Report(url=embedded.endpoint, seed=1, max_examples=5)
    backend = Backend(embedded.endpoint, "akm-not-a-key-of-this-server-000000000")
    with only_traffic_to(embedded.endpoint):
        run_schemathesis(contract, backend, report, options(max_examples=5, stateful_examples=5))
    assert report.failed
    for operation in KEY_OPERATIONS:
        checks = report.operations[operation].checks_failed
        assert "agb_auth_accepted" in checks, (operation, checks)
    with pytest.raises(CannotStart, match="rejected the API key"):
        run_suite(embedded.endpoint, "akm-not-a-key-of-this-server-000000000", options())


def test_every_pattern_of_the_spec_is_usable_by_schemathesis() -> None:
    """jsonschema-rs (schemathesis' validator and generator) drops a pattern it cannot compile, silently."""
    from schemathesis.core.jsonschema.patterns import is_valid_jsonschema_rs_regex

    patterns: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str):
                patterns.append(node["pattern"])
            for key, value in node.items():
                if key not in ("example", "examples"):  # data, not schemas
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(SPEC)
    assert patterns
    assert all(is_valid_jsonschema_rs_regex(p) for p in patterns)


def test_spec_links_name_real_operations_and_parameters() -> None:
    contract = Contract(SPEC)
    for op in contract.operations.values():
        for response in op.definition["responses"].values():
            for name, link in resolve(SPEC, response).get("links", {}).items():
                target = contract.operations[link["operationId"]]
                params = {
                    f"{p['in']}.{p['name']}"
                    for p in (resolve(SPEC, x) for x in target.definition.get("parameters", []))
                }
                for key in link.get("parameters", {}):
                    assert key in params, (op.operation_id, name, key)
                if "requestBody" in link:
                    body = resolve(SPEC, target.definition["requestBody"])
                    schema = resolve(SPEC, body["content"]["application/json"]["schema"])
                    assert set(link["requestBody"]) <= set(schema["properties"]), (op.operation_id, name)


def test_checkout_wrapper_is_executable() -> None:
    assert Path(ROOT / "tools" / "contract-test").stat().st_mode & 0o111
