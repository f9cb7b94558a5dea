"""Faults other than a dead server: a sandbox's agent or kernel killed from the host, the data dir's disk
full, and clients that disconnect in the middle of a call. Through the SDK and `agb-local serve` on loopback.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sqlite3
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from agb import AGB, AsyncAGB, Config
from agb.errors import ExecutionError, ServerError, ToolError
from agb_local.sandbox import procs

from .harness import (
    MARKS,
    ServerProcess,
    descendants,
    leaks,
    ms,
    record,
    sandbox_processes,
    session_uid,
    settled_snapshot,
    wait_until,
)

pytestmark = [*MARKS, pytest.mark.timeout(240)]

KEY = "akm-reliability-faults-77c0e5a1b3d94f28"


@pytest.fixture
def server(servers: Callable[..., ServerProcess]) -> Iterator[ServerProcess]:
    srv = servers("faults", keys=(KEY,), args=("--pool-size", "1"))
    srv.start()
    yield srv


@pytest.fixture
def agb(server: ServerProcess) -> Iterator[AGB]:
    with AGB(api_key=KEY, cfg=Config(endpoint=server.endpoint)) as client:
        yield client


def _pid_of(server: ServerProcess, session_id: str, kind: str) -> int:
    uid = session_uid(server.data_dir, session_id)
    found: list[int] = []
    assert wait_until(lambda: bool(found.extend(sandbox_processes(server.pid, uid).get(kind, [])) or found), 10)
    assert len(found) == 1, found
    return found[0]


# ----------------------------------------------------------------------------- agent and kernel killed


def test_agent_killed_from_the_host_gives_a_clear_error_then_recovers(server: ServerProcess, agb: AGB) -> None:
    session = agb.create().unwrap()
    assert session.file.write("/home/user/kept.txt", "kept").success
    assert session.code.run("x = 41").success

    outcome: dict[str, object] = {}

    def long_call() -> None:
        outcome["result"] = session.command.execute("sleep 30", timeout_ms=60_000)
        outcome["at"] = time.monotonic()

    caller = threading.Thread(target=long_call)
    caller.start()
    time.sleep(0.5)
    agent = _pid_of(server, session.session_id, "agent")
    killed = time.monotonic()
    os.kill(agent, signal.SIGKILL)
    caller.join(20)
    result = outcome["result"]
    assert isinstance(result.error, ToolError), result  # type: ignore[attr-defined]
    message = result.error_message  # type: ignore[attr-defined]
    assert "crashed" in message and "SIGKILL" in message and "Retry the call" in message, message
    error_s = float(outcome["at"]) - killed  # type: ignore[arg-type]

    again = time.monotonic()
    assert session.file.read("/home/user/kept.txt").unwrap() == "kept"
    echo = session.command.execute("echo back").unwrap()
    recovered_s = time.monotonic() - again
    assert echo.stdout == "back\n"
    assert _pid_of(server, session.session_id, "agent") != agent
    run = session.code.run("x")  # the kernel went with the agent: its state is lost, as the error said
    assert isinstance(run.error, ExecutionError) and run.error.name == "NameError"
    assert agb.delete(session).success
    record("fault_agent_killed", error_after_kill_ms=ms(error_s), next_calls_ok_after_ms=ms(recovered_s))


def test_kernel_killed_from_the_host_gives_kernel_died_then_recovers(server: ServerProcess, agb: AGB) -> None:
    session = agb.create().unwrap()
    assert session.code.run("import time\nstate = 'before'").success
    kernel = _pid_of(server, session.session_id, "kernel")

    async def scenario() -> tuple[object, float, float]:
        async with AsyncAGB(api_key=KEY, cfg=Config(endpoint=server.endpoint)) as aagb:
            asession = (await aagb.get(session.session_id)).unwrap()
            pending = asyncio.create_task(asession.code.run("time.sleep(30)", timeout_s=60))
            await asyncio.sleep(0.5)
            # Meanwhile the agent serves other tools: a shell call is not stuck behind the cell.
            started = time.monotonic()
            assert (await asession.command.execute("echo busy-kernel")).unwrap().stdout == "busy-kernel\n"
            shell_s = time.monotonic() - started
            killed = time.monotonic()
            os.kill(kernel, signal.SIGKILL)
            result = await asyncio.wait_for(pending, 20)
            return result, time.monotonic() - killed, shell_s

    result, error_s, shell_s = asyncio.run(scenario())
    assert isinstance(result.error, ExecutionError) and result.error.name == "KernelDied", result  # type: ignore[attr-defined]
    assert "restarted on the next run_code" in result.error_message  # type: ignore[attr-defined]
    started = time.monotonic()
    run = session.code.run("1 + 1")
    recovered_s = time.monotonic() - started
    assert run.unwrap().result == "2"
    assert _pid_of(server, session.session_id, "kernel") != kernel
    assert _pid_of(server, session.session_id, "agent")  # the agent itself was untouched
    assert agb.delete(session).success
    record(
        "fault_kernel_killed",
        error_after_kill_ms=ms(error_s),
        next_run_code_ms=ms(recovered_s),
        shell_while_cell_runs_ms=ms(shell_s),
    )


# ----------------------------------------------------------------------------- disk full


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "small-disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m,mode=0755", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_disk_full_fails_writes_clearly_and_corrupts_nothing(
    servers: Callable[..., ServerProcess], small_disk: Path
) -> None:
    server = servers("diskfull", keys=(KEY,), data_dir=small_disk / "data", args=("--pool-size", "1"))
    server.start()
    with AGB(api_key=KEY, cfg=Config(endpoint=server.endpoint)) as agb:
        filler = agb.create().unwrap()
        other = agb.create().unwrap()
        spare = agb.create().unwrap()
        assert spare.command.execute("head -c 8M /dev/zero > /home/user/eight-mib").unwrap().exit_code == 0
        v1 = "version one\n" * 100
        assert filler.file.write("/home/user/keep.txt", v1).success
        assert other.file.write("/home/user/other.txt", "other's file").success
        assert filler.code.run("state = 'kept'").success

        # Whether the registry's next write needs a new disk block depends on where its write-ahead log is;
        # right after a checkpoint (SQLite makes one by itself every 1000 pages) every write does.
        db = sqlite3.connect(server.data_dir / "registry.sqlite3")
        assert db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone() == (0, 0, 0)
        db.close()
        # The sandbox fills the whole disk (its own quota is far above 64 MiB).
        fill = filler.command.execute("dd if=/dev/zero of=/home/user/fill bs=1M", timeout_ms=60_000)
        assert fill.exit_code == 1 and "No space left on device" in fill.stderr, fill
        free_kib = os.statvfs(small_disk).f_bavail * os.statvfs(small_disk).f_frsize // 1024
        assert free_kib < 1024

        # Writes fail with a tool error that says why; an overwrite that fails leaves the old content.
        big = "version two\n" * 200_000
        failed = filler.file.write("/home/user/keep.txt", big[:40_000])
        assert isinstance(failed.error, ToolError) and "No space left on device" in failed.error_message, failed
        failed = other.file.write("/home/user/new.txt", "x" * 40_000)
        assert isinstance(failed.error, ToolError) and "No space left on device" in failed.error_message, failed
        assert filler.file.read("/home/user/keep.txt").unwrap() == v1
        # Everything that does not need disk keeps working, for every session.
        assert other.file.read("/home/user/other.txt").unwrap() == "other's file"
        assert other.command.execute("echo still-serving").unwrap().stdout == "still-serving\n"
        assert filler.code.run("state").unwrap().result == "'kept'"
        assert set(agb.list().session_ids) == {filler.session_id, other.session_id, spare.session_id}
        assert agb.get(other.session_id).success
        # What needs the registry fails with a clear API error, not a bare 500, and the server stays up.
        created = agb.create()
        assert isinstance(created.error, ServerError) and created.error.code == "InternalError.Storage", created
        assert "disk space" in created.error_message and "database or disk is full" in created.error_message
        labelled = other.set_labels({"after": "full"})
        assert isinstance(labelled.error, ServerError) and "disk space" in labelled.error_message, labelled
        assert agb.get(other.session_id).unwrap().get_labels().unwrap() == {}

        # Freeing the space through the API works while the disk is full: releasing a session (which frees its
        # files before recording the release), and delete_file. Then everything works again.
        assert agb.delete(spare).success
        assert os.statvfs(small_disk).f_bavail * os.statvfs(small_disk).f_frsize >= 7 * 2**20
        assert filler.file.remove("/home/user/fill").success
        assert filler.file.read("/home/user/keep.txt").unwrap() == v1
        assert filler.file.write("/home/user/keep.txt", "version three").success
        assert other.set_labels({"after": "freed"}).success
        third = agb.create().unwrap()
        assert third.command.execute("echo fresh").unwrap().stdout == "fresh\n"
        ids = {filler.session_id, other.session_id, third.session_id}
        assert set(agb.list().session_ids) == ids

    # Nothing is corrupt: the registry passes SQLite's integrity check and a restart finds everything.
    server.stop()
    db = sqlite3.connect(server.data_dir / "registry.sqlite3")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()
    server.restart()
    with AGB(api_key=KEY, cfg=Config(endpoint=server.endpoint)) as agb:
        assert set(agb.list().session_ids) == ids
        assert agb.get(other.session_id).unwrap().get_labels().unwrap() == {"after": "freed"}
        filler2 = agb.get(filler.session_id).unwrap()
        assert filler2.file.read("/home/user/keep.txt").unwrap() == "version three"
        other2 = agb.get(other.session_id).unwrap()
        assert other2.file.read("/home/user/other.txt").unwrap() == "other's file"
        for sid in ids:
            assert agb.delete(sid).success
    assert not leaks(server.log_text(), KEY)
    record("fault_disk_full", tmpfs_mib=64, writes_refused_with="No space left on device", registry_integrity="ok")


def test_a_restart_on_a_full_disk_says_so_and_the_next_one_finds_everything(
    servers: Callable[..., ServerProcess], small_disk: Path
) -> None:
    server = servers("fullstart", keys=(KEY,), data_dir=small_disk / "data", args=("--pool-size", "0"))
    server.start()
    with AGB(api_key=KEY, cfg=Config(endpoint=server.endpoint)) as agb:
        session = agb.create().unwrap()
        assert session.file.write("/home/user/kept.txt", "kept").success
    server.stop()
    filler = small_disk / "fill"
    subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=1M"], capture_output=True, check=False)
    with pytest.raises(RuntimeError) as refused:
        server.start(timeout=30)
    assert "cannot open the session registry" in str(refused.value) and "full" in str(refused.value)
    assert "Traceback" not in str(refused.value)
    filler.unlink()
    server.start()
    with AGB(api_key=KEY, cfg=Config(endpoint=server.endpoint)) as agb:
        assert agb.list().session_ids == [session.session_id]
        again = agb.get(session.session_id).unwrap()
        assert again.file.read("/home/user/kept.txt").unwrap() == "kept"
        assert agb.delete(again).success


# ----------------------------------------------------------------------------- clients that go away


def _send_and_drop(server: ServerProcess, body: bytes, after_s: float) -> None:
    """POST /mcp on a raw socket, then close it without reading the reply."""
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        head = (
            f"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {KEY}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        sock.sendall(head.encode() + body)
        time.sleep(after_s)


def test_clients_that_disconnect_mid_call_leave_the_server_and_session_fine(server: ServerProcess, agb: AGB) -> None:
    session = agb.create().unwrap()
    assert session.code.run("import time\nkept = 1").success
    before = settled_snapshot(server)

    # Raw HTTP: a long shell and a long cell, each abandoned half a second in.
    shell_args = json.dumps({"command": "sleep 2; echo finished >> /home/user/after.log", "timeout_ms": 10_000})
    cell_args = json.dumps({"code": "time.sleep(2)\nkept += 1", "language": "python", "timeout_s": 30})
    for name, args in (("shell", shell_args), ("run_code", cell_args)):
        body = json.dumps({"sessionId": session.session_id, "name": name, "args": args}).encode()
        _send_and_drop(server, body, 0.5)

    # The SDK's own way of going away: a coroutine cancelled mid-call closes its connection.
    async def cancelled_calls() -> None:
        async with AsyncAGB(api_key=KEY, cfg=Config(endpoint=server.endpoint)) as aagb:
            asession = (await aagb.get(session.session_id)).unwrap()
            for _ in range(20):
                with pytest.raises(TimeoutError):
                    await asyncio.wait_for(asession.command.execute("sleep 2", timeout_ms=10_000), 0.2)
            # the same client, connection pool and all, still works afterwards
            assert (await asession.command.execute("echo pool-ok")).unwrap().stdout == "pool-ok\n"

    asyncio.run(cancelled_calls())

    # The server and the session answer at once, while the abandoned calls still run.
    started = time.monotonic()
    assert agb.list().success
    assert session.command.execute("echo meanwhile").unwrap().stdout == "meanwhile\n"
    meanwhile_s = time.monotonic() - started
    # The abandoned calls run to their end (bounded by their own timeouts): an HTTP request is not cancelled
    # by its client going away. The kernel then takes the next cell.
    assert session.code.run("kept").unwrap().result == "2"
    assert wait_until(lambda: session.file.read("/home/user/after.log").content == "finished\n", 10)
    # ... and leave nothing behind: the sandbox's sleeps are gone, the server's fds back to what they were.
    uid = session_uid(server.data_dir, session.session_id)
    assert wait_until(lambda: _sleeps(server, uid) == 0, 10), _sleeps(server, uid)
    after = settled_snapshot(server, like=before)
    assert after.fds == before.fds, (before.fd_kinds, after.fd_kinds)
    assert agb.delete(session).success
    record("fault_client_disconnect", abandoned_calls=22, calls_answered_meanwhile_ms=ms(meanwhile_s))


def _sleeps(server: ServerProcess, uid: int) -> int:
    others = [p for p in descendants(server.pid) if p.kind == "other"]
    return sum(1 for p in others if procs.real_uid(p.pid) == uid and procs.cmdline(p.pid)[:1] == ["sleep"])
