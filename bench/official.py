"""The official client (``agbcloud-sdk`` from PyPI) in its own cached virtual environment, and the
subprocess that drives it (``official_driver.py``), so none of its dependencies enter ours."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import IO, Any, Self

ROOT = Path(__file__).resolve().parent.parent
OFFICIAL = "agbcloud-sdk==0.12.0"
VENV = ROOT / ".cache" / "bench-official-venv"
DRIVER = Path(__file__).resolve().parent / "official_driver.py"


class OfficialUnavailable(RuntimeError):
    """The official client could not be installed (PyPI unreachable, most likely)."""


def base_python() -> str:
    """The interpreter our venv was made from: the official venv gets the same Python version."""
    return getattr(sys, "_base_executable", None) or sys.executable


def _stamp() -> str:
    return f"{OFFICIAL} python {sys.version_info[0]}.{sys.version_info[1]}"


def venv_python(venv: Path = VENV, log: IO[str] | None = None) -> Path:
    """The official venv's python, installing the venv first if it is missing or stale (under a lock)."""
    python, stamp = venv / "bin" / "python", venv / ".agb-bench-stamp"
    if stamp.is_file() and stamp.read_text() == _stamp() and python.exists():
        return python
    venv.parent.mkdir(parents=True, exist_ok=True)
    with open(venv.parent / (venv.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if stamp.is_file() and stamp.read_text() == _stamp() and python.exists():
            return python
        if log is not None:
            print(f"installing {OFFICIAL} into {venv} (once; cached)", file=log, flush=True)
        shutil.rmtree(venv, ignore_errors=True)
        steps = [
            [base_python(), "-m", "venv", str(venv)],
            [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", OFFICIAL],
        ]
        for cmd in steps:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
            if done.returncode != 0:
                shutil.rmtree(venv, ignore_errors=True)
                tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
                raise OfficialUnavailable(f"could not install {OFFICIAL}: {' / '.join(tail)}")
        stamp.write_text(_stamp())
    return python


def clean_env(**extra: str) -> dict[str, str]:
    """The environment for the official client: nothing that steers Python or points at our AGB settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "AGB_", "VIRTUAL_ENV"))}
    env.update(extra)
    return env


class OfficialDriver:
    """A running ``official_driver.py``: ``request({...})`` sends one JSON line and returns the reply."""

    def __init__(self, python: Path) -> None:
        self._cwd = tempfile.mkdtemp(prefix="agb-bench-official-")  # no ./agb, no ./.env to pick up
        # The official client logs every call at INFO through loguru; WARNING keeps its I/O out of the timings.
        env = clean_env(AGB_LOG_LEVEL="WARNING")
        self._proc = subprocess.Popen(
            [str(python), "-I", str(DRIVER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            cwd=self._cwd,
            env=env,
        )

    def request(self, msg: dict[str, Any]) -> dict[str, Any]:
        proc = self._proc
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(json.dumps(msg) + "\n")
        proc.stdin.flush()
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the official client's driver exited ({proc.poll()}) during {msg['op']}")
        reply: dict[str, Any] = json.loads(line)
        if "error" in reply:
            raise RuntimeError(f"official driver, {msg['op']}: {reply['error']}\n{reply.get('traceback', '')}")
        return reply

    def close(self) -> None:
        proc = self._proc
        if proc.poll() is None:
            try:
                assert proc.stdin is not None
                proc.stdin.write(json.dumps({"op": "quit"}) + "\n")
                proc.stdin.close()
                proc.wait(10)
            except (OSError, subprocess.TimeoutExpired):
                proc.kill()
                proc.wait(5)
        shutil.rmtree(self._cwd, ignore_errors=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
