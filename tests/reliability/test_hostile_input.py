"""Hostile input at the HTTP level, with raw httpx and raw sockets to `agb-local serve` on loopback.

Beyond tests/local (which covers the basic 401/404/413/400 cases on a few endpoints): every operation of the
spec with every kind of bad key, another tenant's session ids on every session-scoped operation (and no side
effect on the owner's session), request heads and URLs past the server's limits, bodies past the limit
declared or streamed, invalid UTF-8 in every place it can be, JSON-in-string fields that are not JSON, absurd
numbers. Each answer must be a 4xx with the envelope and a short message that names the problem (a tool
error, for tool arguments), and the server must keep serving after each.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

import agb_spec

from .harness import MARKS, ServerProcess, leaks, record

pytestmark = [*MARKS, pytest.mark.timeout(180)]

KEY = "akm-reliability-input-a-3e8b1c0d5f7a9e62"
OTHER = "akm-reliability-input-b-94d2f6a8c1e3b570"
MAX_MESSAGE = 400  # a useful message is a sentence, not a schema dump


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    base = tmp_path_factory.mktemp("input")
    srv = ServerProcess(base / "data", base / "server.log", keys=(KEY, OTHER), args=("--pool-size", "1"))
    srv.start()
    yield srv
    srv.stop()
    log = srv.log_text()
    assert not leaks(log, KEY) and not leaks(log, OTHER)
    assert "Traceback" not in log


@pytest.fixture(scope="module")
def http(server: ServerProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.endpoint, headers={"authorization": f"Bearer {KEY}"}, timeout=60) as c:
        yield c


@pytest.fixture(scope="module")
def other(server: ServerProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.endpoint, headers={"authorization": f"Bearer {OTHER}"}, timeout=60) as c:
        yield c


@pytest.fixture(scope="module")
def sid(http: httpx.Client) -> str:
    r = http.post("/mcp/createSession", json={"labels": json.dumps({"owner": "a"})})
    assert r.status_code == 200, r.text
    session_id = str(r.json()["data"]["sessionId"])
    assert not _tool(http, session_id, "write_file", {"path": "/home/user/owned.txt", "content": "mine"})[0]
    return session_id


def _tool(http: httpx.Client, sid: str, name: str, args: Any) -> tuple[bool, str]:
    raw = args if isinstance(args, str) else json.dumps(args)
    r = http.post("/mcp", json={"sessionId": sid, "name": name, "args": raw})
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    return bool(data["isError"]), "\n".join(c["text"] for c in data["content"])


CHECKED = {"count": 0}


def api_error(r: httpx.Response, status: int, code: str | None = None) -> dict[str, Any]:
    """A 4xx with the envelope, a request id and a short message."""
    assert r.status_code == status, (r.status_code, r.text[:500])
    assert r.headers.get("content-type", "").startswith("application/json"), r.headers
    body = r.json()
    assert body["success"] is False and body["httpStatusCode"] == status and body["data"] is None, body
    assert body["requestId"] and r.headers["x-request-id"] == body["requestId"]
    if code is not None:
        assert body["code"] == code, body
    assert 0 < len(body["message"]) <= MAX_MESSAGE, body["message"]
    CHECKED["count"] += 1
    return body


def serving(server: ServerProcess) -> None:
    with httpx.Client(base_url=server.endpoint, headers={"authorization": f"Bearer {KEY}"}, timeout=30) as c:
        assert c.get("/sdk/ListSession").status_code == 200


def operations() -> list[tuple[str, str]]:
    # Presigned URLs take no key (their token is the permission; tests/local/test_contexts.py covers them).
    return [
        (method.upper(), path)
        for path, method, op in agb_spec.operations(agb_spec.load())
        if not op.get("x-agb-presigned")
    ]


def token_operations() -> set[tuple[str, str]]:
    """The operations a session token authorises (the LinkUrl route), not the API key."""
    return {
        (method.upper(), path)
        for path, method, op in agb_spec.operations(agb_spec.load())
        if op.get("security") == [{"accessToken": []}]
    }


# ----------------------------------------------------------------------------- keys and tenants


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "Bearer",
        "Bearer ",
        f"Bearer {KEY[:-1]}",
        f"Bearer {KEY}x",
        f"Bearer {KEY.upper()}",
        f"Basic {KEY}",
        f"{KEY}",
        "Bearer " + "k" * 100_000,
        "Bearer akm-\u00e9\u00e8",
    ],
)
def test_every_operation_refuses_missing_and_wrong_keys(server: ServerProcess, authorization: str | None) -> None:
    # Raw bytes on the wire: httpx would refuse to send some of these headers at all.
    header = b"" if authorization is None else b"Authorization: " + authorization.encode("utf-8") + b"\r\n"
    by_token = token_operations()
    for method, path in operations():
        body = b"{}" if method == "POST" else b""
        request = (
            f"{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n".encode()
            + header
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
        r = _raw(server, request)
        if (method, path) in by_token:  # no session token: the key in Authorization is no use there either
            answer = api_error(r, 401, "InvalidAccessToken")
            assert "X-Access-Token" in answer["message"]
        else:
            answer = api_error(r, 401, "InvalidApiKey")
            assert "Bearer" in answer["message"]
        assert KEY not in r.text
    serving(server)


def test_invalid_utf8_in_the_authorization_header(server: ServerProcess) -> None:
    r = _raw(server, b"GET /sdk/ListSession HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \xff\xfe\x80\r\n\r\n")
    api_error(r, 401, "InvalidApiKey")
    serving(server)


def test_another_keys_session_is_not_found_everywhere_and_untouched(
    server: ServerProcess, http: httpx.Client, other: httpx.Client, sid: str
) -> None:
    body = {"sessionId": sid}
    attempts = [
        ("POST", "/mcp/getSession", {"json": body}),
        ("POST", "/mcp/getSessionInfo", {"json": body}),
        ("POST", "/mcp/getMcpResource", {"json": body}),
        ("POST", "/mcp/refreshSessionIdleTime", {"params": body, "json": {}}),
        ("GET", "/sdk/GetLabel", {"params": body}),
        ("POST", "/sdk/SetLabel", {"params": {**body, "Labels": '{"owner": "thief"}'}, "json": {}}),
        ("POST", "/mcp/releaseSessionAsync", {"json": body}),
        ("POST", "/mcp/releaseSession", {"json": body}),
    ]
    for tool, args in [
        ("read_file", {"path": "/home/user/owned.txt"}),
        ("write_file", {"path": "/home/user/owned.txt", "content": "stolen"}),
        ("delete_file", {"path": "/home/user/owned.txt"}),
        ("shell", {"command": "rm -rf /home/user/*"}),
        ("run_code", {"code": "1", "language": "python"}),
    ]:
        attempts.append(("POST", "/mcp", {"json": {"sessionId": sid, "name": tool, "args": json.dumps(args)}}))
    for method, path, kwargs in attempts:
        answer = api_error(other.request(method, path, **kwargs), 404, "InvalidMcpSession.NotFound")
        assert sid in answer["message"]
    listed = other.get("/sdk/ListSession", params={"labels": '{"owner": "a"}'}).json()
    assert listed["data"] == [] and listed["count"] == 0
    # The owner's session is as it was: running, labelled, its file intact.
    assert http.post("/mcp/getSessionInfo", json=body).json()["data"]["status"] == "RUNNING"
    assert json.loads(http.get("/sdk/GetLabel", params=body).json()["data"]["labels"]) == {"owner": "a"}
    assert _tool(http, sid, "read_file", {"path": "/home/user/owned.txt"}) == (False, "mine")


# ----------------------------------------------------------------------------- sizes past the limits


def _raw(server: ServerProcess, data: bytes, *, read_timeout: float = 20) -> httpx.Response:
    """Send raw bytes, read one HTTP/1.1 response (closing is fine), return it as an httpx.Response."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=read_timeout) as sock:
        # The server may answer and close before reading everything: read what it said.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(data)
        received = b""
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            received += chunk
            head, sep, body = received.partition(b"\r\n\r\n")
            length = re.search(rb"(?i)content-length: *(\d+)", head)
            if sep and length and len(body) >= int(length.group(1)):
                break
    head, _, body = received.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    assert lines[0].startswith("HTTP/1.1 "), received[:300]
    status = int(lines[0].split()[1])
    headers = [tuple(line.split(": ", 1)) for line in lines[1:] if ": " in line]
    return httpx.Response(status, headers=headers, content=body)


def test_request_heads_past_the_limit_get_the_envelope(server: ServerProcess) -> None:
    auth = f"Authorization: Bearer {KEY}\r\n".encode()
    cases = {
        "one 2 MiB header": b"GET /sdk/ListSession HTTP/1.1\r\nHost: x\r\n"
        + auth
        + b"X-Big: "
        + b"a" * 2**21
        + b"\r\n\r\n",
        "100k headers": b"GET /sdk/ListSession HTTP/1.1\r\nHost: x\r\n"
        + auth
        + b"".join(b"X-%d: y\r\n" % i for i in range(100_000))
        + b"\r\n",
        "a 2 MiB URL": b"GET /sdk/ListSession?nextToken=" + b"x" * 2**21 + b" HTTP/1.1\r\nHost: x\r\n" + auth + b"\r\n",
    }
    for name, data in cases.items():
        r = _raw(server, data)
        body = api_error(r, 431, "RequestHeaderFieldsTooLarge")
        assert "head" in body["message"], (name, body)
    serving(server)


def test_malformed_http_gets_the_envelope(server: ServerProcess) -> None:
    for data in (
        b"GARBAGE\r\n\r\n",
        b"GET /sdk/ListSession HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n",
        b"POST /mcp HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nhello",
        b"POST /mcp HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nnot-hex\r\n",
    ):
        api_error(_raw(server, data), 400, "InvalidParameter")
    serving(server)


def test_bodies_past_the_limit(server: ServerProcess) -> None:
    limit = 16 * 1024 * 1024
    auth = f"Authorization: Bearer {KEY}\r\n".encode()
    # Declared: answered from the head, without reading (or waiting for) the body.
    started = time.monotonic()
    declared = b"POST /mcp HTTP/1.1\r\nHost: x\r\n" + auth + b"Content-Type: application/json\r\n"
    r = _raw(server, declared + b"Content-Length: 10000000000000\r\n\r\n{")
    api_error(r, 413, "RequestTooLarge")
    assert time.monotonic() - started < 5
    # Streamed: a real 17 MiB body, then the next request on a new connection is served.
    body = json.dumps({"sessionId": "s", "name": "shell", "args": "a" * (limit + 2**20)}).encode()
    with httpx.Client(base_url=server.endpoint, headers={"authorization": f"Bearer {KEY}"}, timeout=60) as c:
        api_error(c.post("/mcp", content=body, headers={"content-type": "application/json"}), 413, "RequestTooLarge")

        def chunks() -> Iterator[bytes]:
            for start in range(0, len(body), 2**20):
                yield body[start : start + 2**20]

        r = c.post("/mcp", content=chunks(), headers={"content-type": "application/json"})
        api_error(r, 413, "RequestTooLarge")
    serving(server)


# ----------------------------------------------------------------------------- encodings and JSON


def test_invalid_utf8_and_non_json_everywhere(server: ServerProcess, http: httpx.Client, sid: str) -> None:
    json_ct = {"content-type": "application/json"}
    bodies = [
        b'{"sessionId": "s-\xff\xfe"}',  # invalid UTF-8 inside a JSON string
        '{"sessionId": "x"}'.encode("utf-16"),
        b"\xef\xbb\xbf" + b'{"sessionId": 1}',
        b'{"sessionId": "x", "sessionId": ' + b"[" * 50_000 + b"]" * 50_000 + b"}",
        b'{"sessionId": NaN}',
        b"",
    ]
    for content in bodies:
        api_error(http.post("/mcp/getSession", content=content, headers=json_ct), 400, "InvalidParameter")
    # Invalid UTF-8 and non-JSON in the JSON-in-string query parameters.
    for query in ("labels=%FF%FE", "labels=not%20json", "labels=%7B%22a%22%3A%20%5B1%5D%7D", "labels=" + "%5B" * 4000):
        body = api_error(http.get(f"/sdk/ListSession?{query}"), 400, "InvalidParameter")
        assert "labels" in body["message"], body
    for labels in ("not json", '{"a": 1}', "[]", "{" * 10_000):
        body = api_error(
            http.post("/sdk/SetLabel", params={"sessionId": sid, "Labels": labels}, json={}), 400, "InvalidParameter"
        )
        assert "Labels" in body["message"], body
        body = api_error(http.post("/mcp/createSession", json={"labels": labels}), 400, "InvalidParameter")
        assert "labels" in body["message"], body
    # sdkStats is informational: anything is accepted, nothing breaks.
    r = http.post("/mcp/createSession", params={"sdkStats": "\u00ff not json {"}, json={})
    assert r.status_code == 200
    http.post("/mcp/releaseSession", json={"sessionId": r.json()["data"]["sessionId"]})
    # Tool args that are not a JSON object are tool errors (HTTP 200, isError), with a useful text.
    for args, needle in [
        ("not json", "not valid JSON"),
        ("[1]", "JSON object"),
        ("1e999", "JSON object"),
        ("[" * 100_000 + "]" * 100_000, "not valid JSON"),
        ('{"command": "echo", "timeout_ms": NaN}', "timeout_ms"),
        ('{"command": 7}', "command"),
    ]:
        is_error, text = _tool(http, sid, "shell", args)
        assert is_error and needle in text and len(text) <= MAX_MESSAGE, (args[:40], text[:500])
    serving(server)


# ----------------------------------------------------------------------------- absurd numbers


def test_absurd_numbers(server: ServerProcess, http: httpx.Client, sid: str) -> None:
    for timeout in (10**12, 10**30, -1, 0, 1.5, "x", True):
        body = api_error(http.post("/mcp/createSession", json={"timeout": timeout}), 400, "InvalidParameter")
        assert "timeout" in body["message"], body
    for value in (str(10**9), str(10**30), "-1", "0", "1e3", "NaN", "0x10"):
        body = api_error(http.get("/sdk/ListSession", params={"maxResults": value}), 400, "InvalidParameter")
        assert "maxResults" in body["message"], body
    r = _raw(
        server,
        b"GET /sdk/ListSession?nextToken="
        + b"x" * 200_000
        + f" HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\n\r\n".encode(),
    )
    body = api_error(r, 400, "InvalidParameter")
    assert "nextToken" in body["message"], body
    tool_cases: list[tuple[str, dict[str, Any], str]] = [
        ("shell", {"command": "echo", "timeout_ms": 10**12}, "timeout_ms"),
        ("shell", {"command": "echo", "timeout_ms": -1}, "timeout_ms"),
        ("shell", {"command": "echo", "timeout_ms": 10**30}, "timeout_ms"),
        ("run_code", {"code": "1", "language": "python", "timeout_s": 10**12}, "timeout_s"),
        ("run_code", {"code": "1", "language": "python", "timeout_s": -1}, "timeout_s"),
        ("read_file", {"path": "/home/user/owned.txt", "offset": -1}, "offset"),
        ("read_file", {"path": "/home/user/owned.txt", "length": -1}, "length"),
        ("read_file", {"path": "/home/user/owned.txt", "length": 10**30}, "length"),
        ("read_file", {"path": "x" * 100_000}, "File name too long"),
        ("read_file", {"path": "a\u0000b"}, "NUL"),
    ]
    for name, args, needle in tool_cases:
        is_error, text = _tool(http, sid, name, args)
        assert is_error and needle in text and len(text) <= MAX_MESSAGE, (name, args, text[:300])
    # Offsets past the end read nothing, whatever their size.
    for offset in (10**6, 2**63 - 1, 2**63, 10**30):
        assert _tool(http, sid, "read_file", {"path": "/home/user/owned.txt", "offset": offset}) == (False, "")
    serving(server)


def test_figures(server: ServerProcess) -> None:
    record("hostile_input", envelope_replies_checked=CHECKED["count"], operations_in_spec=len(operations()))
    serving(server)
