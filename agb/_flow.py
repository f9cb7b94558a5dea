"""Sans-IO flows and the two tiny drivers that run them.

Every operation is a generator (a *flow*) that yields effects and receives their outcomes:

* ``Call``: one call of a generated ``agb_api`` endpoint; the driver answers with a ``Reply`` or a ``Failure``;
* ``Sleep``: a pause (retry backoff, delete polling); the driver answers with None;
* ``Emit``: an item for the caller of an iterator such as ``list_all``.

The flow decides everything (what to send, how to parse, whether to retry, when to stop); the drivers build
the request with the generated module's ``_get_kwargs`` and send it, the sync driver on an ``httpx.Client``
with ``time.sleep``, the async driver on an ``httpx.AsyncClient`` with ``asyncio.sleep``.
Retries live in ``send`` below: one place for both drivers.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, ParamSpec, Protocol, TypeVar
from urllib.parse import urlencode

import httpx

from ._wire import Failure, Outcome, Reply, retry_after
from .errors import AGBError
from .results import ApiResult

log = logging.getLogger("agb")

T = TypeVar("T")
R = TypeVar("R")
P = ParamSpec("P")
ResultT = TypeVar("ResultT", bound=ApiResult[Any])


class Endpoint(Protocol):
    """A generated ``agb_api.api.<tag>.<operation>`` module: its ``_get_kwargs`` builds the request's
    arguments (``method``, ``url``, ``params``, ``json``, ``headers``) from the operation's parameters."""

    @property
    def _get_kwargs(self) -> Callable[..., dict[str, Any]]: ...


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


class Io:
    """An effect that does its own I/O on the driver's httpx client: a streamed file transfer to a presigned
    URL, which is no generated endpoint. The sync driver calls ``run_sync``, the async one ``run_async``; the
    flow receives what they return (they return failures as values, never raise them)."""

    def run_sync(self, http: httpx.Client) -> object:
        raise NotImplementedError

    async def run_async(self, http: httpx.AsyncClient) -> object:
        raise NotImplementedError


Effect = Call | Sleep | Emit[Any] | Io
Flow = Generator[Effect, object, R]
Stream = Generator[Call | Sleep | Emit[T] | Io, object, None]


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

_URL_CACHE_MAX = 256  # absolute URLs kept per driver (most calls have a fixed URL; listSessions' varies)


class _Driver:
    """What both drivers share: building the request, timeouts, logging, and turning I/O into outcomes.

    The generated module says how to build each call (``_get_kwargs``: method, path, query, JSON body,
    headers); the driver sends it on the client's httpx client and hands the raw reply to the flow, which
    parses it (``_wire``). The endpoint and the key go with each request, never onto the httpx client, which
    may be the caller's and shared by clients of other endpoints and keys; the httpx client still adds its own
    headers, query parameters and cookies, as it does to any request. The generated ``*_detailed`` functions
    would also build attrs models of every reply, which the SDK never reads; here the absolute URL of each
    (path, query) is built once and reused.
    """

    def __init__(self, http: Any, base_url: str, timeout: float, secret: str) -> None:
        self.http = http  # an httpx.Client (SyncDriver) or httpx.AsyncClient (AsyncDriver)
        self.base_url = base_url
        self.timeout = timeout
        self._secret = secret
        self._auth = {"Authorization": f"Bearer {secret}"}
        self._default_timeout = httpx.Timeout(timeout).as_dict()
        self._urls: dict[object, httpx.URL] = {}

    def _build(self, call: Call, kwargs: dict[str, Any]) -> httpx.Request:
        """The request for `call` from its generated arguments: our endpoint, our key, the call's timeout."""
        kwargs = dict(kwargs)
        method, path, params = kwargs.pop("method"), kwargs.pop("url"), kwargs.pop("params", None)
        headers = kwargs.pop("headers", None)
        headers = {**headers, **self._auth} if headers else self._auth
        body = kwargs.pop("json", None)
        if body is not None:
            # Encoded here, not by httpx, so the bytes on the wire are the same with every httpx release
            # (0.28 made its encoding compact and non-ASCII; these are its settings).
            kwargs["content"] = json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
            headers = {"Content-Type": "application/json", **headers}
        if self.http.params:  # httpx merges the client's query parameters with the call's, as for any request
            url = self._url(path, None)
        else:
            url, params = self._url(path, params), None
        timeout = self._default_timeout
        if call.read_timeout is not None and call.read_timeout > self.timeout:
            timeout = httpx.Timeout(self.timeout, read=call.read_timeout).as_dict()
        request: httpx.Request = self.http.build_request(
            method, url, params=params, headers=headers, extensions={"timeout": timeout}, **kwargs
        )
        return request

    def _url(self, path: str, params: Mapping[str, Any] | None) -> httpx.URL:
        """The absolute URL of `path` with `params` on our endpoint, built once and reused. Being absolute,
        it is sent as is: a ``base_url`` of the httpx client does not apply."""
        if len(self._urls) >= _URL_CACHE_MAX:
            self._urls.clear()
        # Types are part of the key: False and 0 are equal but are sent as "false" and "0".
        key = (path, tuple((k, type(v), v) for k, v in params.items())) if params else path
        url = self._urls.get(key)
        if url is None:
            url = self._urls[key] = httpx.URL(
                f"{self.base_url}{path}?{_query(params)}" if params else self.base_url + path
            )
        return url

    def _end(self, kwargs: dict[str, Any] | None, result: httpx.Response | Exception) -> Outcome:
        method, path = ("?", "") if kwargs is None else (kwargs["method"].upper(), kwargs["url"])
        url = self.base_url + path
        if isinstance(result, Exception):
            log.debug("%s %s -> %s", method, path, type(result).__name__)
            return Failure(result, url)
        reply = Reply(result.status_code, result.headers, result.content, url)
        log.debug("%s %s -> %d (request id %s)", method, path, reply.status, reply.request_id or "-")
        return reply

    def _finish(self, value: R) -> R:
        if isinstance(value, ApiResult):
            value._redact(self._secret)
        return value


def _query(params: Mapping[str, Any]) -> str:
    """`params` as a query string, the way httpx 0.28 writes them (``true``/``false``, None as empty, a list as
    repeated keys, form encoding with ``+`` for spaces) whichever httpx is installed: older ones wrote ``%20``."""
    pairs = []
    for name, value in params.items():
        for item in value if isinstance(value, list | tuple) else (value,):
            text = "true" if item is True else "false" if item is False else "" if item is None else str(item)
            pairs.append((name, text))
    return urlencode(pairs)


def _advance(flow: Generator[Any, Any, Any], value: object) -> tuple[bool, Any]:
    """Send `value` into `flow`: (True, effect) or (False, the flow's return value)."""
    try:
        return True, flow.send(value)
    except StopIteration as stop:
        return False, stop.value


class SyncDriver(_Driver):
    """Runs flows on an ``httpx.Client`` and ``time.sleep``."""

    sleep: Callable[[float], None] = staticmethod(time.sleep)

    def perform(self, call: Call) -> Outcome:
        kwargs: dict[str, Any] | None = None
        result: httpx.Response | Exception
        try:
            kwargs = call.endpoint._get_kwargs(**call.kwargs)
            result = self.http.send(self._build(call, kwargs))
        except Exception as exc:
            result = exc
        return self._end(kwargs, result)

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
            elif isinstance(effect, Io):
                value = effect.run_sync(self.http)
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
    """Runs flows on an ``httpx.AsyncClient`` and ``asyncio.sleep``."""

    sleep: Callable[[float], Awaitable[None]] = staticmethod(asyncio.sleep)

    async def perform(self, call: Call) -> Outcome:
        kwargs: dict[str, Any] | None = None
        result: httpx.Response | Exception
        try:
            kwargs = call.endpoint._get_kwargs(**call.kwargs)
            result = await self.http.send(self._build(call, kwargs))
        except Exception as exc:
            result = exc
        return self._end(kwargs, result)

    async def _step(self, effect: Any) -> object:
        if isinstance(effect, Call):
            return await self.perform(effect)
        if isinstance(effect, Io):
            return await effect.run_async(self.http)
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
