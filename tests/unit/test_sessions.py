"""Sessions and labels: the exact requests each operation sends and how its replies are read."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from agb import (
    AGBError,
    APIConnectionError,
    APITimeoutError,
    AsyncSession,
    CreateSessionParams,
    InvalidParameterError,
    ListSessionParams,
    ServerError,
    Session,
    SessionNotFoundError,
    __version__,
)

from .conftest import ENDPOINT, Wire, api_error, call, collect, ok, query

SDK_STATS = json.dumps(
    {"source": "sdk", "sdk_language": "python", "sdk_version": __version__, "is_release": True}, separators=(",", ":")
)


def created(session_id: str = "s-1", **data: Any) -> httpx.Response:
    return ok({"sessionId": session_id, "resourceUrl": "https://res", "success": True, **data}, request_id="req-c")


# ---------------------------------------------------------------- create


async def test_create_default_sends_image_and_stats_and_empty_body(agb: Any, wire: Wire, kind: str) -> None:
    wire.script(created(appInstanceId="app-1", resourceId="res-1"))
    result = await call(agb.create())

    request = wire.last
    assert request.method == "POST"
    assert request.url.path == "/mcp/createSession"
    assert query(request) == [("imageId", "code_latest"), ("sdkStats", SDK_STATS)]
    assert request.content == b"{}"
    assert request.headers["authorization"] == "Bearer akm-0123456789abcdef-secret"
    assert request.headers["content-type"] == "application/json"

    assert result.success and result.request_id == "req-c" and result.error is None
    session = result.session
    assert isinstance(session, Session if kind == "sync" else AsyncSession)
    assert (session.session_id, session.image_id, session.labels) == ("s-1", "code_latest", {})
    assert (session.resource_url, session.app_instance_id, session.resource_id) == ("https://res", "app-1", "res-1")
    assert result.unwrap() is session


async def test_create_with_every_parameter_encodes_labels_as_a_json_string(agb: Any, wire: Wire) -> None:
    wire.script(created())
    params = CreateSessionParams(
        labels={"project": "demo", "env": "ü t"}, image_id="agb-code-space-1", idle_release_timeout=300, policy_id="p-1"
    )
    result = await call(agb.create(params))

    assert result.success
    assert dict(query(wire.last))["imageId"] == "agb-code-space-1"
    # Labels: json.dumps defaults (", " and ": ", ASCII escapes) inside the JSON body.
    assert wire.last.content == (
        b'{"labels":"{\\"project\\": \\"demo\\", \\"env\\": \\"\\\\u00fc t\\"}","mcpPolicyId":"p-1","timeout":300}'
    )
    assert result.session.labels == {"project": "demo", "env": "ü t"}
    assert result.session.image_id == "agb-code-space-1"


async def test_create_zero_idle_timeout_means_service_default(agb: Any, wire: Wire) -> None:
    wire.script(created())
    assert (await call(agb.create(CreateSessionParams(idle_release_timeout=0)))).success
    assert wire.last.content == b"{}"


@pytest.mark.parametrize(
    ("params", "needle"),
    [
        (CreateSessionParams(labels={"": "x"}), "key"),
        (CreateSessionParams(labels={"  ": "x"}), "key"),
        (CreateSessionParams(labels={"k": ""}), "value of 'k'"),
        (CreateSessionParams(labels={"k": 1}), "value of 'k'"),  # type: ignore[dict-item]
        (CreateSessionParams(labels=["k"]), "dict"),  # type: ignore[arg-type]
        (CreateSessionParams(labels={"k": "v" * 9000}), "too large"),
        (CreateSessionParams(image_id=""), "image_id"),
        (CreateSessionParams(image_id=5), "image_id"),  # type: ignore[arg-type]
        (CreateSessionParams(idle_release_timeout=-1), "idle_release_timeout"),
        (CreateSessionParams(idle_release_timeout=True), "idle_release_timeout"),  # type: ignore[arg-type]
        (CreateSessionParams(policy_id=""), "policy_id"),
        ({"labels": {}}, "CreateSessionParams"),
    ],
)
async def test_create_rejects_bad_parameters_before_any_request(agb: Any, wire: Wire, params: Any, needle: str) -> None:
    result = await call(agb.create(params))
    assert not result.success and result.session is None
    assert isinstance(result.error, InvalidParameterError)
    assert needle in result.error_message
    assert wire.requests == []
    with pytest.raises(InvalidParameterError):
        result.unwrap()


@pytest.mark.parametrize(
    ("reply", "error_cls", "needle"),
    [
        (ok({"success": False, "errMsg": "no capacity"}), AGBError, "no capacity"),
        (ok({"resourceUrl": "x"}), ServerError, "sessionId"),
        (ok({"sessionId": "", "success": True}), ServerError, "sessionId"),
        (ok("not an object"), ServerError, "CreateSessionResponse"),
        (
            httpx.Response(200, json={"success": False, "code": "Boom", "message": "nope", "requestId": "r"}),
            AGBError,
            "nope",
        ),
        (api_error(400, "InvalidParameter.ImageId", "unknown image 'x'"), InvalidParameterError, "unknown image"),
    ],
)
async def test_create_failures(agb: Any, wire: Wire, reply: httpx.Response, error_cls: type, needle: str) -> None:
    wire.script(reply)
    result = await call(agb.create())
    assert not result.success and result.session is None
    assert type(result.error) is error_cls
    assert needle in result.error_message


async def test_create_tolerates_a_missing_top_level_success(agb: Any, wire: Wire) -> None:
    # Clients never read createSession's top-level success; only data.success and data.sessionId count.
    wire.script(httpx.Response(200, json={"requestId": "r", "data": {"sessionId": "s-9", "success": True}}))
    result = await call(agb.create())
    assert result.success and result.session.session_id == "s-9"


# ---------------------------------------------------------------- get


async def test_get(agb: Any, wire: Wire) -> None:
    wire.script(ok({"sessionId": "s-7", "resourceUrl": "u", "status": "RUNNING", "appInstanceId": "a"}))
    result = await call(agb.get("s-7"))
    assert wire.last.url.path == "/mcp/getSession"
    assert wire.last.content == b'{"sessionId":"s-7"}'
    assert query(wire.last) == []
    assert result.success and result.session.session_id == "s-7" and result.session.image_id is None
    assert result.session.resource_url == "u" and result.session.app_instance_id == "a"


@pytest.mark.parametrize("bad", ["", "   ", None, 42])
async def test_get_rejects_empty_ids(agb: Any, wire: Wire, bad: Any) -> None:
    result = await call(agb.get(bad))
    assert isinstance(result.error, InvalidParameterError) and "session_id" in result.error_message
    assert wire.requests == []


async def test_get_unknown_session(agb: Any, wire: Wire) -> None:
    wire.script(api_error(404, "InvalidMcpSession.NotFound", "session s-x not found", request_id="rq-404"))
    result = await call(agb.get("s-x"))
    assert isinstance(result.error, SessionNotFoundError)
    assert result.request_id == "rq-404" and result.error.code == "InvalidMcpSession.NotFound"
    assert result.error.status_code == 404
    assert "session s-x not found" in result.error_message


# ---------------------------------------------------------------- delete


def info_status(status: str) -> httpx.Response:
    return ok({"status": status}, request_id=f"req-{status}")


async def test_delete_releases_then_polls_until_not_found(agb: Any, session: Any, wire: Wire) -> None:
    wire.script(
        ok(None, request_id="req-rel"),
        info_status("RUNNING"),
        info_status("DELETING"),
        api_error(404, "InvalidMcpSession.NotFound", "gone", request_id="req-gone"),
    )
    result = await call(agb.delete(session))
    assert result.success and result.request_id == "req-gone"
    assert wire.paths() == ["/mcp/releaseSessionAsync"] + ["/mcp/getSessionInfo"] * 3
    assert all(r.content == b'{"sessionId":"s-1"}' for r in wire.requests)
    assert wire.sleeps == [0.25, 0.5]  # growing waits between polls
    assert session._released


async def test_delete_stops_on_finish_status_even_with_http_200_not_found_code(agb: Any, wire: Wire) -> None:
    wire.script(ok(None), info_status("FINISH"))
    assert (await call(agb.delete("s-2"))).success
    # A not-found carried by HTTP 200 (business status in the envelope) also ends the wait.
    not_found_200 = httpx.Response(
        200, json={"success": False, "code": "InvalidMcpSession.NotFound", "httpStatusCode": 400, "requestId": "r"}
    )
    wire.script(ok(None), not_found_200)
    assert (await call(agb.delete("s-3"))).success


async def test_delete_does_not_decide_by_message_text(agb: Any, wire: Wire) -> None:
    # "not found" in a message without the code is not a deletion: the poller keeps going until its bound.
    misleading = httpx.Response(
        200, json={"success": False, "code": "Internal", "message": "thing not found", "requestId": "r"}
    )
    wire.script(ok(None), misleading)
    result = await call(agb.delete("s-1"))
    assert not result.success and type(result.error) is AGBError
    assert len(wire.requests) == 2


async def test_delete_polling_is_bounded_and_survives_transient_errors(agb: Any, wire: Wire) -> None:
    wire.script(ok(None), *[info_status("DELETING"), httpx.Response(503, text="busy")] * 50)
    agb._ctx.retry.max_retries = 0
    result = await call(agb.delete("s-1", timeout_s=5))
    assert not result.success
    assert isinstance(result.error, APITimeoutError)
    assert "still reports status DELETING after 5 s" in result.error_message
    assert sum(wire.sleeps) == pytest.approx(5.0)
    assert max(wire.sleeps) == 2.0


async def test_delete_polling_ends_at_once_when_the_service_is_unreachable(agb: Any, wire: Wire) -> None:
    # The poll's own retries (the retry policy) are spent, then the wait ends: no sitting out an outage.
    wire.script(ok(None), info_status("DELETING"), *[httpx.ConnectError("refused")] * 3)
    result = await call(agb.delete("s-1", timeout_s=60))
    assert not result.success and isinstance(result.error, APIConnectionError)
    assert "the release was accepted, but waiting for it to finish failed" in result.error_message
    assert len(wire.requests) == 5  # release, one answered poll, one failed poll tried three times
    assert sum(wire.sleeps) < 5


async def test_delete_without_wait_does_not_poll(agb: Any, session: Any, wire: Wire) -> None:
    wire.script(ok(None, request_id="req-rel"))
    result = await call(session.delete(wait=False))
    assert result.success and result.request_id == "req-rel"
    assert wire.paths() == ["/mcp/releaseSessionAsync"]


async def test_delete_failures(agb: Any, wire: Wire) -> None:
    wire.script(api_error(404, "InvalidMcpSession.NotFound", "no such session"))
    result = await call(agb.delete("s-x"))
    assert isinstance(result.error, SessionNotFoundError)
    assert wire.paths() == ["/mcp/releaseSessionAsync"]
    for bad in ("", None, 3):
        assert isinstance((await call(agb.delete(bad))).error, InvalidParameterError)
    assert isinstance((await call(agb.delete("s-1", timeout_s=-1))).error, InvalidParameterError)


async def test_release_accepts_pascal_case_and_nested_envelopes(agb: Any, wire: Wire) -> None:
    nested = httpx.Response(200, json={"body": {"Success": True, "Code": "ok", "RequestId": "req-pascal"}})
    wire.script(nested)
    result = await call(agb.delete("s-1", wait=False))
    assert result.success and result.request_id == "req-pascal"


async def test_session_context_manager_deletes_on_exit(agb: Any, session: Any, wire: Wire, kind: str) -> None:
    wire.script(ok(None), api_error(404, "InvalidMcpSession.NotFound"))
    if kind == "sync":
        with session as s:
            assert s is session
    else:
        async with session as s:
            assert s is session
    assert wire.paths() == ["/mcp/releaseSessionAsync", "/mcp/getSessionInfo"]
    # Already released: leaving another block sends nothing.
    if kind == "sync":
        with session:
            pass
    else:
        async with session:
            pass
    assert len(wire.requests) == 2


# ---------------------------------------------------------------- list


def page(ids: list[str], next_token: str = "", count: int = 0, max_results: int = 10) -> httpx.Response:
    data = [{"sessionId": i, "sessionStatus": "RUNNING"} for i in ids]
    return ok(data, nextToken=next_token, maxResults=max_results, count=count or len(ids))


async def test_list_sends_query_only_with_labels_json(agb: Any, wire: Wire) -> None:
    wire.script(page(["s-1", "s-2"], next_token="tok-2", count=37))
    result = await call(agb.list(labels={"project": "demo"}, limit=5))
    request = wire.last
    assert request.method == "GET" and request.url.path == "/sdk/ListSession" and request.content == b""
    assert query(request) == [("maxResults", "5"), ("labels", '{"project": "demo"}')]
    assert request.url.query == b"maxResults=5&labels=%7B%22project%22%3A+%22demo%22%7D"
    assert result.success and result.session_ids == ["s-1", "s-2"] and result.unwrap() == ["s-1", "s-2"]
    assert (result.next_token, result.max_results, result.total_count) == ("tok-2", 10, 37)
    assert [s.status for s in result.sessions] == ["RUNNING", "RUNNING"]


async def test_list_defaults_and_params_forms(agb: Any, wire: Wire) -> None:
    wire.script(page([]), page([]), page([]), page([]))
    await call(agb.list())
    assert query(wire.last) == [("maxResults", "10"), ("labels", "{}")]
    await call(agb.list(ListSessionParams(labels={"a": "b"}, limit=3, next_token="t")))
    assert query(wire.last) == [("maxResults", "3"), ("nextToken", "t"), ("labels", '{"a": "b"}')]
    await call(agb.list({"a": "b"}))  # the official client's positional labels
    assert ("labels", '{"a": "b"}') in query(wire.last)
    await call(agb.list(ListSessionParams(labels={"a": "b"}, limit=3), labels={"c": "d"}))  # keywords win
    assert query(wire.last) == [("maxResults", "3"), ("labels", '{"c": "d"}')]


async def test_list_page_walks_tokens(agb: Any, wire: Wire) -> None:
    wire.script(page(["a"], "t2"), page(["b"], "t3"), page(["c"]))
    result = await call(agb.list(page=3, limit=1))
    assert result.session_ids == ["c"]
    assert [dict(query(r)).get("nextToken") for r in wire.requests] == [None, "t2", "t3"]
    wire.script(page(["a"]))
    result = await call(agb.list(page=2))
    assert isinstance(result.error, InvalidParameterError) and "only 1 pages" in result.error_message


@pytest.mark.parametrize(
    "kwargs",
    [{"limit": 0}, {"limit": 101}, {"limit": "5"}, {"page": 0}, {"page": 2, "next_token": "t"}, {"labels": {"": "x"}}],
)
async def test_list_rejects_bad_parameters(agb: Any, wire: Wire, kwargs: dict[str, Any]) -> None:
    result = await call(agb.list(**kwargs))
    assert isinstance(result.error, InvalidParameterError)
    assert wire.requests == []


async def test_list_all_walks_every_page(agb: Any, wire: Wire) -> None:
    wire.script(page(["a", "b"], "t2"), page(["c"], "t3"), page([]))
    ids = await collect(agb.list_all(labels={"team": "x"}, page_size=2))
    assert ids == ["a", "b", "c"]
    assert [dict(query(r)).get("nextToken") for r in wire.requests] == [None, "t2", "t3"]
    assert all(dict(query(r))["maxResults"] == "2" for r in wire.requests)


async def test_list_all_raises_when_a_page_fails_and_on_token_loops(agb: Any, wire: Wire) -> None:
    wire.script(page(["a"], "t2"), api_error(401, "InvalidApiKey", "bad key"))
    with pytest.raises(AGBError) as caught:
        await collect(agb.list_all())
    assert caught.value.status_code == 401
    wire.script(page(["a"], "t2"), page(["b"], "t2"), page(["c"], "t2"))
    with pytest.raises(ServerError, match="same nextToken"):
        await collect(agb.list_all())


# ---------------------------------------------------------------- one session


async def test_set_labels_puts_both_parameters_in_the_query(session: Any, wire: Wire) -> None:
    wire.script(ok(None))
    result = await call(session.set_labels({"k": "v", "ü": "x y"}))
    request = wire.last
    assert request.url.path == "/sdk/SetLabel" and request.method == "POST"
    assert query(request) == [("sessionId", "s-1"), ("Labels", '{"k": "v", "\\u00fc": "x y"}')]
    assert request.content == b"{}"
    assert result.success and session.labels == {"k": "v", "ü": "x y"}


@pytest.mark.parametrize("labels", [{}, None, {"k": None}, {" ": "v"}, [("k", "v")]])
async def test_set_labels_validation(session: Any, wire: Wire, labels: Any) -> None:
    assert isinstance((await call(session.set_labels(labels))).error, InvalidParameterError)
    assert wire.requests == []


@pytest.mark.parametrize(
    ("labels", "expected"),
    [('{"project": "demo"}', {"project": "demo"}), ("{}", {}), ("", {}), (None, {})],
)
async def test_get_labels(session: Any, wire: Wire, labels: Any, expected: dict[str, str]) -> None:
    wire.script(ok({"labels": labels, "count": 1}))
    result = await call(session.get_labels())
    assert wire.last.method == "GET" and query(wire.last) == [("sessionId", "s-1")]
    assert result.success and result.data == expected and session.labels == expected


@pytest.mark.parametrize("labels", ["[1]", '{"a": 1}', "{not json", {"a": "b"}])
async def test_get_labels_malformed(session: Any, wire: Wire, labels: str) -> None:
    wire.script(ok({"labels": labels}))
    assert isinstance((await call(session.get_labels())).error, ServerError)


async def test_info_maps_to_snake_case(session: Any, wire: Wire) -> None:
    desktop = {"appId": "a", "authCode": "c", "connectionProperties": "p", "resourceId": "r", "resourceType": "t"}
    wire.script(ok({"sessionId": "s-1", "resourceUrl": "https://new", "desktopInfo": {**desktop, "ticket": "k"}}))
    result = await call(session.info())
    assert wire.last.url.path == "/mcp/getMcpResource" and wire.last.content == b'{"sessionId":"s-1"}'
    assert result.data == {
        "session_id": "s-1",
        "resource_url": "https://new",
        "app_id": "a",
        "auth_code": "c",
        "connection_properties": "p",
        "resource_id": "r",
        "resource_type": "t",
        "ticket": "k",
    }
    assert session.resource_url == "https://new"


async def test_get_status_and_keep_alive(session: Any, wire: Wire) -> None:
    wire.script(ok({"status": "RUNNING"}, request_id="r-s"), ok(None, request_id="r-k"))
    status = await call(session.get_status())
    assert status.success and status.status == "RUNNING" and status.unwrap() == "RUNNING"
    assert wire.last.url.path == "/mcp/getSessionInfo"
    alive = await call(session.keep_alive())
    assert alive.success and alive.request_id == "r-k"
    assert wire.last.url.path == "/mcp/refreshSessionIdleTime"
    assert query(wire.last) == [("sessionId", "s-1")] and wire.last.content == b"{}"


async def test_list_mcp_tools_decodes_the_json_string(session: Any, wire: Wire) -> None:
    tools = [
        {"name": "shell", "description": "Run", "inputSchema": {"type": "object"}, "server": "srv", "tool": "shell"},
        {"name": "run_code"},
    ]
    wire.script(ok(json.dumps(tools)), ok(tools), ok(json.dumps(tools)))
    result = await call(session.list_mcp_tools())
    assert query(wire.last) == [("imageId", "code_latest")] and wire.last.content == b"{}"
    assert [t.name for t in result.tools] == ["shell", "run_code"]
    assert result.tools[0].input_schema == {"type": "object"} and result.tools[0].server == "srv"
    assert [t.name for t in (await call(session.list_mcp_tools("other"))).tools] == ["shell", "run_code"]
    assert query(wire.last) == [("imageId", "other")]
    session.image_id = None
    await call(session.list_mcp_tools())
    assert query(wire.last) == []


async def test_list_mcp_tools_malformed(session: Any, wire: Wire) -> None:
    wire.script(ok("{not json"))
    assert isinstance((await call(session.list_mcp_tools())).error, ServerError)


async def test_call_mcp_tool(session: Any, wire: Wire) -> None:
    from .conftest import tool

    wire.script(tool("hello"), tool("boom", is_error=True))
    result = await call(session.call_mcp_tool("shell", {"command": "echo ü"}, timeout_s=100))
    assert result.success and result.data == "hello" and result.unwrap() == "hello"
    assert wire.last.content == b'{"sessionId":"s-1","name":"shell","args":"{\\"command\\": \\"echo \xc3\xbc\\"}"}'
    assert wire.last.extensions["timeout"]["read"] == 130
    failed = await call(session.call_mcp_tool("shell"))
    assert not failed.success and failed.data == "boom" and "boom" in failed.error_message
    assert json.loads(wire.last.content)["args"] == "{}"
    assert isinstance((await call(session.call_mcp_tool("x", [1]))).error, InvalidParameterError)


def test_sessions_url_path_prefix_is_kept(wire: Wire) -> None:
    from agb import Config

    from .conftest import make_client

    client = make_client("sync", wire, cfg=Config(endpoint=ENDPOINT + "/prefix/"))
    wire.script(created())
    assert client.create().success  # type: ignore[union-attr]
    assert str(wire.last.url).startswith(ENDPOINT + "/prefix/mcp/createSession?")


def test_default_images_are_the_seeds() -> None:
    """`DEFAULT_IMAGES` as the seed document shows it, importable from agb.session_params and agb."""
    import agb
    from agb.session_params import DEFAULT_IMAGE_ID, DEFAULT_IMAGES

    assert DEFAULT_IMAGES == {
        "code_latest": "Latest general-purpose code execution environment",
        "agb-code-space-1": "Specialized code execution environment",
    }
    assert agb.DEFAULT_IMAGES is DEFAULT_IMAGES and DEFAULT_IMAGE_ID in DEFAULT_IMAGES
