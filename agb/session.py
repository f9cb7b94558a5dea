"""Sessions: ``Session`` (sync) and ``AsyncSession`` share one surface, ``SessionCore``."""

from __future__ import annotations

import logging
from types import TracebackType
from typing import TYPE_CHECKING, Any

from . import _control
from ._face import AsyncFace, Face, Facet, Operation, SyncFace
from .code import AsyncCode, Code
from .command import AsyncCommand, Command
from .context_manager import AsyncContextManager, ContextManager
from .filesystem import AsyncFileSystem, FileSystem
from .results import DeleteResult

if TYPE_CHECKING:
    from .client import ClientCore

__all__ = ["AsyncSession", "Session", "SessionCore"]

log = logging.getLogger("agb")


class SessionCore(Face):
    """What ``Session`` and ``AsyncSession`` share: the session's identity and its operations.

    Attributes:
        session_id: the session's id.
        image_id: the image it runs (None for a session found with ``agb.get``; the service does not say).
        labels: the labels as this client last set or read them (``get_labels()`` asks the service).
        resource_url, app_instance_id, resource_id: as the service returned them.
        agb: the client the session belongs to.
    """

    def __init__(
        self,
        agb: ClientCore[Any],
        session_id: str,
        *,
        image_id: str | None = None,
        labels: dict[str, str] | None = None,
        resource_url: str = "",
        app_instance_id: str = "",
        resource_id: str = "",
    ) -> None:
        self.agb = agb
        self._ctx = agb._ctx
        self._driver = agb._driver
        self.session_id = session_id
        self.image_id = image_id
        self.labels = labels
        self.resource_url = resource_url
        self.app_instance_id = app_instance_id
        self.resource_id = resource_id
        self._released = False

    def __repr__(self) -> str:
        return f"{type(self).__name__}(session_id={self.session_id!r}, image_id={self.image_id!r})"

    def get_session_id(self) -> str:
        """The session id (as the official client's method)."""
        return self.session_id

    code = Facet(Code, AsyncCode)
    command = Facet(Command, AsyncCommand)
    file = Facet(FileSystem, AsyncFileSystem)
    file_system = file  # the early name
    context = Facet(ContextManager, AsyncContextManager)  # the session's context syncs

    set_labels = Operation(_control.set_labels)
    get_labels = Operation(_control.get_labels)
    info = Operation(_control.info)
    get_status = Operation(_control.get_status)
    keep_alive = Operation(_control.keep_alive)
    list_mcp_tools = Operation(_control.list_mcp_tools)
    call_mcp_tool = Operation(_control.call_mcp_tool)
    delete = Operation(_control.delete_self)


class Session(SessionCore, SyncFace):
    """A live sandbox. ``with session:`` deletes it on exit (unless it was already deleted)."""

    def __enter__(self) -> Session:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if not self._released:
            _log_failed_delete(self, self.delete())


class AsyncSession(SessionCore, AsyncFace):
    """A live sandbox whose operations return awaitables. ``async with session:`` deletes it on exit."""

    async def __aenter__(self) -> AsyncSession:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if not self._released:
            _log_failed_delete(self, await self.delete())


def _log_failed_delete(session: SessionCore, result: DeleteResult) -> None:
    if not result.success:
        log.warning("could not delete session %s on exit: %s", session.session_id, result.error_message)
