"""The two faces: objects whose operations run synchronously, and their twins returning awaitables.

Every public method of ``AGB``, ``Session`` and the session helpers is written by ``tools/surface`` (from
the table in ``_surface.py``) as a plain method whose body runs one flow with the object's driver: the
sync class's driver returns the flow's result, the async class's driver gives an awaitable of it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._flow import AsyncDriver, Context, SyncDriver

if TYPE_CHECKING:
    from .session import SessionCore


class Face:
    """An object with operations: the flows' context and the driver that runs them."""

    _ctx: Context
    _driver: Any  # a SyncDriver on SyncFace objects, an AsyncDriver on AsyncFace ones


class SyncFace(Face):
    """Marks the objects whose operations run synchronously."""

    _driver: SyncDriver


class AsyncFace(Face):
    """Marks the objects whose operations return awaitables."""

    _driver: AsyncDriver


class Module(Face):
    """A group of session operations (``session.code``, ``session.command``, ``session.file``)."""

    def __init__(self, session: SessionCore) -> None:
        self.session = session
        self._ctx = session._ctx
        self._driver = session._driver

    def __repr__(self) -> str:
        return f"{type(self).__name__}(session_id={self.session.session_id!r})"
