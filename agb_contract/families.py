"""The image families of the spec (`x-agb-images.families`, `x-agb-capabilities`): each documented image id is
started; its listTools must list every code tool and nothing outside its family (the code tools and its
capabilities' tools); a code tool must work in it; and a capability tool it does not list must be a tool error
(HTTP 200, `isError: true`), not an API error or a pretended success. An image the backend does not start (a 4xx,
as for an account without it) is noted, not failed. The capabilities' operations are checked with the others
(answered NotOffered by a backend without them, see suite.py)."""

from __future__ import annotations

import json
from typing import Any

import agb_spec

from .backend import Backend, SessionNotCreated
from .contract import Contract
from .outputs import tool_text
from .report import Report, Row


def check_families(contract: Contract, backend: Backend, report: Report) -> None:
    row = report.tool_row("image families and capabilities")
    capabilities = agb_spec.capabilities(contract.spec)
    families = agb_spec.image_families(contract.spec)
    started, not_started = [], []
    for image, family_name in agb_spec.documented_images(contract.spec).items():
        row.cases += 1
        try:
            sid = backend.create_session(image)
        except SessionNotCreated as exc:
            if 400 <= exc.status < 500:
                not_started.append(image)
            else:
                message = f"{image}: {exc}"
                row.fail(
                    "images",
                    "a documented image",
                    message,
                    backend.curl("POST", "/mcp/createSession", {"imageId": image}, {}),
                )
            continue
        started.append(image)
        try:
            own = {tool for cap in families[family_name].capabilities for tool in capabilities[cap].tools}
            _check_image(contract, backend, row, image, sid, own, {t for c in capabilities.values() for t in c.tools})
        finally:
            backend.release(sid)
    row.note = f"{len(started)} images started" + (f", not offered: {', '.join(not_started)}" if not_started else "")


def _data(r: Any) -> Any:
    try:
        body = r.json()
    except ValueError:
        return None
    return body.get("data") if isinstance(body, dict) else None


def _check_image(
    contract: Contract, backend: Backend, row: Row, image: str, sid: str, own: set[str], every: set[str]
) -> None:
    r = backend.call("POST", "/mcp/listTools", params={"imageId": image}, json_body={})
    again = backend.curl("POST", "/mcp/listTools", {"imageId": image}, {})
    try:
        listed = {t.get("name") for t in json.loads(_data(r)) if isinstance(t, dict)}
    except (ValueError, TypeError) as exc:
        row.fail("images", "listTools data", f"listTools {image}: {exc}: {r.text[:300]}", again)
        return
    missing = sorted(set(contract.tools) - listed)
    foreign = sorted(str(name) for name in listed - set(contract.tools) - own)
    if missing or foreign:
        message = f"listTools {image}: missing code tools {missing}; tools outside its family {foreign}"
        row.fail("images", "listTools of a family", message, again)
    row.cases += 1
    status, body = backend.tool(sid, "shell", {"command": "echo agb-contract", "timeout_ms": 10_000})
    if status != 200 or not isinstance(body, dict) or (body.get("data") or {}).get("isError") is not False:
        row.fail("images", "code tools work", f"shell in a session of {image}: HTTP {status}: {str(body)[:300]}", "")
    for tool in sorted(every - listed):
        row.cases += 1
        status, body = backend.tool(sid, tool, {})
        data = body.get("data") if isinstance(body, dict) else None
        if status != 200 or not isinstance(data, dict) or data.get("isError") is not True or not tool_text(data):
            message = (
                f"{tool} (not listed for {image}) must be a tool error with a reason: HTTP {status}: {str(body)[:300]}"
            )
            body_again = {"sessionId": "<a live session id>", "name": tool, "args": "{}"}
            row.fail("images", "an unlisted capability tool", message, backend.curl("POST", "/mcp", None, body_again))
