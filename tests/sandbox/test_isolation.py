"""What a sandbox can and cannot see or touch of the host and of other sessions."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from agb_local.sandbox import SandboxManager

from .helpers import err, needs_bwrap, ok, sh

pytestmark = [needs_bwrap, pytest.mark.asyncio(loop_scope="session")]


async def test_runs_as_an_unprivileged_per_sandbox_uid(
    manager: SandboxManager, session: str, shared_session: str
) -> None:
    a = int((await sh(manager, session, "id -u"))["stdout"])
    b = int((await sh(manager, shared_session, "id -u"))["stdout"])
    assert a != b and a >= 200_000 and b >= 200_000
    status = (await sh(manager, session, "grep -E '^Cap(Eff|Prm|Bnd)' /proc/self/status"))["stdout"]
    assert status.count("0000000000000000") == 3  # no capabilities at all
    assert (await sh(manager, session, "whoami"))["stdout"] == "user\n"
    host_dir = manager.session_dir(session) / "home"
    assert host_dir.stat().st_uid == a  # files on the host belong to the sandbox's uid


async def test_host_files_are_invisible(manager: SandboxManager, session: str) -> None:
    assert "No such file" in await err(manager, session, "read_file", path="/etc/shadow")
    assert "No such file" in await err(manager, session, "read_file", path="../../../etc/shadow")
    await sh(manager, session, "ln -s /etc/shadow shadow-link")
    assert "No such file" in await err(manager, session, "read_file", path="shadow-link")
    # root's home holds only the bound Python prefix, nothing else of /root
    assert (await sh(manager, session, "ls -A /root"))["stdout"] in ("", ".pyenv\n")
    assert (await sh(manager, session, "cat /root/.bash_history"))["exit_code"] != 0
    # the repository and the data dir do not exist inside (only the venv may, read-only)
    listing = (await sh(manager, session, "ls -A /work/main 2>/dev/null || true"))["stdout"].split()
    assert set(listing) <= {".venv"}
    data_dir = str(manager.root)
    assert (await sh(manager, session, f"ls {data_dir}"))["exit_code"] != 0
    assert (await sh(manager, session, "ls /sys"))["exit_code"] != 0
    processes = (await sh(manager, session, "ps -eo user,comm --no-headers"))["stdout"]
    assert "uvicorn" not in processes and "pytest" not in processes


async def test_other_sessions_and_host_session_dir_unreachable(
    manager: SandboxManager, session: str, shared_session: str
) -> None:
    await ok(manager, shared_session, "write_file", path="secret.txt", content="other tenant")
    other_host = manager.session_dir(shared_session) / "home" / "secret.txt"
    assert other_host.read_text() == "other tenant"
    assert "No such file" in await err(manager, session, "read_file", path=str(other_host))
    await sh(manager, session, f"ln -s {manager.session_dir(shared_session)} other")
    assert "No such file" in await err(manager, session, "read_file", path="other/home/secret.txt")
    own_host = manager.session_dir(session)
    await sh(manager, session, f"ln -s {own_host} mine")
    assert "No such file" in await err(manager, session, "list_directory", path="mine")


async def test_host_runtimes_are_read_only(manager: SandboxManager, session: str) -> None:
    for path in ("/usr/bin/agb-test", "/etc/passwd", "/root/x", "/opt/agb/lib/agent/x.py"):
        text = await err(manager, session, "write_file", path=path, content="x")
        assert "Read-only file system" in text or "Permission denied" in text, (path, text)
    result = await sh(manager, session, "touch /usr/lib/x /x 2>&1; echo $?")
    assert result["stdout"].strip().endswith("1")
    # The base interpreter and the image's environment are read-only; only the session's own environment
    # (sys.prefix, where pip installs) is writable.
    probe = (
        "import sys, os, pandas; print([os.access(p, os.W_OK) for p in (sys.base_prefix, pandas.__file__, sys.prefix)])"
    )
    result = await sh(manager, session, f"python -c '{probe}'", timeout_ms=20_000)
    assert result["stdout"] == "[False, False, True]\n", result
    result = await sh(manager, session, "touch /opt/agb/images/x 2>&1")
    assert "Read-only file system" in result["stdout"]


async def test_no_network_to_the_host(manager: SandboxManager, session: str) -> None:
    hits: list[bytes] = []

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        hits.append(await reader.read(10))
        writer.close()

    server = await asyncio.start_server(handler, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        probe = (
            "import socket\n"
            f"try:\n    socket.create_connection(('127.0.0.1', {port}), timeout=2).sendall(b'hi'); print('connected')\n"
            "except OSError as e:\n    print(type(e).__name__)\n"
        )
        result = await sh(manager, session, f'python3 -c "{probe}"')
        assert result["stdout"].strip() in ("ConnectionRefusedError", "OSError")
        interfaces = (await sh(manager, session, "ls /sys/class/net 2>/dev/null || cat /proc/net/dev"))["stdout"]
        assert "eth" not in interfaces
    finally:
        server.close()
        await server.wait_closed()
    assert hits == []


async def test_sandbox_uid_cannot_touch_other_processes(manager: SandboxManager, session: str) -> None:
    # pid 1 is bwrap's init (host root, no caps): the sandbox user cannot signal it.
    result = await sh(manager, session, "kill -9 1 2>&1; echo $?")
    assert result["stdout"].strip().endswith("1")
    assert os.getpid() > 0 and manager.is_running(session)


async def test_home_survives_on_host(manager: SandboxManager, session: str) -> None:
    await ok(manager, session, "write_file", path="/home/user/keep.txt", content="k")
    await ok(manager, session, "write_file", path="/tmp/keep.txt", content="t")
    base = Path(manager.session_dir(session))
    assert (base / "home" / "keep.txt").read_text() == "k"
    assert (base / "tmp" / "keep.txt").read_text() == "t"
