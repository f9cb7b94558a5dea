"""The official `agbcloud-sdk` in a virtual environment of its own, and a live agb_local for it to drive."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from agb_local.embedded import EmbeddedServer, start

ROOT = Path(__file__).resolve().parents[2]
OFFICIAL = "agbcloud-sdk"
VERSION = "0.12.0"
VENV = ROOT / ".cache" / "compat-venv"  # gitignored; reused across runs
DRIVER = Path(__file__).resolve().parent / "driver.py"

# pip's words for "the package index cannot be reached" (then the suite skips, saying so).
OFFLINE = (
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "Network is unreachable",
    "No matching distribution found",
    "Could not fetch URL",
    "Connection refused",
    "Read timed out",
)


def venv_python() -> Path:
    return VENV / "bin" / "python"


def install_official_client() -> Path:
    """`agbcloud-sdk==0.12.0` from PyPI into .cache/compat-venv, once; later runs reuse it."""
    python = venv_python()
    marker = VENV / f".{OFFICIAL}-{VERSION}"
    if marker.exists() and python.exists():
        return python
    VENV.parent.mkdir(parents=True, exist_ok=True)
    with open(VENV.parent / "compat-venv.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two test runs at once build it once
        if marker.exists() and python.exists():
            return python
        if not python.exists():
            subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True, timeout=300)
        result = subprocess.run(
            [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q", f"{OFFICIAL}=={VERSION}"],
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        if result.returncode != 0:
            output = result.stdout + result.stderr
            if any(sign in output for sign in OFFLINE):
                pytest.skip(f"cannot install {OFFICIAL}=={VERSION} from the package index: {output.strip()[-500:]}")
            pytest.fail(f"pip could not install {OFFICIAL}=={VERSION}:\n{output[-3000:]}")
        marker.touch()
    return python


@pytest.fixture(scope="session")
def official_python() -> Path:
    return install_official_client()


@pytest.fixture(scope="module")
def agb_local() -> Iterator[EmbeddedServer]:
    server = start()
    yield server
    server.stop()


def run_driver(
    official_python: Path, agb_local: EmbeddedServer, work: Path, driver: str = "driver.py", *extra: str
) -> dict[str, Any]:
    """Run one of tests/compat's drivers with the official client against `agb_local`, in `work` (its cwd: no
    .env of ours gets read), and return what it wrote down: what the official client saw."""
    out = work / "observed.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AGB_", "PYTHON"))}
    # -I: isolated, so nothing of ours (cwd, PYTHONPATH, user site) is importable by the official client.
    argv = [str(official_python), "-I", str(DRIVER.with_name(driver)), agb_local.endpoint, agb_local.api_key]
    result = subprocess.run(
        [*argv, *extra, str(out)],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0 and out.exists(), result.stdout[-3000:] + result.stderr[-3000:]
    data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def observed(
    official_python: Path, agb_local: EmbeddedServer, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """Everything the official client saw, driving agb_local through tests/compat/driver.py."""
    return run_driver(official_python, agb_local, tmp_path_factory.mktemp("official-client"))
