"""`agb-contract-test` as a backend team runs it: the installed command, started outside the checkout, pointed
at a URL with a key.

Against a live `agb-local serve` it passes and prints the table (and the same as JSON and JUnit); against a key
the backend rejects it refuses to start (exit 2); against deliberately broken agb_local servers
(tests/contract/broken_agb_local.py) it fails, names the operation and its first failing check and prints a
curl line that sends the failing request again; and it never sends a request anywhere but the URL it was
given, not even when the backend redirects elsewhere.
"""

from __future__ import annotations

import json
import re
import shlex
import socket
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

import agb_spec
from agb_contract.guard import OffTargetRequest, only_traffic_to
from agb_local.embedded import start

from ..spec_copy import UNSUPPORTED_PATH, spec_with_extra_operations
from .conftest import BROKEN, COMMAND, OTHER_KEY, Served, serve

QUICK = ["--max-examples", "5", "--payload-examples", "4", "--seed", "7"]


@pytest.fixture(scope="module")
def elsewhere(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory outside the checkout: the command needs nothing of the tree, the spec included."""
    return tmp_path_factory.mktemp("elsewhere")


def contract_test(*args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    assert COMMAND.exists(), "agb-contract-test is not installed: pip install -e '.[contract]'"
    return subprocess.run([str(COMMAND), *args], capture_output=True, text=True, timeout=timeout, cwd=cwd, check=False)


def test_passes_against_agb_local_serve_and_writes_junit(served: Served, elsewhere: Path) -> None:
    report = elsewhere / "contract.xml"
    result = contract_test(
        "--url", served.url, "--api-key", served.api_key, "--other-api-key", OTHER_KEY, *QUICK,
        "--junit", str(report), cwd=elsewhere,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "agb-contract-test: passed" in result.stdout
    for label in ("POST /mcp/createSession", "GET /sdk/ListSession", "POST /mcp", "tool read_file"):
        result_, cases, failures, _ = columns(result.stdout, label)
        assert (result_, failures) == ("passed", 0) and cases > 0, label
    # agb_local has no browser: its operations are reported, not failed.
    assert columns(result.stdout, "POST /internet/getCdpLink") == ("not offered", 0, 0, "")
    images = len(agb_spec.documented_images())
    capability_tools = sum(len(c.tools) for c in agb_spec.capabilities().values())
    row = columns(result.stdout, "image families and capabilities")
    assert row == ("passed", images * (2 + capability_tools), 0, f"({images} images started)"), result.stdout

    assert "First failures" not in result.stdout
    suite = ET.parse(report).getroot()
    assert suite.get("failures") == "0" and suite.get("errors") == "0"
    names = {case.get("name") for case in suite.iter("testcase")}
    assert {"POST /mcp/createSession", "POST /mcp/listTools", "tool shell"} <= names


def test_json_report(served: Served, elsewhere: Path) -> None:
    result = contract_test(
        "--url", served.url, "--api-key", served.api_key, *QUICK, "--no-schemathesis", "--json", cwd=elsewhere
    )
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)  # stdout is the document alone
    assert report["result"] == "passed" and report["seed"] == 7
    tools = {row["name"]: row for row in report["tools"]}
    assert tools["tool shell"]["result"] == "passed" and tools["tool shell"]["cases"] > 0
    assert {row["kind"] for row in report["operations"]} <= {"operation"}
    assert "agb-contract-test: passed" in result.stderr


def test_refuses_to_start_with_a_rejected_key(served: Served, elsewhere: Path) -> None:
    result = contract_test(
        "--url", served.url, "--api-key", "akm-wrong-000000000000000000000000000", *QUICK, cwd=elsewhere
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "rejected the API key (HTTP 401" in result.stderr
    assert "operation" not in result.stdout  # nothing ran


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--url", "ftp://example.org", "--api-key", "k"], "must be an http(s) URL"),
        (["--url", "http://127.0.0.1:9", "--api-key", " "], "--api-key is empty"),
        (["--url", "http://127.0.0.1:9", "--api-key", "akm-x"], "cannot reach http://127.0.0.1:9"),
    ],
)
def test_refuses_to_start_without_a_usable_target(args: list[str], message: str, elsewhere: Path) -> None:
    result = contract_test(*args, *QUICK, cwd=elsewhere)
    assert result.returncode == 2
    assert message in result.stderr


@pytest.fixture
def broken(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Served]:
    server = serve(
        tmp_path, api_key="akm-broken-00000000000000000000000000", prefix=[sys.executable, str(BROKEN), request.param]
    )
    yield server
    server.stop()


ROW = re.compile(r"^ +(passed|FAILED|not offered) +(\d+) +(\d+) *(.*)$")


def columns(output: str, name: str) -> tuple[str, int, int, str]:
    """The summary line of an operation or tool: its result, cases, failures and first failing check."""
    for line in output.splitlines():
        m = ROW.match(line[len(name) :]) if line.startswith(name + " ") else None
        if m:
            return m.group(1), int(m.group(2)), int(m.group(3)), m.group(4)
    raise AssertionError(f"no row for {name} in:\n{output}")


@pytest.mark.parametrize(
    ("broken", "operation", "check"),
    [
        ("label-500", "POST /sdk/SetLabel", "not_a_server_error"),
        ("no-request-id", "GET /sdk/GetLabel", "agb_envelope"),
        ("shared-sessions", "POST /mcp/getSession", "agb_tenant_isolation"),
    ],
    indirect=["broken"],
)
def test_fails_and_names_the_operation_a_broken_backend_breaks(
    broken: Served, operation: str, check: str, elsewhere: Path
) -> None:
    result = contract_test(
        "--url", broken.url, "--api-key", broken.api_key, "--other-api-key", OTHER_KEY, *QUICK, "--no-payloads",
        cwd=elsewhere,
    )  # fmt: skip
    assert result.returncode == 1, result.stdout + result.stderr
    assert "agb-contract-test: FAILED" in result.stdout
    result_, _, failures, first_check = columns(result.stdout, operation)
    assert result_ == "FAILED" and failures > 0
    assert f"[{operation}] {check}" in result.stdout
    # The first failure of the row, with a curl line that sends the request again, key from the environment.
    first = result.stdout.split("First failures", 1)[1].split("\n\n", 1)[0].splitlines()
    start = next(n for n, text in enumerate(first) if text.startswith(f"  {operation}: "))
    assert first[start].startswith(f"  {operation}: {first_check.split()[0]}: ")
    steps = []
    for text in first[start + 1 :]:
        if not text.startswith("    "):
            break
        steps.append(text.strip())
    assert steps and all(step.startswith("curl -X ") and "$AGB_API_KEY" in step for step in steps), first
    method, path = operation.split()
    urls = [word.split("?")[0] for word in shlex.split(steps[-1]) if word.startswith(broken.url)]
    assert steps[-1].startswith(f"curl -X {method} ") and urls == [broken.url + path], steps
    assert "Filtered" not in steps[-1]  # the session id and labels it sent, not placeholders
    assert broken.api_key not in result.stdout
    # The other operations are not blamed for it.
    assert columns(result.stdout, "POST /mcp/listTools")[0] == "passed"


def test_reports_operations_the_backend_does_not_offer(tmp_path: Path) -> None:
    # The spec gained a cloud operation agb_local does not serve, marked `x-agb-local: unsupported`: agb_local
    # answers it NotOffered, and the run passes, reporting it as not offered instead of failing it.
    spec_file = spec_with_extra_operations(tmp_path, unmarked=False)
    with start(tmp_path / "data", spec_file=spec_file, pool_size=1) as server:
        result = contract_test(
            "--url", server.endpoint, "--api-key", server.api_key, "--spec", str(spec_file), *QUICK, "--no-payloads",
            cwd=tmp_path,
        )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert columns(result.stdout, f"POST {UNSUPPORTED_PATH}") == ("not offered", 0, 0, "")
    assert columns(result.stdout, "POST /mcp/getSession")[0] == "passed"


class Decoy:
    """A listener that only counts connections: where a redirect points, and where no request may go."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/elsewhere"
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


@pytest.fixture
def decoy() -> Iterator[Decoy]:
    d = Decoy()
    yield d
    d.close()


def test_never_follows_a_backend_elsewhere(decoy: Decoy, tmp_path: Path) -> None:
    server = serve(
        tmp_path,
        api_key="akm-broken-00000000000000000000000000",
        prefix=[sys.executable, str(BROKEN), f"redirect={decoy.url}"],
    )
    try:
        r = requests.post(
            f"{server.url}/mcp/createSession",
            json={},
            allow_redirects=False,
            headers={"authorization": f"Bearer {server.api_key}"},
        )
        assert r.status_code == 307 and r.headers["location"] == decoy.url
        result = contract_test("--url", server.url, "--api-key", server.api_key, *QUICK, cwd=tmp_path)
    finally:
        server.stop()
    assert result.returncode == 1, result.stdout + result.stderr
    assert decoy.connections == 0
    assert "refused a request to " + decoy.url in result.stdout
    # schemathesis does not follow it (and reports the undocumented 307); the tool's own client would, and
    # the guard refused it.
    assert columns(result.stdout, "POST /mcp/createSession")[0] == "FAILED"


def test_guard_refuses_other_origins_in_process(decoy: Decoy, served: Served) -> None:
    with only_traffic_to(served.url):
        assert requests.get(f"{served.url}/sdk/ListSession", headers={"authorization": f"Bearer {served.api_key}"}).ok
        with pytest.raises(OffTargetRequest):
            requests.get(decoy.url)
        with pytest.raises(OffTargetRequest):
            requests.get(served.url.replace("127.0.0.1", "localhost"))
    assert decoy.connections == 0


def test_socket_guard_refuses_other_addresses(decoy: Decoy, served: Served) -> None:
    """The audit hook the CLI installs: raw sockets cannot reach other addresses either."""
    code = (
        "import socket\n"
        "from agb_contract import guard as ct\n"
        f"ct.install_socket_guard({served.url!r})\n"
        f"socket.create_connection(('127.0.0.1', {served.url.rsplit(':', 1)[1]})).close()\n"
        "try:\n"
        f"    socket.create_connection(('127.0.0.1', {decoy.url.split(':')[2].split('/')[0]}))\n"
        "except ct.OffTargetRequest as exc:\n"
        "    print('refused:', exc)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert "refused:" in result.stdout
    assert decoy.connections == 0
