"""How one flow becomes a method of both the sync and the async classes.

A class body says ``set_labels = Operation(flows.set_labels)`` once, in a surface class shared by
``Session`` and ``AsyncSession``. Reading the attribute from a sync object gives a method that runs the
flow with the sync driver and returns the result; from an async object, a method returning an awaitable.
The overloads of ``__get__`` give both faces exact types (parameters come from the flow's signature).
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from types import MethodType
from typing import TYPE_CHECKING, Any, Concatenate, Generic, ParamSpec, Self, TypeVar, overload

from ._flow import Context, Flow, Stream

if TYPE_CHECKING:
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


class Dual(Generic[SyncT, AsyncT]):
    """A descriptor that gives ``SyncT`` on sync objects and ``AsyncT`` on async ones (the one ``__get__``)."""

    @overload
    def __get__(self, obj: None, objtype: type | None = None) -> Self: ...
    @overload
    def __get__(self, obj: SyncFace, objtype: type | None = None) -> SyncT: ...
    @overload
    def __get__(self, obj: AsyncFace, objtype: type | None = None) -> AsyncT: ...
    def __get__(self, obj: Any, objtype: type | None = None) -> Any:
        return self if obj is None else self._for(obj, isinstance(obj, AsyncFace))

    def _for(self, obj: Any, is_async: bool) -> Any:
        raise NotImplementedError


class _FlowMethod(Dual[SyncT, AsyncT]):
    """Binds a flow to an object as a method that runs it with the object's driver.

    The method looks like the flow (name, doc, signature without the first parameter), with the return type
    each face really has: ``Flow[X]`` reads ``X`` or ``Awaitable[X]``, ``Stream[X]`` an (async) iterator.
    """

    _runner = "run"  # the driver method that runs the flow
    _returns = ("{}", "Awaitable[{}]")  # the sync and async return types, around the flow's result type

    def __init__(self, flow: Callable[..., Any]) -> None:
        self._flow = flow
        self.__doc__ = flow.__doc__
        self.__name__ = flow.__name__
        signature = inspect.signature(flow)
        returns = str(signature.return_annotation)
        self._result = returns[returns.index("[") + 1 : -1] if "[" in returns else "Any"
        self.__signature__ = signature.replace(parameters=list(signature.parameters.values())[1:])
        self._methods = (self._method(signature, False), self._method(signature, True))

    def _method(self, signature: inspect.Signature, is_async: bool) -> Callable[..., Any]:
        """The function bound to each object of one face: built once here, so reading the attribute only
        binds it (``types.MethodType``), which drops the first parameter from its signature as well."""
        flow, runner = self._flow, self._runner

        def method(obj: Any, *args: Any, **kwargs: Any) -> Any:
            return getattr(obj._driver, runner)(flow(obj, *args, **kwargs))

        method.__name__ = method.__qualname__ = self.__name__
        method.__doc__ = self.__doc__
        returns = self._returns[is_async].format(self._result)
        method.__signature__ = signature.replace(return_annotation=returns)  # type: ignore[attr-defined]
        return method

    def _for(self, obj: Any, is_async: bool) -> Any:
        return MethodType(self._methods[is_async], obj)


class Operation(_FlowMethod[Callable[P, R], Callable[P, Awaitable[R]]], Generic[P, R]):
    """A flow returning a result, as a method: ``R`` on sync objects, ``Awaitable[R]`` on async ones."""

    def __init__(self, flow: Callable[Concatenate[Any, P], Flow[R]]) -> None:
        super().__init__(flow)


class SessionOperation(
    _FlowMethod[Callable[P, "SessionResult[Session]"], Callable[P, "Awaitable[SessionResult[AsyncSession]]"]],
    Generic[P],
):
    """A flow returning a ``SessionResult``: of ``Session`` on ``AGB``, of ``AsyncSession`` on ``AsyncAGB``."""

    _returns = ("SessionResult[Session]", "Awaitable[SessionResult[AsyncSession]]")

    def __init__(self, flow: Callable[Concatenate[Any, P], Flow[SessionResult[Any]]]) -> None:
        super().__init__(flow)


class Pager(_FlowMethod[Callable[P, Iterator[T]], Callable[P, AsyncIterator[T]]], Generic[P, T]):
    """A flow emitting items, as a method returning an ``Iterator`` (sync) or an ``AsyncIterator`` (async)."""

    _runner = "stream"
    _returns = ("Iterator[{}]", "AsyncIterator[{}]")

    def __init__(self, flow: Callable[Concatenate[Any, P], Stream[T]]) -> None:
        super().__init__(flow)


class Facet(Dual[SyncT, AsyncT]):
    """A per-object helper (``session.code``...): the sync class on sync objects, the async one on async ones."""

    def __init__(self, sync_cls: Callable[[Any], SyncT], async_cls: Callable[[Any], AsyncT]) -> None:
        self._classes = (sync_cls, async_cls)

    def __set_name__(self, owner: type, name: str) -> None:
        self._slot = "_facet_" + name

    def _for(self, obj: Any, is_async: bool) -> Any:
        helper = obj.__dict__.get(self._slot)
        if helper is None:
            helper = obj.__dict__[self._slot] = self._classes[is_async](obj)
        return helper


class Module(Face):
    """A group of session operations (``session.code``, ``session.command``, ``session.file``)."""

    def __init__(self, session: SessionCore) -> None:
        self.session = session
        self._ctx = session._ctx
        self._driver = session._driver

    def __repr__(self) -> str:
        return f"{type(self).__name__}(session_id={self.session.session_id!r})"
