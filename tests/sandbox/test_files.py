"""The file tools: exact output formats, error texts, byte-offset reads, change events."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agb_local.sandbox import SandboxManager

from .helpers import call, err, needs_bwrap, ok, sh

pytestmark = [needs_bwrap, pytest.mark.asyncio(loop_scope="session")]


async def test_write_read_overwrite_append_and_parents(manager: SandboxManager, session: str) -> None:
    assert await ok(manager, session, "write_file", path="/home/user/a/b/c.txt", content="one\n") == (
        "Successfully wrote to /home/user/a/b/c.txt"
    )
    assert await ok(manager, session, "write_file", path="a/b/c.txt", content="two\n", mode="append") == (
        "Successfully appended to a/b/c.txt"
    )
    assert await ok(manager, session, "read_file", path="/home/user/a/b/c.txt") == "one\ntwo\n"
    await ok(manager, session, "write_file", path="a/b/c.txt", content="")
    assert await ok(manager, session, "read_file", path="a/b/c.txt") == ""
    text = await err(manager, session, "write_file", path="a/b/c.txt", content="x", mode="insert")
    assert "mode" in text


async def test_read_errors(manager: SandboxManager, session: str) -> None:
    assert await err(manager, session, "read_file", path="/home/user/nope.txt") == (
        "No such file or directory: /home/user/nope.txt"
    )
    await ok(manager, session, "create_directory", path="d")
    assert await err(manager, session, "read_file", path="d") == "Is a directory: d"
    assert "Missing required argument 'path'" in await err(manager, session, "read_file")
    assert "'path'" in await err(manager, session, "read_file", path=5)
    assert "'offset'" in await err(manager, session, "read_file", path="x", offset=-1)
    assert "'format'" in await err(manager, session, "read_file", path="x", format="hex")
    await sh(manager, session, "mkfifo fifo")
    assert await err(manager, session, "read_file", path="fifo") == "Not a regular file: fifo"


async def test_read_byte_offsets(manager: SandboxManager, session: str) -> None:
    await ok(manager, session, "write_file", path="abc.txt", content="0123456789")
    assert await ok(manager, session, "read_file", path="abc.txt", offset=3, length=4) == "3456"
    assert await ok(manager, session, "read_file", path="abc.txt", offset=8) == "89"
    assert await ok(manager, session, "read_file", path="abc.txt", length=2) == "01"
    assert await ok(manager, session, "read_file", path="abc.txt", offset=50, length=5) == ""


TEXT = "héllo wörld → ünïcödé ✓ 𝄞 music 😀 emoji, 中文字符, ascii tail.\n" * 3


async def _chunked_read(manager: SandboxManager, sid: str, path: str, chunk: int, fmt: str | None = None) -> list[str]:
    info = await ok(manager, sid, "get_file_info", path=path)
    size = int(info.splitlines()[0].split(": ")[1])
    parts = []
    for offset in range(0, size, chunk):
        args = {"path": path, "offset": offset, "length": min(chunk, size - offset)}
        if fmt:
            args["format"] = fmt
        parts.append(await ok(manager, sid, "read_file", **args))
    return parts


async def test_multibyte_chunks_concatenate_to_the_original(manager: SandboxManager, session: str) -> None:
    await ok(manager, session, "write_file", path="u.txt", content=TEXT)
    for chunk in (7, 1, 2, 3, 5):
        parts = await _chunked_read(manager, session, "u.txt", chunk)
        assert "".join(parts) == TEXT, chunk
        assert not any("\ufffd" in p for p in parts)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(min_size=1, max_size=60), chunk=st.integers(min_value=1, max_value=9))
async def test_chunked_text_reads_round_trip(
    manager: SandboxManager, shared_session: str, text: str, chunk: int
) -> None:
    text = text.encode("utf-8", "replace").decode("utf-8").replace("\r", "")  # what write_file can carry
    if not text:
        return
    await ok(manager, shared_session, "write_file", path="prop.txt", content=text)
    assert "".join(await _chunked_read(manager, shared_session, "prop.txt", chunk)) == text


async def test_binary_round_trip(manager: SandboxManager, session: str) -> None:
    result = await sh(manager, session, "head -c 3001 /dev/urandom > blob.bin && sha256sum blob.bin")
    digest = result["stdout"].split()[0]
    parts = await _chunked_read(manager, session, "blob.bin", 1000, fmt="binary")
    data = b"".join(base64.b64decode(p) for p in parts)
    assert len(data) == 3001
    assert hashlib.sha256(data).hexdigest() == digest


async def test_get_file_info_format(manager: SandboxManager, session: str) -> None:
    await ok(manager, session, "write_file", path="i.txt", content="12345")
    await sh(manager, session, "chmod 640 i.txt")
    lines = (await ok(manager, session, "get_file_info", path="i.txt")).splitlines()
    keys = [line.split(": ", 1)[0] for line in lines]
    assert keys == ["size", "created", "modified", "accessed", "isDirectory", "isFile", "permissions"]
    info = dict(line.split(": ", 1) for line in lines)
    assert info["size"] == "5" and info["isDirectory"] == "false" and info["isFile"] == "true"
    assert info["permissions"] == "640"
    assert info["modified"].endswith("Z") and "T" in info["modified"]
    dir_info = dict(
        line.split(": ", 1) for line in (await ok(manager, session, "get_file_info", path="/tmp")).splitlines()
    )
    assert dir_info["isDirectory"] == "true" and dir_info["isFile"] == "false"
    assert await err(manager, session, "get_file_info", path="missing") == "No such file or directory: missing"


async def test_list_directory_sorted(manager: SandboxManager, session: str) -> None:
    await sh(manager, session, "mkdir -p ls/zdir ls/adir && touch ls/b.txt ls/a.txt && ln -s adir ls/link")
    assert await ok(manager, session, "list_directory", path="ls") == (
        "[FILE] a.txt\n[DIR] adir\n[FILE] b.txt\n[DIR] link\n[DIR] zdir"
    )
    assert await ok(manager, session, "list_directory", path="ls/adir") == ""
    assert await err(manager, session, "list_directory", path="ls/a.txt") == "Not a directory: ls/a.txt"
    assert await err(manager, session, "list_directory", path="nope") == "No such file or directory: nope"


async def test_create_directory(manager: SandboxManager, session: str) -> None:
    assert (
        await ok(manager, session, "create_directory", path="/tmp/x/y/z") == "Successfully created directory /tmp/x/y/z"
    )
    await ok(manager, session, "create_directory", path="/tmp/x/y/z")  # exists: fine
    await ok(manager, session, "write_file", path="/tmp/f", content="")
    assert "not a directory" in await err(manager, session, "create_directory", path="/tmp/f")


async def test_move_file(manager: SandboxManager, session: str) -> None:
    await ok(manager, session, "write_file", path="m1.txt", content="move me")
    await ok(manager, session, "write_file", path="m2.txt", content="taken")
    assert await ok(manager, session, "move_file", source="m1.txt", destination="/tmp/m.txt") == (
        "Successfully moved m1.txt to /tmp/m.txt"
    )  # across the /home/user and /tmp mounts
    assert await ok(manager, session, "read_file", path="/tmp/m.txt") == "move me"
    assert await err(manager, session, "move_file", source="/tmp/m.txt", destination="m2.txt") == (
        "Destination already exists: m2.txt"
    )
    assert "No such file" in await err(manager, session, "move_file", source="gone", destination="x")
    assert "'destination'" in await err(manager, session, "move_file", source="m2.txt")


async def test_delete_file_and_directories(manager: SandboxManager, session: str) -> None:
    await sh(manager, session, "mkdir -p tree/a/b && echo x > tree/a/b/f && echo y > single")
    assert await ok(manager, session, "delete_file", path="single") == "Successfully deleted single"
    assert await ok(manager, session, "delete_file", path="tree") == "Successfully deleted tree"  # recursive
    assert (await sh(manager, session, "ls"))["stdout"] == ""
    assert await err(manager, session, "delete_file", path="tree") == "No such file or directory: tree"
    assert "root of the sandbox" in await err(manager, session, "delete_file", path="/home/user")
    assert "root of the sandbox" in await err(manager, session, "delete_file", path="/tmp/")


async def test_edit_file(manager: SandboxManager, session: str) -> None:
    await ok(manager, session, "write_file", path="e.py", content="def f():\n    return 1\n\nx = f()\n")
    diff = await ok(
        manager, session, "edit_file", path="e.py", edits=[{"oldText": "return 1", "newText": "return 2"}], dryRun=True
    )
    assert diff.startswith("```diff\nIndex: e.py\n") and "-    return 1\n+    return 2\n" in diff
    assert "--- e.py\toriginal\n+++ e.py\tmodified\n" in diff and diff.endswith("```\n\n")
    assert await ok(manager, session, "read_file", path="e.py") == "def f():\n    return 1\n\nx = f()\n"  # dry run
    await ok(manager, session, "edit_file", path="e.py", edits=[{"oldText": "return 1", "newText": "return 2"}])
    assert "return 2" in await ok(manager, session, "read_file", path="e.py")
    # indentation-insensitive fallback, like the reference server
    await ok(manager, session, "edit_file", path="e.py", edits=[{"oldText": "return 2", "newText": "return 3"}])
    text = await err(manager, session, "edit_file", path="e.py", edits=[{"oldText": "nothing like it", "newText": "x"}])
    assert text.startswith("Could not find exact match for edit:")
    await ok(manager, session, "write_file", path="dup.txt", content="a\na\n")
    assert "matches 2 places" in await err(
        manager, session, "edit_file", path="dup.txt", edits=[{"oldText": "a", "newText": "b"}]
    )
    assert "'edits'" in await err(manager, session, "edit_file", path="dup.txt", edits="nope")
    assert "'edits[0]'" in await err(manager, session, "edit_file", path="dup.txt", edits=[{"oldText": 1}])


async def test_read_multiple_files(manager: SandboxManager, session: str) -> None:
    await ok(manager, session, "write_file", path="/home/user/r1.txt", content="one")
    await ok(manager, session, "write_file", path="/tmp/r2.txt", content="two\nlines")
    text = await ok(manager, session, "read_multiple_files", paths=["/home/user/r1.txt", "/tmp/r2.txt", "/nope"])
    assert text == (
        "/home/user/r1.txt:\none\n\n---\n/tmp/r2.txt:\ntwo\nlines\n\n---\n"
        "/nope: Error - No such file or directory: /nope"
    )
    assert "'paths'" in await err(manager, session, "read_multiple_files", paths="r1.txt")


async def test_search_files(manager: SandboxManager, session: str) -> None:
    await sh(
        manager,
        session,
        "mkdir -p s/sub s/node_modules && touch s/Report.TXT s/sub/report.md s/node_modules/report.js s/other",
    )
    assert await ok(manager, session, "search_files", path="/home/user/s", pattern="report") == (
        "/home/user/s/Report.TXT\n/home/user/s/node_modules/report.js\n/home/user/s/sub/report.md"
    )
    assert (
        await ok(manager, session, "search_files", path="s", pattern="report", excludePatterns=["node_modules"])
        == "/home/user/s/Report.TXT\n/home/user/s/sub/report.md"
    )
    assert await ok(manager, session, "search_files", path="s", pattern="*.md") == "/home/user/s/sub/report.md"
    assert await ok(manager, session, "search_files", path="s", pattern="zzz") == "No matches found"
    assert "No such file" in await err(manager, session, "search_files", path="nowhere", pattern="x")


async def test_get_file_change(manager: SandboxManager, session: str) -> None:
    await ok(manager, session, "create_directory", path="w")
    await ok(manager, session, "write_file", path="w/keep.txt", content="1")
    assert await ok(manager, session, "get_file_change", path="/home/user/w") == "[]"  # baseline
    await ok(manager, session, "write_file", path="w/new.txt", content="n")
    await ok(manager, session, "write_file", path="w/keep.txt", content="22")
    await ok(manager, session, "create_directory", path="w/dir")
    events = json.loads(await ok(manager, session, "get_file_change", path="/home/user/w"))
    assert events == [
        {"eventType": "create", "path": "/home/user/w/dir", "pathType": "directory"},
        {"eventType": "modify", "path": "/home/user/w/keep.txt", "pathType": "file"},
        {"eventType": "create", "path": "/home/user/w/new.txt", "pathType": "file"},
    ]
    await ok(manager, session, "delete_file", path="w/new.txt")
    assert json.loads(await ok(manager, session, "get_file_change", path="/home/user/w")) == [
        {"eventType": "delete", "path": "/home/user/w/new.txt", "pathType": "file"}
    ]
    assert await ok(manager, session, "get_file_change", path="/home/user/w") == "[]"


async def test_unknown_tool_and_bad_args(manager: SandboxManager, shared_session: str) -> None:
    outcome = await call(manager, shared_session, "format_disk")
    assert outcome.is_error and "Available tools:" in outcome.text and "read_file" in outcome.text
    outcome = await manager.call_tool(shared_session, "read_file", "not a dict", None)  # type: ignore[arg-type]
    assert outcome.is_error and "JSON object" in outcome.text
    assert "'content'" in await err(manager, shared_session, "write_file", path="x", content=["a"])
