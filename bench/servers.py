"""Servers the benchmarks talk to, each in its own process (so it never shares the client's GIL):
``agb-local serve`` and the bare ASGI floor app. Both are stopped, with everything they started, on exit."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import IO, Self

from agb_local.sandbox import procs

HERE = Path(__file__).resolve().parent
_SERVING = re.compile(r"serving the AGB API on (http://\S+?) ")


def _venv_bin(name: str) -> str | None:
    path = Path(sys.executable).parent / name
    return str(path) if path.exists() else None


def _read_line(stream: IO[str], pattern: re.Pattern[str], proc: subprocess.Popen[str], timeout: float) -> str:
    """Read `stream` until a line matches `pattern` (returns group 1); fail if the process dies or time runs out."""
    found: list[str] = []
    seen: list[str] = []

    def reader() -> None:
        for line in stream:
            seen.append(line)
            match = pattern.search(line)
            if match:
                found.append(match.group(1))
                return

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    thread.join(timeout)
    if not found:
        proc.kill()
        raise RuntimeError(f"server did not start within {timeout:g} s (exit {proc.poll()}): {''.join(seen)[-2000:]}")
    return found[0]


def _drain(stream: IO[str], sink: IO[str]) -> None:
    def run() -> None:
        for line in stream:
            sink.write(line)
            sink.flush()

    threading.Thread(target=run, daemon=True).start()


class _Process:
    proc: subprocess.Popen[str] | None = None

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def stop(self, timeout: float = 20.0) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)  # uvicorn shuts down; agb_local kills its sandboxes on the way out
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class AgbLocalServer(_Process):
    """``agb-local serve`` on a free loopback port with a fresh data dir and API key."""

    def __init__(self, *, max_sessions_per_key: int = 256, idle_timeout_s: int = 3600, pool_size: int | None = None):
        self.api_key = f"akm-bench-{secrets.token_hex(8)}"
        self.data_dir = Path(tempfile.mkdtemp(prefix="agb-bench-"))
        self.args = ["--max-sessions-per-key", str(max_sessions_per_key), "--idle-timeout", str(idle_timeout_s)]
        if pool_size is not None:
            self.args += ["--pool-size", str(pool_size)]
        self.endpoint = ""

    def start(self, timeout: float = 60.0) -> Self:
        exe = _venv_bin("agb-local")
        cmd = [exe] if exe else [sys.executable, "-m", "agb_local"]
        cmd += ["serve", "--host", "127.0.0.1", "--port", "0", "--data-dir", str(self.data_dir)]
        cmd += ["--api-key", self.api_key, "--log-level", "warning", *self.args]
        self._log = open(self.data_dir / "server.log", "a")  # noqa: SIM115 (closed in stop)
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self._log, text=True)
        assert self.proc.stdout is not None
        self.endpoint = _read_line(self.proc.stdout, _SERVING, self.proc, timeout)
        _drain(self.proc.stdout, self._log)
        return self

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return (self.data_dir / "server.log").read_text()[-chars:]
        except OSError:
            return ""

    def stop(self, timeout: float = 30.0) -> None:
        super().stop(timeout)
        if getattr(self, "_log", None) is not None:
            self._log.close()
        shutil.rmtree(self.data_dir, ignore_errors=True)


class FloorServer(_Process):
    """The bare ASGI app of ``floor_app.py``."""

    def __init__(self) -> None:
        self.endpoint = ""

    def start(self, timeout: float = 30.0) -> Self:
        cmd = [sys.executable, str(HERE / "floor_app.py")]
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
        assert self.proc.stdout is not None
        port = _read_line(self.proc.stdout, re.compile(r"port (\d+)"), self.proc, timeout)
        self.endpoint = f"http://127.0.0.1:{port}"
        return self


def pss_bytes(pids: list[int]) -> int:
    """Summed proportional set size (shared pages divided among their users): what each really costs."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
        except OSError:
            pass
    return total


def wait_until(predicate: object, timeout: float, interval: float = 0.02) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(predicate) and predicate():
            return True
        time.sleep(interval)
    return False


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time used so far by `pids` (all their threads; exited children not included)."""
    return sum(st.cpu_seconds for st in map(procs.stat, pids) if st is not None)


def server_cpu(pid: int) -> tuple[float, float]:
    """(the server process's own CPU seconds, its sandboxes' CPU seconds) so far."""
    pids = procs.descendants(pid)
    return cpu_seconds([pid]), cpu_seconds([p for p in pids if p != pid])
