"""Fixtures of the SDK unit tests: a scripted fake wire (httpx.MockTransport) and clients of both faces.

Every test that takes `agb` runs twice, against `AGB` and `AsyncAGB`; `call()` awaits what needs awaiting,
so one test body covers both faces.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from agb import AGB, AsyncAGB, Config
from tests.faces import call as call
from tests.faces import collect as collect

API_KEY = "akm-0123456789abcdef-secret"
ENDPOINT = "http://agb.test"

Handler = Callable[[httpx.Request], httpx.Response]


def envelope(data: Any = None, *, request_id: str = "req-1", **top: Any) -> dict[str, Any]:
    return {
        "success": True,
        "code": "ok",
        "message": "",
        "httpStatusCode": 200,
        "requestId": request_id,
        "data": data,
        **top,
    }


def ok(
    data: Any = None, *, request_id: str = "req-1", headers: dict[str, str] | None = None, **top: Any
) -> httpx.Response:
    return httpx.Response(200, json=envelope(data, request_id=request_id, **top), headers=headers)


def api_error(
    status: int, code: str, message: str = "", *, request_id: str = "req-err", **headers: str
) -> httpx.Response:
    body = {"success": False, "code": code, "message": message, "httpStatusCode": status, "requestId": request_id}
    return httpx.Response(status, json={**body, "data": None}, headers=headers)


def tool(text: str, *, is_error: bool = False, request_id: str = "req-tool") -> httpx.Response:
    return ok({"isError": is_error, "content": [{"type": "text", "text": text}]}, request_id=request_id)


def shell_json(stdout: str = "", stderr: str = "", exit_code: int = 0) -> httpx.Response:
    return tool(json.dumps({"stdout": stdout, "stderr": stderr, "exit_code": exit_code, "traceId": "t-1"}))


@dataclass
class Wire:
    """A scripted server: replies are taken in order (a reply may be a handler or an exception to raise)."""

    replies: list[Any] = field(default_factory=list)
    requests: list[httpx.Request] = field(default_factory=list)
    unexpected: list[httpx.Request] = field(default_factory=list)
    sleeps: list[float] = field(default_factory=list)
    fallback: Handler | None = None  # answers when no reply is scripted
    now: float = 1000.0

    def script(self, *replies: Any) -> None:
        self.replies.extend(replies)

    def handle(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        if not self.replies and self.fallback is not None:
            return self.fallback(request)
        if not self.replies:
            # The SDK turns any exception into a failed result, so record it for the fixture to report.
            self.unexpected.append(request)
            raise AssertionError(f"unexpected request {request.method} {request.url}")
        reply = self.replies.pop(0)
        if isinstance(reply, Exception):
            raise reply
        if callable(reply):
            return reply(request)  # type: ignore[no-any-return]
        # A fresh copy: a scripted response may serve several (parametrized) tests.
        return httpx.Response(reply.status_code, headers=reply.headers, content=reply.content)

    # what the tests assert on
    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]

    def paths(self) -> list[str]:
        return [r.url.path for r in self.requests]

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def query(request: httpx.Request) -> list[tuple[str, str]]:
    """The decoded query pairs, in order."""
    return parse_qsl(urlsplit(str(request.url)).query, keep_blank_values=True)


def body(request: httpx.Request) -> Any:
    return json.loads(request.content)


def tool_args(request: httpx.Request) -> dict[str, Any]:
    """The decoded `args` of a /mcp call (and a check that it is a JSON string, as on the wire)."""
    raw = body(request)["args"]
    assert isinstance(raw, str)
    decoded = json.loads(raw)
    assert isinstance(decoded, dict)
    return decoded


def make_client(kind: str, wire: Wire, **kwargs: Any) -> AGB | AsyncAGB:
    transport = httpx.MockTransport(wire.handle)
    cfg = kwargs.pop("cfg", Config(endpoint=ENDPOINT))
    client: AGB | AsyncAGB
    if kind == "sync":
        client = AGB(API_KEY, cfg, http_client=httpx.Client(transport=transport), **kwargs)
        client._driver.sleep = wire.sleep
    else:
        client = AsyncAGB(API_KEY, cfg, http_client=httpx.AsyncClient(transport=transport), **kwargs)

        async def sleep(seconds: float) -> None:
            wire.sleep(seconds)

        client._driver.sleep = sleep
    client._ctx.clock = wire.clock
    client._ctx.retry.rng = lambda: 0.5  # deterministic jitter
    return client


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def wire() -> Iterator[Wire]:
    fake = Wire()
    yield fake
    assert not fake.unexpected, f"requests nobody scripted a reply for: {fake.unexpected}"


@pytest.fixture
def agb(kind: str, wire: Wire) -> AGB | AsyncAGB:
    return make_client(kind, wire)


@pytest.fixture
async def session(agb: AGB | AsyncAGB, wire: Wire) -> Any:
    """A session `s-1` of image `code_latest`; the create request is dropped from `wire.requests`."""
    wire.script(ok({"sessionId": "s-1", "resourceUrl": "https://r", "success": True}, request_id="req-create"))
    result = await call(agb.create())
    assert result.success, result.error_message
    wire.requests.clear()
    return result.session
