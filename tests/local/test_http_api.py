"""agb_local over real HTTP: every operation, the envelope, and the bad-input cases of the protocol."""

from __future__ import annotations

import json
import time

import httpx
import pytest

import agb_spec
from agb_local.embedded import EmbeddedServer, start

from .conftest import create, tool


def envelope_of(r: httpx.Response, status: int, code: str = "ok") -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert body["success"] is (status < 400)
    assert body["code"] == code, body
    assert body["httpStatusCode"] == status
    assert body["requestId"] and r.headers["x-request-id"] == body["requestId"]
    return body


# ----------------------------------------------------------------------------- sessions


def test_create_get_info_resource_release(http: httpx.Client) -> None:
    r = http.post("/mcp/createSession", params={"imageId": "agb-code-space-1"}, json={"timeout": 120})
    sid = envelope_of(r, 200)["data"]["sessionId"]
    assert sid.startswith("s-")
    data = envelope_of(http.post("/mcp/getSession", json={"sessionId": sid}), 200)["data"]
    assert data["sessionId"] == sid and data["status"] == "RUNNING"
    assert data["wsUrl"].endswith("/ws") and data["linkUrl"].endswith("/link") and data["token"].startswith(sid)
    assert envelope_of(http.post("/mcp/getSessionInfo", json={"sessionId": sid}), 200)["data"] == {"status": "RUNNING"}
    assert envelope_of(http.post("/mcp/getMcpResource", json={"sessionId": sid}), 200)["data"]["sessionId"] == sid
    envelope_of(http.post("/mcp/refreshSessionIdleTime", params={"sessionId": sid}, json={}), 200)
    envelope_of(http.post("/mcp/releaseSession", json={"sessionId": sid}), 200)
    gone = envelope_of(http.post("/mcp/getSessionInfo", json={"sessionId": sid}), 404, "InvalidMcpSession.NotFound")
    assert sid in gone["message"]


def test_create_without_body_or_image_uses_default(http: httpx.Client) -> None:
    r = http.post("/mcp/createSession")
    sid = envelope_of(r, 200)["data"]["sessionId"]
    envelope_of(http.post("/mcp/releaseSession", json={"sessionId": sid}), 200)


def test_release_async_then_poll_until_not_found(http: httpx.Client) -> None:
    sid = create(http)
    envelope_of(http.post("/mcp/releaseSessionAsync", json={"sessionId": sid}), 200)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        r = http.post("/mcp/getSessionInfo", json={"sessionId": sid})
        if r.status_code == 404:
            assert r.json()["code"] == "InvalidMcpSession.NotFound"
            break
        assert r.json()["data"]["status"] in ("RUNNING", "DELETING")
        time.sleep(0.05)
    else:
        pytest.fail("session not released within 10 s")
    # use after free: every operation on it is a 404 now
    for path, kwargs in [
        ("/mcp/getSession", {"json": {"sessionId": sid}}),
        ("/mcp", {"json": {"sessionId": sid, "name": "shell", "args": "{}"}}),
        ("/sdk/SetLabel", {"params": {"sessionId": sid, "Labels": '{"a": "b"}'}, "json": {}}),
        ("/mcp/releaseSession", {"json": {"sessionId": sid}}),
    ]:
        envelope_of(http.post(path, **kwargs), 404, "InvalidMcpSession.NotFound")


def test_unknown_image_is_400_listing_known_images(http: httpx.Client) -> None:
    body = envelope_of(
        http.post("/mcp/createSession", params={"imageId": "no-such"}, json={}), 400, "InvalidParameter.ImageId"
    )
    assert "code_latest" in body["message"] and "agb-code-space-1" in body["message"]
    envelope_of(http.post("/mcp/listTools", params={"imageId": "no-such"}, json={}), 400, "InvalidParameter.ImageId")


@pytest.mark.parametrize("labels", ["not json", "[1]", '{"k": 1}', '{"k": ""}', '{"": "v"}', "{"])
def test_bad_label_json_is_400(http: httpx.Client, labels: str) -> None:
    envelope_of(http.post("/mcp/createSession", json={"labels": labels}), 400, "InvalidParameter")
    envelope_of(http.get("/sdk/ListSession", params={"labels": labels}), 400, "InvalidParameter")


def test_missing_session_id_is_400(http: httpx.Client) -> None:
    envelope_of(http.post("/mcp/getSession", json={}), 400, "InvalidParameter")
    envelope_of(http.post("/mcp/refreshSessionIdleTime", json={}), 400, "InvalidParameter")


# ----------------------------------------------------------------------------- auth and tenancy


@pytest.mark.parametrize(
    "headers", [{}, {"authorization": "Bearer wrong"}, {"authorization": "Basic abc"}, {"authorization": "Bearer"}]
)
def test_missing_or_bad_key_is_401_everywhere(server: EmbeddedServer, headers: dict) -> None:
    with httpx.Client(base_url=server.endpoint, headers=headers) as anon:
        for method, path in [
            ("post", "/mcp/createSession"),
            ("get", "/sdk/ListSession"),
            ("post", "/mcp"),
            ("post", "/mcp/listTools"),
            ("get", "/sdk/GetLabel"),
        ]:
            r = anon.request(
                method,
                path,
                json={} if method == "post" else None,
                params={"sessionId": "s-x"} if path == "/sdk/GetLabel" else None,
            )
            body = envelope_of(r, 401, "InvalidApiKey")
            assert "Bearer" in body["message"]


def test_header_name_and_scheme_are_case_insensitive(server: EmbeddedServer) -> None:
    with httpx.Client(base_url=server.endpoint, headers={"AUTHORIZATION": f"bearer {server.api_key}"}) as c:
        envelope_of(c.get("/sdk/ListSession"), 200)


def test_another_keys_session_is_404(http: httpx.Client, other: httpx.Client, session_id: str) -> None:
    envelope_of(other.post("/mcp/getSession", json={"sessionId": session_id}), 404, "InvalidMcpSession.NotFound")
    envelope_of(
        other.post("/mcp", json={"sessionId": session_id, "name": "shell", "args": '{"command": "id"}'}),
        404,
        "InvalidMcpSession.NotFound",
    )
    envelope_of(other.post("/mcp/releaseSession", json={"sessionId": session_id}), 404, "InvalidMcpSession.NotFound")
    ids = [s["sessionId"] for s in envelope_of(other.get("/sdk/ListSession"), 200)["data"]]
    assert session_id not in ids
    # and the owner still has it
    envelope_of(http.post("/mcp/getSession", json={"sessionId": session_id}), 200)


def test_the_key_never_appears_in_replies(http: httpx.Client, server: EmbeddedServer) -> None:
    for r in [
        http.post("/mcp/createSession", params={"imageId": "x"}, json={}),
        http.post("/mcp/getSession", json={"sessionId": "s-none"}),
    ]:
        assert server.api_key not in r.text


# ----------------------------------------------------------------------------- labels and listing


def test_labels_set_get_and_filter(http: httpx.Client) -> None:
    labels = {"project": "ünï 😀", "env": 'a"b'}
    sid = create(http, labels=json.dumps(labels))
    try:
        got = envelope_of(http.get("/sdk/GetLabel", params={"sessionId": sid}), 200)["data"]
        assert isinstance(got["labels"], str) and json.loads(got["labels"]) == labels
        listed = envelope_of(http.get("/sdk/ListSession", params={"labels": json.dumps({"project": "ünï 😀"})}), 200)
        assert [s["sessionId"] for s in listed["data"]] == [sid]
        assert listed["count"] == 1 and listed["nextToken"] == ""
        envelope_of(http.post("/sdk/SetLabel", params={"sessionId": sid, "Labels": '{"k": "v"}'}, json={}), 200)
        got = envelope_of(http.get("/sdk/GetLabel", params={"sessionId": sid}), 200)["data"]
        assert json.loads(got["labels"]) == {"k": "v"}  # replaced, not merged
        listed = envelope_of(http.get("/sdk/ListSession", params={"labels": json.dumps({"project": "ünï 😀"})}), 200)
        assert listed["data"] == [] and listed["count"] == 0
    finally:
        http.post("/mcp/releaseSession", json={"sessionId": sid})


def test_list_pages_without_gaps_or_duplicates(http: httpx.Client) -> None:
    tag = {"pagetest": str(time.time())}
    sids = [create(http, labels=json.dumps(tag)) for _ in range(5)]
    try:
        seen: list[str] = []
        token = ""
        pages = 0
        while True:
            params = {"maxResults": "2", "labels": json.dumps(tag)}
            if token:
                params["nextToken"] = token
            body = envelope_of(http.get("/sdk/ListSession", params=params), 200)
            assert body["count"] == 5 and body["maxResults"] == 2 and len(body["data"]) <= 2
            seen += [s["sessionId"] for s in body["data"]]
            assert all(s["sessionStatus"] == "RUNNING" for s in body["data"])
            token = body["nextToken"]
            pages += 1
            if not token:
                break
        assert seen == sorted(sids) and pages == 3
    finally:
        for sid in sids:
            http.post("/mcp/releaseSession", json={"sessionId": sid})


@pytest.mark.parametrize("value", ["0", "101", "abc", "-1"])
def test_bad_max_results_is_400(http: httpx.Client, value: str) -> None:
    envelope_of(http.get("/sdk/ListSession", params={"maxResults": value}), 400, "InvalidParameter")


def test_quota_is_429(tmp_path) -> None:
    with (
        start(tmp_path / "data", max_sessions_per_key=2, pool_size=0) as srv,
        httpx.Client(base_url=srv.endpoint, headers={"authorization": f"Bearer {srv.api_key}"}, timeout=60) as c,
    ):
        create(c)
        create(c)
        r = c.post("/mcp/createSession", json={})
        body = envelope_of(r, 429, "QuotaExceeded.Sessions")
        assert "limit" in body["message"] and r.headers["retry-after"]


# ----------------------------------------------------------------------------- tools


def test_list_tools(http: httpx.Client) -> None:
    data = envelope_of(http.post("/mcp/listTools", params={"imageId": "code_latest"}, json={}), 200)["data"]
    tools = json.loads(data)
    names = {t["name"] for t in tools}
    assert names == set(agb_spec.tools())
    shell = next(t for t in tools if t["name"] == "shell")
    assert shell["inputSchema"]["required"] == ["command"] and shell["server"] == "agb_local"


def test_shell_and_python_through_mcp(http: httpx.Client, session_id: str) -> None:
    err, text = tool(http, session_id, "shell", {"command": "echo hi; echo oops >&2; exit 3", "timeout_ms": 5000})
    assert not err
    out = json.loads(text)
    assert out["stdout"] == "hi\n" and out["stderr"] == "oops\n" and out["exit_code"] == 3
    err, text = tool(http, session_id, "run_code", {"code": "x = 41\nx + 1", "language": "python", "timeout_s": 60})
    assert not err, text
    out = json.loads(text)
    assert out["result"][0]["text/plain"] == "42" and out["result"][0]["isMainResult"] is True


def test_tool_errors_are_200_with_is_error(http: httpx.Client, session_id: str) -> None:
    err, text = tool(http, session_id, "no_such_tool", {})
    assert err and "available tools" in text and "run_code" in text
    err, text = tool(http, session_id, "shell", "this is not json")
    assert err and "not valid JSON" in text
    err, text = tool(http, session_id, "shell", "[1, 2]")
    assert err and "JSON object" in text
    err, text = tool(http, session_id, "shell", {"cmd": "ls"})
    assert err and "command" in text
    err, text = tool(http, session_id, "read_file", {"path": 3})
    assert err and "path" in text
    err, text = tool(http, session_id, "read_file", {"path": "/home/user/missing.txt"})
    assert err and "missing.txt" in text
    err, text = tool(http, session_id, "run_code", {"code": "1", "language": "cobol"})
    assert err and "python" in text


def test_files_round_trip_through_mcp(http: httpx.Client, session_id: str) -> None:
    text = "héllo wörld 😀\n" * 3
    err, _ = tool(http, session_id, "write_file", {"path": "/home/user/a.txt", "content": text, "mode": "overwrite"})
    assert not err
    err, info = tool(http, session_id, "get_file_info", {"path": "/home/user/a.txt"})
    assert not err and f"size: {len(text.encode())}" in info and "isDirectory: false" in info
    err, back = tool(http, session_id, "read_file", {"path": "/home/user/a.txt"})
    assert not err and back == text


# ----------------------------------------------------------------------------- HTTP-level bad input


def test_unknown_path_and_wrong_method(http: httpx.Client) -> None:
    envelope_of(http.get("/no/such/path"), 404, "NotFound")
    r = http.get("/mcp")
    envelope_of(r, 405, "MethodNotAllowed")
    assert r.headers["allow"] == "POST"


def test_body_too_large_is_413(tmp_path) -> None:
    with (
        start(tmp_path / "d", max_body_bytes=1024, pool_size=0) as srv,
        httpx.Client(base_url=srv.endpoint, headers={"authorization": f"Bearer {srv.api_key}"}) as c,
    ):
        envelope_of(c.post("/mcp", json={"sessionId": "s", "name": "x", "args": "a" * 5000}), 413, "RequestTooLarge")

        def chunks():
            yield b'{"sessionId": "s", "name": "x", "args": "'
            for _ in range(10):
                yield b"a" * 500
            yield b'"}'

        r = c.post("/mcp", content=chunks(), headers={"content-type": "application/json"})
        envelope_of(r, 413, "RequestTooLarge")
        envelope_of(c.get("/sdk/ListSession"), 200)  # and it keeps serving


@pytest.mark.parametrize("content", [b"\xff\xfe{not utf8", b"{truncated", b"[]", b'"string"', b"null"])
def test_malformed_bodies_are_400(http: httpx.Client, content: bytes) -> None:
    r = http.post("/mcp/getSession", content=content, headers={"content-type": "application/json"})
    envelope_of(r, 400, "InvalidParameter")


def test_deeply_nested_json_is_400(http: httpx.Client) -> None:
    r = http.post(
        "/mcp/getSession", content=b"[" * 100000 + b"]" * 100000, headers={"content-type": "application/json"}
    )
    envelope_of(r, 400, "InvalidParameter")
    envelope_of(http.get("/sdk/ListSession"), 200)


@pytest.mark.parametrize("content", ['{"sessionId": "x"}'.encode("utf-16"), b'{"sessionId": NaN}', b"\xef\xbb\xbf{}"])
def test_json_is_utf8_without_nan_or_bom(http: httpx.Client, content: bytes) -> None:
    r = http.post("/mcp/getSession", content=content, headers={"content-type": "application/json"})
    assert "not valid JSON" in envelope_of(r, 400, "InvalidParameter")["message"]


def test_a_body_that_is_not_json_is_415(http: httpx.Client, session_id: str) -> None:
    r = http.post("/mcp/getSession", content=f"sessionId={session_id}", headers={"content-type": "text/plain"})
    assert "application/json" in envelope_of(r, 415, "UnsupportedMediaType")["message"]
    # a JSON media type with parameters or a +json suffix is JSON
    for ct in ("application/json; charset=utf-8", "application/vnd.agb+json"):
        envelope_of(http.post("/mcp/getSession", json={"sessionId": session_id}, headers={"content-type": ct}), 200)


def test_query_parameters_are_typed_from_the_spec(http: httpx.Client) -> None:
    envelope_of(http.get("/sdk/ListSession", params={"isAll": "TRUE"}), 200)
    body = envelope_of(http.get("/sdk/ListSession", params={"isAll": "yes"}), 400, "InvalidParameter")
    assert body["message"].startswith("isAll: ")
    assert envelope_of(http.get("/sdk/ListSession"), 200)["maxResults"] == 10  # the spec's default
    # a repeated parameter: the last one counts; parameters the spec does not name are ignored
    r = http.get("/sdk/ListSession?maxResults=abc&maxResults=3&unknown=1")
    assert envelope_of(r, 200)["maxResults"] == 3


def test_a_refused_request_keeps_its_connection_usable(server: EmbeddedServer) -> None:
    with httpx.Client(base_url=server.endpoint) as c:
        envelope_of(c.post("/mcp", json={"sessionId": "s", "name": "shell", "args": "{}"}), 401, "InvalidApiKey")
        r = c.get("/sdk/ListSession", headers={"authorization": f"Bearer {server.api_key}"})
        envelope_of(r, 200)
        assert r.extensions["network_stream"] is not None
        assert len(c._transport._pool.connections) == 1  # type: ignore[attr-defined]


def test_the_spec_is_served(http: httpx.Client) -> None:
    r = http.get("/openapi.json")
    assert r.status_code == 200 and r.json() == agb_spec.load()


# ----------------------------------------------------------------------------- idle reaping and restarts


def test_idle_sessions_are_released(server: EmbeddedServer, http: httpx.Client) -> None:
    sid = create(http, timeout=1)
    keep = create(http, timeout=3600)
    reaped = server.run(server.service.reap_idle(time.time() + 5))
    assert sid in reaped and keep not in reaped
    deadline = time.monotonic() + 10
    while http.post("/mcp/getSessionInfo", json={"sessionId": sid}).status_code != 404:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    envelope_of(http.post("/mcp/getSession", json={"sessionId": keep}), 200)
    http.post("/mcp/releaseSession", json={"sessionId": keep})


def test_sessions_and_files_survive_a_restart(tmp_path) -> None:
    key = "akm-restart-test"
    data = tmp_path / "data"
    with (
        start(data, api_key=key, pool_size=0) as srv,
        httpx.Client(base_url=srv.endpoint, headers={"authorization": f"Bearer {key}"}, timeout=60) as c,
    ):
        sid = create(c, labels='{"keep": "me"}')
        assert not tool(c, sid, "write_file", {"path": "/home/user/kept.txt", "content": "still here"})[0]
        assert not tool(c, sid, "run_code", {"code": "state = 1", "language": "python"})[0]
    with (
        start(data, api_key=key, pool_size=0) as srv,
        httpx.Client(base_url=srv.endpoint, headers={"authorization": f"Bearer {key}"}, timeout=60) as c,
    ):
        listed = envelope_of(c.get("/sdk/ListSession", params={"labels": '{"keep": "me"}'}), 200)
        assert [s["sessionId"] for s in listed["data"]] == [sid]
        err, text = tool(c, sid, "read_file", {"path": "/home/user/kept.txt"})
        assert not err and text == "still here"
        err, text = tool(c, sid, "run_code", {"code": "state", "language": "python"})
        out = json.loads(text)
        assert out["error"]["name"] == "NameError"  # kernel state is lost across restarts, as documented


def test_a_session_in_the_middle_of_a_call_is_not_idle(server: EmbeddedServer, http: httpx.Client) -> None:
    import threading

    sid = create(http, timeout=1)
    done = threading.Event()

    def long_call() -> None:
        tool(http, sid, "shell", {"command": "sleep 2", "timeout_ms": 10000})
        done.set()

    worker = threading.Thread(target=long_call)
    worker.start()
    time.sleep(0.5)
    assert sid not in server.run(server.service.reap_idle(time.time() + 60))
    worker.join(10)
    assert done.is_set()
    envelope_of(http.post("/mcp/getSession", json={"sessionId": sid}), 200)
    assert sid in server.run(server.service.reap_idle(time.time() + 60))


def test_isolation_none_warns_at_every_start(tmp_path, caplog) -> None:
    import logging

    caplog.set_level(logging.WARNING, logger="agb_local")
    for _ in range(2):
        with start(tmp_path / "none", isolation="none", pool_size=0):
            pass
    assert sum("NOT sandboxed" in r.getMessage() for r in caplog.records) == 2
