"""session.file end to end: every file method and its early name, big and binary files, on both faces.

Big files use the SDK's real chunk size (50 KiB), with multi-byte characters placed across the chunk
boundaries; what lands on disk is checked with ``sha256sum`` in the sandbox, not only by reading it back.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from agb import (
    BinaryFileContentResult,
    BoolResult,
    DirectoryListResult,
    FileContentResult,
    FileInfoResult,
    FileSearchResult,
    InvalidParameterError,
    MultipleFileContentResult,
    ToolError,
)
from agb.filesystem import CHUNK_SIZE

from .helpers import call, collect, unique

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(loop_scope="module")
async def home(session: Any) -> AsyncIterator[str]:
    """A fresh directory of this test in the session's home."""
    path = f"/home/user/{unique('files')}"
    assert (await call(session.file.mkdir(path))).success
    yield path
    await call(session.command.execute(f"rm -rf {path}"))


async def sha256_in_sandbox(session: Any, path: str) -> str:
    result = await call(session.command.execute(f"sha256sum '{path}'"))
    assert result.success, result.error_message
    return str(result.stdout.split()[0])


def straddling_text() -> str:
    """Text of a bit more than three chunks whose 2-, 3- and 4-byte characters cross each chunk boundary."""
    parts, size = [], 0
    for boundary, char in ((CHUNK_SIZE, "é"), (2 * CHUNK_SIZE, "€"), (3 * CHUNK_SIZE, "🎉")):
        start = boundary - 1  # the character's first byte is the last byte of the chunk
        filler = "abcdefghij" * ((start - size) // 10) + "x" * ((start - size) % 10)
        parts += [filler, char]
        size += len(filler.encode()) + len(char.encode())
    parts.append("tail: ünïcødé ✓ 東京 🚀\n" * 200)
    text = "".join(parts)
    data = text.encode()
    for boundary in (CHUNK_SIZE, 2 * CHUNK_SIZE, 3 * CHUNK_SIZE):
        assert data[boundary] & 0xC0 == 0x80, "a continuation byte sits right at the boundary"
    return text


# ---------------------------------------------------------------- read and write


async def test_write_and_read_text(session: Any, home: str) -> None:
    path = f"{home}/hello.txt"
    written = await call(session.file.write(path, "héllo ✓\nsecond line\n"))
    assert isinstance(written, BoolResult) and written.success and written.data is True and written.request_id
    assert written.unwrap() is True
    read = await call(session.file.read(path))
    assert isinstance(read, FileContentResult) and read.success and read.request_id
    assert read.content == "héllo ✓\nsecond line\n" and read.unwrap() == read.content
    assert (await call(session.file.read_text(path))).content == read.content
    raw = await call(session.file.read(path, format="bytes"))
    assert isinstance(raw, BinaryFileContentResult)
    assert raw.content == "héllo ✓\nsecond line\n".encode() and raw.size == len(raw.content)
    assert (await call(session.file.read_bytes(path))).content == raw.content
    assert await sha256_in_sandbox(session, path) == hashlib.sha256(raw.content).hexdigest()


async def test_overwrite_and_append(session: Any, home: str) -> None:
    path = f"{home}/log.txt"
    assert (await call(session.file.write(path, "first ünï\n"))).success
    assert (await call(session.file.write(path, "second\n", mode="append"))).success
    assert (await call(session.file.write(path, b"third \xe2\x9c\x93\n", mode="append"))).success
    assert (await call(session.file.read(path))).content == "first ünï\nsecond\nthird ✓\n"
    assert (await call(session.file.write(path, "replaced"))).success
    assert (await call(session.file.read(path))).content == "replaced"
    fresh = f"{home}/appended-first.txt"
    assert (await call(session.file.write(fresh, "made by append", mode="append"))).success
    assert (await call(session.file.read(fresh))).content == "made by append"


async def test_empty_files(session: Any, home: str) -> None:
    path = f"{home}/empty.txt"
    assert (await call(session.file.write(path, ""))).success
    assert (await call(session.file.read(path))).content == ""
    assert (await call(session.file.read(path, format="bytes"))).content == b""
    assert (await call(session.file.info(path))).file_info["size"] == 0


async def test_big_text_with_characters_across_chunk_boundaries(session: Any, home: str) -> None:
    text = straddling_text()
    data = text.encode()
    path = f"{home}/big.txt"
    assert (await call(session.file.write(path, text))).success
    assert (await call(session.file.info(path))).file_info["size"] == len(data)
    assert await sha256_in_sandbox(session, path) == hashlib.sha256(data).hexdigest()
    assert (await call(session.file.read(path))).content == text
    assert (await call(session.file.read(path, format="bytes"))).content == data

    doubled = f"{home}/doubled.txt"
    assert (await call(session.file.write(doubled, text))).success
    assert (await call(session.file.write(doubled, text, mode="append"))).success
    assert (await call(session.file.read(doubled))).content == text + text


async def test_bytes_that_are_not_utf8(session: Any, home: str) -> None:
    blob = bytes(range(256)) * 3 + b"\xff\xfe\x80 not text \xc3"
    path = f"{home}/blob.bin"
    assert (await call(session.file.write(path, blob))).success
    assert (await call(session.file.read(path, format="bytes"))).content == blob
    assert await sha256_in_sandbox(session, path) == hashlib.sha256(blob).hexdigest()
    as_text = await call(session.file.read(path))
    assert not as_text.success and isinstance(as_text.error, InvalidParameterError)
    assert "not UTF-8" in as_text.error_message and "bytes" in as_text.error_message

    assert (await call(session.file.write(path, b"\x00\x01 more \xff", mode="append"))).success
    assert (await call(session.file.read_bytes(path))).content == blob + b"\x00\x01 more \xff"
    staged = await call(session.command.execute("ls -a /tmp"))
    assert ".agb-upload-" not in staged.stdout  # the base64 staging file is removed


async def test_big_binary_file(session: Any, home: str) -> None:
    blob = random.Random(7).randbytes(3 * CHUNK_SIZE + 1234)
    path = f"{home}/big.bin"
    assert (await call(session.file.write(path, blob))).success
    assert await sha256_in_sandbox(session, path) == hashlib.sha256(blob).hexdigest()
    read = await call(session.file.read(path, format="bytes"))
    assert read.content == blob and read.size == len(blob)


async def test_reading_what_is_not_a_file(session: Any, home: str) -> None:
    missing = await call(session.file.read(f"{home}/nope.txt"))
    assert isinstance(missing.error, ToolError) and "nope.txt" in missing.error_message
    directory = await call(session.file.read(home))
    assert isinstance(directory.error, InvalidParameterError) and "directory" in directory.error_message
    bad_format = await call(session.file.read(f"{home}/x", format="yaml"))
    assert isinstance(bad_format.error, InvalidParameterError)


# ---------------------------------------------------------------- directories and metadata


async def test_mkdir_list_and_info(session: Any, home: str) -> None:
    nested = f"{home}/a/b/c"
    made = await call(session.file.mkdir(nested))
    assert made.success and made.data is True
    await call(session.file.write(f"{home}/a/notes.txt", "12345"))
    listed = await call(session.file.list(f"{home}/a"))
    assert isinstance(listed, DirectoryListResult) and listed.request_id
    assert sorted(listed.entries, key=lambda e: e["name"]) == [
        {"name": "b", "isDirectory": True},
        {"name": "notes.txt", "isDirectory": False},
    ]
    assert listed.unwrap() == listed.entries
    assert (await call(session.file.list(nested))).entries == []

    file_info = await call(session.file.info(f"{home}/a/notes.txt"))
    assert isinstance(file_info, FileInfoResult) and file_info.success
    assert file_info.file_info["size"] == 5 and file_info.file_info["isDirectory"] is False
    dir_info = (await call(session.file.info(nested))).unwrap()
    assert dir_info["isDirectory"] is True

    missing = await call(session.file.info(f"{home}/missing"))
    assert isinstance(missing.error, ToolError)
    assert isinstance((await call(session.file.list(f"{home}/missing"))).error, ToolError)


async def test_move(session: Any, home: str) -> None:
    await call(session.file.write(f"{home}/old.txt", "moving ✓"))
    moved = await call(session.file.move(f"{home}/old.txt", f"{home}/new.txt"))
    assert moved.success and moved.data is True
    assert (await call(session.file.read(f"{home}/new.txt"))).content == "moving ✓"
    assert isinstance((await call(session.file.info(f"{home}/old.txt"))).error, ToolError)
    await call(session.file.mkdir(f"{home}/dir1/inner"))
    assert (await call(session.file.move(f"{home}/dir1", f"{home}/dir2"))).success
    assert (await call(session.file.info(f"{home}/dir2/inner"))).file_info["isDirectory"] is True
    assert isinstance((await call(session.file.move(f"{home}/gone", f"{home}/x"))).error, ToolError)


async def test_remove(session: Any, home: str) -> None:
    await call(session.file.write(f"{home}/doomed.txt", "bye"))
    removed = await call(session.file.remove(f"{home}/doomed.txt"))
    assert removed.success and removed.data is True
    assert isinstance((await call(session.file.info(f"{home}/doomed.txt"))).error, ToolError)
    await call(session.file.mkdir(f"{home}/empty-dir"))
    assert (await call(session.file.remove(f"{home}/empty-dir"))).success
    again = await call(session.file.remove(f"{home}/doomed.txt"))
    assert not again.success and isinstance(again.error, ToolError)


async def test_names_with_unusual_characters(session: Any, home: str) -> None:
    # Line breaks other than "\n" are legal in names: listings must not cut at them.
    names = sorted(["a\u2028b.txt", "c\x85d.txt", "e\rf.txt", "g\x1ch.txt", "tab\tname", "ünï ✓: 東京.txt"])
    for name in names:
        assert (await call(session.file.write(f"{home}/odd/{name}", name))).success
    listed = await call(session.file.list(f"{home}/odd"))
    assert sorted(entry["name"] for entry in listed.entries) == names
    found = await call(session.file.search(f"{home}/odd", "*"))
    assert sorted(found.matches) == [f"{home}/odd/{name}" for name in names]
    batch = await call(session.file.read_batch([f"{home}/odd/{name}" for name in names]))
    assert batch.contents == {f"{home}/odd/{name}": name for name in names}


# ---------------------------------------------------------------- edit, search, read_batch


async def test_edit_and_dry_run(session: Any, home: str) -> None:
    path = f"{home}/edit.txt"
    await call(session.file.write(path, "alpha beta gamma\nünï line\n"))
    dry = await call(session.file.edit(path, [{"oldText": "beta", "newText": "BETA"}], dry_run=True))
    assert dry.success
    assert (await call(session.file.read(path))).content == "alpha beta gamma\nünï line\n"
    edits = [{"oldText": "beta", "newText": "BETA"}, {"old_text": "ünï", "new_text": "üñí ✓"}]
    assert (await call(session.file.edit(path, edits))).success
    assert (await call(session.file.read(path))).content == "alpha BETA gamma\nüñí ✓ line\n"

    absent = await call(session.file.edit(path, [{"oldText": "delta", "newText": "x"}]))
    assert not absent.success and isinstance(absent.error, ToolError)
    assert (await call(session.file.read(path))).content == "alpha BETA gamma\nüñí ✓ line\n"
    empty = await call(session.file.edit(path, []))
    assert isinstance(empty.error, InvalidParameterError) and empty.request_id == ""


async def test_search(session: Any, home: str) -> None:
    for name in ("a.py", "b.txt", "sub/c.py", "sub/Deep.PY.txt", "node_modules/d.py"):
        assert (await call(session.file.write(f"{home}/tree/{name}", "x"))).success
    found = await call(session.file.search(f"{home}/tree", "*.py"))
    assert isinstance(found, FileSearchResult) and found.success
    assert sorted(found.matches) == [f"{home}/tree/{n}" for n in ("a.py", "node_modules/d.py", "sub/c.py")]
    excluded = await call(session.file.search(f"{home}/tree", "*.py", exclude_patterns=["node_modules"]))
    assert sorted(excluded.unwrap()) == [f"{home}/tree/a.py", f"{home}/tree/sub/c.py"]
    substring = await call(session.file.search(f"{home}/tree", "deep"))
    assert substring.matches == [f"{home}/tree/sub/Deep.PY.txt"]
    assert (await call(session.file.search(f"{home}/tree", "*.rs"))).matches == []


async def test_read_batch(session: Any, home: str) -> None:
    await call(session.file.write(f"{home}/one.txt", "first ✓\n"))
    await call(session.file.write(f"{home}/two: colon.txt", "second\nfile\n"))
    paths = [f"{home}/one.txt", f"{home}/two: colon.txt", f"{home}/missing.txt"]
    batch = await call(session.file.read_batch(paths))
    assert isinstance(batch, MultipleFileContentResult) and batch.success
    contents = batch.unwrap()
    assert contents[paths[0]] == "first ✓" and contents[paths[1]] == "second\nfile"
    assert contents[paths[2]].startswith("Error")
    refused = await call(session.file.read_batch([]))
    assert isinstance(refused.error, InvalidParameterError)


# ---------------------------------------------------------------- the early names


async def test_early_names(session: Any, home: str) -> None:
    fs = session.file_system
    assert fs is session.file
    path = f"{home}/early/name.txt"
    assert (await call(fs.create_directory(f"{home}/early"))).success
    assert (await call(fs.write_file(path, "early ✓"))).success
    assert (await call(fs.read_file(path))).content == "early ✓"
    assert (await call(fs.read_file(path, format="bytes"))).content == "early ✓".encode()
    assert (await call(fs.list_directory(f"{home}/early"))).entries == [{"name": "name.txt", "isDirectory": False}]
    assert (await call(fs.get_file_info(path))).file_info["size"] == len("early ✓".encode())
    assert (await call(fs.edit_file(path, [{"oldText": "early", "newText": "late"}]))).success
    assert (await call(fs.search_files(f"{home}/early", "name"))).matches == [path]
    assert (await call(fs.read_multiple_files([path]))).contents == {path: "late ✓"}
    assert (await call(fs.move_file(path, f"{home}/early/moved.txt"))).success
    assert (await call(fs.delete_file(f"{home}/early/moved.txt"))).success
    assert (await call(fs.list_directory(f"{home}/early"))).entries == []


async def test_file_changes(session: Any, home: str) -> None:
    first = await call(session.file.get_file_change(home))
    assert first.success and first.events == []  # the first call starts watching
    assert (await call(session.file.write(f"{home}/new.txt", "x"))).success
    changed = await call(session.file.get_file_change(home))
    assert changed.success, changed.error_message
    assert [(e.event_type, e.path, e.path_type) for e in changed.events] == [("create", f"{home}/new.txt", "file")]
    assert (await call(session.file.get_file_change(home))).events == []
    missing = await call(session.file.get_file_change(f"{home}/nope"))
    assert not missing.success and isinstance(missing.error, ToolError)


async def test_watch_reports_changes_as_they_happen(server: Any, session: Any, home: str) -> None:
    """A writer on another connection changes files while `watch` iterates (sync iterator or async one)."""
    import threading
    import time

    from agb import AGB, Config

    def writer() -> None:
        with AGB(server.api_key, Config(endpoint=server.endpoint)) as other:
            same = other.get(session.session_id).unwrap()
            time.sleep(0.5)
            same.file.write(f"{home}/watched.txt", "1")

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        events = await collect(session.file.watch(home, interval_s=0.2, timeout_s=2.5))
    finally:
        thread.join()
    assert ("create", f"{home}/watched.txt") in [(e.event_type, e.path) for e in events]
