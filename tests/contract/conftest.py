"""Fixtures of the contract tests: the installed `agb-contract-test` command, an embedded agb_local (a uvicorn
thread in this process) and an `agb-local serve` process, each on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from agb_local.embedded import EmbeddedServer, start

ROOT = Path(__file__).resolve().parents[2]
# The console script of the contract extra, as `pip install` put it beside this interpreter.
COMMAND = Path(sys.executable).with_name("agb-contract-test")
BROKEN = Path(__file__).resolve().parent / "broken_agb_local.py"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Served:
    url: str
    api_key: str
    process: subprocess.Popen[bytes]
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


OTHER_KEY = "akm-contract-other-tenant-000000000000000"


def serve(
    tmp: Path,
    *,
    api_key: str,
    prefix: list[str] | None = None,
    env: dict[str, str] | None = None,
    other_key: str | None = OTHER_KEY,
) -> Served:
    """`agb-local serve` (or a wrapper taking the same arguments) on a free port, ready to answer; it also
    accepts a second key, another tenant."""
    port = free_port()
    agb_local = Path(sys.executable).with_name("agb-local")
    command = [*(prefix or [str(agb_local)]), "serve", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--data-dir", str(tmp / "data"), "--api-key", api_key, "--log-level", "warning"]
    if other_key:
        command += ["--api-key", other_key]
    log = tmp / "server.log"
    process = subprocess.Popen(
        command, stdout=log.open("wb"), stderr=subprocess.STDOUT, env={**os.environ, **(env or {})}, cwd=ROOT
    )
    served = Served(f"http://127.0.0.1:{port}", api_key, process, log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"agb-local exited with {process.returncode}: {log.read_text()[-2000:]}")
        try:
            r = requests.get(f"{served.url}/sdk/ListSession", headers={"authorization": f"Bearer {api_key}"}, timeout=5)
            if r.status_code == 200:
                return served
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    served.stop()
    raise RuntimeError(f"agb-local did not answer within 60 s: {log.read_text()[-2000:]}")


@pytest.fixture(scope="session")
def embedded() -> Iterator[EmbeddedServer]:
    server = start(extra_api_keys=(OTHER_KEY,))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    server = serve(tmp_path_factory.mktemp("served"), api_key="akm-contract-process-0000000000000000")
    yield server
    server.stop()


def live_sessions(url: str, api_key: str) -> int:
    r = requests.get(f"{url}/sdk/ListSession", params={"maxResults": 1}, headers={"authorization": f"Bearer {api_key}"})
    assert r.status_code == 200, r.text
    return int(r.json()["count"])
