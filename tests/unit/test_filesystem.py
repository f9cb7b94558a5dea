"""session.file: each tool's request, the text parsers, and chunked reads and writes across boundaries."""

from __future__ import annotations

import base64
import itertools
import json
import posixpath
import re
import shlex
from typing import Any
from unittest.mock import patch

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agb import InvalidParameterError, ServerError, ToolError, filesystem
from agb.filesystem import CHUNK_SIZE, parse_directory, parse_file_info, parse_multiple, parse_search, split_utf8

from .conftest import Wire, call, make_client, ok, tool, tool_args

# ---------------------------------------------------------------- a fake file store behind the tools


class FileServer:
    """Serves get_file_info, read_file (byte ranges, text or base64), write_file and the base64 decode shell
    command of binary writes, over an in-memory file store; records each call's args."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        payload = json.loads(request.content)
        name, args = payload["name"], json.loads(payload["args"])
        self.calls.append((name, args))
        return getattr(self, name)(args)

    def get_file_info(self, args: dict[str, Any]) -> httpx.Response:
        path = args["path"]
        if path == "/dir":
            return tool("size: 4096\nisDirectory: true\nisFile: false")
        if path not in self.files:
            return tool(f"ENOENT: no such file or directory, stat '{path}'", is_error=True)
        size = 0 if path.startswith("/proc/") else len(self.files[path])  # pseudo-files say 0, as on Linux
        return tool(f"size: {size}\ncreated: 2026-11-24T10:00:00Z\nisDirectory: false\nisFile: true")

    def read_file(self, args: dict[str, Any]) -> httpx.Response:
        offset = args.get("offset", 0)
        end = offset + args["length"] if args.get("length") else None  # no length (or 0): to the end
        data = self.files[args["path"]][offset:end]
        if args.get("format") == "binary":
            return tool(base64.b64encode(data).decode())
        return tool(data.decode("utf-8", "replace"))

    def write_file(self, args: dict[str, Any]) -> httpx.Response:
        content = args["content"].encode("utf-8")
        assert len(content) <= filesystem.CHUNK_SIZE, "a write chunk is larger than the chunk size"
        previous = self.files.get(args["path"], b"") if args["mode"] == "append" else b""
        self.files[args["path"]] = previous + content
        return tool(f"Successfully wrote to {args['path']}")

    def shell(self, args: dict[str, Any]) -> httpx.Response:
        match = re.fullmatch(
            r"(?:mkdir -p -- (.+?) && )?base64 -d (\S+) (>>?) (.+?); status=\$\?; rm -f \2; exit \$status",
            args["command"],
        )
        assert match, args["command"]
        staging, redirect, target = shlex.split(match[2])[0], match[3], shlex.split(match[4])[0]
        made = shlex.split(match[1])[0] if match[1] else None
        # As bash would: `> target` needs the target's directory (write_file makes its own parents).
        parent = posixpath.dirname(target)
        if parent not in ("", "/", made) and not any(p.startswith(parent + "/") for p in self.files):
            self.files.pop(staging)
            error = f"/bin/bash: line 1: {target}: No such file or directory"
            return tool(json.dumps({"stdout": "", "stderr": error, "exit_code": 1, "traceId": ""}))
        decoded = base64.b64decode(self.files.pop(staging))
        self.files[target] = (self.files.get(target, b"") if redirect == ">>" else b"") + decoded
        return tool(json.dumps({"stdout": "", "stderr": "", "exit_code": 0, "traceId": ""}))

    def names(self) -> list[str]:
        return [name for name, _ in self.calls]


@pytest.fixture
def files(wire: Wire) -> FileServer:
    server = FileServer()
    wire.fallback = server
    return server


def straddling(char: str, cut: int) -> str:
    """Text whose `char` starts `cut` bytes before the first chunk boundary, so the boundary splits it."""
    return "a" * (CHUNK_SIZE - cut) + char + "b" * 10 + char * 20000


# ---------------------------------------------------------------- chunked reads


@pytest.mark.parametrize(("char", "cut"), [("é", 1), ("€", 1), ("€", 2), ("😀", 1), ("😀", 2), ("😀", 3)])
async def test_text_read_across_a_boundary_inside_a_character(
    session: Any, files: FileServer, char: str, cut: int
) -> None:
    text = straddling(char, cut)
    data = text.encode()
    files.files["/f.txt"] = data
    result = await call(session.file.read("/f.txt"))
    assert result.success and result.content == text
    reads = [args for name, args in files.calls if name == "read_file"]
    assert reads[0] == {"path": "/f.txt", "offset": 0, "length": CHUNK_SIZE, "format": "binary"}
    assert [r["offset"] for r in reads] == list(range(0, len(data), CHUNK_SIZE))
    assert sum(r["length"] for r in reads) == len(data)
    assert files.names()[0] == "get_file_info"


async def test_bytes_read_of_every_byte_value(session: Any, files: FileServer) -> None:
    data = bytes(range(256)) * 500  # 128000 bytes: three chunks
    files.files["/b.bin"] = data
    for result in (
        await call(session.file.read("/b.bin", format="bytes")),
        await call(session.file.read_bytes("/b.bin")),
    ):
        assert result.success and result.content == data and result.size == len(data) and result.unwrap() == data


async def test_pseudo_files_that_report_size_zero_are_read_to_the_end(session: Any, files: FileServer) -> None:
    # /proc and /sys files have st_size 0 and content: reading by the size alone returned "".
    files.files["/proc/self/mountinfo"] = b"1 0 0:1 / / rw - tmpfs tmpfs rw\n" * 3
    text = await call(session.file.read("/proc/self/mountinfo"))
    assert text.success and text.content == "1 0 0:1 / / rw - tmpfs tmpfs rw\n" * 3
    raw = await call(session.file.read_bytes("/proc/self/mountinfo"))
    assert raw.unwrap() == files.files["/proc/self/mountinfo"] and raw.size == 96
    reads = [args for name, args in files.calls if name == "read_file"]
    assert reads[0] == {"path": "/proc/self/mountinfo", "format": "binary"}  # no offset or length: to the end


async def test_read_edge_cases(session: Any, files: FileServer, wire: Wire) -> None:
    files.files["/empty"] = b""
    empty = await call(session.file.read("/empty"))
    assert empty.success and empty.content == "" and files.names() == ["get_file_info", "read_file"]

    files.files["/latin1"] = "caf\xe9".encode("latin-1")
    latin = await call(session.file.read_text("/latin1"))
    assert isinstance(latin.error, InvalidParameterError) and "format='bytes'" in latin.error_message

    directory = await call(session.file.read("/dir"))
    assert isinstance(directory.error, InvalidParameterError) and "is a directory" in directory.error_message

    missing = await call(session.file.read("/nope"))
    assert isinstance(missing.error, ToolError) and "ENOENT" in missing.error_message

    bad_format = await call(session.file.read("/empty", format="hex"))
    assert isinstance(bad_format.error, InvalidParameterError)


async def test_read_stops_when_the_file_shrank(session: Any, wire: Wire) -> None:
    wire.script(tool("size: 100000\nisDirectory: false"), tool(base64.b64encode(b"x" * CHUNK_SIZE).decode()), tool(""))
    result = await call(session.file.read("/f"))
    assert result.success and result.content == "x" * CHUNK_SIZE


async def test_read_rejects_bad_base64_and_missing_size(session: Any, wire: Wire) -> None:
    wire.script(tool("size: 3\nisDirectory: false"), tool("not base64!"))
    assert isinstance((await call(session.file.read("/f"))).error, ServerError)
    wire.script(tool("isDirectory: false"))
    result = await call(session.file.read("/f"))
    assert isinstance(result.error, ServerError) and "size" in result.error_message


# ---------------------------------------------------------------- chunked writes


@pytest.mark.parametrize(("char", "cut"), [("é", 1), ("€", 1), ("€", 2), ("😀", 1), ("😀", 2), ("😀", 3)])
async def test_text_write_cuts_between_characters(session: Any, files: FileServer, char: str, cut: int) -> None:
    text = straddling(char, cut)
    result = await call(session.file.write("/w.txt", text))
    assert result.success and result.data is True
    writes = [args for name, args in files.calls if name == "write_file"]
    assert [w["mode"] for w in writes] == ["overwrite"] + ["append"] * (len(writes) - 1)
    assert writes[0]["content"] == "a" * (CHUNK_SIZE - cut)  # the cut moved back before the character
    assert writes[1]["content"].startswith(char)
    assert "".join(w["content"] for w in writes) == text
    assert files.files["/w.txt"] == text.encode()


async def test_small_and_empty_writes_are_one_call_with_the_callers_mode(session: Any, files: FileServer) -> None:
    files.files["/a"] = b"old"
    await call(session.file.write("/a", "", mode="overwrite"))
    await call(session.file.write("/a", "ü", mode="append"))
    assert [args for _, args in files.calls] == [
        {"path": "/a", "content": "", "mode": "overwrite"},
        {"path": "/a", "content": "ü", "mode": "append"},
    ]
    assert files.files["/a"] == "ü".encode()


async def test_utf8_bytes_go_as_text(session: Any, files: FileServer) -> None:
    assert (await call(session.file.write("/u", "héllo".encode()))).success
    assert files.names() == ["write_file"] and files.files["/u"] == "héllo".encode()


async def test_non_utf8_bytes_are_staged_base64_and_decoded_by_the_shell(
    session: Any, files: FileServer, wire: Wire
) -> None:
    data = bytes(range(256)) * 300  # 76800 bytes, not UTF-8
    assert (await call(session.file.write("/data/my file.bin", data))).success
    assert files.files["/data/my file.bin"] == data
    assert not [p for p in files.files if p.startswith("/tmp/")]  # the staging file is gone
    writes = [args for name, args in files.calls if name == "write_file"]
    assert all(re.fullmatch(r"/tmp/\.agb-upload-[0-9a-f]{32}\.b64", w["path"]) for w in writes)
    shell = [args for name, args in files.calls if name == "shell"]
    assert len(shell) == 1 and shell[0]["timeout_ms"] == 120000 and "'/data/my file.bin'" in shell[0]["command"]
    shell_request = next(r for r in wire.requests if b'"name":"shell"' in r.content)
    assert shell_request.extensions["timeout"]["read"] == 150.0

    assert (await call(session.file.write("/data/my file.bin", b"\xff", mode="append"))).success
    assert files.files["/data/my file.bin"] == data + b"\xff"


async def test_binary_write_creates_missing_parent_directories(session: Any, files: FileServer) -> None:
    # Text writes get their parents from write_file; bytes that are not UTF-8 must not fail where text works.
    assert (await call(session.file.write("/home/user/new dir/sub/x.txt", "text"))).success
    result = await call(session.file.write("/home/user/other/deeper/x.bin", b"\xff\x00"))
    assert result.success, result.error_message
    assert files.files["/home/user/other/deeper/x.bin"] == b"\xff\x00"
    shell = [args["command"] for name, args in files.calls if name == "shell"]
    assert shell[0].startswith("mkdir -p -- /home/user/other/deeper && base64 -d ")
    assert (await call(session.file.write("top.bin", b"\xff"))).success  # no directory part: no mkdir
    assert [args["command"] for name, args in files.calls if name == "shell"][1].startswith("base64 -d ")


async def test_binary_write_reports_a_failed_decode(session: Any, wire: Wire) -> None:
    failed = json.dumps({"stdout": "", "stderr": "base64: command not found", "exit_code": 127})
    wire.script(tool("ok"), tool(failed))
    result = await call(session.file.write("/x", b"\xff\xfe"))
    assert isinstance(result.error, ToolError) and "base64: command not found" in result.error_message


@pytest.mark.parametrize(
    ("args", "needle"),
    [(("/a", 5), "str or bytes"), (("/a", "x", "truncate"), "mode"), (("", "x"), "path"), (("/a", "\ud800"), "UTF-8")],
)
async def test_write_rejects_bad_arguments(session: Any, wire: Wire, args: tuple[Any, ...], needle: str) -> None:
    result = await call(session.file.write(*args))
    assert isinstance(result.error, InvalidParameterError) and needle in result.error_message
    assert wire.requests == []


# ---------------------------------------------------------------- properties


@given(st.text(), st.integers(min_value=4, max_value=64))
def test_split_utf8_never_breaks_a_character_and_reassembles(text: str, limit: int) -> None:
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        return  # lone surrogates: write() refuses them before splitting
    chunks = split_utf8(data, limit)
    assert "".join(chunks) == text
    assert all(len(c.encode()) <= limit for c in chunks)
    assert all(chunks[:-1]) and (chunks == [""] or all(chunks))
    for chunk, following in itertools.pairwise(chunks):  # each cut is as late as it can be
        assert len(chunk.encode()) + len(following[0].encode()) > limit


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.one_of(st.text(alphabet=st.characters(exclude_categories=["Cs"])), st.binary()))
def test_write_then_read_round_trip_with_small_chunks(content: str | bytes) -> None:
    wire, files = Wire(), FileServer()
    wire.fallback = files
    client = make_client("sync", wire)
    wire.script(ok({"sessionId": "s-1", "success": True}))
    session = client.create().unwrap()  # type: ignore[union-attr]
    with patch.object(filesystem, "CHUNK_SIZE", 7):
        assert session.file.write("/p", content).success
        as_bytes = content.encode() if isinstance(content, str) else content
        assert files.files["/p"] == as_bytes
        assert session.file.read_bytes("/p").content == as_bytes
        if isinstance(content, str):
            assert session.file.read("/p").content == content
    assert not wire.unexpected


# ---------------------------------------------------------------- the other tools


@pytest.mark.parametrize(
    ("method", "args", "tool_name", "sent"),
    [
        ("mkdir", ("/d",), "create_directory", {"path": "/d"}),
        ("create_directory", ("/d",), "create_directory", {"path": "/d"}),
        ("remove", ("/f",), "delete_file", {"path": "/f"}),
        ("move", ("/a", "/b"), "move_file", {"source": "/a", "destination": "/b"}),
        ("move_file", ("/a", "/b"), "move_file", {"source": "/a", "destination": "/b"}),
        (
            "edit",
            ("/f", [{"oldText": "a", "newText": "b"}, {"old_text": "c", "new_text": ""}]),
            "edit_file",
            {
                "path": "/f",
                "edits": [{"oldText": "a", "newText": "b"}, {"oldText": "c", "newText": ""}],
                "dryRun": False,
            },
        ),
        (
            "edit_file",
            ("/f", [{"oldText": "a", "newText": "b"}], True),
            "edit_file",
            {"path": "/f", "edits": [{"oldText": "a", "newText": "b"}], "dryRun": True},
        ),
    ],
)
async def test_simple_tools(
    session: Any, wire: Wire, method: str, args: tuple[Any, ...], tool_name: str, sent: dict[str, Any]
) -> None:
    wire.script(tool("done", request_id="req-done"))
    result = await call(getattr(session.file_system, method)(*args))
    assert json.loads(wire.last.content)["name"] == tool_name and tool_args(wire.last) == sent
    assert result.success and result.data is True and result.request_id == "req-done" and result.unwrap() is True


async def test_info_list_search_batch(session: Any, wire: Wire) -> None:
    wire.script(
        tool("size: 12\nisDirectory: false\nmodified: 2026-11-24T10:00:00Z\npermissions: 644\nratio: 0.5"),
        tool("[DIR] data\n[FILE] notes.txt\nnoise"),
        tool("/h/a.py\n/h/lib/b.py\n"),
        tool("No matches found"),
        tool("/a.txt:\nhello\n\n---\n/b:c.txt:\nworld\n"),
    )
    info = await call(session.file.info("/f"))
    assert tool_args(wire.last) == {"path": "/f"}
    assert info.file_info == {
        "size": 12,
        "isDirectory": False,
        "modified": "2026-11-24T10:00:00Z",
        "permissions": 644,
        "ratio": 0.5,
    }
    listing = await call(session.file.list("/h"))
    assert listing.entries == [{"name": "data", "isDirectory": True}, {"name": "notes.txt", "isDirectory": False}]
    found = await call(session.file.search("/h", "*.py", ["node_modules"]))
    assert tool_args(wire.last) == {"path": "/h", "pattern": "*.py", "excludePatterns": ["node_modules"]}
    assert found.matches == ["/h/a.py", "/h/lib/b.py"]
    none = await call(session.file.search_files("/h", "*.zz"))
    assert tool_args(wire.last) == {"path": "/h", "pattern": "*.zz"} and none.matches == []
    batch = await call(session.file.read_multiple_files(["/a.txt", "/b:c.txt"]))
    assert tool_args(wire.last) == {"paths": ["/a.txt", "/b:c.txt"]}
    assert batch.contents == {"/a.txt": "hello", "/b:c.txt": "world"}


@pytest.mark.parametrize(
    ("method", "args"),
    [
        ("edit", ("/f", [])),
        ("edit", ("/f", [{"oldText": "", "newText": "x"}])),
        ("edit", ("/f", [{"oldText": "a"}])),
        ("edit", ("/f", "a->b")),
        ("read_batch", ([],)),
        ("read_batch", ("/a",)),
        ("read_batch", (["/a", ""],)),
        ("search", ("/h", "")),
        ("search", ("/h", "*", "x")),
        ("info", ("",)),
        ("list", (None,)),
        ("move", ("/a", "")),
    ],
)
async def test_bad_arguments_fail_without_a_request(
    session: Any, wire: Wire, method: str, args: tuple[Any, ...]
) -> None:
    result = await call(getattr(session.file, method)(*args))
    assert isinstance(result.error, InvalidParameterError)
    assert wire.requests == []


def test_parse_file_info() -> None:
    assert parse_file_info("size: 0\nisFile: TRUE\nversion: 1.2.3\nbad line\n: x\nname: a: b") == {
        "size": 0,
        "isFile": True,
        "version": "1.2.3",
        "name": "a: b",
    }


def test_parse_directory_and_search() -> None:
    assert parse_directory("[FILE]  spaced name \n[DIR]x") == [
        {"name": "spaced name", "isDirectory": False},
        {"name": "x", "isDirectory": True},
    ]
    assert (
        parse_search("") == [] and parse_search("  No matches found \n") == [] and parse_search("a\n\nb") == ["a", "b"]
    )


def test_parse_multiple() -> None:
    text = "/a.txt: first line\nsecond\n---\n/missing: Error - ENOENT\n---\n/c:\n\n  indented\n"
    assert parse_multiple(text, ["/a.txt"]) == {
        "/a.txt": "first line\nsecond",
        "/missing": "Error - ENOENT",
        "/c": "indented",
    }


# Characters str.splitlines() treats as line ends besides "\n": legal in file names and file contents.
OTHER_LINE_BREAKS = ["\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


@pytest.mark.parametrize("brk", OTHER_LINE_BREAKS, ids=repr)
def test_parsers_cut_lines_only_at_newlines(brk: str) -> None:
    # Found by the read_batch property test against agb_local: "0\x1e0" came back as "0\n0".
    name = f"a{brk}b.txt"
    assert parse_directory(f"[FILE] {name}\n[DIR] d") == [
        {"name": name, "isDirectory": False},
        {"name": "d", "isDirectory": True},
    ]
    assert parse_search(f"/home/user/{name}\n/home/user/c.txt") == [f"/home/user/{name}", "/home/user/c.txt"]
    content = f"first{brk}line\r\nsecond{brk}"
    text = f"/a.txt:\n{content}\n\n---\n/b{brk}.txt:\nx{brk}y\n"
    assert parse_multiple(text, ["/a.txt", f"/b{brk}.txt"]) == {
        "/a.txt": content.strip(),
        f"/b{brk}.txt": f"x{brk}y",
    }
    assert parse_file_info(f"size: 3\nname: x{brk}y") == {"size": 3, "name": f"x{brk}y"}
