"""Section 6, file transfer: ``session.file.upload`` / ``download`` (presigned URLs served by agb_local) against
the tool-call path for the same 8 MiB, and a big file each way against a raw loopback HTTP PUT/GET of the same
file to the floor app (the body to disk as it arrives, and back), with client and server RSS while moving it."""

from __future__ import annotations

import os
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from agb import Session
from agb.results import ApiResult

from . import floors
from .context import Bench
from .local import _text_payload
from .report import Report, Row
from .stats import Summary, fmt_mb, fmt_ms, fmt_summary_ms, ratio

SECTION = "7 file transfer (baseline = tool calls / raw HTTP)"
SMALL = 8 * 1024 * 1024
FLOOR_MIB_S = 200.0  # the target: at least this, or a third of the raw loopback PUT/GET measured beside it
RSS_BUDGET = 32 * 1024 * 1024
MIB = 1024 * 1024


def _rss(pid: int | str = "self") -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


class _PeakRss:
    """The highest RSS of this process and of the server while a block runs, sampled every 20 ms."""

    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid
        self.base = (_rss(), _rss(server_pid))
        self.peak = self.base
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = (max(self.peak[0], _rss()), max(self.peak[1], _rss(self.server_pid)))

    def __enter__(self) -> _PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def growth(self) -> tuple[int, int]:
        return self.peak[0] - self.base[0], self.peak[1] - self.base[1]


def _raw_put(client: httpx.Client, url: str, path: Path) -> float:
    start = time.perf_counter()
    with open(path, "rb") as f:
        response = client.put(url, content=f, headers={"content-length": str(path.stat().st_size)})
    response.raise_for_status()
    return time.perf_counter() - start


def _raw_get(client: httpx.Client, url: str, path: Path) -> float:
    start = time.perf_counter()
    with client.stream("GET", url) as response, open(path, "wb") as f:
        response.raise_for_status()
        for piece in response.iter_bytes(MIB):
            f.write(piece)
    return time.perf_counter() - start


def _timed(fn: Callable[[], ApiResult[Any]]) -> float:
    start = time.perf_counter()
    fn().unwrap()
    return time.perf_counter() - start


def _small_rows(bench: Bench, report: Report, session: Session, work: Path) -> None:
    reps = max(1, bench.plan.file_reps)
    payload = _text_payload(SMALL)
    local, back = work / "small.txt", work / "small-back.txt"
    local.write_text(payload)
    echo = Summary.of(floors.asgi_echo(bench.floor.endpoint, payload.encode(), reps))
    ours, tools = [], []
    for i in range(reps):
        remote = f"/home/user/bench-transfer-{i}.txt"
        start = time.perf_counter()
        session.file.upload(str(local), remote).unwrap()
        session.file.download(remote, str(back)).unwrap()
        ours.append(time.perf_counter() - start)
        if back.read_text() != payload:
            raise RuntimeError(f"{remote}: the download differs from the upload")
        start = time.perf_counter()
        session.file.write(remote, payload).unwrap()
        session.file.read(remote).unwrap()
        tools.append(time.perf_counter() - start)
        session.file.remove(remote)
    s, t = Summary.of(ours), Summary.of(tools)
    report.add(
        Row(
            SECTION,
            f"8 MiB upload then download (n={s.n}; {2 * SMALL / MIB / s.median:.0f} MiB/s; loopback echo "
            f"{fmt_ms(echo.median)})",
            fmt_summary_ms(s),
            f"50 KiB tool calls: {fmt_ms(t.median)}",
            ratio(s.median, t.median),
            target="<= 0.25x",
            passed=s.median <= 0.25 * t.median,
            data={"times_s": ours, "tool_times_s": tools, "echo_s": echo.median},
        )
    )


def _big_rows(bench: Bench, report: Report, session: Session, work: Path) -> None:
    plan = bench.plan
    size = plan.transfer_bytes
    local, back = work / "big.bin", work / "big-back.bin"
    with open(local, "wb") as f:
        block = os.urandom(MIB)
        for _ in range(size // MIB):
            f.write(block)
        f.write(block[: size % MIB])
    remote = "/home/user/bench-transfer.bin"
    ups, downs, raw_ups, raw_downs = [], [], [], []
    floor_url = f"{bench.floor.endpoint}/file"
    with httpx.Client(timeout=120) as raw, _PeakRss(bench.server.pid) as rss:
        for _ in range(plan.transfer_reps):
            ups.append(_timed(lambda: session.file.upload(str(local), remote, wait_timeout=120)))
            downs.append(_timed(lambda: session.file.download(remote, str(back), wait_timeout=120)))
            raw_ups.append(_raw_put(raw, floor_url, local))
            raw_downs.append(_raw_get(raw, floor_url, back))
    if back.stat().st_size != size:
        raise RuntimeError("the raw download is short")
    session.file.remove(remote)
    mib = size / MIB
    for what, ours, floor in (("upload", ups, raw_ups), ("download", downs, raw_downs)):
        o, f = Summary.of(ours), Summary.of(floor)
        rate, raw_rate = mib / o.median, mib / f.median
        report.add(
            Row(
                SECTION,
                f"{mib:g} MiB {what} (n={o.n}): {rate:.0f} MiB/s",
                fmt_summary_ms(o),
                f"raw loopback {'PUT' if what == 'upload' else 'GET'}: {raw_rate:.0f} MiB/s",
                ratio(o.median, f.median),
                target=f">= {FLOOR_MIB_S:g} MiB/s or >= 1/3 raw",
                passed=rate >= FLOOR_MIB_S or rate >= raw_rate / 3,
                data={"times_s": ours, "raw_times_s": floor},
            )
        )
    client, server = rss.growth
    moved = 2 * size * plan.transfer_reps
    report.add(
        Row(
            SECTION,
            f"RSS growth while moving {moved / MIB:g} MiB through agb_local: client / server",
            f"{fmt_mb(client)} / {fmt_mb(server)}",
            f"base {fmt_mb(rss.base[0])} / {fmt_mb(rss.base[1])}",
            target="< 32 MB each",
            passed=client < RSS_BUDGET and server < RSS_BUDGET,
            data={"client_growth": client, "server_growth": server, "moved": moved},
        )
    )


def run(bench: Bench, report: Report) -> None:
    session = bench.agb.get(bench.ensure_sessions(1)[0]).unwrap()
    with tempfile.TemporaryDirectory(prefix="agb-bench-transfer-") as folder:
        work = Path(folder)
        _small_rows(bench, report, session, work)
        _big_rows(bench, report, session, work)
