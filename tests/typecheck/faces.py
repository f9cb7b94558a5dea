"""The types both faces promise, checked by mypy (CI's mypy step: pyproject's ``files``); nothing here runs.

``assert_type`` fails mypy when a method's type drifts. Each ``type: ignore[...]`` marks a call that must
stay an error: mypy strict reports an unused ignore, so the check fails when the error goes away (a misspelt
import from ``agb`` typed as ``Any`` again, a wrong ``format`` accepted...).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Coroutine, Iterator
from typing import Any, Literal, assert_type

from agb import (
    AGB,
    AsyncAGB,
    AsyncSession,
    BinaryFileContentResult,
    BoolResult,
    CommandResult,
    DeleteResult,
    DirectoryListResult,
    EnhancedCodeExecutionResult,
    FileChangeEvent,
    FileChangeResult,
    FileContentResult,
    FileInfoResult,
    FileSearchResult,
    McpToolResult,
    McpToolsResult,
    MultipleFileContentResult,
    OperationResult,
    Session,
    SessionListResult,
    SessionResult,
    SessionStatusResult,
)
from agb.session import AsyncCode, AsyncCommand, AsyncFileSystem, Code, Command, FileSystem

Format = Literal["text", "bytes"]


def misspelt_names() -> object:
    import agb
    from agb import Misspelled  # type: ignore[attr-defined]

    return Misspelled, agb.Misspelled  # type: ignore[attr-defined]


def sync_client(agb: AGB, session: Session) -> None:
    assert_type(agb.create(), SessionResult[Session])
    assert_type(agb.create().unwrap(), Session)
    assert_type(agb.get("s-1"), SessionResult[Session])
    assert_type(agb.delete(session), DeleteResult)
    assert_type(agb.delete("s-1", wait=False), DeleteResult)
    assert_type(agb.list(), SessionListResult)
    assert_type(agb.list(labels={"a": "b"}, limit=5).session_ids, list[str])
    assert_type(agb.list_all(), Iterator[str])
    assert_type(agb.list_all({"a": "b"}), Iterator[str])
    agb.creat()  # type: ignore[attr-defined]
    agb.get(1)  # type: ignore[arg-type]


def sync_session(session: Session, fmt: Format) -> None:
    assert_type(session.code, Code)
    assert_type(session.command, Command)
    assert_type(session.file, FileSystem)
    assert_type(session.file_system, FileSystem)
    assert_type(session.set_labels({"a": "b"}), OperationResult)
    assert_type(session.get_labels(), OperationResult)
    assert_type(session.info(), OperationResult)
    assert_type(session.get_status(), SessionStatusResult)
    assert_type(session.keep_alive(), OperationResult)
    assert_type(session.list_mcp_tools(), McpToolsResult)
    assert_type(session.call_mcp_tool("shell", {"command": "ls"}), McpToolResult)
    assert_type(session.delete(), DeleteResult)

    assert_type(session.code.run("1 + 1"), EnhancedCodeExecutionResult)
    assert_type(session.code.run("1 + 1").result, str)
    assert_type(session.code.run_code("1", "python", 5), EnhancedCodeExecutionResult)
    session.code.run(1)  # type: ignore[arg-type]
    assert_type(session.command.execute("ls"), CommandResult)
    assert_type(session.command.execute_command("ls", 1000).exit_code, int | None)

    assert_type(session.file.read("/p"), FileContentResult)
    assert_type(session.file.read("/p").content, str)
    assert_type(session.file.read("/p", format="text").content, str)
    assert_type(session.file.read("/p", format="bytes"), BinaryFileContentResult)
    assert_type(session.file.read("/p", format="bytes").content, bytes)
    assert_type(session.file.read("/p", format=fmt), FileContentResult | BinaryFileContentResult)
    assert_type(session.file_system.read_file("/p", format="bytes").content, bytes)
    session.file.read("/p", format="json")  # type: ignore[call-overload]
    assert_type(session.file.read_text("/p").content, str)
    assert_type(session.file.read_bytes("/p").content, bytes)
    assert_type(session.file.write("/p", b"\x00"), BoolResult)
    assert_type(session.file.mkdir("/d"), BoolResult)
    assert_type(session.file.remove("/p"), BoolResult)
    assert_type(session.file.move("/p", "/q"), BoolResult)
    assert_type(session.file.edit("/p", [{"oldText": "a", "newText": "b"}]), BoolResult)
    assert_type(session.file.info("/p"), FileInfoResult)
    assert_type(session.file.search("/", "*.py"), FileSearchResult)
    assert_type(session.file.get_file_change("/"), FileChangeResult)
    assert_type(session.file.watch("/", interval_s=0.5), Iterator[FileChangeEvent])
    assert_type(session.file.read_batch(["/p"]), MultipleFileContentResult)
    assert_type(session.file.list("/"), DirectoryListResult)
    assert_type(session.file.list_directory("/"), DirectoryListResult)
    assert_type(session.file.write_file("/p", "x"), BoolResult)


async def async_client(agb: AsyncAGB, session: AsyncSession) -> None:
    # Calling an async method gives a coroutine, awaiting it the result. (Checked inside a list: mypy
    # reports a coroutine that `assert_type` returns unused.)
    pending = agb.create()
    assert_type([pending], list[Coroutine[Any, Any, SessionResult[AsyncSession]]])
    assert_type(await pending, SessionResult[AsyncSession])
    assert_type((await agb.create()).unwrap(), AsyncSession)
    assert_type(await agb.get("s-1"), SessionResult[AsyncSession])
    assert_type(await agb.delete(session), DeleteResult)
    assert_type(await agb.list(), SessionListResult)
    assert_type(agb.list_all(), AsyncIterator[str])
    assert_type([s async for s in agb.list_all()], list[str])
    for _ in agb.list_all():  # type: ignore[attr-defined]
        pass


async def async_session(session: AsyncSession, fmt: Format) -> None:
    assert_type(session.code, AsyncCode)
    assert_type(session.command, AsyncCommand)
    assert_type(session.file, AsyncFileSystem)
    assert_type(session.file_system, AsyncFileSystem)
    labelled = session.set_labels({"a": "b"})
    assert_type([labelled], list[Coroutine[Any, Any, OperationResult]])
    assert_type(await labelled, OperationResult)
    assert_type(await session.get_labels(), OperationResult)
    assert_type(await session.info(), OperationResult)
    assert_type(await session.get_status(), SessionStatusResult)
    assert_type(await session.keep_alive(), OperationResult)
    assert_type(await session.list_mcp_tools(), McpToolsResult)
    assert_type(await session.call_mcp_tool("shell"), McpToolResult)
    assert_type(await session.delete(), DeleteResult)

    ran = session.code.run("1")
    assert_type([ran], list[Coroutine[Any, Any, EnhancedCodeExecutionResult]])
    assert_type((await ran).result, str)
    assert_type(await session.code.run_code("1"), EnhancedCodeExecutionResult)
    assert_type(await session.command.execute("ls"), CommandResult)
    assert_type(await session.command.execute_command("ls"), CommandResult)
    assert_type(session.command.execute("ls").exit_code, Any)  # type: ignore[attr-defined]

    assert_type((await session.file.read("/p")).content, str)
    assert_type((await session.file.read("/p", format="bytes")).content, bytes)
    assert_type(await session.file.read("/p", format=fmt), FileContentResult | BinaryFileContentResult)
    assert_type((await session.file_system.read_file("/p", format="bytes")).content, bytes)
    assert_type((await session.file.read_text("/p")).content, str)
    assert_type((await session.file.read_bytes("/p")).content, bytes)
    assert_type(await session.file.write("/p", "x"), BoolResult)
    assert_type(await session.file.mkdir("/d"), BoolResult)
    assert_type(await session.file.remove("/p"), BoolResult)
    assert_type(await session.file.move("/p", "/q"), BoolResult)
    assert_type(await session.file.edit("/p", [{"oldText": "a", "newText": "b"}]), BoolResult)
    assert_type(await session.file.info("/p"), FileInfoResult)
    assert_type(await session.file.search("/", "*.py"), FileSearchResult)
    assert_type(await session.file.get_file_change("/"), FileChangeResult)
    assert_type(session.file.watch("/", timeout_s=1), AsyncIterator[FileChangeEvent])
    assert_type(await session.file.read_batch(["/p"]), MultipleFileContentResult)
    assert_type(await session.file.list("/"), DirectoryListResult)
    assert_type(await session.file.list_directory("/"), DirectoryListResult)
