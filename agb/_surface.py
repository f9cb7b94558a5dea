"""The public methods of both faces, class by class: the one table ``tools/surface`` writes them from.

Each operation is defined once, as a flow (``_control``, ``code``, ``command``, ``filesystem``). For every
entry below, ``tools/surface`` writes a plain method into the sync class and into its async twin (between
the markers in their class bodies) with the flow's parameters, defaults and docstring, whose body only runs
the flow with the object's driver::

    def set_labels(self, labels: Mapping[str, str]) -> OperationResult:       # in Session
        return self._driver.run(_control.set_labels(self, labels))

    async def set_labels(self, labels: Mapping[str, str]) -> OperationResult:  # in AsyncSession
        return await self._driver.run(_control.set_labels(self, labels))

A flow returning ``Flow[X]`` gives methods returning ``X`` (sync) and awaiting to ``X`` (async); a
``Stream[X]`` gives an ``Iterator[X]`` and an ``AsyncIterator[X]``; a flow's ``@overload`` declarations
become overloads of both methods (the last must take every value: the method passes its own parameters on,
as ``filesystem.read``'s does). Nothing here runs in the SDK: the generated code is the SDK, and
``tools/surface --check`` (in CI) fails when it no longer matches this table or the flows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from . import _control, _links, _metrics, code, command, context, context_manager, file_transfer, filesystem


@dataclass(frozen=True)
class Method:
    """A method running `flow`; `aliases` are the early names, kept as other names of the same function.

    `returns` (sync, async) replaces the return type the flow's ``Flow[...]`` gives, where each face
    returns its own class (``agb.create`` gives a ``Session`` on ``AGB``, an ``AsyncSession`` on ``AsyncAGB``).
    """

    name: str
    flow: Callable[..., Any]
    aliases: tuple[str, ...] = ()
    returns: tuple[str, str] | None = None


@dataclass(frozen=True)
class Helper:
    """A property giving the object's helper (``session.code``), made on first use and kept.

    `classes` are the sync and the async helper class; the property's docstring is the summary line of
    `flows`, the module defining the helper's operations.
    """

    name: str
    classes: tuple[str, str]
    flows: ModuleType
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Surface:
    """The members a sync class and its async twin share; both classes are defined in `path`."""

    classes: tuple[str, str]
    path: str
    members: tuple[Method | Helper, ...]


_SESSION_RESULT = ("SessionResult[Session]", "SessionResult[AsyncSession]")

SURFACES = (
    Surface(
        ("AGB", "AsyncAGB"),
        "agb/client.py",
        (
            Helper("context", ("ContextService", "AsyncContextService"), context),
            Method("create", _control.create, returns=_SESSION_RESULT),
            Method("get", _control.get, returns=_SESSION_RESULT),
            Method("delete", _control.delete),
            Method("list_all", _control.list_all),
            Method("list", _control.list_page),
        ),
    ),
    Surface(
        ("Session", "AsyncSession"),
        "agb/session.py",
        (
            Helper("code", ("Code", "AsyncCode"), code),
            Helper("command", ("Command", "AsyncCommand"), command),
            Helper("file", ("FileSystem", "AsyncFileSystem"), filesystem, aliases=("file_system",)),
            Helper("context", ("ContextManager", "AsyncContextManager"), context_manager),
            Method("set_labels", _control.set_labels),
            Method("get_labels", _control.get_labels),
            Method("info", _control.info),
            Method("get_status", _control.get_status),
            Method("keep_alive", _control.keep_alive),
            Method("list_mcp_tools", _control.list_mcp_tools),
            Method("call_mcp_tool", _control.call_mcp_tool),
            Method("get_link", _links.get_link),
            Method("get_metrics", _metrics.get_metrics),
            Method("delete", _control.delete_self),
        ),
    ),
    # Code.run is written by hand in agb/session.py: with callbacks it streams over the session's WebSocket,
    # which is not a flow; without them it runs the code.run flow.
    Surface(("Code", "AsyncCode"), "agb/session.py", ()),
    Surface(
        ("Command", "AsyncCommand"),
        "agb/session.py",
        (Method("execute", command.execute, aliases=("execute_command",)),),
    ),
    Surface(
        ("FileSystem", "AsyncFileSystem"),
        "agb/session.py",
        (
            Method("read", filesystem.read, aliases=("read_file",)),
            Method("read_text", filesystem.read_text),
            Method("read_bytes", filesystem.read_bytes),
            Method("write", filesystem.write, aliases=("write_file",)),
            Method("mkdir", filesystem.mkdir, aliases=("create_directory",)),
            Method("remove", filesystem.remove, aliases=("delete_file",)),
            Method("move", filesystem.move, aliases=("move_file",)),
            Method("edit", filesystem.edit, aliases=("edit_file",)),
            Method("info", filesystem.info, aliases=("get_file_info",)),
            Method("search", filesystem.search, aliases=("search_files",)),
            Method("read_batch", filesystem.read_batch, aliases=("read_multiple_files",)),
            Method("get_file_change", filesystem.get_file_change),
            Method("watch", filesystem.watch),
            Method("upload", file_transfer.upload),
            Method("download", file_transfer.download),
            Method("transfer_path", file_transfer.transfer_path),
            Method("list", filesystem.list_directory, aliases=("list_directory",)),
        ),
    ),
    Surface(
        ("ContextService", "AsyncContextService"),
        "agb/client.py",
        (
            Method("get", context.get),
            Method("create", context.create),
            Method("update", context.update),
            Method("delete", context.delete),
            Method("get_file_upload_url", context.get_file_upload_url),
            Method("get_file_download_url", context.get_file_download_url),
            Method("delete_file", context.delete_file),
            Method("list_files", context.list_files),
            Method("clear_async", context.clear_async),
            Method("get_clear_status", context.get_clear_status),
            Method("clear", context.clear),
            Method("list", context.list_page),
        ),
    ),
    Surface(
        ("ContextManager", "AsyncContextManager"),
        "agb/session.py",
        (Method("info", context_manager.info), Method("sync", context_manager.sync)),
    ),
)
