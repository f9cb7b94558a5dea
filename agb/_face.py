"""How one flow becomes a method of both the sync and the async classes.

A class body says ``set_labels = Operation(flows.set_labels)`` once, in a surface class shared by
``Session`` and ``AsyncSession``. Reading the attribute from a sync object gives a method that runs the
flow with the sync driver and returns the result; from an async object, a method returning an awaitable.
The overloads of ``__get__`` give both faces exact types (parameters come from the flow's signature).
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import TYPE_CHECKING, Any, Concatenate, Generic, ParamSpec, Self, TypeVar, overload

from ._flow import Context, Flow, Stream

if TYPE_CHECKING:
    from .client import AGB, AsyncAGB
    from .results import SessionResult
    from .session import AsyncSession, Session, SessionCore

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")
SyncT = TypeVar("SyncT")
AsyncT = TypeVar("AsyncT")


class Face:
    """An object with operations: the flows' context and the driver that runs them."""

    _ctx: Context
    _driver: Any  # a SyncDriver on SyncFace objects, an AsyncDriver on AsyncFace ones


class SyncFace(Face):
    """Marks the objects whose operations run synchronously."""


class AsyncFace(Face):
    """Marks the objects whose operations return awaitables."""


class _Bound(Generic[P]):
    """Shared machinery: keep the flow, and make bound methods that look like it (name, doc, signature)."""

    def __init__(self, flow: Callable[Concatenate[Any, P], Any]) -> None:
        self._flow = flow
        self.__doc__ = flow.__doc__
        self.__name__ = flow.__name__
        signature = inspect.signature(flow)
        # What the flow yields is not what the method returns: `Flow[X]` becomes `X` (sync) or
        # `Awaitable[X]` (async), `Stream[X]` an `Iterator[X]` or an `AsyncIterator[X]`.
        returns = str(signature.return_annotation)
        self._returns = returns[returns.index("[") + 1 : -1] if "[" in returns else "Any"
        self.__signature__ = signature.replace(parameters=list(signature.parameters.values())[1:])

    def _bind(self, obj: Any, run: Callable[[Any], Any], returns: str) -> Callable[..., Any]:
        flow = self._flow

        def method(*args: Any, **kwargs: Any) -> Any:
            return run(flow(obj, *args, **kwargs))

        method.__name__ = method.__qualname__ = self.__name__
        method.__doc__ = self.__doc__
        method.__signature__ = self.__signature__.replace(return_annotation=returns)  # type: ignore[attr-defined]
        return method


class Operation(_Bound[P], Generic[P, R]):
    """A flow returning a result, as a method: ``R`` on sync objects, ``Awaitable[R]`` on async ones."""

    def __init__(self, flow: Callable[Concatenate[Any, P], Flow[R]]) -> None:
        super().__init__(flow)

    @overload
    def __get__(self, obj: None, objtype: type | None = None) -> Self: ...
    @overload
    def __get__(self, obj: SyncFace, objtype: type | None = None) -> Callable[P, R]: ...
    @overload
    def __get__(self, obj: AsyncFace, objtype: type | None = None) -> Callable[P, Awaitable[R]]: ...
    def __get__(self, obj: Any, objtype: type | None = None) -> Any:
        if obj is None:
            return self
        return self._bind(
            obj, obj._driver.run, f"Awaitable[{self._returns}]" if isinstance(obj, AsyncFace) else self._returns
        )


class SessionOperation(_Bound[P], Generic[P]):
    """A flow returning a ``SessionResult``: of ``Session`` on ``AGB``, of ``AsyncSession`` on ``AsyncAGB``."""

    def __init__(self, flow: Callable[Concatenate[Any, P], Flow[SessionResult[Any]]]) -> None:
        super().__init__(flow)

    @overload
    def __get__(self, obj: None, objtype: type | None = None) -> Self: ...
    @overload
    def __get__(self, obj: AGB, objtype: type | None = None) -> Callable[P, SessionResult[Session]]: ...
    @overload
    def __get__(
        self, obj: AsyncAGB, objtype: type | None = None
    ) -> Callable[P, Awaitable[SessionResult[AsyncSession]]]: ...
    def __get__(self, obj: Any, objtype: type | None = None) -> Any:
        if obj is None:
            return self
        session = "AsyncSession" if isinstance(obj, AsyncFace) else "Session"
        returns = f"SessionResult[{session}]"
        return self._bind(obj, obj._driver.run, f"Awaitable[{returns}]" if isinstance(obj, AsyncFace) else returns)


class Pager(_Bound[P], Generic[P, T]):
    """A flow emitting items, as a method returning an ``Iterator`` (sync) or an ``AsyncIterator`` (async)."""

    def __init__(self, flow: Callable[Concatenate[Any, P], Stream[T]]) -> None:
        super().__init__(flow)

    @overload
    def __get__(self, obj: None, objtype: type | None = None) -> Self: ...
    @overload
    def __get__(self, obj: SyncFace, objtype: type | None = None) -> Callable[P, Iterator[T]]: ...
    @overload
    def __get__(self, obj: AsyncFace, objtype: type | None = None) -> Callable[P, AsyncIterator[T]]: ...
    def __get__(self, obj: Any, objtype: type | None = None) -> Any:
        if obj is None:
            return self
        iterator = "AsyncIterator" if isinstance(obj, AsyncFace) else "Iterator"
        return self._bind(obj, obj._driver.stream, f"{iterator}[{self._returns}]")


class Facet(Generic[SyncT, AsyncT]):
    """A per-object helper (``session.code``...): the sync class on sync objects, the async one on async ones."""

    def __init__(self, sync_cls: Callable[[Any], SyncT], async_cls: Callable[[Any], AsyncT]) -> None:
        self._classes = (sync_cls, async_cls)

    def __set_name__(self, owner: type, name: str) -> None:
        self._slot = "_facet_" + name

    @overload
    def __get__(self, obj: None, objtype: type | None = None) -> Self: ...
    @overload
    def __get__(self, obj: SyncFace, objtype: type | None = None) -> SyncT: ...
    @overload
    def __get__(self, obj: AsyncFace, objtype: type | None = None) -> AsyncT: ...
    def __get__(self, obj: Any, objtype: type | None = None) -> Any:
        if obj is None:
            return self
        helper = obj.__dict__.get(self._slot)
        if helper is None:
            helper = self._classes[isinstance(obj, AsyncFace)](obj)
            obj.__dict__[self._slot] = helper
        return helper


class Module(Face):
    """A group of session operations (``session.code``, ``session.command``, ``session.file``)."""

    def __init__(self, session: SessionCore) -> None:
        self.session = session
        self._ctx = session._ctx
        self._driver = session._driver

    def __repr__(self) -> str:
        return f"{type(self).__name__}(session_id={self.session.session_id!r})"
