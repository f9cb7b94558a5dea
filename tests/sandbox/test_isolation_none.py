"""isolation="none": no container, but file tool paths are still mapped into and kept inside the
session directory.  (Shell and code are NOT contained in this mode; that is documented.)"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from agb_local.sandbox import SandboxManager, procs

from .helpers import IMAGE, err, ok, py, sh, test_config

pytestmark = pytest.mark.asyncio(loop_scope="session")


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def plain(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[SandboxManager]:
    mgr = SandboxManager(test_config(tmp_path_factory.mktemp("agb-none"), isolation="none", pool_size=1))
    await mgr.start()
    await mgr.create("plain", IMAGE)  # very likely claims the warm one: its paths must follow
    yield mgr
    await mgr.close()


async def test_paths_map_into_the_session(plain: SandboxManager) -> None:
    base = plain.session_dir("plain")
    await ok(plain, "plain", "write_file", path="/home/user/a/b.txt", content="in home")
    await ok(plain, "plain", "write_file", path="rel.txt", content="relative")
    await ok(plain, "plain", "write_file", path="/tmp/t.txt", content="in tmp")
    assert (base / "home" / "a" / "b.txt").read_text() == "in home"
    assert (base / "home" / "rel.txt").read_text() == "relative"
    assert (base / "tmp" / "t.txt").read_text() == "in tmp"
    assert await ok(plain, "plain", "search_files", path="/home/user", pattern="b.txt") == "/home/user/a/b.txt"
    assert await ok(plain, "plain", "list_directory", path="/home/user") == "[DIR] a\n[FILE] rel.txt"


async def test_escapes_are_refused(plain: SandboxManager) -> None:
    for path in ("../../../etc/passwd", "/etc/passwd", "/home/user/../../etc/passwd", "/root"):
        assert "Access denied" in await err(plain, "plain", "read_file", path=path), path
    # The repo: refused, or (when the checkout itself lives under /tmp or /home/user, as a CI clone may)
    # read as the session's own /tmp/... path, which does not exist; never the host file.
    readme = str(Path(__file__).resolve().parents[2] / "README.md")
    message = await err(plain, "plain", "read_file", path=readme)
    assert "Access denied" in message or "No such file" in message, message
    await sh(plain, "plain", "ln -sf /etc/passwd pw && ln -sfn / rootlink")
    assert "resolves outside the sandbox" in await err(plain, "plain", "read_file", path="pw")
    assert "resolves outside" in await err(plain, "plain", "list_directory", path="rootlink")
    assert "Access denied" in await err(plain, "plain", "write_file", path="/usr/local/x", content="x")
    assert "Access denied" in await err(plain, "plain", "shell", command="pwd", timeout_ms=1000, cwd="/etc")


async def test_shell_and_code_run_in_the_session_home(plain: SandboxManager) -> None:
    home = str(plain.session_dir("plain") / "home")
    result = await sh(plain, "plain", 'pwd; echo "$HOME"; echo "$AGB_IMAGE"')
    assert result["stdout"] == f"{home}\n{home}\ncode_latest\n"
    assert json.loads(await ok(plain, "plain", "shell", command="pwd", timeout_ms=2000, cwd="/tmp/"))["stdout"] == (
        str(plain.session_dir("plain") / "tmp") + "\n"
    )
    cell = await py(plain, "plain", "import os; os.getcwd()")
    assert cell["result"][0]["text/plain"] == repr(home)


async def test_close_kills_the_process_tree(tmp_path: Path) -> None:
    mgr = SandboxManager(test_config(tmp_path, isolation="none", pool_size=0))
    await mgr.create("tree", IMAGE)
    await sh(mgr, "tree", 'nohup sleep 60 >/dev/null 2>&1 & echo $! > "$TMPDIR/pid"')
    pid = int((mgr.session_dir("tree") / "tmp" / "pid").read_text())
    assert Path(f"/proc/{pid}").exists()
    await mgr.close()
    st = procs.stat(pid)
    assert st is None or not st.running
