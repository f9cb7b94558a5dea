"""Error mapping (status and envelope code -> typed error) and the retry decisions, on both faces."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import httpx
import pytest

from agb import (
    AGB,
    AGBError,
    APIConnectionError,
    APITimeoutError,
    AsyncAGB,
    AuthenticationError,
    Config,
    InvalidParameterError,
    RateLimitError,
    ServerError,
    SessionNotFoundError,
    SessionReleasingError,
)
from agb._flow import Call, RetryPolicy
from agb._wire import Failure, Reply, retry_after

from .conftest import Wire, api_error, call, make_client, ok, shell_json, tool

HTML_502 = b"<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>"


class Dropping(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body that stops half way, as when the peer closes the connection mid-reply."""

    def __iter__(self) -> Iterator[bytes]:
        yield b'{"success": true, "requ'
        raise httpx.RemoteProtocolError("peer closed connection without sending complete message body")

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield b'{"success": true, "requ'
        raise httpx.RemoteProtocolError("peer closed connection without sending complete message body")


def dropping(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, stream=Dropping())


# ---------------------------------------------------------------- mapping


@pytest.mark.parametrize(
    ("reply", "error_cls", "status", "code", "needles"),
    [
        (api_error(400, "InvalidParameter", "sessionId too long"), InvalidParameterError, 400, "InvalidParameter", []),
        (
            api_error(401, "InvalidApiKey", "missing or invalid API key"),
            AuthenticationError,
            401,
            "InvalidApiKey",
            ["AGB_API_KEY"],
        ),
        (httpx.Response(403, text="Forbidden"), AuthenticationError, 403, "", ["Forbidden"]),
        (
            api_error(404, "InvalidMcpSession.NotFound", "session s-1 not found"),
            SessionNotFoundError,
            404,
            "InvalidMcpSession.NotFound",
            [],
        ),
        (httpx.Response(404, text="<h1>Not Found</h1>"), AGBError, 404, "", ["check AGB_ENDPOINT"]),
        (
            api_error(409, "InvalidMcpSession.Releasing", "being released"),
            SessionReleasingError,
            409,
            "InvalidMcpSession.Releasing",
            [],
        ),
        (api_error(413, "RequestTooLarge", "too big"), InvalidParameterError, 413, "RequestTooLarge", []),
        (api_error(429, "QuotaExceeded.Sessions", "limit"), RateLimitError, 429, "QuotaExceeded.Sessions", ["release"]),
        (api_error(500, "InternalError", "internal error"), ServerError, 500, "InternalError", ["retry later"]),
        (
            httpx.Response(502, content=HTML_502, headers={"content-type": "text/html"}),
            ServerError,
            502,
            "",
            ["502 Bad Gateway", "text/html"],
        ),
        (httpx.Response(520, content=b""), ServerError, 520, "", ["HTTP 520 with an empty body"]),
        (
            httpx.Response(200, content=b'{"success": true, "data": {"sess'),
            ServerError,
            200,
            "",
            ["not JSON", "cut short"],
        ),
        (httpx.Response(200, json=[1, 2]), ServerError, 200, "", ["not JSON"]),
        (
            httpx.Response(301, headers={"location": "https://agb.test/mcp/getSession"}),
            AGBError,
            301,
            "",
            ["redirect to https://agb.test"],
        ),
        (
            httpx.Response(200, json={"success": False, "code": "Throttling.User", "requestId": "r"}),
            RateLimitError,
            200,
            "Throttling.User",
            [],
        ),
    ],
)
async def test_reply_errors(
    kind: str, wire: Wire, reply: httpx.Response, error_cls: type, status: int, code: str, needles: list[str]
) -> None:
    client = make_client(kind, wire, max_retries=0)
    wire.script(reply)
    result = await call(client.get("s-1"))
    assert not result.success and type(result.error) is error_cls
    assert (result.error.status_code, result.error.code) == (status, code)
    assert result.error_message == result.error.message == str(result.error)
    assert result.error_message.startswith("getSession: ")
    for needle in needles:
        assert needle in result.error_message
    with pytest.raises(error_cls):
        result.raise_for_error()


async def test_request_id_comes_from_the_envelope_else_the_header(kind: str, wire: Wire) -> None:
    client = make_client(kind, wire, max_retries=0)
    wire.script(
        api_error(404, "InvalidMcpSession.NotFound", request_id="from-body", **{"x-request-id": "from-header"}),
        httpx.Response(502, content=HTML_502, headers={"x-request-id": "hdr-2"}),
    )
    assert (await call(client.get("s-1"))).request_id == "from-body"
    failed = await call(client.get("s-1"))
    assert failed.request_id == failed.error.request_id == "hdr-2"
    wire.script(
        ok({"sessionId": "s-1", "success": True}),
        httpx.Response(200, json={"success": True, "data": {"status": "RUNNING"}}, headers={"x-request-id": "hdr-3"}),
    )
    session = (await call(client.create())).session
    assert (await call(session.get_status())).request_id == "hdr-3"


@pytest.mark.parametrize(
    ("exc", "error_cls", "needle"),
    [
        (httpx.ConnectError("[Errno 111] Connection refused"), APIConnectionError, "could not connect"),
        (httpx.ConnectTimeout("timed out"), APITimeoutError, "could not connect"),
        (httpx.ReadTimeout("timed out"), APITimeoutError, "no complete reply"),
        (httpx.ReadError("reset by peer"), APIConnectionError, "before the reply was complete"),
        (dropping, APIConnectionError, "peer closed connection"),
        (RuntimeError("something odd in a transport"), APIConnectionError, "RuntimeError"),
    ],
)
async def test_transport_failures(kind: str, wire: Wire, exc: Any, error_cls: type, needle: str) -> None:
    client = make_client(kind, wire, max_retries=0)
    wire.script(exc)
    result = await call(client.create())
    assert not result.success and type(result.error) is error_cls
    assert result.error.status_code is None and needle in result.error_message
    assert "http://agb.test/mcp/createSession" in result.error_message


async def test_real_connection_refused(kind: str) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    cfg = Config(endpoint=f"http://127.0.0.1:{port}")
    client: Any = AGB("akm-x", cfg, max_retries=0) if kind == "sync" else AsyncAGB("akm-x", cfg, max_retries=0)
    result = await call(client.get("s-1"))
    assert isinstance(result.error, APIConnectionError) and "could not connect" in result.error_message
    await call(client.close())


async def test_tool_call_without_data_is_malformed(session: Any, wire: Wire) -> None:
    wire.script(ok(None), ok({"isError": False, "content": "text"}))
    for _ in range(2):
        result = await call(session.command.execute("ls"))
        assert isinstance(result.error, ServerError) and "malformed" in result.error_message


async def test_tool_error_prefers_the_tool_text_to_the_envelope_message(session: Any, wire: Wire) -> None:
    hidden = ok({"isError": True, "content": [{"type": "text", "text": "ENOENT: /x"}]}, message="OK")
    wire.script(hidden, ok({"isError": True, "content": []}, message="tool failed"))
    assert (await call(session.file.info("/x"))).error_message == "get_file_info: ENOENT: /x"
    assert (await call(session.file.info("/x"))).error_message == "get_file_info: tool failed"


# ---------------------------------------------------------------- retries


async def test_idempotent_reads_retry_5xx_with_backoff(kind: str, wire: Wire) -> None:
    client = make_client(kind, wire)
    wire.script(httpx.Response(503, text="busy"), api_error(500, "InternalError"), ok({"sessionId": "s-1"}))
    result = await call(client.get("s-1"))
    assert result.success and len(wire.requests) == 3
    assert wire.sleeps == [0.25, 0.5]  # rng 0.5 x min(cap, 0.5 x 2^attempt): full jitter


async def test_retries_are_bounded_by_max_retries(kind: str, wire: Wire) -> None:
    client = make_client(kind, wire, max_retries=1)
    wire.script(httpx.Response(503), httpx.Response(503))
    result = await call(client.list())
    assert isinstance(result.error, ServerError) and len(wire.requests) == 2


async def test_retry_after_is_honoured_and_a_long_one_ends_the_retries(kind: str, wire: Wire) -> None:
    client = make_client(kind, wire)
    wire.script(api_error(429, "Throttling", **{"retry-after": "3"}), ok({"sessionId": "s-1"}))
    assert (await call(client.get("s-1"))).success and wire.sleeps == [3.0]
    wire.script(api_error(429, "Throttling", **{"retry-after": "120"}))
    result = await call(client.get("s-1"))
    assert isinstance(result.error, RateLimitError) and result.error.retry_after == 120.0
    assert len(wire.requests) == 3 and wire.sleeps == [3.0]


async def test_create_is_not_retried_once_sent(kind: str, wire: Wire) -> None:
    client = make_client(kind, wire)
    for reply in (api_error(500, "InternalError"), api_error(429, "QuotaExceeded.Sessions"), httpx.ReadError("x")):
        wire.requests.clear()
        wire.script(reply)
        assert not (await call(client.create())).success
        assert len(wire.requests) == 1 and wire.sleeps == []


@pytest.mark.parametrize(
    "exc", [httpx.ConnectError("refused"), httpx.ConnectTimeout("slow"), httpx.PoolTimeout("full")]
)
async def test_any_call_is_retried_when_the_request_never_left(kind: str, wire: Wire, exc: Exception) -> None:
    client = make_client(kind, wire)
    wire.script(exc, ok({"sessionId": "s-1", "success": True}))
    assert (await call(client.create())).success and len(wire.requests) == 2 and wire.sleeps == [0.25]


async def test_tool_calls_that_change_things_are_not_retried_after_sending(session: Any, wire: Wire) -> None:
    for reply in (httpx.ReadError("reset"), dropping, httpx.Response(502, content=HTML_502), httpx.ReadTimeout("t")):
        wire.requests.clear()
        wire.script(reply)
        assert not (await call(session.command.execute("make"))).success
        assert len(wire.requests) == 1
    wire.script(httpx.ConnectError("refused"), shell_json("ok"))
    assert (await call(session.command.execute("make"))).success


async def test_read_only_tools_are_retried_like_reads(session: Any, wire: Wire) -> None:
    wire.script(dropping, httpx.Response(503), tool("size: 1\nisDirectory: false"))
    result = await call(session.file.info("/f"))
    assert result.success and len(wire.requests) == 3


async def test_read_timeouts_are_not_retried(kind: str, wire: Wire) -> None:
    client = make_client(kind, wire)
    wire.script(httpx.ReadTimeout("slow"))
    assert isinstance((await call(client.get("s-1"))).error, APITimeoutError) and len(wire.requests) == 1


def test_policy_backoff_grows_and_is_capped() -> None:
    policy = RetryPolicy(max_retries=10, rng=lambda: 1.0)
    get = Call(None, {}, "getSession", idempotent=True)  # type: ignore[arg-type]
    busy = Reply(503, {}, b"")
    assert [policy.delay(get, busy, n) for n in range(6)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    assert policy.delay(get, busy, 10) is None
    refused = Failure(httpx.ConnectError("x"), "u")
    assert refused.sent is False and policy.delay(Call(None, {}, "createSession"), refused, 0) == 0.5  # type: ignore[arg-type]
    assert policy.delay(Call(None, {}, "createSession"), busy, 0) is None  # type: ignore[arg-type]
    assert policy.delay(get, Reply(404, {}, b""), 0) is None


def test_retry_after_forms() -> None:
    assert retry_after(httpx.Headers({"Retry-After": "2.5"})) == 2.5
    assert retry_after(httpx.Headers({})) is None
    assert retry_after(httpx.Headers({"Retry-After": "soon"})) is None
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    assert 25 <= (retry_after(httpx.Headers({"Retry-After": later})) or 0) <= 31
