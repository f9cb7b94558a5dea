"""What the reliability suite needs around a real `agb-local serve`: the server as a subprocess it can kill,
counts of what the server owns on this machine (processes, fds, sandbox directories, cgroups), latency
figures, and the figures table the suite reports.

Everything here talks to 127.0.0.1 only.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from agb_local.sandbox import IsolationUnavailable, procs
from agb_local.sandbox import bwrap as _bwrap

# Seconds of load in the load and kill tests. CI keeps the default; a soak sets e.g. AGB_RELIABILITY_DURATION=600.
DURATION_S = float(os.environ.get("AGB_RELIABILITY_DURATION", "30"))
# Concurrent clients of the load test.
CLIENTS = int(os.environ.get("AGB_RELIABILITY_CLIENTS", "64"))
LOOPBACK = "127.0.0.1"


def _unusable() -> str | None:
    try:
        _bwrap.probe()
    except IsolationUnavailable as exc:
        return f"bubblewrap unusable: {exc}"
    if os.geteuid() != 0:
        return "the reliability suite needs root (per-sandbox uids, cgroups, tmpfs mounts)"
    return None


PROBLEM = _unusable()
# Every module of the suite: `pytestmark = MARKS`.
MARKS = [pytest.mark.reliability, pytest.mark.slow, pytest.mark.skipif(PROBLEM is not None, reason=str(PROBLEM))]

# Figures measured by the suite, printed at the end of the run (and written to AGB_RELIABILITY_REPORT if set).
FIGURES: dict[str, dict[str, Any]] = {}


def record(section: str, **values: Any) -> None:
    FIGURES.setdefault(section, {}).update(values)


def pct(values: list[float], q: float) -> float:
    """The q-quantile (0..1) of `values`, nearest rank; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


# ----------------------------------------------------------------------------- the server as a subprocess


class ServerProcess:
    """`python -m agb_local serve` on loopback, its stdout and stderr appended to one log file.

    `keys=None` lets the server generate its key into DATA_DIR/api-key; given keys travel in
    AGB_LOCAL_API_KEYS, not on the command line, where any local user could read them with `ps`.
    `restart()` starts it again on the same data dir and port, so clients keep their endpoint.
    """

    def __init__(
        self,
        data_dir: Path,
        log_path: Path,
        *,
        keys: tuple[str, ...] | None = None,
        args: tuple[str, ...] = (),
        log_level: str = "debug",
    ) -> None:
        self.data_dir = data_dir
        self.log_path = log_path
        self.keys = keys
        self.args = args
        self.log_level = log_level
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts: list[float] = []  # seconds from launch to the first answered request, per start

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    @property
    def endpoint(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def api_key(self) -> str:
        if self.keys:
            return self.keys[0]
        return (self.data_dir / "api-key").read_text().strip()

    def start(self, timeout: float = 60.0) -> float:
        """Launch and wait until it answers; returns the seconds that took."""
        env = {k: v for k, v in os.environ.items() if k not in ("AGB_LOCAL_API_KEYS", "AGB_API_KEY")}
        if self.keys:
            env["AGB_LOCAL_API_KEYS"] = ",".join(self.keys)
        command = [
            sys.executable,
            "-m",
            "agb_local",
            "serve",
            "--host",
            LOOPBACK,
            "--port",
            str(self.port),
            "--data-dir",
            str(self.data_dir),
            "--log-level",
            self.log_level,
            *self.args,
        ]
        offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        launched = time.monotonic()
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=self.data_dir.parent
            )
        deadline = launched + timeout
        while not self.port:
            text = self._log_since(offset)
            found = re.search(r"serving the AGB API on http://[^:]+:(\d+)", text)
            if found:
                self.port = int(found.group(1))
                break
            self._check_alive(deadline, text)
            time.sleep(0.02)
        with httpx.Client(base_url=self.endpoint, timeout=5) as client:
            while True:
                with contextlib.suppress(httpx.TransportError):
                    if client.get("/sdk/ListSession").status_code == 401:  # routed, authenticated, answering
                        break
                self._check_alive(deadline, self._log_since(offset))
                time.sleep(0.02)
        took = time.monotonic() - launched
        self.starts.append(took)
        return took

    def _log_since(self, offset: int) -> str:
        with open(self.log_path, "rb") as f:
            f.seek(offset)
            return f.read().decode(errors="replace")

    def _check_alive(self, deadline: float, text: str) -> None:
        assert self.proc is not None
        if self.proc.poll() is not None:
            raise RuntimeError(f"agb-local exited with {self.proc.returncode}:\n{text[-3000:]}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"agb-local did not answer in time:\n{text[-3000:]}")

    def kill9(self) -> float:
        """SIGKILL the server; returns the monotonic time of the kill."""
        assert self.proc is not None
        at = time.monotonic()
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)
        return at

    def restart(self, timeout: float = 60.0) -> float:
        return self.start(timeout)

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM (a clean shutdown, which kills the sandboxes), SIGKILL if that hangs."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)
            raise

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None


def http_client(server: ServerProcess, key: str | None = None, timeout: float = 30) -> httpx.Client:
    headers = {"authorization": f"Bearer {key or server.api_key}"}
    return httpx.Client(base_url=server.endpoint, headers=headers, timeout=timeout)


def wait_until(predicate: Any, timeout: float, interval: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())


# ----------------------------------------------------------------------------- what the server owns


def process_kind(pid: int, name: str) -> str:
    cmd = " ".join(procs.cmdline(pid))
    if name == "bwrap":
        return "bwrap"
    if "InteractiveShell" in cmd:  # the Python runner, started as `python -u -c <py_runner.py's text>`
        return "kernel"
    if "agent.server" in cmd:
        return "agent"
    if name in ("node", "nodejs"):
        return "node"
    return "other"


@dataclass(frozen=True)
class Proc:
    pid: int
    start: int  # start time in clock ticks: a pid and its start time name one process, even if the pid is reused
    kind: str


def descendants(root: int) -> set[Proc]:
    """Every live process below `root` (the server), by parent links."""
    return {Proc(p.pid, p.start, process_kind(p.pid, p.name)) for p in procs.subtree(root) if p.running}


def alive(processes: set[Proc]) -> set[Proc]:
    """Those of `processes` that still run (the same process: pid and start time)."""
    still = set()
    for p in processes:
        st = procs.stat(p.pid)
        if st is not None and st.running and st.start == p.start:
            still.add(p)
    return still


def cgroup_dirs(server_pid: int) -> list[Path]:
    """The sandbox cgroups a server made (named sbx-<its pid>-...), under each v1 controller it uses."""
    found: list[Path] = []
    try:
        lines = Path(f"/proc/{server_pid}/cgroup").read_text().splitlines()
    except OSError:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    for line in lines:
        _, controllers, path = line.split(":", 2)
        for ctrl in controllers.split(","):
            if ctrl in ("memory", "pids", "cpu"):
                base = Path("/sys/fs/cgroup") / ctrl / path.lstrip("/") / "agb_local"
                if base.is_dir():
                    found += sorted(base.glob(f"sbx-{server_pid}-*"))
    return found


@dataclass
class Snapshot:
    processes: Counter[str]
    fds: int
    fd_kinds: Counter[str]
    session_dirs: list[str]
    pool_dirs: int
    cgroups: int
    procs: set[Proc] = field(repr=False)

    def summary(self) -> dict[str, Any]:
        return {
            "processes": dict(sorted(self.processes.items())),
            "server_fds": self.fds,
            "session_dirs": len(self.session_dirs),
            "pool_dirs": self.pool_dirs,
            "cgroup_dirs": self.cgroups,
        }


def _fd_kind(link: str) -> str:
    if link.startswith("socket:"):
        return "socket"
    if link.startswith("pipe:"):
        return "pipe"
    if link.startswith("anon_inode:"):
        return link
    return "file"


def snapshot(server: ServerProcess) -> Snapshot:
    pid = server.pid
    procs = descendants(pid)
    fd_dir = Path(f"/proc/{pid}/fd")
    kinds: Counter[str] = Counter()
    for fd in os.listdir(fd_dir):
        with contextlib.suppress(OSError):
            kinds[_fd_kind(os.readlink(fd_dir / fd))] += 1
    root = server.data_dir / "sandboxes"
    entries = [e.name for e in root.iterdir()] if root.is_dir() else []
    return Snapshot(
        processes=Counter(p.kind for p in procs),
        fds=sum(kinds.values()),
        fd_kinds=kinds,
        session_dirs=sorted(e for e in entries if not e.startswith(".pool-")),
        pool_dirs=sum(1 for e in entries if e.startswith(".pool-")),
        cgroups=len(cgroup_dirs(pid)),
        procs=procs,
    )


def settled_snapshot(server: ServerProcess, like: Snapshot | None = None, timeout: float = 20.0) -> Snapshot:
    """A snapshot once the warm pool is full and nothing is being torn down (equal to `like`, if given, as soon
    as it is): leftovers are whatever still differs after `timeout`."""
    deadline = time.monotonic() + timeout
    previous = None
    while True:
        snap = snapshot(server)
        steady = previous is not None and snap.summary() == previous.summary()
        if like is not None and snap.summary() == like.summary():
            return snap
        if like is None and steady and snap.pool_dirs >= 1:
            return snap
        if time.monotonic() > deadline:
            return snap
        previous = snap
        time.sleep(0.25)


def registry_rows(data_dir: Path) -> list[tuple[str, str]]:
    """(id, status) of every session in the SQLite registry, read-only."""
    db = sqlite3.connect(f"file:{data_dir / 'registry.sqlite3'}?mode=ro", uri=True, timeout=10)
    try:
        return [(str(r[0]), str(r[1])) for r in db.execute("SELECT id, status FROM sessions ORDER BY id")]
    finally:
        db.close()


def session_uid(data_dir: Path, session_id: str) -> int:
    """The host uid a session's sandbox runs as (its home directory belongs to it)."""
    return (data_dir / "sandboxes" / session_id / "home").stat().st_uid


def sandbox_processes(server_pid: int, uid: int) -> dict[str, list[int]]:
    """The server's descendants running as `uid` (one sandbox), by kind."""
    found: dict[str, list[int]] = {}
    for p in descendants(server_pid):
        if procs.real_uid(p.pid) == uid:
            found.setdefault(p.kind, []).append(p.pid)
    return found


# ----------------------------------------------------------------------------- log capture and secrets


class Capture(logging.Handler):
    """Every record of a logger, formatted with its exception, for grepping afterwards."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self._lock_lines = threading.Lock()
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        text = self.format(record)
        with self._lock_lines:
            self.lines.append(text)

    def text(self) -> str:
        with self._lock_lines:
            return "\n".join(self.lines)


@contextlib.contextmanager
def capture_sdk_log() -> Iterator[Capture]:
    """The `agb` logger at DEBUG into a Capture for the duration."""
    logger = logging.getLogger("agb")
    handler = Capture()
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)


def secret_forms(key: str) -> list[str]:
    """The key and the forms a leak could take: as is, its tail past any prefix, JSON- and URL-escaped."""
    tail = key.split("-", 1)[-1]
    return sorted({key, tail, json.dumps(key)[1:-1], key.replace("-", "%2D")})


def leaks(text: str, key: str) -> list[str]:
    """Lines of `text` that contain the key in any form."""
    forms = secret_forms(key)
    return [line[:300] for line in text.splitlines() if any(f in line for f in forms)]


# ----------------------------------------------------------------------------- a loopback listener


class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections it accepts (to prove nobody reached it)."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind((LOOPBACK, 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.accepted += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


def p50(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0
