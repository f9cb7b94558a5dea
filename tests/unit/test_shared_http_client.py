"""Clients sharing one httpx client the caller passes in: each reaches its own endpoint with its own key, and the
caller's client is never changed. Against real loopback servers, on both faces, sequential and concurrent."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from agb import AGB, AsyncAGB, Config

from .conftest import call

KEY_A = "akm-aaaaaaaaaaaaaaaa-first-secret"
KEY_B = "akm-bbbbbbbbbbbbbbbb-other-secret"


@dataclass
class Seen:
    path: str
    authorization: str | None
    headers: dict[str, str]


@dataclass
class Backend:
    """An AGB stand-in on a loopback port: getSession answers with `name` in the session id when the bearer
    key is `key`, else 401; every request is recorded."""

    name: str
    key: str
    seen: list[Seen] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def endpoint(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def answer(self, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, Any]]:
        self.seen.append(Seen(path, headers.get("authorization"), headers))
        if headers.get("authorization") != f"Bearer {self.key}":
            return 401, {"success": False, "code": "InvalidApiKey", "message": "bad key", "requestId": self.name}
        session_id = json.loads(body)["sessionId"]
        data = {"sessionId": f"{self.name}:{session_id}", "resourceUrl": ""}
        return 200, {"success": True, "code": "ok", "message": "", "requestId": self.name, "data": data}


@pytest.fixture
def backends() -> Iterator[tuple[Backend, Backend]]:
    pair = (Backend("A", KEY_A), Backend("B", KEY_B))
    threads = []
    for backend in pair:

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as the SDK's clients expect
            owner = backend

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                headers = {k.lower(): v for k, v in self.headers.items()}
                status, reply = self.owner.answer(self.path, headers, body)
                payload = json.dumps({"httpStatusCode": status, **reply}).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        backend.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        backend.server.daemon_threads = True
        thread = threading.Thread(target=backend.server.serve_forever, daemon=True)
        thread.start()
        threads.append(thread)
    yield pair
    for backend in pair:
        assert backend.server is not None
        backend.server.shutdown()
        backend.server.server_close()


def shared_client(kind: str, **options: Any) -> httpx.Client | httpx.AsyncClient:
    return httpx.Client(**options) if kind == "sync" else httpx.AsyncClient(**options)


async def close(http: httpx.Client | httpx.AsyncClient) -> None:
    if isinstance(http, httpx.AsyncClient):
        await http.aclose()
    else:
        http.close()


def clients(kind: str, shared: Any, a: Backend, b: Backend) -> tuple[Any, Any]:
    cls: Any = AGB if kind == "sync" else AsyncAGB
    return (
        cls(KEY_A, Config(endpoint=a.endpoint, timeout_ms=5000), http_client=shared),
        cls(KEY_B, Config(endpoint=b.endpoint, timeout_ms=5000), http_client=shared),
    )


def snapshot(http: httpx.Client | httpx.AsyncClient) -> tuple[str, list[tuple[str, str]], str, float | None]:
    return (str(http.base_url), list(http.headers.multi_items()), str(http.params), http.timeout.read)


async def test_clients_on_one_http_client_each_reach_their_endpoint_with_their_key(
    kind: str, backends: tuple[Backend, Backend]
) -> None:
    a, b = backends
    shared = shared_client(kind)
    before = snapshot(shared)
    agb_a, agb_b = clients(kind, shared, a, b)  # B made last: with a mutated client, B's key and URL would win
    assert snapshot(shared) == before
    for _ in range(2):
        got_a, got_b = await call(agb_a.get("s-1")), await call(agb_b.get("s-2"))
        assert got_a.success and got_a.session.session_id == "A:s-1", got_a.error_message
        assert got_b.success and got_b.session.session_id == "B:s-2", got_b.error_message
    assert [s.authorization for s in a.seen] == [f"Bearer {KEY_A}"] * 2
    assert [s.authorization for s in b.seen] == [f"Bearer {KEY_B}"] * 2
    assert {s.path for s in a.seen + b.seen} == {"/mcp/getSession"}
    assert snapshot(shared) == before  # unchanged by the calls too
    await call(agb_a.close())
    await call(agb_b.close())
    assert not shared.is_closed  # the caller's to close
    await close(shared)


async def test_concurrent_calls_of_clients_sharing_one_http_client_never_mix_keys(
    kind: str, backends: tuple[Backend, Backend]
) -> None:
    a, b = backends
    shared = shared_client(kind)
    before = snapshot(shared)
    agb_a, agb_b = clients(kind, shared, a, b)
    jobs = [(agb_a, "A", f"a{i}") if i % 2 else (agb_b, "B", f"b{i}") for i in range(40)]
    if kind == "sync":
        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(lambda job: job[0].get(job[2]), jobs))
    else:
        results = await asyncio.gather(*(agb.get(sid) for agb, _, sid in jobs))
    for (_, name, sid), result in zip(jobs, results, strict=True):
        assert result.success and result.session.session_id == f"{name}:{sid}", result.error_message
    assert len(a.seen) == len(b.seen) == 20
    assert {s.authorization for s in a.seen} == {f"Bearer {KEY_A}"}
    assert {s.authorization for s in b.seen} == {f"Bearer {KEY_B}"}
    assert snapshot(shared) == before
    await close(shared)


async def test_a_given_clients_own_headers_params_and_hooks_still_apply(
    kind: str, backends: tuple[Backend, Backend]
) -> None:
    """Its headers and query parameters go with every request, its hooks see them; its base URL is not used
    (the endpoint is the SDK's), and an Authorization header of its own does not replace the SDK's key."""
    a, b = backends
    hooked: list[httpx.Request] = []

    def hook(request: httpx.Request) -> None:
        hooked.append(request)

    async def async_hook(request: httpx.Request) -> None:
        hooked.append(request)

    options: dict[str, Any] = {
        "headers": {"X-Trace": "t-1", "Authorization": "Bearer not-this-one"},
        "params": {"region": "eu"},
        "base_url": "http://elsewhere.invalid/v9",
        "event_hooks": {"request": [hook if kind == "sync" else async_hook]},
    }
    shared = shared_client(kind, **options)
    before = snapshot(shared)
    agb_a, _ = clients(kind, shared, a, b)
    result = await call(agb_a.get("s-1"))
    assert result.success and result.session.session_id == "A:s-1", result.error_message
    (seen,) = a.seen
    assert seen.path == "/mcp/getSession?region=eu"
    assert seen.headers["x-trace"] == "t-1" and seen.authorization == f"Bearer {KEY_A}"
    assert [str(r.url) for r in hooked] == [f"{a.endpoint}/mcp/getSession?region=eu"]
    assert snapshot(shared) == before and shared.headers["authorization"] == "Bearer not-this-one"
    await close(shared)


async def test_the_keys_are_in_no_repr_or_log(
    kind: str, backends: tuple[Backend, Backend], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger: agb, httpx, httpcore
    a, b = backends
    seen: list[httpx.Request] = []
    hooks = {"request": [seen.append] if kind == "sync" else [_async_appender(seen)]}
    shared = shared_client(kind, event_hooks=hooks)
    agb_a, agb_b = clients(kind, shared, a, b)
    await call(agb_a.get("s-1"))
    await call(agb_b.get("s-2"))
    assert len(seen) == 2
    shown = [repr(agb_a), repr(agb_b), repr(shared.headers), repr(agb_a._driver), caplog.text]
    shown += [repr(r) for r in seen] + [repr(r.headers) for r in seen]
    for key in (KEY_A, KEY_B):
        assert all(key not in text for text in shown)
    assert "httpx" in caplog.text  # httpx logged the requests: the check above looked at something
    await close(shared)


def _async_appender(into: list[httpx.Request]) -> Any:
    async def append(request: httpx.Request) -> None:
        into.append(request)

    return append
