"""The vendor's browser-use and computer-use images over agb_local's HTTP API: the catalogue starts every id the
spec documents; the browser's operations answer NotOffered whatever the session, after the key check; the browser's
and desktop's tools are tool errors on /mcp and on the LinkUrl route alike, after the session check; listTools and
toolList list what is served."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

import agb_spec
from agb_local.sandbox.images import load_images

from .conftest import create, tool
from .test_http_api import envelope_of

CAPABILITY_OPERATIONS = {"initBrowser": "/browser/init", "getCdpLink": "/internet/getCdpLink"}
NO_BROWSER_OR_DESKTOP = "this backend has no browser or desktop"


@pytest.fixture(scope="module")
def computer(http: httpx.Client) -> Iterator[dict[str, Any]]:
    """A session of the computer-use image (a browser and a desktop in the cloud) and its direct-route fields."""
    sid = create(http, image_id="agb-computer-use-ubuntu-2204")
    yield http.post("/mcp/getSession", json={"sessionId": sid}).json()["data"]
    http.post("/mcp/releaseSession", json={"sessionId": sid})


def test_the_catalogue_starts_every_documented_image() -> None:
    images = load_images(None)
    code = images[agb_spec.default_image_id()]
    for image_id in agb_spec.documented_images():
        assert image_id in images, f"{image_id} is documented by the vendor: agb_local must start it"
        # One environment build serves them all: the code images' package list.
        assert images[image_id].packages == code.packages and "python" in images[image_id].languages


def test_the_spec_routes_are_the_capability_operations() -> None:
    spec = agb_spec.load()
    by_id = {op["operationId"]: path for path, _, op in agb_spec.operations(spec)}
    assert {op: by_id[op] for op in agb_spec.capabilities()["browser"].operations} == CAPABILITY_OPERATIONS


@pytest.mark.parametrize("operation_id", sorted(CAPABILITY_OPERATIONS))
def test_browser_operations_answer_not_offered(
    operation_id: str, computer: dict[str, Any], http: httpx.Client, other: httpx.Client, server: Any
) -> None:
    path = CAPABILITY_OPERATIONS[operation_id]
    query = {"sessionId": computer["sessionId"], "persistentPath": "/tmp/agb_browser", "browserOption": "{}"}
    envelope_of(httpx.post(server.endpoint + path, params=query, json={}), 401, "InvalidApiKey")
    # The official client's request (query parameters, the body {}), another key's, an unknown session's.
    for client, params in ((http, query), (other, query), (http, {"sessionId": "s-nope"})):
        r = client.post(path, params=params, json={})
        body = envelope_of(r, agb_spec.LOCAL_NOT_OFFERED_STATUS, agb_spec.LOCAL_NOT_OFFERED_CODE)
        assert body["message"].startswith(f"agb_local does not offer {operation_id}: {NO_BROWSER_OR_DESKTOP}")
        assert "shell, file, code and metrics tools work" in body["message"] and body["data"] is None
    assert tool(http, computer["sessionId"], "shell", {"command": "echo ok", "timeout_ms": 5000})[0] is False


def test_capability_tools_are_tool_errors_on_both_routes(computer: dict[str, Any], http: httpx.Client) -> None:
    sid, url = computer["sessionId"], computer["linkUrl"] + "/callTool"
    assert [t["name"] for t in json.loads(computer["toolList"])] == list(agb_spec.tools())
    for capability in agb_spec.capabilities().values():
        for name in capability.tools:
            is_error, text = tool(http, sid, name, {"format": "png"})
            assert is_error and text.startswith(f"agb_local does not offer the tool {name}: {NO_BROWSER_OR_DESKTOP}")
            assert f"{name} is a {capability.name} tool" in text
            token = computer["token"]
            body = {
                "args": {"format": "png"},
                "server": "agb_local",
                "requestId": "link-1",
                "tool": name,
                "token": token,
            }
            r = httpx.post(url, headers={"X-Access-Token": token}, json=body)
            result = r.json()["data"]["result"]
            assert r.status_code == 200 and result == {"isError": True, "content": [{"type": "text", "text": text}]}
    # The session comes first: a capability tool of an unknown session is the usual 404.
    r = http.post("/mcp", json={"sessionId": "s-nope", "name": "click_mouse", "args": "{}"})
    envelope_of(r, 404, "InvalidMcpSession.NotFound")


@pytest.mark.parametrize("image_id", sorted(agb_spec.documented_images()))
def test_list_tools_lists_what_is_served(image_id: str, http: httpx.Client) -> None:
    r = http.post("/mcp/listTools", params={"imageId": image_id}, json={})
    listed = [t["name"] for t in json.loads(envelope_of(r, 200)["data"])]
    assert listed == list(agb_spec.tools())  # every code tool; no capability tool, since none is served


def test_an_undocumented_id_is_a_400_naming_the_known_ones(http: httpx.Client) -> None:
    r = http.post("/mcp/createSession", params={"imageId": "agb-computer-use-2"}, json={})
    message = envelope_of(r, 400, "InvalidParameter.ImageId")["message"]
    assert message.startswith("unknown image 'agb-computer-use-2'; known images: ")
    assert all(image in message for image in agb_spec.documented_images())
