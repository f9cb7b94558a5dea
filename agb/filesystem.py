"""``session.file`` (alias ``session.file_system``): files and directories of the session.

Large files move in chunks of 50 KiB, counted in bytes:

* **read** asks ``get_file_info`` for the size, then reads byte ranges with ``format: "binary"`` and decodes
  the base64 of each; text is decoded from the joined bytes once, at the end, so a multi-byte character cut
  by a chunk boundary is never damaged (text chunks from a service could each end mid-character).
* **write** sends text: the UTF-8 bytes are cut into chunks of at most 50 KiB, each cut moved back to a
  character boundary, the first chunk with the caller's mode and the rest with ``append``.
* **bytes** to write that are valid UTF-8 go the same way. Other bytes cannot travel in ``write_file``
  (its ``content`` is text), so they are staged base64-encoded in ``/tmp`` and decoded into place with the
  ``shell`` tool (``base64 -d``); that needs the image's shell and coreutils, as the code images have.
"""

from __future__ import annotations

import base64
import binascii
import json
import posixpath
import re
import shlex
import uuid
from collections.abc import Mapping, Sequence
from typing import Any, Literal, overload

from agb_api.facts import FILE_CHUNK_BYTES
from agb_api.models import (
    EditFileArgs,
    FileEdit,
    FileInfo,
    MoveFileArgs,
    PathArgs,
    ReadFileArgs,
    ReadMultipleFilesArgs,
    SearchFilesArgs,
    ShellArgs,
    WriteFileArgs,
)
from agb_api.models import FileChangeEvent as FileChangeEventModel
from agb_api.types import UNSET

from ._face import Module
from ._flow import Emit, Flow, Stream, guarded, sleep
from ._tools import TOOL_TIMEOUT_MARGIN_S, ToolOutput, tool_text
from ._wire import as_int, check_text, malformed, read_model, text
from .command import parse_shell
from .errors import InvalidParameterError
from .results import (
    BinaryFileContentResult,
    BoolResult,
    DirectoryListResult,
    FileChangeEvent,
    FileChangeResult,
    FileContentResult,
    FileInfoResult,
    FileSearchResult,
    MultipleFileContentResult,
)

__all__ = ["CHUNK_SIZE"]

CHUNK_SIZE = FILE_CHUNK_BYTES  # bytes per read_file / write_file call (x-agb-limits of the spec)
_STAGING_DIR = "/tmp"
_DECODE_TIMEOUT_MS = 120_000
_INT = re.compile(r"-?\d+")


# ---------------------------------------------------------------- pure helpers


def split_utf8(data: bytes, limit: int = CHUNK_SIZE) -> list[str]:
    """Cut valid UTF-8 `data` into strings of at most `limit` bytes each, only between characters."""
    if limit < 4:
        raise ValueError("limit must hold the longest UTF-8 character (4 bytes)")
    chunks, start = [], 0
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and data[end] & 0xC0 == 0x80:  # a continuation byte: not a character start
            end -= 1
        chunks.append(data[start:end].decode("utf-8"))
        start = end
    return chunks or [""]


def _value(raw: str) -> Any:
    lowered = raw.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if _INT.fullmatch(raw):
        return int(raw)
    if "." in raw:
        try:
            return float(raw)
        except ValueError:
            pass
    return raw


def _lines(text: str) -> list[str]:
    r"""`text` cut at ``\n`` only: ``str.splitlines`` also cuts at ``\r``, ``\x1c``-``\x1e``, ``\x85``,
    ``\u2028``..., which are legal in file names and file contents and must come back unchanged."""
    return text.split("\n")


def parse_file_info(text: str) -> dict[str, Any]:
    """``key: value`` lines; ``true``/``false`` become booleans, numbers become int or float."""
    info: dict[str, Any] = {}
    for line in _lines(text):
        key, sep, raw = line.partition(":")
        if sep and key.strip():
            info[key.strip()] = _value(raw.strip())
    return info


def parse_directory(text: str) -> list[dict[str, Any]]:
    """``[DIR] name`` / ``[FILE] name`` lines as ``{"name", "isDirectory"}``; other lines are ignored."""
    entries = []
    for line in _lines(text):
        stripped = line.strip()
        for tag, is_dir in (("[DIR]", True), ("[FILE]", False)):
            if stripped.startswith(tag):
                entries.append({"name": stripped[len(tag) :].strip(), "isDirectory": is_dir})
    return entries


def parse_multiple(text: str, paths: Sequence[str] = ()) -> dict[str, str]:
    """``path:`` blocks separated by ``---`` lines. A block starts at a requested path followed by a colon
    (so paths may contain colons), else at the text before the first colon. Contents are stripped."""
    contents: dict[str, str] = {}
    by_length = sorted(paths, key=len, reverse=True)
    current: str | None = None
    lines: list[str] = []
    for line in _lines(text):
        if current is None:
            path = next((p for p in by_length if line.startswith(p + ":")), None)
            if path is None:
                path, sep, _ = line.partition(":")
                if not sep:
                    continue
            current, lines = path, [line[len(path) + 1 :].strip()]
        elif line.strip() == "---":
            contents[current] = "\n".join(lines).strip()
            current = None
        else:
            lines.append(line)
    if current is not None:
        contents[current] = "\n".join(lines).strip()
    return contents


def parse_search(text: str) -> list[str]:
    """Newline-separated paths; nothing or ``No matches found`` is no match."""
    stripped = text.strip()
    if not stripped or stripped == "No matches found":
        return []
    return [line.strip() for line in _lines(stripped) if line.strip()]


# ---------------------------------------------------------------- flows


def _path(path: object) -> str:
    return check_text(path, "path")


def _done(output: ToolOutput) -> BoolResult:
    return BoolResult(success=True, request_id=output.request_id, data=True)


@guarded(BoolResult)
def mkdir(module: Module, path: str) -> Flow[BoolResult]:
    """Create a directory and its parents."""
    return _done((yield from tool_text(module.session, "create_directory", PathArgs(path=_path(path)).to_dict())))


@guarded(BoolResult)
def remove(module: Module, path: str) -> Flow[BoolResult]:
    """Delete a file or an empty directory."""
    return _done((yield from tool_text(module.session, "delete_file", PathArgs(path=_path(path)).to_dict())))


@guarded(BoolResult)
def move(module: Module, source: str, destination: str) -> Flow[BoolResult]:
    """Move or rename a file or directory."""
    args = MoveFileArgs(source=check_text(source, "source"), destination=check_text(destination, "destination"))
    return _done((yield from tool_text(module.session, "move_file", args.to_dict())))


@guarded(BoolResult)
def edit(module: Module, path: str, edits: Sequence[Mapping[str, str]], dry_run: bool = False) -> Flow[BoolResult]:
    """Replace text in a file: `edits` is a list of ``{"oldText": ..., "newText": ...}`` (``old_text`` and
    ``new_text`` work too); each ``oldText`` must occur exactly once. `dry_run` only checks."""
    if isinstance(edits, str | bytes) or not isinstance(edits, Sequence) or not edits:
        raise InvalidParameterError("edits must be a non-empty list of {'oldText': ..., 'newText': ...}")
    changes = []
    for change in edits:
        old = change.get("oldText", change.get("old_text")) if isinstance(change, Mapping) else None
        new = change.get("newText", change.get("new_text")) if isinstance(change, Mapping) else None
        if not isinstance(old, str) or not old or not isinstance(new, str):
            raise InvalidParameterError(f"each edit needs a non-empty string oldText and a string newText: {change!r}")
        changes.append(FileEdit(old_text=old, new_text=new))
    args = EditFileArgs(path=_path(path), edits=changes, dry_run=bool(dry_run))
    return _done((yield from tool_text(module.session, "edit_file", args.to_dict())))


@guarded(FileInfoResult)
def info(module: Module, path: str) -> Flow[FileInfoResult]:
    """Describe a file or directory: ``file_info`` has ``size`` (bytes), ``isDirectory`` and more."""
    output = yield from tool_text(module.session, "get_file_info", PathArgs(path=_path(path)).to_dict())
    described = _file_info(output)
    return FileInfoResult(success=True, request_id=output.request_id, file_info=described.to_dict())


def _file_info(output: ToolOutput) -> FileInfo:
    """A ``get_file_info`` output (``FileInfoOutput`` lines) read as the ``FileInfo`` its text schema names."""
    described = read_model(FileInfo, parse_file_info(output.text), "get_file_info", output.request_id)
    if as_int(described.size) is None or not isinstance(described.is_directory, bool):
        raise malformed("get_file_info", "`size` is not a number or `isDirectory` not a boolean", output.request_id)
    return described


@guarded(DirectoryListResult)
def list_directory(module: Module, path: str) -> Flow[DirectoryListResult]:
    """List a directory: ``entries`` of ``{"name": str, "isDirectory": bool}``."""
    output = yield from tool_text(module.session, "list_directory", PathArgs(path=_path(path)).to_dict())
    return DirectoryListResult(success=True, request_id=output.request_id, entries=parse_directory(output.text))


@guarded(MultipleFileContentResult)
def read_batch(module: Module, paths: Sequence[str]) -> Flow[MultipleFileContentResult]:
    """Read several whole text files at once: ``contents`` maps each path to its (stripped) text.
    A file that cannot be read maps to the service's ``Error - ...`` text."""
    if isinstance(paths, str) or not isinstance(paths, Sequence) or not paths:
        raise InvalidParameterError("paths must be a non-empty list of paths")
    checked = [_path(p) for p in paths]
    output = yield from tool_text(module.session, "read_multiple_files", ReadMultipleFilesArgs(paths=checked).to_dict())
    return MultipleFileContentResult(
        success=True, request_id=output.request_id, contents=parse_multiple(output.text, checked)
    )


@guarded(FileSearchResult)
def search(
    module: Module, path: str, pattern: str, exclude_patterns: Sequence[str] | None = None
) -> Flow[FileSearchResult]:
    """Find files under `path` whose names match `pattern` (a glob or a substring), recursively."""
    excludes = list(exclude_patterns or ())
    if not all(isinstance(p, str) for p in excludes) or isinstance(exclude_patterns, str):
        raise InvalidParameterError("exclude_patterns must be a list of strings")
    args = SearchFilesArgs(
        path=_path(path), pattern=check_text(pattern, "pattern"), exclude_patterns=excludes or UNSET
    ).to_dict()
    output = yield from tool_text(module.session, "search_files", args)
    return FileSearchResult(success=True, request_id=output.request_id, matches=parse_search(output.text))


def _changes(output: ToolOutput) -> list[FileChangeEvent]:
    """A ``get_file_change`` output: a JSON array (``FileChangeOutput``) of ``FileChangeEvent`` objects."""
    what, rid = "get_file_change", output.request_id
    try:
        raw = json.loads(output.text) if output.text.strip() else []
    except (ValueError, RecursionError):
        raise malformed(what, "the output is not a JSON array of changes", rid) from None
    if not isinstance(raw, list):
        raise malformed(what, "the output is not a JSON array of changes", rid)
    events = [read_model(FileChangeEventModel, item, what, rid) for item in raw]
    return [FileChangeEvent(text(e.event_type), text(e.path), text(e.path_type)) for e in events]


@guarded(FileChangeResult)
def get_file_change(module: Module, path: str) -> Flow[FileChangeResult]:
    """The changes under directory `path` since the previous call for it; the first call only starts watching."""
    output = yield from tool_text(module.session, "get_file_change", PathArgs(path=_path(path)).to_dict())
    return FileChangeResult(success=True, request_id=output.request_id, events=_changes(output))


def watch(
    module: Module, path: str, interval_s: float = 1.0, timeout_s: float | None = None
) -> Stream[FileChangeEvent]:
    """Iterate over the changes under directory `path` as they happen, checking every `interval_s` seconds.

    Changes made before the call are not reported. The iteration ends after `timeout_s` seconds (None: when
    the caller stops iterating); a failed check raises its ``AGBError``, as iterators have no result.
    """
    path = _path(path)
    if isinstance(interval_s, bool) or not isinstance(interval_s, int | float) or interval_s <= 0:
        raise InvalidParameterError(f"interval_s must be a positive number of seconds, got {interval_s!r}")
    if timeout_s is not None and (isinstance(timeout_s, bool) or not isinstance(timeout_s, int | float)):
        raise InvalidParameterError(f"timeout_s must be a number of seconds or None, got {timeout_s!r}")
    ctx = module.session._ctx
    deadline = None if timeout_s is None else ctx.clock() + timeout_s
    args = PathArgs(path=path).to_dict()
    yield from tool_text(module.session, "get_file_change", args)  # the baseline
    while deadline is None or ctx.clock() < deadline:
        wait = interval_s if deadline is None else min(interval_s, max(0.0, deadline - ctx.clock()))
        yield from sleep(wait)
        for event in _changes((yield from tool_text(module.session, "get_file_change", args))):
            yield Emit(event)


def _read_all(module: Module, path: str) -> Flow[tuple[bytes, str]]:
    """The file's bytes (in 50 KiB binary chunks) and the last request id."""
    path = _path(path)
    described = yield from tool_text(module.session, "get_file_info", PathArgs(path=path).to_dict())
    file_info = _file_info(described)
    if file_info.is_directory:
        raise InvalidParameterError(f"{path} is a directory; list it with list()")
    size = file_info.size
    if size < 0:
        raise malformed("get_file_info", f"no byte `size` for {path}", described.request_id)
    data, request_id = bytearray(), described.request_id
    while len(data) < size:
        length = min(CHUNK_SIZE, size - len(data))
        args = ReadFileArgs(path=path, offset=len(data), length=length, format_="binary").to_dict()
        output = yield from tool_text(module.session, "read_file", args)
        request_id = output.request_id
        try:
            chunk = base64.b64decode("".join(output.text.split()), validate=True)
        except (binascii.Error, ValueError):
            raise malformed("read_file", f"the binary chunk at byte {len(data)} is not base64", request_id) from None
        if not chunk:
            break  # the file shrank since get_file_info: return what there is
        data += chunk[:length]
    if size == 0:
        # Empty, or a pseudo-file (/proc, /sys) whose size says 0 whatever it holds: one read to the end.
        output = yield from tool_text(module.session, "read_file", ReadFileArgs(path=path, format_="binary").to_dict())
        request_id = output.request_id
        try:
            data += base64.b64decode("".join(output.text.split()), validate=True)
        except (binascii.Error, ValueError):
            raise malformed("read_file", "the binary content is not base64", request_id) from None
    return bytes(data), request_id


@guarded(BinaryFileContentResult)
def read_bytes(module: Module, path: str) -> Flow[BinaryFileContentResult]:
    """Read a whole file as bytes."""
    data, request_id = yield from _read_all(module, path)
    return BinaryFileContentResult(success=True, request_id=request_id, content=data, size=len(data))


@guarded(FileContentResult)
def read_text(module: Module, path: str) -> Flow[FileContentResult]:
    """Read a whole file as UTF-8 text (a file that is not UTF-8 fails: read it with ``read_bytes``)."""
    data, request_id = yield from _read_all(module, path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidParameterError(
            f"{path} is not UTF-8 text (invalid byte at offset {exc.start}); read it with format='bytes'",
            request_id=request_id,
        ) from None
    return FileContentResult(success=True, request_id=request_id, content=text)


# The format chooses the result type: what the overloads tell type checkers (and, through tools/surface,
# the read methods of both faces); the last one is for a format only known at run time.
@overload
def read(module: Module, path: str, *, format: Literal["text"] = "text") -> Flow[FileContentResult]: ...
@overload
def read(module: Module, path: str, *, format: Literal["bytes"]) -> Flow[BinaryFileContentResult]: ...
@overload
def read(
    module: Module, path: str, *, format: Literal["text", "bytes"] = "text"
) -> Flow[FileContentResult | BinaryFileContentResult]: ...
def read(
    module: Module, path: str, *, format: Literal["text", "bytes"] = "text"
) -> Flow[FileContentResult | BinaryFileContentResult]:
    """Read a whole file: ``format="text"`` gives a ``FileContentResult`` (``content: str``),
    ``format="bytes"`` a ``BinaryFileContentResult`` (``content: bytes``). Any size; 50 KiB per request.
    ``read_text`` and ``read_bytes`` do the same with one precise return type each."""
    if format == "bytes":
        return (yield from read_bytes(module, path))
    if format != "text":
        return FileContentResult.failed(InvalidParameterError(f"format must be 'text' or 'bytes', got {format!r}"))
    return (yield from read_text(module, path))


def _write_chunks(module: Module, path: str, data: bytes, mode: str) -> Flow[str]:
    request_id = ""
    for index, chunk in enumerate(split_utf8(data, CHUNK_SIZE)):
        chunk_mode = mode if index == 0 else "append"
        args = WriteFileArgs(path=path, content=chunk, mode="append" if chunk_mode == "append" else "overwrite")
        request_id = (yield from tool_text(module.session, "write_file", args.to_dict())).request_id
    return request_id


def _write_binary(module: Module, path: str, data: bytes, mode: str) -> Flow[str]:
    staging = f"{_STAGING_DIR}/.agb-upload-{uuid.uuid4().hex}.b64"
    yield from _write_chunks(module, staging, base64.b64encode(data), "overwrite")
    redirect = ">>" if mode == "append" else ">"
    quoted = shlex.quote(staging)
    # Missing parent directories are created, as write_file does for text.
    parent = posixpath.dirname(path)
    mkdir = f"mkdir -p -- {shlex.quote(parent)} && " if parent not in ("", "/") else ""
    command = f"{mkdir}base64 -d {quoted} {redirect} {shlex.quote(path)}; status=$?; rm -f {quoted}; exit $status"
    args = ShellArgs(command=command, timeout_ms=_DECODE_TIMEOUT_MS).to_dict()
    read_timeout = _DECODE_TIMEOUT_MS / 1000 + TOOL_TIMEOUT_MARGIN_S
    result = parse_shell((yield from tool_text(module.session, "shell", args, read_timeout=read_timeout)))
    if not result.success:
        raise result.error or InvalidParameterError(f"could not write binary content to {path}")
    return result.request_id


@guarded(BoolResult)
def write(module: Module, path: str, content: str | bytes, mode: str = "overwrite") -> Flow[BoolResult]:
    """Write `content` (text, or bytes) to `path`; ``mode`` is ``"overwrite"`` or ``"append"``.

    Any size: 50 KiB per request, cut between characters. Bytes that are not UTF-8 are staged base64 in
    /tmp and decoded with the shell tool (``base64 -d``), as ``write_file`` carries only text.
    """
    path = _path(path)
    if mode not in ("overwrite", "append"):
        raise InvalidParameterError(f"mode must be 'overwrite' or 'append', got {mode!r}")
    if isinstance(content, str):
        try:
            data = content.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise InvalidParameterError(f"content has a character UTF-8 cannot encode at index {exc.start}") from None
    elif isinstance(content, bytes | bytearray | memoryview):
        data = bytes(content)
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            request_id = yield from _write_binary(module, path, data, mode)
            return BoolResult(success=True, request_id=request_id, data=True)
    else:
        raise InvalidParameterError(f"content must be str or bytes, got {type(content).__name__}")
    request_id = yield from _write_chunks(module, path, data, mode)
    return BoolResult(success=True, request_id=request_id, data=True)
