"""Configuration and connection failures: one line on stderr that says what to do, exit 1."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator

import pytest

from agb_local.embedded import EmbeddedServer

from .runner import AGB, environment, one_error_line, run

# Every command that talks to the service, with arguments that would otherwise be valid.
TALKING = [
    ["sessions", "list"],
    ["sessions", "info", "s-1"],
    ["sessions", "delete", "s-1"],
    ["sessions", "keep-alive", "s-1"],
    ["run", "-"],
    ["exec", "--", "true"],
    ["cp", "-", "s-1:/tmp/x"],
]


@pytest.fixture(scope="module")
def closed_port() -> Iterator[int]:
    """A loopback port nothing listens on (bound and closed again)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    yield port


@pytest.mark.parametrize("args", TALKING, ids=" ".join)
def test_missing_key_says_how_to_set_it(server: EmbeddedServer, args: list[str]) -> None:
    env = environment(server.endpoint, "")
    ran = run(args, env, stdin=b"1\n")
    assert ran.status == 1
    line = one_error_line(ran)
    assert "AGB_API_KEY" in line and "--api-key" in line


def test_api_key_and_endpoint_options_win_over_the_environment(server: EmbeddedServer, closed_port: int) -> None:
    env = environment(f"http://127.0.0.1:{closed_port}", "akm-wrong-key-0000000000000000")
    for args in (
        ["--endpoint", server.endpoint, "--api-key", server.api_key, "sessions", "list"],
        ["sessions", "list", "--endpoint", server.endpoint, "--api-key", server.api_key],  # after the command too
    ):
        ran = run(args, env)
        assert ran.status == 0, ran.stderr
    ran = run(["--api-key", server.api_key, "sessions", "list"], environment(server.endpoint, ""))
    assert ran.status == 0, ran.stderr


def test_wrong_key(server: EmbeddedServer) -> None:
    ran = run(["sessions", "list"], environment(server.endpoint, "akm-wrong-key-0000000000000000"))
    assert ran.status == 1
    line = one_error_line(ran)
    assert "API key" in line and "akm-wrong-key" not in line  # the key itself is never shown


def test_unreachable_endpoint(closed_port: int) -> None:
    ran = run(["sessions", "list"], environment(f"http://127.0.0.1:{closed_port}", "akm-some-key-00000000000000000"))
    assert ran.status == 1
    assert "AGB_ENDPOINT" in one_error_line(ran)


@pytest.mark.parametrize(
    ("extra", "needle"),
    [({"AGB_TIMEOUT_MS": "soon"}, "AGB_TIMEOUT_MS"), ({"AGB_ENDPOINT": "ftp://x"}, "endpoint")],
)
def test_bad_configuration(server: EmbeddedServer, extra: dict[str, str], needle: str) -> None:
    ran = run(["sessions", "list"], {**environment(server.endpoint, server.api_key), **extra})
    assert ran.status == 1
    assert needle in one_error_line(ran)


def test_agb_timeout_ms_bounds_each_request() -> None:
    """A server that accepts the connection and never answers: the wait ends after AGB_TIMEOUT_MS (and the
    SDK's retries of a read), not after the 60 s default."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        endpoint = f"http://127.0.0.1:{silent.getsockname()[1]}"
        env = {**environment(endpoint, "akm-some-key-00000000000000000"), "AGB_TIMEOUT_MS": "300"}
        began = time.monotonic()
        ran = run(["sessions", "list"], env)
        took = time.monotonic() - began
    assert ran.status == 1
    assert "timed out" in one_error_line(ran).lower() or "timeout" in one_error_line(ran).lower()
    assert took < 20, took


def test_output_that_cannot_be_written(env: dict[str, str], session_id: str) -> None:
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [str(AGB), "exec", "--session", session_id, "--", "echo hi"], stdout=full, stderr=subprocess.PIPE, env=env
        )
    assert done.returncode == 1
    assert done.stderr.decode() == "agb: No space left on device\n"
