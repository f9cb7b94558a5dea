"""Bad input as a user meets it through a live agb_local: each gives a failed result with the right error class
and a message to act on, and ``unwrap()`` / ``raise_for_error()`` raise that error. Both faces."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio

from agb import (
    AGB,
    AGBError,
    APIConnectionError,
    APITimeoutError,
    AsyncAGB,
    AuthenticationError,
    Config,
    InvalidParameterError,
    SessionNotFoundError,
    SessionReleasingError,
)
from agb.session_params import CreateSessionParams, ListSessionParams
from agb_local.embedded import EmbeddedServer, start

from .helpers import call, client_for, collect

pytestmark = pytest.mark.asyncio(loop_scope="module")

WRONG_KEY = "akm-this-key-is-not-known-to-the-server"
UNKNOWN_ID = "s-000000000000000000000000"


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def counted(server: EmbeddedServer, face: str) -> AsyncIterator[tuple[AGB | AsyncAGB, list[httpx.Request]]]:
    """A client whose HTTP requests are recorded, to show that bad input fails before any request."""
    sent: list[httpx.Request] = []
    if face == "sync":
        http = httpx.Client(event_hooks={"request": [sent.append]})
        client: AGB | AsyncAGB = AGB(server.api_key, Config(endpoint=server.endpoint), http_client=http)
        yield client, sent
        http.close()
    else:

        async def record(request: httpx.Request) -> None:
            sent.append(request)

        ahttp = httpx.AsyncClient(event_hooks={"request": [record]})
        client = AsyncAGB(server.api_key, Config(endpoint=server.endpoint), http_client=ahttp)
        yield client, sent
        await ahttp.aclose()


def raises_on_unwrap(result: Any, error_class: type[AGBError]) -> None:
    assert not result.success and isinstance(result.error, error_class), result
    assert result.error_message == result.error.message
    with pytest.raises(error_class) as caught:
        result.unwrap()
    assert caught.value is result.error
    with pytest.raises(error_class):
        result.raise_for_error()


# ---------------------------------------------------------------- the API key


async def test_a_wrong_key_is_an_authentication_error(server: EmbeddedServer, face: str) -> None:
    client = client_for(face, WRONG_KEY, server.endpoint)
    try:
        for result in (
            await call(client.create()),
            await call(client.list()),
            await call(client.get(UNKNOWN_ID)),
            await call(client.delete(UNKNOWN_ID)),
        ):
            raises_on_unwrap(result, AuthenticationError)
            assert result.error.status_code == 401 and result.request_id
            assert "API key" in result.error_message and WRONG_KEY not in result.error_message
        with pytest.raises(AuthenticationError):
            await collect(client.list_all())
    finally:
        await call(client.close())


async def test_the_right_key_of_another_tenant_sees_none_of_our_sessions(other: Any, session: Any) -> None:
    assert session.session_id not in await collect(other.list_all())
    raises_on_unwrap(await call(other.get(session.session_id)), SessionNotFoundError)
    raises_on_unwrap(await call(other.delete(session.session_id)), SessionNotFoundError)
    # A session object bound to the other tenant's client: every call is "not found", none reaches the sandbox.
    theirs = type(session)(other, session.session_id)
    for result in (
        await call(theirs.code.run("open('/tmp/intruder', 'w').write('x')")),
        await call(theirs.command.execute("touch /tmp/intruder")),
        await call(theirs.file.write("/tmp/intruder", "x")),
        await call(theirs.set_labels({"owner": "intruder"})),
        await call(theirs.get_labels()),
        await call(theirs.get_status()),
        await call(theirs.keep_alive()),
    ):
        raises_on_unwrap(result, SessionNotFoundError)
    assert (await call(session.get_status())).status == "RUNNING"
    assert isinstance((await call(session.file.info("/tmp/intruder"))).error, AGBError)
    assert (await call(session.get_labels())).data == {"suite": "e2e"}


# ---------------------------------------------------------------- unknown things


async def test_an_unknown_session(agb: Any) -> None:
    result = await call(agb.get(UNKNOWN_ID))
    raises_on_unwrap(result, SessionNotFoundError)
    assert result.error.status_code == 404 and result.error.code == "InvalidMcpSession.NotFound"
    assert UNKNOWN_ID in result.error_message and result.request_id
    raises_on_unwrap(await call(agb.delete(UNKNOWN_ID)), SessionNotFoundError)


async def test_every_call_on_a_deleted_session_is_not_found(agb: Any) -> None:
    session = (await call(agb.create())).unwrap()
    assert (await call(session.delete())).success
    for result in (
        await call(session.code.run("1")),
        await call(session.command.execute("true")),
        await call(session.file.read("/tmp/x")),
        await call(session.file.write("/tmp/x", "x")),
        await call(session.file.write("/tmp/x", b"\xff")),
        await call(session.file.list("/tmp")),
        await call(session.set_labels({"a": "b"})),
        await call(session.get_labels()),
        await call(session.info()),
        await call(session.get_status()),
        await call(session.keep_alive()),
        await call(session.call_mcp_tool("shell", {"command": "true"})),
        await call(session.delete()),
    ):
        raises_on_unwrap(result, SessionNotFoundError)
        assert session.session_id in result.error_message


async def test_a_session_being_released_takes_no_more_calls(agb: Any, server: EmbeddedServer) -> None:
    session = (await call(agb.create())).unwrap()
    # Hold the session in the releasing state (a release normally passes through it in a blink).
    server.service.registry.set_status(session.session_id, "DELETING")
    try:
        assert (await call(session.get_status())).status == "DELETING"
        assert session.session_id not in await collect(agb.list_all())
        for result in (
            await call(session.code.run("1")),
            await call(session.command.execute("true")),
            await call(session.set_labels({"a": "b"})),
            await call(session.keep_alive()),
        ):
            raises_on_unwrap(result, SessionReleasingError)
            assert result.error.status_code == 409 and result.error.code == "InvalidMcpSession.Releasing"
            assert "being released" in result.error_message
    finally:
        server.service.registry.set_status(session.session_id, "RUNNING")
        assert (await call(session.delete())).success


async def test_an_unknown_image_lists_the_known_ones(agb: Any) -> None:
    result = await call(agb.create(CreateSessionParams(image_id="no-such-image")))
    raises_on_unwrap(result, InvalidParameterError)
    assert result.session is None and result.error.status_code == 400
    assert "no-such-image" in result.error_message
    assert "code_latest" in result.error_message and "agb-code-space-1" in result.error_message


# ---------------------------------------------------------------- checked before any request


BAD_LABELS: list[Any] = [
    {"": "value"},
    {"   ": "value"},
    {"key": ""},
    {"key": 1},
    {1: "value"},
    {"key": None},
    {"key": "\ud800"},
    {"\udfff": "value"},
    "project=demo",
    ["project", "demo"],
    {"big": "x" * 9000},
]


@pytest.mark.parametrize("labels", BAD_LABELS, ids=repr)
async def test_bad_labels_fail_before_any_request(
    counted: tuple[Any, list[httpx.Request]], session: Any, labels: Any
) -> None:
    client, sent = counted
    before = len(sent)
    mine = type(session)(client, session.session_id)
    for result in (
        await call(client.create(CreateSessionParams(labels=labels))),
        await call(client.list(labels=labels)),
        await call(client.list(ListSessionParams(labels=labels))),
        await call(mine.set_labels(labels)),
    ):
        raises_on_unwrap(result, InvalidParameterError)
        assert "label" in result.error_message and result.request_id == ""
    with pytest.raises(InvalidParameterError):
        await collect(client.list_all(labels=labels))
    assert len(sent) == before, "no request was sent"


@pytest.mark.parametrize(
    "operation",
    [
        lambda agb, s: agb.get(""),
        lambda agb, s: agb.get(None),
        lambda agb, s: agb.delete(42),
        lambda agb, s: agb.create("code_latest"),
        lambda agb, s: agb.create(CreateSessionParams(image_id="")),
        lambda agb, s: agb.create(CreateSessionParams(idle_release_timeout=-5)),
        lambda agb, s: agb.list(limit=0),
        lambda agb, s: agb.list(limit=101),
        lambda agb, s: agb.list(next_token=7),
        lambda agb, s: agb.list(page=0),
        lambda agb, s: s.set_labels({}),
        lambda agb, s: s.code.run(b"print(1)"),
        lambda agb, s: s.code.run("1", "cobol"),
        lambda agb, s: s.code.run("1", timeout_s=0),
        lambda agb, s: s.command.execute(["ls"]),
        lambda agb, s: s.file.read(""),
        lambda agb, s: s.file.write("/tmp/x", 42),
        lambda agb, s: s.file.write("/tmp/x", "x", mode="prepend"),
        lambda agb, s: s.file.write("/tmp/x", "\ud800"),
        lambda agb, s: s.file.read_batch("/tmp/x"),
        lambda agb, s: s.call_mcp_tool("shell", "echo hi"),
    ],
)
async def test_wrong_types_and_empty_values_fail_before_any_request(
    counted: tuple[Any, list[httpx.Request]], session: Any, operation: Any
) -> None:
    client, sent = counted
    before = len(sent)
    result = await call(operation(client, type(session)(client, session.session_id)))
    raises_on_unwrap(result, InvalidParameterError)
    assert result.request_id == "" and result.error_message
    assert len(sent) == before, "no request was sent"


# ---------------------------------------------------------------- no server


async def test_a_stopped_server_is_a_prompt_connection_error(face: str) -> None:
    server = start(pool_size=1)
    client = client_for(face, server.api_key, server.endpoint)
    try:
        session = (await call(client.create())).unwrap()
        server.stop()
        for operation in (
            lambda: client.list(),
            lambda: client.get(session.session_id),
            lambda: client.create(),
            lambda: session.code.run("1"),
            lambda: session.file.read("/tmp/x"),
        ):
            started = time.monotonic()
            result = await call(operation())
            elapsed = time.monotonic() - started
            raises_on_unwrap(result, APIConnectionError)
            assert elapsed < 5, f"gave up after {elapsed:.1f} s"
            assert result.error.status_code is None
            assert server.endpoint in result.error_message and "could not connect" in result.error_message
        with pytest.raises(APIConnectionError):
            await collect(client.list_all())
    finally:
        server.stop()
        await call(client.close())


# ---------------------------------------------------------------- timeouts


async def test_tool_calls_outlast_the_configured_timeout_and_other_calls_do_not(
    server: EmbeddedServer, face: str, session: Any
) -> None:
    client = client_for(face, server.api_key, server.endpoint, timeout_ms=500)
    assert client.timeout_ms == 500 and client.config.timeout_ms == 500
    impatient = type(session)(client, session.session_id)  # the same sandbox, through a 0.5 s client
    try:
        # A tool's own timeout sets the read timeout: a run longer than the client's 0.5 s completes.
        run = await call(impatient.code.run("import time\ntime.sleep(1)\n'slept'", timeout_s=10))
        assert run.success and run.result == "'slept'"
        command = await call(impatient.command.execute("sleep 1; echo slept", timeout_ms=5000))
        assert command.success and command.stdout == "slept\n"
        longer = await call(impatient.call_mcp_tool("shell", {"command": "sleep 1", "timeout_ms": 5000}, timeout_s=5))
        assert longer.success
        # Without one, the configured 0.5 s applies: the reply comes too late.
        cut = await call(impatient.call_mcp_tool("shell", {"command": "sleep 1", "timeout_ms": 5000}))
        raises_on_unwrap(cut, APITimeoutError)
        assert "timeout" in cut.error_message.lower()
    finally:
        await call(client.close())
