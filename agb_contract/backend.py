"""Plain calls to the backend under test (the preflight, cleanup, the tool payloads), over `requests` like
schemathesis."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import requests

from .report import curl


class Backend:
    """Plain calls to the backend under test (preflight, cleanup, tool payloads), over `requests` like schemathesis."""

    def __init__(self, url: str, api_key: str, app: Any = None, timeout: float = 60.0) -> None:
        self.url = url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout
        if app is not None:
            from schemathesis.python import asgi

            self.session: requests.Session = asgi.get_client(app).__enter__()
        else:
            self.session = requests.Session()
        self.session.headers["authorization"] = f"Bearer {api_key}"

    def call(
        self, method: str, path: str, *, params: Any = None, json_body: Any = None, **kw: Any
    ) -> requests.Response:
        kw.setdefault("timeout", self.timeout)
        return self.session.request(method, self.url + path, params=params, json=json_body, **kw)

    def curl(self, method: str, path: str, params: Mapping[str, Any] | None = None, body: Any = None) -> str:
        """A curl line that sends this request again (the key from $AGB_API_KEY)."""
        return curl(method, self.url + path, params=params, body=body)

    def create_session(self, image_id: str | None = None, labels: dict[str, str] | None = None) -> str:
        params = {"imageId": image_id} if image_id else None
        body = {"labels": json.dumps(labels)} if labels else {}
        r = self.call("POST", "/mcp/createSession", params=params, json_body=body)
        data = r.json().get("data") if r.headers.get("content-type", "").startswith("application/json") else None
        if r.status_code != 200 or not isinstance(data, dict) or not data.get("sessionId"):
            raise SessionNotCreated(r.status_code, f"createSession failed: HTTP {r.status_code} {r.text[:300]}")
        return str(data["sessionId"])

    def release(self, sid: str) -> int | None:
        try:
            return int(self.call("POST", "/mcp/releaseSession", json_body={"sessionId": sid}).status_code)
        except requests.RequestException:
            return None

    def tool(self, sid: str, name: str, args: Any) -> tuple[int, Any]:
        raw = args if isinstance(args, str) else json.dumps(args, ensure_ascii=False)
        r = self.call(
            "POST", "/mcp", params={"autoGenSession": "false"}, json_body={"sessionId": sid, "name": name, "args": raw}
        )
        try:
            return r.status_code, r.json()
        except ValueError:
            return r.status_code, r.text


class SessionNotCreated(RuntimeError):
    """createSession gave no session; `status` is its HTTP status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class CannotStart(Exception):
    """The run cannot start: the key is rejected or the backend is unreachable."""


def preflight(backend: Backend) -> None:
    try:
        r = backend.call("GET", "/sdk/ListSession", params={"maxResults": 1}, timeout=30)
    except requests.RequestException as exc:
        raise CannotStart(f"cannot reach {backend.url}: {exc}") from exc
    if r.status_code in (401, 403):
        try:
            detail = r.json()
            detail = f"code {detail.get('code')!r}: {detail.get('message')!r}"
        except ValueError:
            detail = r.text[:200]
        raise CannotStart(
            f"the backend at {backend.url} rejected the API key (HTTP {r.status_code}, {detail}); "
            "pass a key it accepts with --api-key"
        )
