"""Load: 64 concurrent SDK clients for AGB_RELIABILITY_DURATION seconds (30 by default) doing the realistic mix
of workload.py against `agb-local serve` on loopback.

Passes when no call failed at all (so 0 server errors), every write read back identical (right after writing
it and again before the session was deleted), and once every session is deleted the server owns exactly what
it owned before the load: the same processes by kind (the warm pool's sandboxes), the same number of open fds,
no session directory, no extra cgroup. Then a clean shutdown leaves nothing behind at all.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable

import pytest

from agb import AGB, Config
from agb_local.sandbox import procs

from .harness import (
    CLIENTS,
    DURATION_S,
    MARKS,
    ServerProcess,
    alive,
    capture_sdk_log,
    cgroup_dirs,
    leaks,
    ms,
    pct,
    record,
    registry_rows,
    settled_snapshot,
    snapshot,
)
from .workload import Ledger, Plan, run_clients

pytestmark = [*MARKS, pytest.mark.timeout(DURATION_S + 180)]

KEYS = ("akm-reliability-load-tenant-a-5f1e0c9d2b", "akm-reliability-load-tenant-b-8a7c6e4f31")


class Sampler:
    """Peak server RSS, sandbox processes and session directories, sampled every half second."""

    def __init__(self, server: ServerProcess) -> None:
        self.server = server
        self.peak_rss_mb = 0.0
        self.peak_processes = 0
        self.peak_sessions = 0
        self.peak_fds = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            try:
                snap = snapshot(self.server)
            except OSError:
                continue
            self.peak_rss_mb = max(self.peak_rss_mb, procs.rss_bytes([self.server.pid]) / 2**20)
            self.peak_processes = max(self.peak_processes, sum(snap.processes.values()))
            self.peak_sessions = max(self.peak_sessions, len(snap.session_dirs))
            self.peak_fds = max(self.peak_fds, snap.fds)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)


def test_64_clients_mixed_load_loses_nothing_and_leaves_nothing(servers: Callable[..., ServerProcess]) -> None:
    server = servers("load", keys=KEYS)
    server.start()
    before = settled_snapshot(server)
    assert before.session_dirs == [] and before.processes["bwrap"] >= 1, before.summary()

    ledger = Ledger()
    plan = Plan(deadline=time.monotonic() + DURATION_S, labels={"suite": "reliability-load"})

    async def both_tenants() -> None:
        half = CLIENTS // 2
        await asyncio.gather(
            run_clients(half, KEYS[0], server.endpoint, ledger, plan, seed=1),
            run_clients(CLIENTS - half, KEYS[1], server.endpoint, ledger, plan, seed=2),
        )

    started = time.monotonic()
    with capture_sdk_log() as sdk_log, Sampler(server) as peak:
        asyncio.run(both_tenants())
    elapsed = time.monotonic() - started

    # Nothing failed, nothing was lost.
    failures = ledger.failures()
    assert not failures, f"{len(failures)} failed calls, by error: {ledger.by_error()}; first: {failures[:5]}"
    assert not ledger.mismatches, ledger.mismatches[:10]
    sessions = list(ledger.sessions.values())
    assert sessions and all(st.deleted for st in sessions)

    # Nothing is left: not in the API, not in the registry, not on the machine.
    for key in KEYS:
        with AGB(api_key=key, cfg=Config(endpoint=server.endpoint)) as agb:
            assert list(agb.list_all()) == []
    assert registry_rows(server.data_dir) == []
    after = settled_snapshot(server, like=before)
    assert after.summary() == before.summary(), (
        f"leftovers after the load: before {before.summary()}, after {after.summary()}, "
        f"fds before {dict(before.fd_kinds)}, after {dict(after.fd_kinds)}"
    )

    # The key is nowhere in the server's debug log or the SDK's debug log.
    for key in KEYS:
        assert not leaks(server.log_text(), key)
        assert not leaks(sdk_log.text(), key)
    assert "Traceback" not in server.log_text()

    # A clean shutdown leaves nothing behind: no sandbox process, no cgroup, no pool directory.
    owned, pid = after.procs, server.pid
    server.stop()
    assert not alive(owned)
    assert cgroup_dirs(pid) == []
    assert list((server.data_dir / "sandboxes").iterdir()) == []

    lat = ledger.latencies()
    total = len(ledger.ops)
    # Calls completed per 5 s of the run: the first seconds are kernel starts (one per Python session, all at
    # once), after which the same machine serves many more calls per second.
    buckets = [0] * (int(elapsed // 5) + 1)
    for op in ledger.ops:
        buckets[min(len(buckets) - 1, int((op.end - started) // 5))] += 1
    steady = [op for op in ledger.ops if op.start - started > 15 and op.end < plan.deadline]
    steady_span = max(1e-9, plan.deadline - started - 15)
    record(
        "load",
        clients=CLIENTS,
        seconds=round(elapsed, 1),
        calls=total,
        calls_per_s=round(total / elapsed, 1),
        calls_per_5s=buckets,
        calls_per_s_after_15s=round(len(steady) / steady_span, 1) if steady_span > 1 else None,
        failed_calls=len(failures),
        sessions_created=len(sessions),
        lost_or_corrupt_writes=len(ledger.mismatches),
        mib_verified=round(ledger.bytes_verified / 2**20, 1),
        peak_sessions=peak.peak_sessions,
        peak_sandbox_processes=peak.peak_processes,
        peak_server_rss_mib=round(peak.peak_rss_mb, 1),
        peak_server_fds=peak.peak_fds,
        leftovers_before=before.summary(),
        leftovers_after=after.summary(),
        **{
            f"{name}_ms_p50_p95_p99": [ms(pct(v, 0.5)), ms(pct(v, 0.95)), ms(pct(v, 0.99))]
            for name, v in sorted(lat.items())
        },
    )
