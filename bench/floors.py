"""The physical floor under each agb_local figure: a bare ASGI app over loopback HTTP, a bare Jupyter
kernel (jupyter_client, no sandbox), a bare process spawn, a bare interpreter's memory."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from agb_local.sandbox.procs import descendants, rss_bytes

from .servers import cpu_seconds

# About the size of a getSession / get_file_info request body.
SMALL_BODY = b'{"args": "{\\"path\\": \\"/home/user\\"}", "sessionId": "s-0123456789abcdef", "name": "get_file_info"}'
HEADERS = {"Content-Type": "application/json", "Authorization": "Bearer akm-floor"}


def asgi_rtt(endpoint: str, n: int, warmup: int) -> list[float]:
    """Sequential POST /rtt round trips on one kept-alive connection, JSON reply parsed."""
    times = []
    with httpx.Client(base_url=endpoint, headers=HEADERS) as client:
        for i in range(warmup + n):
            start = time.perf_counter()
            client.post("/rtt", content=SMALL_BODY).json()
            if i >= warmup:
                times.append(time.perf_counter() - start)
    return times


def asgi_echo(endpoint: str, payload: bytes, reps: int) -> list[float]:
    """POST `payload` to /echo and read it back: the transfer floor of a write then a read."""
    times = []
    with httpx.Client(base_url=endpoint, timeout=60) as client:
        client.post("/echo", content=b"warm").raise_for_status()
        for _ in range(reps):
            start = time.perf_counter()
            reply = client.post("/echo", content=payload)
            times.append(time.perf_counter() - start)
            if len(reply.content) != len(payload):
                raise RuntimeError("the floor app echoed a different body")
    return times


async def _asgi_loops(endpoint: str, workers: int, calls_each: int) -> tuple[float, list[float]]:
    host, port = endpoint.removeprefix("http://").rsplit(":", 1)
    head = f"POST /rtt HTTP/1.1\r\nhost: {host}:{port}\r\ncontent-type: application/json\r\n"
    request = f"{head}content-length: {len(SMALL_BODY)}\r\n\r\n".encode() + SMALL_BODY
    latencies: list[float] = []

    async def roundtrip(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(request)
        reply = await reader.readuntil(b"\r\n\r\n")
        length = next(int(line[15:]) for line in reply.split(b"\r\n") if line.lower().startswith(b"content-length:"))
        json.loads(await reader.readexactly(length))

    conns = [await asyncio.open_connection(host, int(port)) for _ in range(workers)]
    await asyncio.gather(*(roundtrip(*conn) for conn in conns))

    async def loop(conn: tuple[asyncio.StreamReader, asyncio.StreamWriter]) -> None:
        for _ in range(calls_each):
            start = time.perf_counter()
            await roundtrip(*conn)
            latencies.append(time.perf_counter() - start)

    start = time.perf_counter()
    await asyncio.gather(*(loop(conn) for conn in conns))
    wall = time.perf_counter() - start
    for _, writer in conns:
        writer.close()
    return wall, latencies


def asgi_loops(endpoint: str, workers: int, calls_each: int) -> tuple[float, list[float]]:
    """`workers` concurrent loops of POST /rtt, each on its own kept-alive connection, from a minimal
    asyncio client (no httpx: its async pool would be the bottleneck, not the server): (wall, latencies)."""
    return asyncio.run(_asgi_loops(endpoint, workers, calls_each))


def spawn_true(n: int) -> list[float]:
    """Spawn ``sh -c true`` and wait: what running a shell command costs before any sandbox."""
    times = []
    for _ in range(n + 2):
        start = time.perf_counter()
        subprocess.run(["/bin/sh", "-c", "true"], check=True)
        times.append(time.perf_counter() - start)
    return times[2:]


def bare_python_rss() -> int:
    """Resident memory of an idle interpreter (the sandbox agent is one, plus what it imports)."""
    proc = subprocess.Popen([sys.executable, "-I", "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        time.sleep(0.3)
        return rss_bytes([proc.pid])
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(10)


@dataclass
class KernelFloor:
    """A bare ipykernel (ipc transport), driven by jupyter_client: what a Jupyter kernel costs."""

    cold_start: float = 0.0  # start_kernel to the first execute reply
    # CPU of that start: the kernel process's, plus this process's from start_kernel to the reply (the
    # jupyter_client import, done before, is not counted; a sandbox's agent pays for its own)
    cold_cpu: float = 0.0
    cold_cpu_kernel: float = 0.0
    executes: list[float] = field(default_factory=list)
    rss: int = 0


def _execute(kc: Any, code: str) -> None:
    """Execute `code` and wait for its reply and the kernel going idle (what a run_code waits for)."""
    msg_id = kc.execute(code)
    while kc.get_shell_msg(timeout=30)["parent_header"].get("msg_id") != msg_id:
        pass
    while True:
        msg = kc.get_iopub_msg(timeout=30)
        if (
            msg["parent_header"].get("msg_id") == msg_id
            and msg["msg_type"] == "status"
            and msg["content"]["execution_state"] == "idle"
        ):
            return


def shell_start_cpu(python: str, n: int) -> float:
    """CPU (median of `n` fresh `python` processes) of only starting the interpreter, IPython's headless shell and
    one `1+1` in it, with nothing else (no pipes, no rich-output hooks, the garbage collector on): the floor under
    agb_local's Python runner (agent/py_runner.py), which is that shell."""
    code = (
        "import time\nfrom IPython.core.interactiveshell import InteractiveShell\n"
        "InteractiveShell.instance().run_cell('1+1', silent=True)\nprint(time.process_time())"
    )
    with tempfile.TemporaryDirectory(prefix="agb-bench-ipython-") as tmp:  # its profile directory, not ~/.ipython
        env = {**os.environ, "IPYTHONDIR": tmp}
        runs = [
            subprocess.run([python, "-c", code], capture_output=True, check=True, text=True, env=env) for _ in range(n)
        ]
    return sorted(float(run.stdout.split()[-1]) for run in runs)[n // 2]


def kernel_floor(n: int, warmup: int) -> KernelFloor:
    from jupyter_client import KernelManager

    out = KernelFloor()
    with tempfile.TemporaryDirectory(prefix="agb-bench-kernel-") as tmp:
        km = KernelManager(kernel_name="python3", transport="ipc")
        km.ip = str(Path(tmp) / "ipc")
        km.connection_file = str(Path(tmp) / "kernel.json")
        start, own_cpu = time.perf_counter(), time.process_time()
        km.start_kernel()
        kc = km.client()
        try:
            kc.start_channels()
            kc.wait_for_ready(timeout=60)
            _execute(kc, "1+1")
            out.cold_start = time.perf_counter() - start
            own_cpu = time.process_time() - own_cpu
            kernel_pid = km.provisioner.pid if km.provisioner is not None else None  # type: ignore[attr-defined]
            out.cold_cpu_kernel = cpu_seconds(descendants(kernel_pid)) if kernel_pid else 0.0
            out.cold_cpu = out.cold_cpu_kernel + own_cpu
            for i in range(warmup + n):
                begin = time.perf_counter()
                _execute(kc, "1+1")
                if i >= warmup:
                    out.executes.append(time.perf_counter() - begin)
            pid = km.provisioner.pid if km.provisioner is not None else None  # type: ignore[attr-defined]
            if pid:
                out.rss = rss_bytes(descendants(pid))
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
    return out
