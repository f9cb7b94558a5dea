"""Hostile code, each case in its own session, while a bystander session keeps working.

The bystander runs `echo` through the SDK over and over; its median latency is measured before the suite
(baseline) and during each case, and must stay close to normal. Each case must end with a clear result (an
exit code, a tool error or an execution error that says what happened), its session must be usable (or
cleanly restarted) afterwards, and nothing outside it may change: the bystander's files, the host's files,
the data dir, the server.

The server runs with smaller limits than the defaults so the bombs go off quickly: 256 MiB of memory,
128 processes and 256 MiB of disk per sandbox. Its API key is the generated one in DATA_DIR/api-key, which
the sandboxes try to read.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from agb import AGB, Config
from agb.errors import ExecutionError, ToolError
from agb_local.sandbox import procs

from .harness import (
    MARKS,
    Listener,
    ServerProcess,
    descendants,
    leaks,
    ms,
    p50,
    record,
    sandbox_processes,
    session_uid,
    wait_until,
)

pytestmark = [*MARKS, pytest.mark.timeout(300)]

MEMORY_MB, PIDS, DISK_MB = 256, 128, 256
# The bystander's median latency during a case may grow to this many times its baseline, or by this much,
# whichever is larger: the machine has two cores, which a bomb is allowed to use.
SLOWDOWN_FACTOR, SLOWDOWN_ABS_S = 5.0, 0.25
REPO = Path(__file__).resolve().parents[2]


@dataclass
class Bystander:
    agb: AGB
    session: Any = None
    baseline: list[float] = field(default_factory=list)
    during: dict[str, list[float]] = field(default_factory=dict)

    def start(self) -> None:
        self.session = self.agb.create().unwrap()
        assert self.session.file.write("/home/user/mine.txt", "the bystander's file").success
        for _ in range(5):
            self.sample()  # warm up
        self.baseline = [self.sample() for _ in range(30)]

    def sample(self) -> float:
        started = time.monotonic()
        result = self.session.command.execute("echo pong", timeout_ms=30_000)
        elapsed = time.monotonic() - started
        assert result.success and result.stdout == "pong\n", result
        return elapsed

    @contextmanager
    def watching(self, case: str) -> Iterator[None]:
        """Sample continuously while the case runs; check the bystander stayed fast and its file intact."""
        samples: list[float] = []
        stop = threading.Event()
        errors: list[BaseException] = []

        def loop() -> None:
            while not stop.is_set():
                try:
                    samples.append(self.sample())
                except BaseException as exc:
                    errors.append(exc)
                    return
                time.sleep(0.05)

        thread = threading.Thread(target=loop)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join(60)
        assert not errors, errors
        assert samples, "the bystander got no call through during the case"
        self.during[case] = samples
        base = p50(self.baseline)
        assert p50(samples) < max(base * SLOWDOWN_FACTOR, base + SLOWDOWN_ABS_S), (case, base, p50(samples))
        assert self.session.file.read("/home/user/mine.txt").unwrap() == "the bystander's file"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    base = tmp_path_factory.mktemp("hostile")
    srv = ServerProcess(
        base / "data",
        base / "server.log",
        args=(
            *("--memory-limit-mb", str(MEMORY_MB)),
            *("--pids-limit", str(PIDS)),
            *("--disk-limit-mb", str(DISK_MB)),
        ),
    )
    srv.start()
    yield srv
    srv.stop()
    assert not leaks(srv.log_text(), srv.api_key)


@pytest.fixture(scope="module")
def agb(server: ServerProcess) -> Iterator[AGB]:
    with AGB(api_key=server.api_key, cfg=Config(endpoint=server.endpoint)) as client:
        yield client


@pytest.fixture(scope="module")
def bystander(agb: AGB) -> Iterator[Bystander]:
    b = Bystander(agb)
    b.start()
    yield b
    record(
        "hostile_code_bystander_p50_ms",
        baseline=ms(p50(b.baseline)),
        **{case: ms(p50(samples)) for case, samples in b.during.items()},
    )
    b.agb.delete(b.session)


@pytest.fixture
def hostile(agb: AGB) -> Iterator[Any]:
    session = agb.create().unwrap()
    yield session
    assert agb.delete(session).success


def _processes(server: ServerProcess, session: Any) -> int:
    uid = session_uid(server.data_dir, session.session_id)
    return sum(len(v) for v in sandbox_processes(server.pid, uid).values())


# ----------------------------------------------------------------------------- CPU, processes, memory


def test_infinite_loops(hostile: Any, bystander: Bystander) -> None:
    assert hostile.code.run("kept = 'state'").success
    with bystander.watching("infinite_loop"):
        started = time.monotonic()
        run = hostile.code.run("while True:\n    pass", timeout_s=3)
        shell = hostile.command.execute("while :; do :; done", timeout_ms=3000)
        took = time.monotonic() - started
    assert isinstance(run.error, ExecutionError) and run.error.name == "TimeoutError", run
    assert "interrupted" in run.error.value and "state" in run.error.value
    assert hostile.code.run("kept").unwrap().result == "'state'"  # interrupted, not restarted
    assert shell.exit_code == 124 and "exceeded timeout_ms=3000" in shell.stderr, shell
    assert took < 12


def test_fork_bombs(server: ServerProcess, hostile: Any, bystander: Bystander) -> None:
    with bystander.watching("fork_bomb"):
        # In the foreground: killed with its process group at the call's timeout.
        fore = hostile.command.execute(":(){ :|:& };:; sleep 30", timeout_ms=3000)
        # In the background: the call returns at once and the bomb rages on. Calls squeeze through (slowly) or,
        # when none can start for 2 s, the sandbox is restarted; the user can always end it with kill -9 -1.
        back = hostile.command.execute(":(){ :|:& };:", timeout_ms=3000)
        peak = _processes(server, hostile)
        during = [hostile.command.execute("echo usable", timeout_ms=10_000) for _ in range(3)]
        end = hostile.command.execute("kill -9 -1; sleep 5", timeout_ms=10_000)
        # In the kernel: the forks end with the kernel.
        run = hostile.code.run("import os\nwhile True:\n    os.fork()", timeout_s=4)
    assert fore.exit_code == 124 and "killed with its process group" in fore.stderr, fore
    assert back.exit_code == 0, back
    assert peak <= PIDS + 4, peak
    for answer in during:
        # Squeezed through, or the sandbox was restarted: for the process limit, or because the bomb left the
        # agent unable to start a thread and it died (both end in a restart and a clear error).
        crashed = isinstance(answer.error, ToolError) and "sandbox crashed" in answer.error_message
        assert answer.stdout == "usable\n" or _restarted(answer) or crashed, answer
    assert isinstance(end.error, ToolError) and ("sandbox crashed" in end.error_message or _restarted(end)), end
    assert run.error is not None and run.error.name in ("KernelDied", "TimeoutError", "BlockingIOError"), run
    assert hostile.command.execute("echo usable").unwrap().stdout == "usable\n"
    assert hostile.code.run("6 * 7").unwrap().result == "42"
    assert _processes(server, hostile) <= 8  # bwrap, its init, the agent, the kernel: no bomb left


def test_processes_holding_every_slot_get_the_sandbox_restarted(
    server: ServerProcess, hostile: Any, bystander: Bystander
) -> None:
    assert hostile.file.write("/home/user/kept.txt", "kept").success
    with bystander.watching("every_slot_taken"):
        hold = hostile.command.execute(f"(for i in $(seq {PIDS * 2}); do sleep 600 & done) >/dev/null 2>&1 &")
        assert wait_until(lambda: _processes(server, hostile) >= PIDS - 12, 20)
        started = time.monotonic()
        stuck = hostile.command.execute("echo usable", timeout_ms=10_000)
        stuck_s = time.monotonic() - started
    assert hold.exit_code == 0, hold
    assert _restarted(stuck), stuck  # no call could start for 2 s: restarted, and it says so
    assert 2.0 <= stuck_s < 10, stuck_s
    assert hostile.command.execute("echo usable").unwrap().stdout == "usable\n"
    assert hostile.file.read("/home/user/kept.txt").unwrap() == "kept"
    assert _processes(server, hostile) <= 8
    record("hostile_every_slot_taken", call_answered_after_s=round(stuck_s, 2))


def _restarted(result: Any) -> bool:
    text = result.error_message or ""
    return isinstance(result.error, ToolError) and "process limit" in text and "was restarted" in text


def test_memory_bombs(hostile: Any, bystander: Bystander) -> None:
    with bystander.watching("memory_bomb"):
        run = hostile.code.run("x = []\nwhile True:\n    x.append(b'x' * 10**7)", timeout_s=30)
        shell = hostile.command.execute("python3 -c \"x = []\nwhile True: x.append(b'x' * 10**7)\"", timeout_ms=30_000)
    assert isinstance(run.error, ExecutionError) and run.error.name in ("KernelDied", "MemoryError"), run
    assert "out of memory" in run.error_message or run.error.name == "MemoryError"
    assert shell.exit_code == 137 and "out of memory" in shell.stderr, shell  # SIGKILL by the OOM killer
    assert hostile.code.run("1 + 1").unwrap().result == "2"


# ----------------------------------------------------------------------------- disk and output


def test_filling_the_disk(server: ServerProcess, hostile: Any, bystander: Bystander) -> None:
    with bystander.watching("disk_fill"):
        # RLIMIT_FSIZE stops one file at the quota, which puts the session at its quota.
        one = hostile.command.execute(f"dd if=/dev/zero of=big bs=1M count={DISK_MB + 64}", timeout_ms=60_000)
        time.sleep(0.5)  # the quota is measured right after each writing call, in the background
        more = hostile.command.execute("dd if=/dev/zero of=more bs=1M count=64", timeout_ms=60_000)
        refused = hostile.file.write("/home/user/after.txt", "no room")
    assert one.exit_code == 128 + 25 and "SIGXFSZ" in one.stderr and "disk quota" in one.stderr, one
    for result in (more, refused):
        assert isinstance(result.error, ToolError) and "Disk quota exceeded" in result.error_message, result
    session_dir = server.data_dir / "sandboxes" / hostile.session_id
    used = sum(f.stat().st_size for f in session_dir.rglob("*") if f.is_file())
    assert used <= (DISK_MB + 64 + 1) * 2**20  # the cap, plus what a running writer overshoots by
    # Reads and deletes still work, and deleting brings the session back under its quota.
    assert hostile.file.info("/home/user/big").success
    assert hostile.file.remove("/home/user/big").success
    time.sleep(0.5)
    assert hostile.file.write("/home/user/after.txt", "room again").success


def test_gigabytes_of_output(server: ServerProcess, hostile: Any, bystander: Bystander) -> None:
    rss_before = _rss_mib(server.pid)
    with bystander.watching("output_flood"):
        started = time.monotonic()
        shell = hostile.command.execute("head -c 3G /dev/zero | tr '\\0' x", timeout_ms=60_000)
        shell_s = time.monotonic() - started
        run = hostile.code.run("for _ in range(200_000):\n    print('y' * 10_000)", timeout_s=20)
    assert shell.exit_code == 0 and len(shell.stdout) < 1_100_000, len(shell.stdout)
    assert "output truncated" in shell.stdout and "bytes omitted" in shell.stdout
    assert shell_s < 30
    # Python's output is capped the same way, unless the flood kills the kernel first; either is a clear end.
    stdout = "".join(run.logs.stdout)
    assert len(stdout) < 1_100_000
    assert run.success or (run.error is not None and run.error.name in ("KernelDied", "TimeoutError")), run
    assert _rss_mib(server.pid) < rss_before + 100  # the server kept only the capped output
    assert hostile.command.execute("echo after").unwrap().stdout == "after\n"
    record("hostile_output_flood", shell_3gib_s=round(shell_s, 1), python_outcome=run.error.name if run.error else "ok")


def _rss_mib(pid: int) -> float:
    return procs.rss_bytes([pid]) / 2**20


# ----------------------------------------------------------------------------- reaching out


def test_no_socket_reaches_the_host(server: ServerProcess, hostile: Any, bystander: Bystander) -> None:
    listener = Listener()
    try:
        code = (
            "import socket\nresults = []\n"
            f"for port in ({listener.port}, {server.port}):\n"
            "    try:\n"
            "        socket.create_connection(('127.0.0.1', port), timeout=2).close()\n"
            "        results.append('connected')\n"
            "    except OSError as exc:\n"
            "        results.append(type(exc).__name__)\n"
            "results"
        )
        with bystander.watching("host_socket"):
            run = hostile.code.run(code, timeout_s=20)
            shell = hostile.command.execute(
                f"exec 3<>/dev/tcp/127.0.0.1/{listener.port} && echo connected", timeout_ms=10_000
            )
        assert run.unwrap().result == "['ConnectionRefusedError', 'ConnectionRefusedError']"
        assert shell.exit_code != 0 and "connected" not in shell.stdout, shell
        assert listener.accepted == 0
    finally:
        listener.close()


def test_host_files_stay_unreadable(server: ServerProcess, hostile: Any, agb: AGB, bystander: Bystander) -> None:
    other = agb.create().unwrap()
    try:
        assert other.file.write("/home/user/secret.txt", "other-tenant-secret-0d9e").success
        key = server.api_key
        targets = [
            "/etc/shadow",
            str(REPO / "README.md"),
            str(REPO / "agb_local" / "service.py"),
            str(server.data_dir / "api-key"),
            str(server.data_dir / "registry.sqlite3"),
            str(server.data_dir / "sandboxes" / other.session_id / "home" / "secret.txt"),
            "/proc/1/root/etc/hostname",
            "/root/.bash_history",
        ]
        # The key and the other session's secret, searched everywhere the sandbox can see (but the read-only
        # system and Python trees); the key is split so that the search's own source does not contain it.
        half = len(key) // 2
        search = (
            "import os\n"
            f"needles = [{key[:half]!r} + {key[half:]!r}, 'other-tenant-' + 'secret-0d9e']\n"
            "import sys\nskip = ('/proc', '/sys', '/usr', '/dev', sys.base_prefix, sys.prefix)\n"
            "found = []\n"
            "for root, dirs, files in os.walk('/'):\n"
            "    dirs[:] = [d for d in dirs if not os.path.join(root, d).startswith(skip)]\n"
            "    for name in files:\n"
            "        path = os.path.join(root, name)\n"
            "        try:\n"
            "            data = open(path, 'rb').read(1 << 22)\n"
            "        except OSError:\n"
            "            continue\n"
            "        found += [path for n in needles if n.encode() in data]\n"
            "for pid in os.listdir('/proc'):\n"
            "    for part in ('environ', 'cmdline'):\n"
            "        try:\n"
            "            data = open(f'/proc/{pid}/{part}', 'rb').read()\n"
            "        except OSError:\n"
            "            continue\n"
            "        found += [f'/proc/{pid}/{part}' for n in needles if n.encode() in data]\n"
            "found"
        )
        with bystander.watching("read_host_files"):
            tool_reads = {t: hostile.file.read(t) for t in targets}
            shell = hostile.command.execute(
                "for f in " + " ".join(f"'{t}'" for t in targets) + '; do cat "$f" 2>&1 | head -c 200; echo; done',
                timeout_ms=20_000,
            )
            scan = hostile.code.run(search, timeout_s=60)
        for target, result in tool_reads.items():
            assert not result.success, (target, result.content[:200])
            assert "No such file or directory" in result.error_message or "Permission denied" in result.error_message
        assert "other-tenant" not in shell.stdout and key not in shell.stdout
        assert "root:" not in shell.stdout  # /etc/shadow's first line
        assert scan.unwrap().result == "[]", scan.result
        # What the sandbox may read of /proc is its own (and pseudo-files read whole, though their size says 0).
        own = hostile.file.read("/proc/self/status").unwrap()
        assert f"Uid:\t{session_uid(server.data_dir, hostile.session_id)}" in own
    finally:
        agb.delete(other)


def test_symlinks_and_dotdot_through_the_file_tools(server: ServerProcess, hostile: Any, bystander: Bystander) -> None:
    data = server.data_dir
    host_passwd = hashlib.sha256(Path("/etc/passwd").read_bytes()).hexdigest()
    assert hostile.file.write("/home/user/keep/me.txt", "still here").success
    links = {"root": "/", "data": str(data), "passwd": "/etc/passwd", "pid1": "/proc/1/root", "home": "/home/user"}
    made = hostile.command.execute(
        "cd /home/user && " + " && ".join(f"ln -s '{t}' {n}" for n, t in links.items()) + " && ln -s /home/user /tmp/h"
    )
    assert made.exit_code == 0, made
    with bystander.watching("symlinks_dotdot"):
        reads = {
            p: hostile.file.read(p)
            for p in (
                "/home/user/../../etc/shadow",
                "../../../../etc/shadow",
                "/home/user/root/etc/shadow",
                "/home/user/data/api-key",
                "/home/user/data/registry.sqlite3",
                "/home/user/pid1/etc/hostname",
                str(data / "api-key"),
            )
        }
        writes = {
            p: hostile.file.write(p, "evil")
            for p in ("/home/user/passwd", "/home/user/root/usr/bin/evil", "/home/user/../../etc/evil", "/etc/evil")
        }
        deletes = {
            p: hostile.file.remove(p)
            for p in (
                "//",
                "//home/user",
                "/home/user/.",
                "/tmp/..",
                "/tmp/h/",
                "/home/user/root/home/user",
                "/home/user/home/",
            )
        }
        moves = {src: hostile.file.move(src, "/tmp/stolen") for src in ("/home/user", "/home/user/home/", "//tmp")}
    for p, r in reads.items():
        assert not r.success and ("No such file" in r.error_message or "Permission denied" in r.error_message), p
    for p, r in writes.items():
        assert isinstance(r.error, ToolError), (p, r)
        assert "Read-only file system" in r.error_message or "Permission denied" in r.error_message, (p, r)
    for p, r in deletes.items():
        assert isinstance(r.error, ToolError) and "Refusing to delete" in r.error_message, (p, r)
    for p, r in moves.items():
        assert isinstance(r.error, ToolError) and "Refusing to move" in r.error_message, (p, r)
    # Nothing moved, on either side: the session's files and links, the host's files, the data dir.
    assert hostile.file.read("/home/user/keep/me.txt").unwrap() == "still here"
    names = {e["name"] for e in hostile.file.list("/home/user").unwrap()}
    assert set(links) | {"keep"} <= names
    assert hostile.file.remove("/home/user/root").success  # a symlink is removed, not what it points to
    assert hostile.file.read("/home/user/keep/me.txt").unwrap() == "still here"
    assert hashlib.sha256(Path("/etc/passwd").read_bytes()).hexdigest() == host_passwd
    assert (data / "api-key").read_text().strip() == server.api_key and (data / "registry.sqlite3").exists()


def test_killing_its_own_agent(server: ServerProcess, hostile: Any, bystander: Bystander) -> None:
    assert hostile.file.write("/home/user/kept.txt", "kept").success
    with bystander.watching("kill_own_agent"):
        first = hostile.command.execute("kill -9 $PPID; sleep 5", timeout_ms=10_000)
        second = hostile.command.execute("kill -9 -1; sleep 5", timeout_ms=10_000)
    for result in (first, second):
        assert isinstance(result.error, ToolError), result
        assert "sandbox crashed" in result.error_message and "restarted" in result.error_message
    assert hostile.command.execute("echo alive").unwrap().stdout == "alive\n"
    assert hostile.file.read("/home/user/kept.txt").unwrap() == "kept"
    assert server.running() and len(descendants(server.pid)) > 0
