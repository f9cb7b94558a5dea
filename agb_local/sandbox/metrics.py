"""``get_metrics``: one sandbox's resource use, from its own limits and accounting (host side).

CPU is the user+system time of the sandbox's processes and of the children they reaped (its cgroup's, else
its process tree's) between two calls, as a share of the CPUs it may use; memory is the memory cgroup's usage
(else the processes' resident memory) against the session's limit; disk is the quota measure against the
quota; network counts the interfaces of the sandbox's network namespace other than its loopback (none under
bubblewrap, so 0).
"""

from __future__ import annotations

import datetime
import os
import time
from dataclasses import dataclass, field

_TICK = os.sysconf("SC_CLK_TCK")


@dataclass
class Sample:
    """The previous call's CPU and network counters, for rates."""

    at: float = field(default_factory=time.monotonic)
    cpu_s: float = 0.0
    rx_bytes: int = 0
    tx_bytes: int = 0


def cpu_seconds(pids: set[int]) -> float:
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2 :].split()
        try:
            # utime and stime, plus cutime and cstime: the time of children it has reaped, so a command that
            # ran and ended between two calls still counts (a live process is never in anyone's cutime).
            total += sum(int(x) for x in fields[11:15])
        except (IndexError, ValueError):
            continue
    return total / _TICK


def network_bytes(pid: int) -> tuple[int, int]:
    """Received and sent bytes of the non-loopback interfaces seen by ``pid``'s network namespace."""
    rx = tx = 0
    try:
        with open(f"/proc/{pid}/net/dev") as fh:
            lines = fh.read().splitlines()[2:]
    except OSError:
        return 0, 0
    for line in lines:
        name, _, counters = line.partition(":")
        parts = counters.split()
        if name.strip() == "lo" or len(parts) < 9:
            continue
        rx += int(parts[0])
        tx += int(parts[8])
    return rx, tx


def cpu_limit(cpu_group: str | None) -> int:
    """CPUs a sandbox may use: its cgroup's CFS quota when one is set, else the CPUs the server may use."""
    available = len(os.sched_getaffinity(0)) or os.cpu_count() or 1
    if cpu_group:
        try:
            with (
                open(os.path.join(cpu_group, "cpu.cfs_quota_us")) as q,
                open(os.path.join(cpu_group, "cpu.cfs_period_us")) as p,
            ):
                quota, period = int(q.read()), int(p.read())
            if quota > 0 and period > 0:
                return max(1, min(available, -(-quota // period)))
        except (OSError, ValueError):
            pass
    return available


def measure(
    *,
    pids: set[int],
    netns_pid: int | None,
    cpu_group: str | None,
    memory_used: int | None,
    memory_total: int,
    disk_used: int,
    disk_total: int,
    previous: Sample,
) -> tuple[dict[str, object], Sample]:
    """The ``get_metrics`` document and the sample to compare the next call with."""
    from .procs import rss_bytes

    now = time.monotonic()
    cpus = cpu_limit(cpu_group)
    cpu_s = cpu_seconds(pids)
    rx, tx = network_bytes(netns_pid) if netns_pid else (0, 0)
    elapsed = max(now - previous.at, 1e-6)
    # Processes that exited take their time with them: a drop is no use, not negative use.
    used = max(cpu_s - previous.cpu_s, 0.0)
    pct = min(100.0, 100.0 * used / (elapsed * cpus))
    document: dict[str, object] = {
        "cpu_count": cpus,
        "cpu_used_pct": round(pct, 2),
        "mem_total": memory_total,
        "mem_used": memory_used if memory_used is not None else rss_bytes(pids),
        "disk_total": disk_total,
        "disk_used": disk_used,
        "rx_rate_kbyte_per_s": round(max(rx - previous.rx_bytes, 0) / 1024 / elapsed, 3),
        "tx_rate_kbyte_per_s": round(max(tx - previous.tx_bytes, 0) / 1024 / elapsed, 3),
        "rx_used_kbyte": round(rx / 1024, 3),
        "tx_used_kbyte": round(tx / 1024, 3),
        "timestamp": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    return document, Sample(now, cpu_s, rx, tx)
