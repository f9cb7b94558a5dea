"""Client construction, configuration, the local mode glue, logging and secrecy, and the shape of both faces."""

from __future__ import annotations

import inspect
import logging
import subprocess
import sys
import types
from typing import Any

import httpx
import pytest

import agb as agb_package
from agb import (
    AGB,
    AGBError,
    AsyncAGB,
    AsyncSession,
    AuthenticationError,
    Config,
    InvalidParameterError,
    Session,
)
from agb._flow import Call
from agb.results import BoolResult, CommandResult, DeleteResult, SessionResult
from agb.session import AsyncCode, Code

from .conftest import API_KEY, Wire, call, make_client, ok, query, tool

# ---------------------------------------------------------------- configuration


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AGB_API_KEY", "AGB_ENDPOINT", "AGB_TIMEOUT_MS"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("cls", [AGB, AsyncAGB])
def test_missing_key_says_how_to_set_it(cls: type) -> None:
    with pytest.raises(AuthenticationError) as caught:
        cls()
    message = str(caught.value)
    assert "AGB(api_key=...)" in message and "AGB_API_KEY" in message and "AGB.local()" in message
    with pytest.raises(AuthenticationError):
        cls(api_key="   ")
    with pytest.raises(AuthenticationError):
        cls(api_key=None)


def test_env_and_explicit_arguments(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGB_API_KEY", "akm-from-env")
    monkeypatch.setenv("AGB_ENDPOINT", "http://127.0.0.1:8787/")
    monkeypatch.setenv("AGB_TIMEOUT_MS", "2500")
    with AGB() as client:
        assert client.api_key == "akm-from-env"
        assert client.endpoint == "http://127.0.0.1:8787" and client.timeout_ms == 2500
    with AGB(api_key="akm-explicit", cfg=Config(endpoint="example.org")) as client:
        assert client.api_key == "akm-explicit"
        assert client.endpoint == "https://example.org" and client.timeout_ms == 60000  # a cfg is used as is
    monkeypatch.setenv("AGB_TIMEOUT_MS", "soon")
    with pytest.raises(InvalidParameterError, match="AGB_TIMEOUT_MS"):
        AGB()


@pytest.mark.parametrize(
    ("endpoint", "expected"),
    [
        ("sdk-api.agb.cloud", "https://sdk-api.agb.cloud"),
        ("  sdk-api.agb.cloud/  ", "https://sdk-api.agb.cloud"),
        ("http://127.0.0.1:8080/", "http://127.0.0.1:8080"),
        ("HTTPS://host/prefix//", "HTTPS://host/prefix"),
    ],
)
def test_endpoint_normalisation(endpoint: str, expected: str) -> None:
    with AGB(API_KEY, Config(endpoint=endpoint)) as client:
        assert client.endpoint == expected


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        ({"cfg": Config(endpoint="")}, "endpoint is empty"),
        ({"cfg": Config(endpoint="ftp://x")}, "http(s) URL"),
        ({"cfg": Config(endpoint="http://x/?k=1")}, "no query or fragment"),
        ({"cfg": Config(endpoint="x.test#top")}, "no query or fragment"),
        ({"cfg": Config(timeout_ms=0)}, "timeout_ms"),
        ({"cfg": Config(timeout_ms=1.5)}, "timeout_ms"),  # type: ignore[arg-type]
        ({"cfg": {"endpoint": "x"}}, "Config"),
        ({"max_retries": -1}, "max_retries"),
        ({"http_client": httpx.AsyncClient()}, "httpx.Client"),
    ],
)
def test_constructor_config_errors_raise(kwargs: dict[str, Any], needle: str) -> None:
    with pytest.raises(InvalidParameterError, match=needle.replace("(", r"\(").replace(")", r"\)")):
        AGB(API_KEY, **kwargs)


async def test_configured_timeout_applies_to_every_request(kind: str, wire: Wire) -> None:
    client = make_client(kind, wire, cfg=Config(endpoint="http://agb.test", timeout_ms=1500))
    wire.script(ok({"sessionId": "s-1"}))
    await call(client.get("s-1"))
    assert wire.last.extensions["timeout"] == {"connect": 1.5, "read": 1.5, "write": 1.5, "pool": 1.5}


def test_own_and_given_http_clients(wire: Wire) -> None:
    client = AGB(API_KEY, Config(endpoint="http://agb.test"))
    http = client._http
    assert "authorization" not in http.headers  # the key goes with each request
    assert http.headers["user-agent"].startswith("agb-sdk-python/")
    client.close()
    assert http.is_closed

    seen: list[httpx.Request] = []
    given = httpx.Client(
        transport=httpx.MockTransport(wire.handle),
        headers={"User-Agent": "mine"},
        event_hooks={"request": [seen.append]},
    )
    with AGB(API_KEY, Config(endpoint="http://agb.test", timeout_ms=2500), http_client=given) as agb:
        assert given.headers["user-agent"] == "mine" and given.event_hooks["request"] == [seen.append]
        wire.script(ok({"sessionId": "s-1"}))
        assert agb.get("s-1").success
    # The caller's hooks see each request, with the SDK's timeout already in place.
    assert [r.url for r in seen] == ["http://agb.test/mcp/getSession"] and seen[0].headers["user-agent"] == "mine"
    assert seen[0].extensions["timeout"] == {"connect": 2.5, "read": 2.5, "write": 2.5, "pool": 2.5}
    assert not given.is_closed  # not ours to close
    given.close()


async def test_async_client_close(kind: str) -> None:
    client = AsyncAGB(API_KEY, Config(endpoint="http://agb.test"))
    http = client._http
    async with client:
        pass
    assert http.is_closed


# ---------------------------------------------------------------- AGB.local()


class FakeServer:
    def __init__(self, **options: Any) -> None:
        self.options = options
        self.endpoint = "http://127.0.0.1:54321"
        self.api_key = "akm-local-0000000000000000"
        self.stops = 0

    def stop(self) -> None:
        self.stops += 1


@pytest.fixture
def embedded(monkeypatch: pytest.MonkeyPatch) -> list[FakeServer]:
    started: list[FakeServer] = []
    module = types.ModuleType("agb_local.embedded")

    def start(**options: Any) -> FakeServer:
        started.append(FakeServer(**options))
        return started[-1]

    module.start = start  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "agb_local.embedded", module)
    return started


async def test_local_starts_and_owns_an_embedded_server(embedded: list[FakeServer]) -> None:
    with AGB.local(isolation="none", pool_size=1) as client:
        (server,) = embedded
        assert server.options == {"isolation": "none", "pool_size": 1}
        assert client.endpoint == "http://127.0.0.1:54321" and client.api_key == server.api_key
        assert server.stops == 0
    assert server.stops == 1
    client.close()
    assert server.stops == 1  # stopped once

    async_client = AsyncAGB.local()
    assert isinstance(async_client, AsyncAGB)
    await async_client.close()
    assert embedded[1].stops == 1


def test_local_stops_the_server_when_the_client_cannot_be_built(
    embedded: list[FakeServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    original = FakeServer.__init__

    def bad_endpoint(self: FakeServer, **options: Any) -> None:
        original(self, **options)
        self.endpoint = "ftp://not-http"

    monkeypatch.setattr(FakeServer, "__init__", bad_endpoint)
    with pytest.raises(InvalidParameterError):
        AGB.local()
    assert embedded[0].stops == 1


def test_local_without_the_backend_installed_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "agb_local.embedded", None)
    with pytest.raises(AGBError, match=r"pip install 'agb-sdk\[local\]'"):
        AGB.local()


def test_importing_agb_stays_light() -> None:
    heavy = ("agb_local", "jsonschema", "uvicorn", "starlette", "jupyter_client", "ipykernel", "yaml", "pytest")
    code = f"import sys, agb; print([m for m in {heavy!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# ---------------------------------------------------------------- logging and secrecy


async def test_key_never_in_repr_logs_or_errors(kind: str, wire: Wire, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # every logger: agb, httpx, httpcore
    client = make_client(kind, wire)
    echo = f"Bad gateway. Your request had Authorization: Bearer {API_KEY}".encode()
    wire.script(
        ok({"sessionId": "s-1", "success": True}, request_id="req-c"),
        tool("ok"),
        httpx.Response(502, content=echo),
        httpx.Response(502, content=echo),
        httpx.Response(502, content=echo),
    )
    session = (await call(client.create())).session
    await call(session.command.execute("env"))
    failed = await call(client.get("s-1"))

    shown = [repr(client), str(client), repr(session), repr(client.config), repr(failed)]
    shown += [failed.error_message, str(failed.error), repr(failed.error), caplog.text]
    shown += [r.getMessage() for r in caplog.records]
    assert all(API_KEY not in text for text in shown)
    assert "Bearer ****" in failed.error_message  # the proxy's echo of the header, redacted
    assert repr(client) == f"{type(client).__name__}(endpoint='http://agb.test', api_key='****cret')"
    debug = [r.getMessage() for r in caplog.records if r.name == "agb"]
    assert "POST /mcp/createSession -> 200 (request id req-c)" in debug
    assert any(m.startswith("retrying getSession after 502") for m in debug)


def test_silent_by_default() -> None:
    assert any(isinstance(h, logging.NullHandler) for h in logging.getLogger("agb").handlers)


# ---------------------------------------------------------------- the two faces


async def test_faces_have_the_same_methods_with_real_signatures(agb: Any, session: Any, kind: str) -> None:
    assert isinstance(session, Session if kind == "sync" else AsyncSession)
    assert isinstance(session.code, Code if kind == "sync" else AsyncCode)
    assert session.code is session.code and session.file_system is session.file
    callback = "'Callback | None' = None"
    expected = (
        "(code: 'str', language: 'str' = 'python', timeout_s: 'int' = 60, *, stream_beta: 'bool' = False, "
        f"on_stdout: {callback}, on_stderr: {callback}, on_result: {callback}, on_error: {callback}) "
        "-> 'EnhancedCodeExecutionResult'"
    )
    assert str(inspect.signature(session.code.run)) == expected
    assert inspect.iscoroutinefunction(session.code.run) is (kind == "async")
    assert str(inspect.signature(agb.create)).endswith("SessionResult[Session]'" if kind == "sync" else "Session]'")
    assert str(inspect.signature(agb.list_all)).endswith("Iterator[str]'")
    assert session.command.execute.__name__ == "execute" and "60 000" in (session.command.execute.__doc__ or "")
    assert "page" in str(inspect.signature(agb.list))
    names = [n for n in dir(Session) if not n.startswith("_") and n not in ("__enter__", "__exit__")]
    assert names == [n for n in dir(AsyncSession) if not n.startswith("_")]
    assert Code.run_code is Code.run and inspect.isfunction(Session.set_labels)


async def test_async_methods_return_awaitables(wire: Wire) -> None:
    client = make_client("async", wire)
    wire.script(ok({"sessionId": "s-1"}))
    pending = client.get("s-1")
    assert inspect.isawaitable(pending)
    assert (await pending).success


async def test_a_bug_inside_the_sdk_is_a_failed_result_not_an_exception(
    session: Any, wire: Wire, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(output: Any) -> Any:
        raise KeyError("oops")

    monkeypatch.setattr(agb_package.code, "parse_run_code", broken)
    wire.script(tool("1"))
    result = await call(session.code.run("1"))
    assert not result.success and type(result.error) is AGBError
    assert result.error_message == "internal error in the AGB SDK: KeyError: 'oops'"
    assert any(r.levelno == logging.ERROR and r.exc_info for r in caplog.records)


def test_result_helpers() -> None:
    failed = CommandResult.failed(AuthenticationError("no", request_id="r-1"))
    assert (failed.success, failed.error_message, failed.request_id) == (False, "no", "r-1")
    with pytest.raises(AuthenticationError):
        failed.unwrap()
    bare = BoolResult(success=False, error_message="plain")
    with pytest.raises(AGBError, match="plain"):
        bare.raise_for_error()
    done = DeleteResult(success=True)
    assert done.raise_for_error() is done and done.unwrap() is None
    with pytest.raises(AGBError, match="no session"):
        SessionResult(success=True).unwrap()


async def test_request_urls_follow_httpx_rules(kind: str, wire: Wire) -> None:
    """The driver builds each absolute URL once; it must be what httpx builds from the relative one."""
    http: Any = httpx.Client if kind == "sync" else httpx.AsyncClient
    transport = httpx.MockTransport(wire.handle)
    # Query parameters set on a given client are merged with the call's, as httpx does.
    client: Any = (AGB if kind == "sync" else AsyncAGB)(
        API_KEY, Config(endpoint="http://agb.test/base/"), http_client=http(transport=transport, params={"t": "1"})
    )
    wire.script(ok({"sessionId": "s-1"}), tool("size: 1\nisDirectory: false"), tool("size: 2\nisDirectory: false"))
    session = (await call(client.get("s-1"))).unwrap()
    assert str(wire.last.url) == "http://agb.test/base/mcp/getSession?t=1"
    assert (await call(session.file.info("/a"))).file_info == {"size": 1, "isDirectory": False}
    assert str(wire.last.url) == "http://agb.test/base/mcp?t=1&autoGenSession=false"
    # The endpoint is the SDK's, whatever base URL the httpx client has.
    client._http.base_url = "http://elsewhere.test/v2"
    client._http.params = {}
    assert (await call(session.file.info("/a"))).file_info == {"size": 2, "isDirectory": False}
    assert str(wire.last.url) == "http://agb.test/base/mcp?autoGenSession=false"


class _Echo:
    """An endpoint module with one query parameter."""

    @staticmethod
    def _get_kwargs(v: object) -> dict[str, Any]:
        return {"method": "get", "url": "/echo", "params": {"v": v}}


async def test_query_values_that_are_equal_but_of_other_types_are_not_confused(agb: Any, wire: Wire) -> None:
    values = [False, 0, 0.0, True, 1, 1.0, "1"]
    wire.fallback = lambda request: ok()
    for value in values * 2:
        await call(agb._driver.perform(Call(_Echo, {"v": value}, "echo")))  # type: ignore[arg-type]
    assert [query(r) for r in wire.requests] == [[("v", v)] for v in ["false", "0", "0.0", "true", "1", "1.0", "1"] * 2]
