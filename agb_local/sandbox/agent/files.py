"""File-system tools, following the MCP reference "filesystem" server's texts where AGB uses them.

Every path goes through ``AgentContext.real`` first: inside bubblewrap that is the path as seen in
the container; without isolation it is mapped into the session directory and checked.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import fnmatch
import functools
import os
import posixpath
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from . import args as A
from .context import VIRTUAL_HOME, VIRTUAL_TMP, AgentContext
from .errors import ToolError

_ERRNO_TEXT = {
    errno.ENOENT: "No such file or directory",
    errno.EACCES: "Permission denied",
    errno.EPERM: "Operation not permitted",
    errno.EISDIR: "Is a directory",
    errno.ENOTDIR: "Not a directory",
    errno.EEXIST: "Already exists",
    errno.ENOTEMPTY: "Directory not empty",
    errno.EROFS: "Read-only file system",
    errno.ENOSPC: "No space left on device",
    errno.EFBIG: "File too large (size limit of the sandbox)",
    errno.EDQUOT: "Disk quota exceeded",
    errno.ELOOP: "Too many levels of symbolic links",
    errno.ENAMETOOLONG: "File name too long",
    errno.EBUSY: "Device or resource busy (a mount point of the sandbox)",
}

MAX_SEARCH_VISITS = 200_000
MAX_SEARCH_RESULTS = 10_000
# The roots of the sandbox's writable space: refusing to delete them avoids wiping a session
# by accident with an empty relative path or "/".
_PROTECTED = {"/", VIRTUAL_HOME, VIRTUAL_TMP, "/home"}


@contextlib.contextmanager
def os_errors(path: str) -> Iterator[None]:
    """Turn an OSError into a ToolError that names the user's path."""
    try:
        yield
    except OSError as exc:
        text = _ERRNO_TEXT.get(exc.errno or 0) or exc.strerror or str(exc)
        shown = path if len(path) <= 200 else f"{path[:80]}[... {len(path) - 160} characters ...]{path[-80:]}"
        raise ToolError(f"{text}: {shown}") from exc


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, tz=UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# -- reading -----------------------------------------------------------------------------------


def _open_regular(real: str, path: str) -> tuple[int, int]:
    """Open a regular file for reading; FIFOs and devices are refused instead of blocking."""
    with os_errors(path):
        fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    st = os.fstat(fd)
    if stat.S_ISDIR(st.st_mode):
        os.close(fd)
        raise ToolError(f"Is a directory: {path}")
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        raise ToolError(f"Not a regular file: {path}")
    return fd, st.st_size


def _char_start(fd: int, pos: int, size: int) -> int:
    """The first UTF-8 character start at or after ``pos``.

    Text reads move both ends of the byte range to this boundary.  Because the adjustment depends
    only on the position, consecutive chunks (offset, offset+length), (offset+length, ...) share
    their boundary exactly: concatenating them gives the file's text, with no character lost,
    duplicated or replaced.
    """
    if pos <= 0 or pos >= size:
        return min(max(pos, 0), size)
    head = os.pread(fd, 4, pos)
    skip = 0
    while skip < len(head) and (head[skip] & 0xC0) == 0x80:
        skip += 1
    if skip == 4:  # four continuation bytes cannot be UTF-8; do not move
        return pos
    return min(pos + skip, size)


def read_bytes_checked(ctx: AgentContext, path: str, offset: int, length: int | None, *, text: bool) -> bytes:
    real = ctx.real(path)
    fd, size = _open_regular(real, path)
    try:
        if size == 0:
            return _read_unsized(fd, path, offset, length, ctx.read_limit)
        if length is None:
            if size - offset > ctx.read_limit:
                raise ToolError(
                    f"File too large to read in one call: {path} is {size} bytes and a read returns at most "
                    f"{ctx.read_limit} bytes; pass offset and length to read it in chunks"
                )
            end = size
        else:
            if length > ctx.read_limit:
                raise ToolError(f"Invalid argument 'length': at most {ctx.read_limit} bytes per read")
            end = min(size, offset + length)
        start = min(offset, size)
        if text:
            start, end = _char_start(fd, start, size), _char_start(fd, end, size)
        chunks = []
        pos = start
        while pos < end:
            with os_errors(path):
                chunk = os.pread(fd, min(end - pos, 1 << 20), pos)
            if not chunk:
                break
            chunks.append(chunk)
            pos += len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _read_unsized(fd: int, path: str, offset: int, length: int | None, limit: int) -> bytes:
    """An empty file, or a pseudo-file (/proc, /sys) whose size says 0 whatever it holds: read to its end."""
    if length is not None and length > limit:
        raise ToolError(f"Invalid argument 'length': at most {limit} bytes per read")
    want = limit + 1 if length is None else length
    chunks: list[bytes] = []
    pos = offset
    while pos - offset < want:
        with os_errors(path):
            chunk = os.pread(fd, min(want - (pos - offset), 1 << 20), pos)
        if not chunk:
            break
        chunks.append(chunk)
        pos += len(chunk)
    if pos - offset > limit:
        raise ToolError(
            f"File too large to read in one call: {path} holds more than {limit} bytes and a read returns at most "
            f"{limit}; pass offset and length to read it in chunks"
        )
    return b"".join(chunks)


def read_file(ctx: AgentContext, args: dict[str, Any]) -> str:
    path = A.get_str(args, "path")
    offset = A.get_int(args, "offset", required=False, default=0, minimum=0)
    length = A.get_int(args, "length", required=False, default=None, minimum=0)
    fmt = A.get_str(args, "format", required=False, default="text")
    assert path is not None and offset is not None
    if fmt not in ("text", "binary"):
        raise ToolError(f"Invalid argument 'format': expected 'text' or 'binary', got {fmt!r}")
    if length == 0:
        length = None  # the early client omits length <= 0: it means "to the end"
    data = read_bytes_checked(ctx, path, offset, length, text=fmt == "text")
    if fmt == "binary":
        return base64.b64encode(data).decode("ascii")
    return data.decode("utf-8", errors="replace")


def read_multiple_files(ctx: AgentContext, args: dict[str, Any]) -> str:
    paths = A.get_str_list(args, "paths")
    assert paths is not None
    blocks = []
    for path in paths:
        try:
            content = read_bytes_checked(ctx, path, 0, None, text=True).decode("utf-8", errors="replace")
            blocks.append(f"{path}:\n{content}\n")
        except ToolError as exc:
            blocks.append(f"{path}: Error - {exc}")
    return "\n---\n".join(blocks)


# -- writing -----------------------------------------------------------------------------------


def write_file(ctx: AgentContext, args: dict[str, Any]) -> str:
    path = A.get_str(args, "path")
    content = A.get_str(args, "content")
    mode = A.get_str(args, "mode", required=False, default="overwrite")
    assert path is not None and content is not None
    if mode not in ("overwrite", "append"):
        raise ToolError(f"Invalid argument 'mode': expected 'overwrite' or 'append', got {mode!r}")
    try:
        data = content.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ToolError("Invalid argument 'content': not encodable as UTF-8") from exc
    real = ctx.real(path)
    with os_errors(path):
        parent = os.path.dirname(real)
        if parent and not os.path.isdir(parent):
            os.makedirs(parent, exist_ok=True)  # users expect write("a/b/c.txt") to work
        if mode == "append":
            fd = os.open(real, os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC | os.O_APPEND, 0o644)
            try:
                _write_all(fd, data)
            finally:
                os.close(fd)
        else:
            replace_content(real, data)
    return f"Successfully {'appended to' if mode == 'append' else 'wrote to'} {path}"


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def replace_content(real: str, data: bytes) -> None:
    """Give the file at `real` the content `data`, all at once.

    The new content goes to a temporary file beside the target, which then replaces it: a write that fails
    half-way (disk full, the file size limit, the sandbox killed) leaves the old content, never a truncated
    mix. A symlink is followed, and the file keeps its permissions. Only regular files are replaced: anything
    else (a FIFO, a device) is written in place, as is a file in a directory we cannot create files in.
    """
    target = os.path.realpath(real)
    try:
        st: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode):
        _write_in_place(target, data)
        return
    temp = os.path.join(os.path.dirname(target) or ".", f".agb-write-{os.urandom(8).hex()}")
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    except PermissionError:
        _write_in_place(target, data)
        return
    try:
        try:
            _write_all(fd, data)
            os.fchmod(fd, stat.S_IMODE(st.st_mode) if st is not None else 0o644 & ~_umask())
        finally:
            os.close(fd)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _write_in_place(target: str, data: bytes) -> None:
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC | os.O_TRUNC, 0o644)
    try:
        _write_all(fd, data)
    finally:
        os.close(fd)


@functools.cache
def _umask() -> int:
    """The process umask, read without changing it (os.umask would race with other calls' threads)."""
    with contextlib.suppress(OSError, ValueError, IndexError), open("/proc/self/status") as status:
        for line in status:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    return 0o022


def create_directory(ctx: AgentContext, args: dict[str, Any]) -> str:
    path = A.get_str(args, "path")
    assert path is not None
    real = ctx.real(path)
    with os_errors(path):
        if os.path.lexists(real) and not os.path.isdir(real):
            raise ToolError(f"Already exists and is not a directory: {path}")
        os.makedirs(real, exist_ok=True)
    return f"Successfully created directory {path}"


def move_file(ctx: AgentContext, args: dict[str, Any]) -> str:
    source = A.get_str(args, "source")
    destination = A.get_str(args, "destination")
    assert source is not None and destination is not None
    src, dst = ctx.real(source), ctx.real(destination)
    with os_errors(source):
        st = os.lstat(src)
    # Moving a root away would empty it (across mounts it is copied, then deleted): refuse it like delete_file.
    if _spelled_root(ctx.virtual(source)) or (not stat.S_ISLNK(st.st_mode) and _is_root(ctx, os.path.realpath(src))):
        raise ToolError(f"Refusing to move {source}: it is a root of the sandbox's file system")
    if os.path.lexists(dst):
        raise ToolError(f"Destination already exists: {destination}")
    with os_errors(destination):
        try:
            os.rename(src, dst)
        except OSError as exc:
            if exc.errno != errno.EXDEV:  # /tmp and /home/user are distinct mounts
                raise
            import shutil  # here: only move and delete need it, and it is half a megabyte

            shutil.move(src, dst)
    return f"Successfully moved {source} to {destination}"


def delete_file(ctx: AgentContext, args: dict[str, Any]) -> str:
    """Delete a file, a symlink (not its target) or a directory with everything in it."""
    path = A.get_str(args, "path")
    assert path is not None
    real = ctx.real(path)
    with os_errors(path):
        st = os.lstat(real)  # a trailing slash makes this follow a symlink, as rmtree then would
    # Refuse a root however it is spelled: "//" (which normpath keeps), or a path that reaches one through a
    # symlink ("link/" or "link-to-root/home/user"). A symlink itself is removed, never what it points to.
    if _spelled_root(ctx.virtual(path)) or (not stat.S_ISLNK(st.st_mode) and _is_root(ctx, os.path.realpath(real))):
        raise ToolError(f"Refusing to delete {path}: it is a root of the sandbox's file system")
    with os_errors(path):
        if stat.S_ISDIR(st.st_mode):
            failures: list[str] = []
            import shutil

            shutil.rmtree(real, onerror=lambda _fn, p, exc: failures.append(f"{ctx.display(p)}: {exc[1]}"))
            if failures:
                raise ToolError(f"Could not delete all of {path}: " + "; ".join(failures[:5]))
        else:
            os.unlink(real)
    return f"Successfully deleted {path}"


def _spelled_root(vpath: str) -> bool:
    return posixpath.normpath("/" + vpath.lstrip("/")) in _PROTECTED


def _is_root(ctx: AgentContext, resolved: str) -> bool:
    if ctx.contained:
        return _spelled_root(resolved)
    roots = {os.path.realpath(ctx.home), os.path.realpath(ctx.tmp)}
    return resolved in roots or any(root.startswith(resolved.rstrip("/") + "/") for root in roots)


# -- edit_file ---------------------------------------------------------------------------------


def _unified_diff(original: str, modified: str, path: str) -> str:
    import difflib  # only edit_file needs it; keep the agent's start-up imports small

    def lines(text: str) -> list[str]:
        out = text.splitlines(keepends=True)
        if out and not out[-1].endswith("\n"):
            out[-1] += "\n\\ No newline at end of file\n"
        return out

    body = "".join(
        difflib.unified_diff(lines(original), lines(modified), path, path, "original", "modified", lineterm="\n")
    )
    return f"Index: {path}\n{'=' * 67}\n" + (body or f"--- {path}\toriginal\n+++ {path}\tmodified\n")


def _apply_edit(content: str, old: str, new: str) -> str:
    count = content.count(old)
    if count == 1:
        return content.replace(old, new, 1)
    if count > 1:
        raise ToolError(
            f"oldText matches {count} places; include more surrounding text so it matches exactly once:\n{old}"
        )
    # Like the reference server: fall back to a line-by-line match that ignores indentation,
    # then re-indent the new text relative to the matched block.
    old_lines = old.split("\n")
    content_lines = content.split("\n")
    hits = [
        i
        for i in range(len(content_lines) - len(old_lines) + 1)
        if all(o.strip() == c.strip() for o, c in zip(old_lines, content_lines[i : i + len(old_lines)], strict=False))
    ]
    if not hits:
        raise ToolError(f"Could not find exact match for edit:\n{old}")
    if len(hits) > 1:
        raise ToolError(
            f"oldText matches {len(hits)} places (ignoring indentation); include more surrounding text:\n{old}"
        )
    i = hits[0]
    base_indent = content_lines[i][: len(content_lines[i]) - len(content_lines[i].lstrip())]
    new_lines = []
    for j, line in enumerate(new.split("\n")):
        if j == 0:
            new_lines.append(base_indent + line.lstrip())
            continue
        old_indent = old_lines[j][: len(old_lines[j]) - len(old_lines[j].lstrip())] if j < len(old_lines) else ""
        new_indent = line[: len(line) - len(line.lstrip())]
        if old_indent and new_indent:
            new_lines.append(base_indent + " " * max(0, len(new_indent) - len(old_indent)) + line.lstrip())
        else:
            new_lines.append(line)
    content_lines[i : i + len(old_lines)] = new_lines
    return "\n".join(content_lines)


def edit_file(ctx: AgentContext, args: dict[str, Any]) -> str:
    path = A.get_str(args, "path")
    edits = args.get("edits")
    dry_run = A.get_bool(args, "dryRun", default=False)
    assert path is not None
    if not isinstance(edits, list) or not edits:
        raise ToolError("Invalid argument 'edits': expected a non-empty array of {oldText, newText}")
    for n, edit in enumerate(edits):
        if (
            not isinstance(edit, dict)
            or not isinstance(edit.get("oldText"), str)
            or not isinstance(edit.get("newText"), str)
        ):
            raise ToolError(f"Invalid argument 'edits[{n}]': expected an object with string oldText and newText")
        if edit["oldText"] == "":
            raise ToolError(f"Invalid argument 'edits[{n}].oldText': must not be empty")
    raw = read_bytes_checked(ctx, path, 0, None, text=False)
    try:
        original = raw.decode("utf-8").replace("\r\n", "\n")
    except UnicodeDecodeError as exc:
        raise ToolError(f"Not a UTF-8 text file: {path}") from exc
    modified = original
    for edit in edits:
        modified = _apply_edit(modified, edit["oldText"].replace("\r\n", "\n"), edit["newText"].replace("\r\n", "\n"))
    diff = _unified_diff(original, modified, path)
    fence = "```"
    while fence in diff:
        fence += "`"
    if not dry_run:
        real = ctx.real(path)
        with os_errors(path):
            replace_content(real, modified.encode("utf-8"))
    return f"{fence}diff\n{diff}{fence}\n\n"


# -- metadata and listing ----------------------------------------------------------------------


def get_file_info(ctx: AgentContext, args: dict[str, Any]) -> str:
    path = A.get_str(args, "path")
    assert path is not None
    real = ctx.real(path)
    with os_errors(path):
        st = os.stat(real)
    is_dir = stat.S_ISDIR(st.st_mode)
    # Linux's stat has no birth time through os.stat on 3.11; the inode change time is the
    # closest thing we can report as "created".
    return "\n".join(
        [
            f"size: {st.st_size}",
            f"created: {_iso(st.st_ctime)}",
            f"modified: {_iso(st.st_mtime)}",
            f"accessed: {_iso(st.st_atime)}",
            f"isDirectory: {'true' if is_dir else 'false'}",
            f"isFile: {'true' if stat.S_ISREG(st.st_mode) else 'false'}",
            f"permissions: {stat.S_IMODE(st.st_mode) & 0o777:o}",
        ]
    )


def list_directory(ctx: AgentContext, args: dict[str, Any]) -> str:
    path = A.get_str(args, "path")
    assert path is not None
    real = ctx.real(path)
    with os_errors(path), os.scandir(real) as it:
        entries = sorted(it, key=lambda e: e.name)
    lines = []
    for entry in entries:
        try:
            is_dir = entry.is_dir()  # follows symlinks: a link to a directory lists as [DIR]
        except OSError:
            is_dir = False
        lines.append(f"{'[DIR]' if is_dir else '[FILE]'} {entry.name}")
    return "\n".join(lines)


def _has_glob(pattern: str) -> bool:
    return any(ch in pattern for ch in "*?[")


def _excluded(name: str, rel: str, patterns: list[str]) -> bool:
    candidates = (name, rel, "/" + rel, rel + "/", "/" + rel + "/")
    for pat in patterns:
        if not _has_glob(pat):
            if pat == name or pat in rel.split("/"):
                return True
            continue
        if any(fnmatch.fnmatchcase(c, pat) for c in candidates):
            return True
    return False


def _matches(name: str, rel: str, pattern: str) -> bool:
    if not _has_glob(pattern):
        return pattern.lower() in name.lower()
    pat = pattern.lower()
    if "/" in pat:
        rel_l = rel.lower()
        return fnmatch.fnmatchcase(rel_l, pat) or (pat.startswith("**/") and fnmatch.fnmatchcase(rel_l, pat[3:]))
    return fnmatch.fnmatchcase(name.lower(), pat)


def search_files(ctx: AgentContext, args: dict[str, Any]) -> str:
    """Recursive name search: a plain pattern is a case-insensitive substring of the name; a
    pattern with * ? [ is a case-insensitive glob (on the name, or on the relative path when it
    contains a /).  Symlinked directories are not followed."""
    path = A.get_str(args, "path")
    pattern = A.get_str(args, "pattern")
    excludes = A.get_str_list(args, "excludePatterns", required=False) or []
    assert path is not None and pattern is not None
    root = ctx.real(path)
    with os_errors(path):
        if not stat.S_ISDIR(os.stat(root).st_mode):
            raise ToolError(f"Not a directory: {path}")
        os.listdir(root)
    results: list[str] = []
    visits = 0
    stack = [(root, "")]
    while stack and len(results) < MAX_SEARCH_RESULTS and visits < MAX_SEARCH_VISITS:
        directory, rel_dir = stack.pop()
        try:
            with os.scandir(directory) as it:
                entries = sorted(it, key=lambda e: e.name, reverse=True)
        except OSError:
            continue
        for entry in entries:
            visits += 1
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            if _excluded(entry.name, rel, excludes):
                continue
            if _matches(entry.name, rel, pattern):
                results.append(entry.path)
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append((entry.path, rel))
            except OSError:
                pass
    if not results:
        return "No matches found"
    return "\n".join(ctx.display(real) for real in sorted(results))
