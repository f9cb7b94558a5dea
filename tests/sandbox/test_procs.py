"""agb_local.sandbox.procs, the one reader of /proc, against real processes of this machine."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from agb_local.sandbox import procs

# A child that names itself awkwardly, starts a grandchild, holds some memory, burns a little CPU, then waits.
CHILD = """
import subprocess, sys, time
with open('/proc/self/comm', 'w') as f:
    f.write(sys.argv[1])
grandchild = subprocess.Popen(['sleep', '60'])
held = bytearray(64 * 1024 * 1024)
for i in range(0, len(held), 4096):
    held[i] = 1  # touched, so resident
deadline = time.process_time() + 0.2
while time.process_time() < deadline:
    pass
print(grandchild.pid, flush=True)
time.sleep(60)
"""
AWKWARD_NAME = "a) b (c ) Z 1"  # parentheses, spaces and what look like fields; comm keeps 15 bytes


@pytest.fixture
def child() -> Iterator[tuple[subprocess.Popen[str], int]]:
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, AWKWARD_NAME], stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    assert proc.stdout is not None
    grandchild = int(proc.stdout.readline())
    try:
        yield proc, grandchild
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def test_stat_parses_an_awkward_name_and_the_fields_after_it(child: tuple[subprocess.Popen[str], int]) -> None:
    proc, grandchild = child
    st = procs.stat(proc.pid)
    assert st is not None
    assert st.pid == proc.pid and st.name == AWKWARD_NAME[:15] and st.ppid == os.getpid()
    assert st.state in ("R", "S") and st.running
    me = procs.stat(os.getpid())
    assert me is not None and me.start <= st.start  # started after us, in clock ticks since boot
    assert st.cpu_seconds >= 0.1  # it spun for 0.2 s of CPU
    sleeper = procs.stat(grandchild)
    assert sleeper is not None and sleeper.name == "sleep" and sleeper.ppid == proc.pid


def test_a_process_tree_from_one_snapshot(child: tuple[subprocess.Popen[str], int]) -> None:
    proc, grandchild = child
    below = {p.pid for p in procs.subtree(proc.pid)}
    assert below == {grandchild}
    assert procs.descendants(proc.pid) == [proc.pid, grandchild]
    mine = procs.descendants(os.getpid())
    assert mine[0] == os.getpid() and {proc.pid, grandchild} <= set(mine)
    assert proc.pid in {p.pid for p in procs.processes()}


def test_resident_memory_in_bytes_of_the_machine_s_page_size(child: tuple[subprocess.Popen[str], int]) -> None:
    proc, grandchild = child
    with open(f"/proc/{proc.pid}/status") as fh:  # the kernel's own figure in KiB, independent of page size
        vm_rss = next(int(line.split()[1]) * 1024 for line in fh if line.startswith("VmRSS:"))
    rss = procs.rss_bytes([proc.pid])
    assert rss >= 64 * 1024 * 1024
    assert abs(rss - vm_rss) <= 1024 * 1024  # the same counter, read twice
    assert procs.rss_bytes([proc.pid, grandchild]) > rss


def test_zombies_and_gone_processes() -> None:
    proc = subprocess.Popen(["sleep", "60"])
    proc.kill()
    deadline = time.monotonic() + 10
    while (st := procs.stat(proc.pid)) is not None and st.running and time.monotonic() < deadline:
        time.sleep(0.01)
    assert st is not None and st.state == "Z" and not st.running  # exited, not yet waited for
    proc.wait()
    assert procs.stat(proc.pid) is None
    assert procs.rss_bytes([proc.pid]) == 0
    assert procs.descendants(proc.pid) == [proc.pid]


def test_real_uid_and_arguments() -> None:
    # As root (the sandbox tests run so), a child under another uid; otherwise one under ours.
    uid = 54321 if os.geteuid() == 0 else os.getuid()
    args = ["sh", "-c", "sleep 60; :", "sh", "with spaces", ""]  # `; :` keeps the shell from exec'ing sleep
    proc = subprocess.Popen(args, user=uid)
    try:
        assert procs.real_uid(proc.pid) == uid
        assert procs.cmdline(proc.pid) == args
    finally:
        proc.kill()
        proc.wait()
    assert procs.real_uid(os.getpid()) == os.getuid()
    assert procs.real_uid(proc.pid) is None and procs.cmdline(proc.pid) == []
