"""Sans-IO flows and the two tiny drivers that run them.

Every operation is a generator (a *flow*) that yields effects and receives their outcomes:

* ``Call``: one call of a generated ``agb_api`` endpoint; the driver answers with a ``Reply`` or a ``Failure``;
* ``Sleep``: a pause (retry backoff, delete polling); the driver answers with None;
* ``Emit``: an item for the caller of an iterator such as ``list_all``.

The flow decides everything (what to send, how to parse, whether to retry, when to stop); the sync driver
calls ``sync_detailed`` and ``time.sleep``, the async driver ``asyncio_detailed`` and ``asyncio.sleep``.
Retries live in ``send`` below: one place for both drivers.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import logging
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, ParamSpec, Protocol, TypeVar

import httpx
from agb_api.client import AuthenticatedClient
from agb_api.types import Response

from ._wire import Failure, Outcome, Reply, retry_after
from .errors import AGBError
from .results import ApiResult

log = logging.getLogger("agb")

T = TypeVar("T")
R = TypeVar("R")
P = ParamSpec("P")
ResultT = TypeVar("ResultT", bound=ApiResult[Any])


class Endpoint(Protocol):
    """A generated ``agb_api.api.<tag>.<operation>`` module."""

    @property
    def sync_detailed(self) -> Callable[..., Response[Any]]: ...

    @property
    def asyncio_detailed(self) -> Callable[..., Awaitable[Response[Any]]]: ...


@dataclass(frozen=True)
class Call:
    """Call `endpoint` with `kwargs` (the client is added by the driver).

    `idempotent` allows retries after the request was sent; `read_timeout` (seconds) raises the HTTP read
    timeout above the configured one, for tool calls that may run longer.
    """

    endpoint: Endpoint
    kwargs: Mapping[str, Any]
    name: str
    idempotent: bool = False
    read_timeout: float | None = None


@dataclass(frozen=True)
class Sleep:
    seconds: float


@dataclass(frozen=True)
class Emit(Generic[T]):
    item: T


Effect = Call | Sleep | Emit[Any]
Flow = Generator[Effect, object, R]
Stream = Generator[Call | Sleep | Emit[T], object, None]


# ---------------------------------------------------------------- retries (the one place)


@dataclass
class RetryPolicy:
    """When and how long to wait before sending a call again.

    Any call is retried when the request surely never left (connect errors, connect and pool timeouts).
    Idempotent calls are also retried when the connection dropped mid-reply, on 429 and on 5xx.
    Waits use exponential backoff with full jitter; a ``Retry-After`` up to `retry_after_cap` seconds is
    honoured, a longer one ends the retries (the caller gets a ``RateLimitError`` with ``retry_after``).
    Read timeouts are never retried: a slow reply is not helped by waiting again.
    """

    max_retries: int = 2
    base: float = 0.5
    cap: float = 8.0
    retry_after_cap: float = 30.0
    rng: Callable[[], float] = field(default=random.random, repr=False)

    def delay(self, call: Call, outcome: Outcome, attempt: int) -> float | None:
        """Seconds to wait before retry number `attempt + 1`, or None to stop."""
        if attempt >= self.max_retries:
            return None
        backoff = self.rng() * min(self.cap, self.base * 2.0**attempt)
        if isinstance(outcome, Failure):
            return backoff if not outcome.sent or (call.idempotent and outcome.dropped) else None
        if not call.idempotent or not (outcome.status == 429 or 500 <= outcome.status <= 599):
            return None
        hint = retry_after(outcome.headers)
        if hint is None:
            return backoff
        return hint if hint <= self.retry_after_cap else None


@dataclass
class Context:
    """What flows need besides the call arguments: the retry policy and a clock."""

    retry: RetryPolicy
    clock: Callable[[], float] = time.monotonic


def send(ctx: Context, call: Call) -> Flow[Outcome]:
    """Yield `call` until it succeeds or the retry policy gives up; return the last outcome."""
    attempt = 0
    while True:
        outcome = yield call
        if not isinstance(outcome, Reply | Failure):
            raise TypeError(f"a driver answered a Call with {outcome!r}")
        delay = ctx.retry.delay(call, outcome, attempt)
        if delay is None:
            return outcome
        attempt += 1
        why = outcome.status if isinstance(outcome, Reply) else type(outcome.exc).__name__
        log.debug(
            "retrying %s after %s in %.2f s (retry %d of %d)", call.name, why, delay, attempt, ctx.retry.max_retries
        )
        yield Sleep(delay)


def sleep(seconds: float) -> Flow[None]:
    yield Sleep(seconds)


def guarded(result_cls: type[ResultT]) -> Callable[[Callable[P, Flow[ResultT]]], Callable[P, Flow[ResultT]]]:
    """Make a flow return ``result_cls.failed(error)`` instead of raising.

    Flows raise ``AGBError`` where they find a problem; this turns it into the failed result. Anything else
    is a bug in the SDK: it is logged and returned as a failed result too, never raised at the caller.
    """

    def wrap(flow: Callable[P, Flow[ResultT]]) -> Callable[P, Flow[ResultT]]:
        @functools.wraps(flow)
        def guarded_flow(*args: P.args, **kwargs: P.kwargs) -> Flow[ResultT]:
            try:
                return (yield from flow(*args, **kwargs))
            except AGBError as exc:
                return result_cls.failed(exc)
            except Exception as exc:
                log.error("internal error in the AGB SDK during %s", flow.__name__, exc_info=True)
                return result_cls.failed(AGBError(f"internal error in the AGB SDK: {type(exc).__name__}: {exc}"))

        return guarded_flow

    return wrap


# ---------------------------------------------------------------- drivers


@dataclass
class _Attempt:
    """One HTTP attempt: the timeout the request hook applies, and the method and path it saw (for the log)."""

    timeout: httpx.Timeout
    method: str = "?"
    path: str = ""


_ATTEMPT: contextvars.ContextVar[_Attempt | None] = contextvars.ContextVar("agb_attempt", default=None)


def on_request(request: httpx.Request) -> None:
    """httpx request hook: apply the current call's timeout and note method and path for the log."""
    attempt = _ATTEMPT.get()
    if attempt is not None:
        request.extensions["timeout"] = attempt.timeout.as_dict()
        attempt.method, attempt.path = request.method, request.url.path


async def on_request_async(request: httpx.Request) -> None:
    on_request(request)


class _Driver:
    """What both drivers share: the generated client, timeouts, logging, and turning I/O into outcomes."""

    def __init__(self, api: AuthenticatedClient, base_url: str, timeout: float, secret: str) -> None:
        self.api = api
        self.base_url = base_url
        self.timeout = timeout
        self._secret = secret

    @functools.cached_property
    def _default_timeout(self) -> httpx.Timeout:
        return httpx.Timeout(self.timeout)

    def _begin(self, call: Call) -> tuple[_Attempt, contextvars.Token[_Attempt | None]]:
        timeout = self._default_timeout
        if call.read_timeout is not None and call.read_timeout > self.timeout:
            timeout = httpx.Timeout(self.timeout, read=call.read_timeout)
        attempt = _Attempt(timeout)
        return attempt, _ATTEMPT.set(attempt)

    def _end(
        self, attempt: _Attempt, token: contextvars.Token[_Attempt | None], result: Response[Any] | Exception
    ) -> Outcome:
        _ATTEMPT.reset(token)
        url = self.base_url + attempt.path
        if isinstance(result, Exception):
            log.debug("%s %s -> %s", attempt.method, attempt.path, type(result).__name__)
            return Failure(result, url)
        reply = Reply(int(result.status_code), result.headers, result.content, url)
        log.debug("%s %s -> %d (request id %s)", attempt.method, attempt.path, reply.status, reply.request_id or "-")
        return reply

    def _finish(self, value: R) -> R:
        if isinstance(value, ApiResult):
            value._redact(self._secret)
        return value


def _advance(flow: Generator[Any, Any, Any], value: object) -> tuple[bool, Any]:
    """Send `value` into `flow`: (True, effect) or (False, the flow's return value)."""
    try:
        return True, flow.send(value)
    except StopIteration as stop:
        return False, stop.value


class SyncDriver(_Driver):
    """Runs flows with ``sync_detailed`` and ``time.sleep``."""

    sleep: Callable[[float], None] = staticmethod(time.sleep)

    def perform(self, call: Call) -> Outcome:
        attempt, token = self._begin(call)
        result: Response[Any] | Exception
        try:
            result = call.endpoint.sync_detailed(client=self.api, **call.kwargs)
        except Exception as exc:
            result = exc
        return self._end(attempt, token, result)

    def iterate(self, flow: Generator[Any, object, R]) -> Generator[Any, None, R]:
        """Drive `flow`, yielding what it emits; return what it returns."""
        value: object = None
        while True:
            running, effect = _advance(flow, value)
            if not running:
                return self._finish(effect)  # type: ignore[no-any-return]
            value = None
            if isinstance(effect, Emit):
                yield effect.item
            elif isinstance(effect, Call):
                value = self.perform(effect)
            else:
                self.sleep(effect.seconds)

    def run(self, flow: Flow[R]) -> R:
        steps = self.iterate(flow)
        while True:
            running, item = _advance(steps, None)
            if not running:
                return item  # type: ignore[no-any-return]

    def stream(self, flow: Stream[T]) -> Iterator[T]:
        return self.iterate(flow)


class AsyncDriver(_Driver):
    """Runs flows with ``asyncio_detailed`` and ``asyncio.sleep``."""

    sleep: Callable[[float], Awaitable[None]] = staticmethod(asyncio.sleep)

    async def perform(self, call: Call) -> Outcome:
        attempt, token = self._begin(call)
        result: Response[Any] | Exception
        try:
            result = await call.endpoint.asyncio_detailed(client=self.api, **call.kwargs)
        except Exception as exc:
            result = exc
        return self._end(attempt, token, result)

    async def _step(self, effect: Any) -> object:
        if isinstance(effect, Call):
            return await self.perform(effect)
        await self.sleep(effect.seconds)
        return None

    async def run(self, flow: Flow[R]) -> R:
        value: object = None
        while True:
            running, effect = _advance(flow, value)
            if not running:
                return self._finish(effect)  # type: ignore[no-any-return]
            value = await self._step(effect)

    async def stream(self, flow: Stream[T]) -> AsyncIterator[T]:
        value: object = None
        while True:
            running, effect = _advance(flow, value)
            if not running:
                return
            value = None
            if isinstance(effect, Emit):
                yield effect.item
            else:
                value = await self._step(effect)
