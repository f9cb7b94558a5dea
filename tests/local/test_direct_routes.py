"""The direct routes of agb_local over real sockets: the session WebSocket (frames, errors, hostile input), the
LinkUrl tool route and its token, port links (HTTP and WebSocket, refused links, closed ports), get_metrics."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect

from .conftest import create, tool


@pytest.fixture(scope="module")
def live(http: httpx.Client) -> Iterator[dict[str, Any]]:
    """One session and its direct-route fields, for the whole module."""
    sid = create(http)
    data = http.post("/mcp/getSession", json={"sessionId": sid}).json()["data"]
    yield data
    http.post("/mcp/releaseSession", json={"sessionId": sid})


def ws_open(live: dict[str, Any], token: str | None = None) -> ClientConnection:
    return connect(live["wsUrl"], additional_headers={"X-Access-Token": token or live["token"]}, open_timeout=10)


def request(code: str, invocation_id: str | None = None, **params: Any) -> str:
    frame = {
        "invocationId": invocation_id or uuid.uuid4().hex,
        "source": "SDK",
        "target": "agb_local",
        "data": {"method": "run_code", "mode": "stream", "params": {"code": code, "language": "python", **params}},
    }
    return json.dumps(frame)


def frames_until_end(ws: ClientConnection, invocation_id: str, timeout: float = 30) -> list[dict[str, Any]]:
    out = []
    deadline = time.monotonic() + timeout
    while True:
        frame = json.loads(ws.recv(timeout=deadline - time.monotonic()))
        if frame["invocationId"] != invocation_id:
            continue
        out.append(frame)
        data = frame["data"]
        if data.get("phase") in ("end", "error") or isinstance(data.get("error"), str):
            return out


# ----------------------------------------------------------------------------- the session WebSocket


def test_a_run_streams_events_then_ends(live: dict[str, Any]) -> None:
    with ws_open(live) as ws:
        rid = uuid.uuid4().hex
        ws.send(request("import sys\nprint('out')\nprint('err', file=sys.stderr)\n1/0", rid, timeoutS=30))
        frames = frames_until_end(ws, rid)
    kinds = [(f["data"]["phase"], f["data"].get("eventType")) for f in frames]
    # stdout and stderr are two pipes out of the sandbox's Python, each read as it comes: each keeps its own
    # order, but which of a stdout and a stderr write printed together is read first is not kept.
    assert sorted(kinds[:2]) == [("event", "stderr"), ("event", "stdout")]
    assert kinds[2:] == [("event", "error"), ("end", None)]
    assert [f["data"]["seq"] for f in frames] == [1, 2, 3, 4]
    assert all(f["target"] == "agb_local" and f["data"]["method"] == "run_code" for f in frames)
    chunks = {f["data"]["eventType"]: f["data"]["chunk"] for f in frames[:2]}
    assert chunks == {"stdout": "out\n", "stderr": "err\n"}
    error = frames[2]["data"]["error"]
    assert error["code"] == "ZeroDivisionError" and error["message"] == "division by zero"
    end = frames[3]["data"]
    assert end["status"] == "finished" and end["executionError"].startswith("ZeroDivisionError")
    assert isinstance(end["executionCount"], int) and end["executionTime"] >= 0


def test_runs_on_one_connection_are_told_apart_by_invocation_id(live: dict[str, Any]) -> None:
    with ws_open(live) as ws:
        slow, fast = uuid.uuid4().hex, uuid.uuid4().hex
        ws.send(request("import time\ntime.sleep(0.5)\nprint('slow')", slow))
        ws.send(request("console.log('fast')", fast, language="javascript"))
        seen: dict[str, list[dict[str, Any]]] = {slow: [], fast: []}
        while not all(any(f["data"].get("phase") == "end" for f in frames) for frames in seen.values()):
            frame = json.loads(ws.recv(timeout=30))
            seen[frame["invocationId"]].append(frame)
    assert [f["data"].get("chunk") for f in seen[fast]] == ["fast\n", None]
    assert [f["data"].get("chunk") for f in seen[slow]] == ["slow\n", None]


def test_bad_frames_get_clear_errors_and_leave_the_connection_usable(live: dict[str, Any]) -> None:
    with ws_open(live) as ws:
        ws.send("not json")  # no id to answer: ignored
        ws.send(json.dumps({"type": "ping"}))  # the TypeScript client's heartbeat: ignored
        ws.send(json.dumps({"invocationId": "a1", "data": {"method": "run_code"}}))
        assert json.loads(ws.recv(timeout=10)) == {
            "invocationId": "a1",
            "source": "WEBSOCKET_SERVER",
            "data": {"error": "bad request frame: data: 'params' is a required property"},
        }
        ws.send(json.dumps({"invocationId": "a2", "data": {"method": "shutdown", "params": {"code": ""}}}))
        assert "unknown method 'shutdown'" in json.loads(ws.recv(timeout=10))["data"]["error"]
        ws.send(request("import time\ntime.sleep(0.5)", "dup"))
        ws.send(request("1", "dup"))
        assert "still going" in json.loads(ws.recv(timeout=10))["data"]["error"]
        frames_until_end(ws, "dup")
        ws.send(request("1", "bad-language", language="cobol"))
        (error,) = frames_until_end(ws, "bad-language")
        assert error["data"]["phase"] == "error" and "Unsupported language 'cobol'" in error["data"]["message"]
        ws.ping().wait(5)  # heartbeats are answered
        rid = uuid.uuid4().hex
        ws.send(request("print('still fine')", rid))
        assert frames_until_end(ws, rid)[0]["data"]["chunk"] == "still fine\n"


def test_a_huge_frame_closes_the_connection_and_the_session_stays_usable(live: dict[str, Any], http: Any) -> None:
    with ws_open(live) as ws:
        ws.send("x" * (17 * 1024 * 1024))
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=30)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009
    assert json.loads(tool(http, live["sessionId"], "shell", {"command": "echo ok"})[1])["stdout"] == "ok\n"


def test_forged_and_missing_tokens_are_refused_at_the_handshake(live: dict[str, Any], server: Any) -> None:
    for token in (live["token"][:-1] + ("0" if live["token"][-1] != "0" else "1"), "garbage", "s-x." + "0" * 32):
        with pytest.raises(InvalidStatus) as refused:
            ws_open(live, token)
        assert refused.value.response.status_code == 401
    with pytest.raises(InvalidStatus) as missing:
        connect(live["wsUrl"], open_timeout=10)
    assert missing.value.response.status_code == 401
    with pytest.raises(InvalidStatus) as elsewhere:
        connect(live["wsUrl"] + "/other", additional_headers={"X-Access-Token": live["token"]}, open_timeout=10)
    assert elsewhere.value.response.status_code == 404


def test_closing_the_socket_mid_run_interrupts_the_cell(live: dict[str, Any]) -> None:
    with ws_open(live) as ws:
        rid = uuid.uuid4().hex
        ws.send(request("import time\nmarker = 'running'\nprint('go', flush=True)\ntime.sleep(120)", rid))
        assert json.loads(ws.recv(timeout=30))["data"]["chunk"] == "go\n"
    begun = time.monotonic()
    with ws_open(live) as ws:
        rid = uuid.uuid4().hex
        ws.send(request("marker", rid))
        frames = frames_until_end(ws, rid, timeout=20)
    assert time.monotonic() - begun < 10  # the sleeping cell was interrupted, not waited for
    assert frames[-1]["data"]["phase"] == "end" and frames[-1]["data"]["executionError"] is None


def test_a_released_session_token_is_refused(http: httpx.Client) -> None:
    sid = create(http)
    data = http.post("/mcp/getSession", json={"sessionId": sid}).json()["data"]
    http.post("/mcp/releaseSession", json={"sessionId": sid})
    with pytest.raises(InvalidStatus) as refused:
        ws_open(data)
    assert refused.value.response.status_code == 401
    r = httpx.post(data["linkUrl"] + "/callTool", headers={"X-Access-Token": data["token"]}, json=link_body(data))
    assert r.status_code == 401 and r.json()["code"] == "InvalidAccessToken"


# ----------------------------------------------------------------------------- the LinkUrl route


def link_body(live: dict[str, Any], tool_name: str = "shell", args: Any = None, token: str | None = None) -> dict:
    return {
        "args": {"command": "echo via-link", "timeout_ms": 5000} if args is None else args,
        "server": "agb_local",
        "requestId": f"link-{int(time.time() * 1000)}-123456789",
        "tool": tool_name,
        "token": token or live["token"],
    }


def test_the_link_route_answers_as_mcp_does(live: dict[str, Any], http: httpx.Client) -> None:
    url = live["linkUrl"] + "/callTool"
    r = httpx.post(url, headers={"X-Access-Token": live["token"]}, json=link_body(live))
    assert r.status_code == 200 and r.json()["success"] is True
    result = r.json()["data"]["result"]
    assert result["isError"] is False and json.loads(result["content"][0]["text"])["stdout"] == "via-link\n"
    args = {"path": "/no/such/file"}
    via_link = httpx.post(url, headers={"X-Access-Token": live["token"]}, json=link_body(live, "read_file", args))
    mcp_error, mcp_text = tool(http, live["sessionId"], "read_file", args)
    assert via_link.json()["data"]["result"]["isError"] is True and mcp_error is True
    assert via_link.json()["data"]["result"]["content"][0]["text"] == mcp_text
    unknown = httpx.post(url, headers={"X-Access-Token": live["token"]}, json=link_body(live, "nope", {}))
    assert "unknown tool 'nope'" in unknown.json()["data"]["result"]["content"][0]["text"]


def test_the_link_route_refuses_bad_tokens(live: dict[str, Any], server: Any) -> None:
    url = live["linkUrl"] + "/callTool"
    forged = live["token"][:-4] + "0000"
    for headers, body in (
        ({}, link_body(live)),
        ({"X-Access-Token": forged}, link_body(live, token=forged)),
        ({"X-Access-Token": live["token"]}, link_body(live, token=forged)),  # header and body differ
        ({"authorization": f"Bearer {server.api_key}"}, link_body(live)),  # the API key is not the token
    ):
        r = httpx.post(url, headers=headers, json=body)
        assert r.status_code == 401 and r.json()["code"] == "InvalidAccessToken", r.text
    bad = httpx.post(url, headers={"X-Access-Token": live["token"]}, json={"tool": "shell"})
    assert bad.status_code == 400 and "token" in bad.json()["message"]


# ----------------------------------------------------------------------------- port links

ECHO_SERVER = """
import base64, hashlib, socket
GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
srv = socket.create_server(("127.0.0.1", 30111))
while True:
    conn, _ = srv.accept()
    head = b""
    while b"\\r\\n\\r\\n" not in head:
        head += conn.recv(4096)
    key = [l.split(b":", 1)[1].strip() for l in head.split(b"\\r\\n") if l.lower().startswith(b"sec-websocket-key")][0]
    accept = base64.b64encode(hashlib.sha1(key + GUID).digest())
    conn.sendall(b"HTTP/1.1 101 Switching Protocols\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\n"
                 b"Sec-WebSocket-Accept: " + accept + b"\\r\\n\\r\\n")
    frame = conn.recv(4096)
    length, mask = frame[1] & 0x7F, frame[2:6]
    text = bytes(b ^ mask[i % 4] for i, b in enumerate(frame[6:6 + length]))
    reply = b"echo:" + text
    conn.sendall(bytes([0x81, len(reply)]) + reply)
    conn.close()
"""


def test_port_links_reach_http_and_websocket_servers_in_the_session(live: dict[str, Any], http: httpx.Client) -> None:
    sid = live["sessionId"]
    # A WebSocket echo server on the standard library alone (an image's Python need not have websockets).
    server = ECHO_SERVER
    tool(http, sid, "write_file", {"path": "/tmp/echo.py", "content": server})
    script = "nohup python3 /tmp/echo.py > /tmp/echo.log 2>&1 &"
    assert json.loads(tool(http, sid, "shell", {"command": script, "timeout_ms": 5000})[1])["exit_code"] == 0
    web = "mkdir -p /tmp/www && echo page > /tmp/www/p.txt && (nohup python3 -m http.server 30110 -d /tmp/www &)"
    tool(http, sid, "shell", {"command": web + " > /dev/null 2>&1", "timeout_ms": 5000})
    time.sleep(1.5)
    url = http.get("/internet/getLink", params={"sessionId": sid, "port": "30110"}).json()["data"]["url"]
    reply = httpx.get(url + "p.txt?x=1")
    assert reply.status_code == 200 and reply.text == "page\n"
    assert httpx.post(url + "p.txt", content=b"body").status_code == 501  # http.server's own answer, passed on
    ws_link = http.get("/mcp/getLink", params={"sessionId": sid, "port": 30111, "protocolType": "ws"}).json()
    assert ws_link["data"]["url"].startswith("ws://")
    with connect(ws_link["data"]["url"], open_timeout=10) as ws:
        ws.send("hi")
        assert ws.recv(timeout=10) == "echo:hi"


def test_port_links_refuse_bad_ports_other_keys_and_forged_links(
    live: dict[str, Any], http: httpx.Client, other: httpx.Client
) -> None:
    sid = live["sessionId"]
    for port in ("80", "30200", "x"):
        r = http.get("/internet/getLink", params={"sessionId": sid, "port": port})
        assert r.status_code == 400 and r.json()["message"].startswith("port")
    assert other.get("/internet/getLink", params={"sessionId": sid}).status_code == 404
    url = http.get("/internet/getLink", params={"sessionId": sid, "port": 30198}).json()["data"]["url"]
    begun = time.monotonic()
    closed = httpx.get(url)
    assert closed.status_code == 502 and "nothing listens on port 30198" in closed.text
    assert time.monotonic() - begun < 2
    forged = url.replace(url.split("/")[4], url.split("/")[4][:-4] + "0000")
    assert httpx.get(forged).status_code == 404
    other_port = url.replace(".30198.", ".30110.")  # a valid link's token does not open another port
    assert httpx.get(other_port).status_code == 404


# ----------------------------------------------------------------------------- get_metrics


def test_get_metrics_reports_the_sessions_own_use(live: dict[str, Any], http: httpx.Client) -> None:
    sid = live["sessionId"]
    tool(http, sid, "write_file", {"path": "/tmp/blob.txt", "content": "x" * 300_000})
    failed, text = tool(http, sid, "get_metrics", {})
    assert failed is False
    metrics = json.loads(text)
    assert metrics["cpu_count"] >= 1 and 0 <= metrics["cpu_used_pct"] <= 100
    assert metrics["mem_total"] == 1024 * 1024 * 1024 and 0 < metrics["mem_used"] < metrics["mem_total"]
    assert metrics["disk_total"] == 2048 * 1024 * 1024 and metrics["disk_used"] >= 300_000
    assert metrics["rx_used_kbyte"] == metrics["tx_used_kbyte"] == 0  # no network in the sandbox
    assert metrics["timestamp"].endswith("Z")
    tool(http, sid, "shell", {"command": "timeout 1 sh -c 'while :; do :; done'", "timeout_ms": 5000})
    busy = json.loads(tool(http, sid, "get_metrics", {})[1])
    assert busy["cpu_used_pct"] > 10  # a second of busy loop since the previous call
