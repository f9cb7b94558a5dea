"""/proc, read in one place: process stats, trees (for sandboxes without a cgroup), uids, arguments, memory.

The server, the benchmarks and the tests all read processes through these helpers.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from dataclasses import dataclass

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")  # 4 KiB on most machines, 16 or 64 KiB on some arm64 and ppc64 kernels
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")  # the unit of the times in /proc/<pid>/stat


@dataclass(frozen=True)
class ProcStat:
    """The fields of /proc/<pid>/stat in use here (proc(5) numbers them 1, 2, 3, 4, 14, 15, 22)."""

    pid: int
    name: str  # the command name, which may hold spaces and parentheses
    state: str  # R, S, D, T, Z (zombie), X (dead), ...
    ppid: int
    utime: int  # CPU time in user mode, in CLOCK_TICKS
    stime: int  # CPU time in kernel mode, in CLOCK_TICKS
    start: int  # start time in clock ticks after boot: with the pid, it names one process even if the pid is reused

    @property
    def running(self) -> bool:
        """Neither a zombie (exited, not yet waited for) nor dead."""
        return self.state not in ("Z", "X")

    @property
    def cpu_seconds(self) -> float:
        return (self.utime + self.stime) / CLOCK_TICKS


def parse_stat(pid: int, raw: bytes) -> ProcStat:
    # The name is in parentheses and may itself contain ") ": the fields start after the last ')'.
    close = raw.rfind(b")")
    name = raw[raw.find(b"(") + 1 : close].decode(errors="replace")
    fields = raw[close + 2 :].split()
    return ProcStat(
        pid=pid,
        name=name,
        state=fields[0].decode(),
        ppid=int(fields[1]),
        utime=int(fields[11]),
        stime=int(fields[12]),
        start=int(fields[19]),
    )


def stat(pid: int) -> ProcStat | None:
    """The process's stat, or None if there is no such process (any more)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return parse_stat(pid, fh.read())
    except (OSError, ValueError, IndexError):
        return None


def processes() -> list[ProcStat]:
    """Every process of the host (its pid namespace), as one snapshot; processes may come and go meanwhile."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            st = stat(int(entry))
            if st is not None:
                found.append(st)
    return found


def owners() -> set[int]:
    """The uids that own a process (its ``/proc/<pid>`` directory: the effective uid), as one snapshot."""
    found = set()
    with os.scandir("/proc") as entries:
        for entry in entries:
            if entry.name.isdigit():
                with contextlib.suppress(OSError):
                    found.add(entry.stat().st_uid)
    return found


def subtree(root: int, snapshot: Iterable[ProcStat] | None = None) -> list[ProcStat]:
    """The processes below ``root`` (not ``root`` itself), by parent links, zombies included."""
    children: dict[int, list[ProcStat]] = {}
    for st in processes() if snapshot is None else snapshot:
        children.setdefault(st.ppid, []).append(st)
    found: list[ProcStat] = []
    stack = [root]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child.pid)
    return found


def descendants(pid: int) -> list[int]:
    """``pid`` and all its descendants (a snapshot; processes may come and go)."""
    return [pid, *(st.pid for st in subtree(pid))]


def real_uid(pid: int) -> int | None:
    """The process's real uid, or None if there is no such process (any more)."""
    try:
        with open(f"/proc/{pid}/status", "rb") as fh:
            for line in fh:
                if line.startswith(b"Uid:"):
                    return int(line.split()[1])  # real, effective, saved, filesystem
    except (OSError, ValueError, IndexError):
        pass
    return None


def cmdline(pid: int) -> list[str]:
    """The process's arguments; none for a kernel thread, a zombie, or a process that is gone."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            raw = fh.read()
    except OSError:
        return []
    return [arg.decode(errors="replace") for arg in raw.split(b"\0")[:-1]]


def tasks(pids: Iterable[int]) -> int:
    """How many tasks (threads) ``pids`` have: what a pids cgroup or RLIMIT_NPROC counts."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            total += len(os.listdir(f"/proc/{pid}/task"))
    return total


def rss_bytes(pids: Iterable[int]) -> int:
    """The summed resident memory of ``pids`` (pages shared between them count once per process)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/statm", "rb") as fh:
                total += int(fh.read().split()[1]) * PAGE_SIZE
        except (OSError, ValueError, IndexError):
            pass
    return total
