"""The spec's example replies, fed through the SDK on both faces, come out as the example says.

For every operation of `openapi/agb.yaml`, its example 200 reply; for every tool of `x-agb-tools`, the example
of its output schema; for every schema a reply may take instead (`x-agb-client-variants`), its example. Each
is served by a mock transport to the SDK call that reads it, and the parsed result's fields are compared with
the example's values. A spec that gains an operation, a tool or a variant fails `test_every_example_is_checked`
until a check is written here: that is where a new operation's reading is proven.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from tests.spec.helpers import operations, resolve
from tests.unit.conftest import Wire, call, collect, ok

SPEC: dict[str, Any] = yaml.safe_load((Path(__file__).resolve().parents[2] / "openapi" / "agb.yaml").read_text())
TOOLS: dict[str, Any] = SPEC["paths"]["/mcp"]["post"]["x-agb-tools"]


def reply_example(operation_id: str) -> dict[str, Any]:
    for _path, _method, op in operations(SPEC):
        if op["operationId"] == operation_id:
            example = resolve(SPEC, op["responses"]["200"])["content"]["application/json"]["example"]
            assert isinstance(example, dict)
            return example
    raise KeyError(operation_id)


def schema_example(name: str) -> Any:
    return SPEC["components"]["schemas"][name]["example"]


def output_example(tool: str) -> Any:
    return resolve(SPEC, TOOLS[tool]["output"])["example"]


def as_tool_reply(output: Any, request_id: str = "req-example") -> httpx.Response:
    """A callTool reply whose text is `output`: a JSON output serialised, a text output as it is."""
    text = output if isinstance(output, str) else json.dumps(output)
    return ok({"isError": False, "content": [{"type": "text", "text": text}]}, request_id=request_id)


Check = Callable[[Any, Any, Wire], Awaitable[None]]
OPERATIONS: dict[str, Check | str] = {}
TOOL_OUTPUTS: dict[str, Check | str] = {}
VARIANTS: dict[str, Check] = {}


def operation(name: str) -> Callable[[Check], Check]:
    def register(check: Check) -> Check:
        OPERATIONS[name] = check
        return check

    return register


def tool_output(name: str) -> Callable[[Check], Check]:
    def register(check: Check) -> Check:
        TOOL_OUTPUTS[name] = check
        return check

    return register


def variant(name: str) -> Callable[[Check], Check]:
    def register(check: Check) -> Check:
        VARIANTS[name] = check
        return check

    return register


# ---------------------------------------------------------------- operations


@operation("createSession")
async def _create(agb: Any, session: Any, wire: Wire) -> None:
    example = reply_example("createSession")
    wire.script(httpx.Response(200, json=example))
    result = await call(agb.create())
    data = example["data"]
    assert result.success and result.request_id == example["requestId"]
    created = result.session
    assert created.session_id == data["sessionId"] and created.resource_url == data["resourceUrl"]
    assert (created.app_instance_id, created.resource_id) == (data["appInstanceId"], data["resourceId"])
    direct_fields(created, data)


def direct_fields(session: Any, data: dict[str, Any]) -> None:
    """A session made from an example reply carries its direct-route fields."""
    assert (session.ws_url, session.token, session.link_url) == (data["wsUrl"], data["token"], data["linkUrl"])
    assert [(t.name, t.server) for t in session.tool_list] == [
        (t["name"], t["server"]) for t in json.loads(data["toolList"])
    ]


@operation("getSession")
async def _get(agb: Any, session: Any, wire: Wire) -> None:
    example = reply_example("getSession")
    data = example["data"]
    wire.script(httpx.Response(200, json=example))
    result = await call(agb.get(data["sessionId"]))
    assert result.success and result.request_id == example["requestId"]
    got = result.session
    assert got.session_id == data["sessionId"] and got.resource_url == data["resourceUrl"]
    assert (got.app_instance_id, got.resource_id) == (data["appInstanceId"], data["resourceId"])
    direct_fields(got, data)


@operation("getLink")
async def _link(agb: Any, session: Any, wire: Wire) -> None:
    example = reply_example("getLink")
    wire.script(httpx.Response(200, json=example))
    result = await call(session.get_link(port=30100))
    assert result.success and (result.data, result.request_id) == (example["data"]["url"], example["requestId"])


OPERATIONS["getLinkMcp"] = "getLink on the official async client's route; the SDK calls getLink"
OPERATIONS["linkCallTool"] = "the official client's direct tool route; the SDK calls tools through /mcp"


@operation("getSessionInfo")
async def _status(agb: Any, session: Any, wire: Wire) -> None:
    example = reply_example("getSessionInfo")
    wire.script(httpx.Response(200, json=example))
    result = await call(session.get_status())
    assert result.success and (result.status, result.request_id) == (example["data"]["status"], example["requestId"])


@operation("getMcpResource")
async def _info(agb: Any, session: Any, wire: Wire) -> None:
    example = reply_example("getMcpResource")
    data, desktop = example["data"], example["data"]["desktopInfo"]
    wire.script(httpx.Response(200, json=example))
    result = await call(session.info())
    assert result.success and result.request_id == example["requestId"]
    assert result.data == {
        "session_id": data["sessionId"],
        "resource_url": data["resourceUrl"],
        "app_id": desktop["appId"],
        "auth_code": desktop["authCode"],
        "connection_properties": desktop["connectionProperties"],
        "resource_id": desktop["resourceId"],
        "resource_type": desktop["resourceType"],
        "ticket": desktop["ticket"],
    }
    assert session.resource_url == data["resourceUrl"]


OPERATIONS["releaseSession"] = "the SDK releases with releaseSessionAsync and polls getSessionInfo"


@operation("releaseSessionAsync")
async def _release(agb: Any, session: Any, wire: Wire) -> None:
    example = reply_example("releaseSessionAsync")
    wire.script(httpx.Response(200, json=example))
    result = await call(agb.delete(session, wait=False))
    assert result.success and result.request_id == example["requestId"]


@operation("refreshSessionIdleTime")
async def _keep_alive(agb: Any, session: Any, wire: Wire) -> None:
    example = reply_example("refreshSessionIdleTime")
    wire.script(httpx.Response(200, json=example))
    result = await call(session.keep_alive())
    assert result.success and result.request_id == example["requestId"]


@operation("listSessions")
async def _list(agb: Any, session: Any, wire: Wire) -> None:
    example = reply_example("listSessions")
    wire.script(httpx.Response(200, json=example))
    result = await call(agb.list())
    assert result.success and result.request_id == example["requestId"]
    assert [(s.session_id, s.status) for s in result.sessions] == [
        (item["sessionId"], item["sessionStatus"]) for item in example["data"]
    ]
    assert result.session_ids == [item["sessionId"] for item in example["data"]]
    assert (result.next_token, result.max_results, result.total_count) == (
        example["nextToken"],
        example["maxResults"],
        example["count"],
    )
    wire.script(httpx.Response(200, json=example))
    assert await collect(agb.list_all()) == result.session_ids


@operation("setLabel")
async def _set_labels(agb: Any, session: Any, wire: Wire) -> None:
    example = reply_example("setLabel")
    wire.script(httpx.Response(200, json=example))
    result = await call(session.set_labels({"project": "demo"}))
    assert result.success and result.request_id == example["requestId"]


@operation("getLabel")
async def _get_labels(agb: Any, session: Any, wire: Wire) -> None:
    example = reply_example("getLabel")
    wire.script(httpx.Response(200, json=example))
    result = await call(session.get_labels())
    assert result.success and result.request_id == example["requestId"]
    assert result.data == json.loads(example["data"]["labels"]) == session.labels


@operation("callTool")
async def _call_tool(agb: Any, session: Any, wire: Wire) -> None:
    example = reply_example("callTool")
    wire.script(httpx.Response(200, json=example))
    result = await call(session.call_mcp_tool("shell", {"command": "echo hi"}))
    assert result.success and result.request_id == example["requestId"]
    assert result.data == "\n".join(item["text"] for item in example["data"]["content"] if item["type"] == "text")


@operation("listTools")
async def _list_tools(agb: Any, session: Any, wire: Wire) -> None:
    example = reply_example("listTools")
    wire.script(httpx.Response(200, json=example))
    result = await call(session.list_mcp_tools())
    assert result.success and result.request_id == example["requestId"]
    listed = json.loads(example["data"])
    assert [(t.name, t.description, t.input_schema, t.server, t.tool) for t in result.tools] == [
        (d["name"], d["description"], d["inputSchema"], d["server"], d["tool"]) for d in listed
    ]


# ---------------------------------------------------------------- tool outputs


@tool_output("run_code")
async def _run_code(agb: Any, session: Any, wire: Wire) -> None:
    output = output_example("run_code")
    wire.script(as_tool_reply(output))
    result = await call(session.code.run("x = 41\nx + 1"))
    assert result.success and result.request_id == "req-example"
    assert [(r.text, r.is_main_result) for r in result.results] == [
        (item.get("text/plain"), item.get("isMainResult", False)) for item in output["result"]
    ]
    assert (result.logs.stdout, result.logs.stderr) == (output["stdout"], output["stderr"])
    assert (result.execution_count, result.execution_time) == (output["execution_count"], output["execution_time"])


@tool_output("shell")
async def _shell(agb: Any, session: Any, wire: Wire) -> None:
    output = output_example("shell")
    wire.script(as_tool_reply(output))
    result = await call(session.command.execute("echo hi"))
    assert result.success == (output["exit_code"] == 0)
    assert (result.stdout, result.stderr, result.exit_code, result.trace_id) == (
        output["stdout"],
        output["stderr"],
        output["exit_code"],
        output["traceId"],
    )


def _status_text_tool(tool: str, run: Callable[[Any], Any]) -> Check:
    async def check(agb: Any, session: Any, wire: Wire) -> None:
        wire.script(as_tool_reply(output_example(tool)))
        result = await call(run(session))
        assert result.success and result.data is True and result.request_id == "req-example"

    return check


TOOL_OUTPUTS["create_directory"] = _status_text_tool("create_directory", lambda s: s.file.mkdir("/home/user/d"))
TOOL_OUTPUTS["delete_file"] = _status_text_tool("delete_file", lambda s: s.file.remove("/home/user/a"))
TOOL_OUTPUTS["move_file"] = _status_text_tool("move_file", lambda s: s.file.move("/home/user/a", "/home/user/b"))
TOOL_OUTPUTS["write_file"] = _status_text_tool("write_file", lambda s: s.file.write("/home/user/a", "hello"))
TOOL_OUTPUTS["edit_file"] = _status_text_tool(
    "edit_file", lambda s: s.file.edit("/home/user/a", [{"oldText": "a", "newText": "b"}])
)


@tool_output("get_file_info")
async def _file_info(agb: Any, session: Any, wire: Wire) -> None:
    wire.script(as_tool_reply(output_example("get_file_info")))
    result = await call(session.file.info("/home/user/notes.txt"))
    assert result.success and result.file_info == schema_example("FileInfo")


@tool_output("list_directory")
async def _list_directory(agb: Any, session: Any, wire: Wire) -> None:
    output = output_example("list_directory")
    wire.script(as_tool_reply(output))
    result = await call(session.file.list("/home/user"))
    expected = [
        {"name": line.split("] ", 1)[1], "isDirectory": line.startswith("[DIR]")} for line in output.split("\n")
    ]
    assert result.success and result.entries == expected


@tool_output("read_file")
async def _read_file(agb: Any, session: Any, wire: Wire) -> None:
    # The SDK reads binary chunks (`format: binary`, base64) after get_file_info gives the size.
    content = output_example("read_file").encode()
    wire.script(
        as_tool_reply(f"size: {len(content)}\nisDirectory: false"),
        as_tool_reply(base64.b64encode(content).decode()),
    )
    result = await call(session.file.read("/home/user/notes.txt"))
    assert result.success and result.content == content.decode()


@tool_output("read_multiple_files")
async def _read_multiple(agb: Any, session: Any, wire: Wire) -> None:
    wire.script(as_tool_reply(output_example("read_multiple_files")))
    result = await call(session.file.read_batch(["/home/user/a.txt", "/home/user/b.txt"]))
    assert result.success and result.contents == {"/home/user/a.txt": "hello", "/home/user/b.txt": "world"}


@tool_output("search_files")
async def _search(agb: Any, session: Any, wire: Wire) -> None:
    output = output_example("search_files")
    wire.script(as_tool_reply(output))
    result = await call(session.file.search("/home/user", "*.py"))
    assert result.success and result.matches == output.split("\n")


@tool_output("get_metrics")
async def _metrics(agb: Any, session: Any, wire: Wire) -> None:
    output = output_example("get_metrics")
    wire.script(as_tool_reply(output))
    result = await call(session.get_metrics())
    assert result.success and result.raw == output
    metrics = result.unwrap()
    assert {name: getattr(metrics, name) for name in output} == output


@tool_output("get_file_change")
async def _file_change(agb: Any, session: Any, wire: Wire) -> None:
    output = output_example("get_file_change")
    wire.script(as_tool_reply(output))
    result = await call(session.file.get_file_change("/home/user"))
    assert result.success and [(e.event_type, e.path, e.path_type) for e in result.events] == [
        (e["eventType"], e["path"], e["pathType"]) for e in output
    ]
    # watch: a baseline call, then one call per interval until the timeout
    wire.script(as_tool_reply([]), as_tool_reply(output), as_tool_reply([]))
    events = await collect(session.file.watch("/home/user", interval_s=0.5, timeout_s=1.0))
    assert [e.path for e in events] == [e["path"] for e in output] and wire.sleeps == [0.5, 0.5]


# ---------------------------------------------------------------- variants clients read


@variant("PascalCaseEnvelope")
async def _pascal(agb: Any, session: Any, wire: Wire) -> None:
    example = schema_example("PascalCaseEnvelope")
    wire.script(httpx.Response(200, json=example))
    result = await call(agb.delete(session, wait=False))
    assert result.success and result.request_id == example["RequestId"]


@variant("NestedEnvelope")
async def _nested(agb: Any, session: Any, wire: Wire) -> None:
    example = schema_example("NestedEnvelope")
    wire.script(httpx.Response(200, json=example))
    result = await call(agb.delete(session, wait=False))
    assert result.success and result.request_id == example["body"]["requestId"]


@variant("GetSessionInfoPascalCaseData")
async def _status_pascal(agb: Any, session: Any, wire: Wire) -> None:
    example = schema_example("GetSessionInfoPascalCaseData")
    wire.script(ok(example))
    result = await call(session.get_status())
    assert result.success and result.status == example["Status"]


@variant("RunCodeRichOutput")
async def _rich(agb: Any, session: Any, wire: Wire) -> None:
    output = schema_example("RunCodeRichOutput")
    wire.script(as_tool_reply(output))
    result = await call(session.code.run("print('hello'); 1 + 1"))
    assert result.success and result.result == output["results"][0]["text/plain"]
    assert (result.logs.stdout, result.logs.stderr) == (output["logs"]["stdout"], output["logs"]["stderr"])
    assert (result.execution_count, result.execution_time) == (output["execution_count"], output["execution_time"])


@variant("RunCodeWrappedOutput")
async def _wrapped(agb: Any, session: Any, wire: Wire) -> None:
    output = schema_example("RunCodeWrappedOutput")
    inner = json.loads(output["content"][0]["text"])
    wire.script(as_tool_reply(output))
    result = await call(session.code.run("1 + 1"))
    assert result.success and result.result == inner["result"][0]["text/plain"]


@variant("RunCodeResultItemShortNames")
async def _short_names(agb: Any, session: Any, wire: Wire) -> None:
    item = schema_example("RunCodeResultItemShortNames")
    wire.script(as_tool_reply({"result": [item], "stdout": [], "stderr": []}))
    result = await call(session.code.run("42"))
    assert result.success and result.result == item["text"] and result.results[0].is_main_result


# ---------------------------------------------------------------- contexts


@operation("listContexts")
async def _list_contexts(agb: Any, session: Any, wire: Wire) -> None:
    example = reply_example("listContexts")
    wire.script(httpx.Response(200, json=example))
    result = await call(agb.context.list())
    assert result.success and result.request_id == example["requestId"]
    assert [(c.id, c.name, c.created_at, c.last_used_at) for c in result.contexts] == [
        (c["id"], c["name"], c["createTime"], c["lastUsedTime"]) for c in example["data"]
    ]
    assert (result.next_token, result.max_results, result.total_count) == (
        example["nextToken"],
        example["maxResults"],
        example["totalCount"],
    )


@operation("getContext")
async def _get_context(agb: Any, session: Any, wire: Wire) -> None:
    example = reply_example("getContext")
    data = example["data"]
    wire.script(httpx.Response(200, json=example))
    result = await call(agb.context.get(data["name"], create=True))
    assert result.success and result.request_id == example["requestId"] and result.context_id == data["id"]
    context = result.context
    assert (context.id, context.name, context.created_at, context.last_used_at, context.state) == (
        data["id"],
        data["name"],
        data["createTime"],
        data["lastUsedTime"],
        data["state"],
    )
    wire.script(httpx.Response(200, json=example))
    status = await call(agb.context.get_clear_status(data["id"]))
    assert status.success and status.status == data["state"]


@operation("modifyContext")
async def _modify_context(agb: Any, session: Any, wire: Wire) -> None:
    from agb import Context

    example = reply_example("modifyContext")
    wire.script(httpx.Response(200, json=example))
    result = await call(agb.context.update(Context(id="ctx-1", name="renamed")))
    assert result.success and result.request_id == example["requestId"] and result.data == {"context_id": "ctx-1"}


@operation("deleteContext")
async def _delete_context(agb: Any, session: Any, wire: Wire) -> None:
    example = reply_example("deleteContext")
    wire.script(httpx.Response(200, json=example))
    result = await call(agb.context.delete("ctx-1"))
    assert result.success and result.request_id == example["requestId"]


@operation("clearContext")
async def _clear_context(agb: Any, session: Any, wire: Wire) -> None:
    example = reply_example("clearContext")
    wire.script(httpx.Response(200, json=example))
    result = await call(agb.context.clear_async("ctx-1"))
    assert result.success and result.request_id == example["requestId"] and result.status == "clearing"


@operation("describeContextFiles")
async def _describe_files(agb: Any, session: Any, wire: Wire) -> None:
    example = reply_example("describeContextFiles")
    wire.script(httpx.Response(200, json=example))
    result = await call(agb.context.list_files("ctx-1", "/tmp"))
    assert result.success and result.request_id == example["requestId"] and result.count == example["count"]
    assert [
        (e.file_id, e.file_name, e.file_path, e.file_type, e.gmt_create, e.gmt_modified, e.size, e.status)
        for e in result.entries
    ] == [
        (
            e["fileId"],
            e["fileName"],
            e["filePath"],
            e["fileType"],
            e["gmtCreate"],
            e["gmtModified"],
            e["size"],
            e["status"],
        )
        for e in example["data"]
    ]


@operation("deleteContextFile")
async def _delete_file(agb: Any, session: Any, wire: Wire) -> None:
    example = reply_example("deleteContextFile")
    wire.script(httpx.Response(200, json=example))
    result = await call(agb.context.delete_file("ctx-1", "/tmp/a.txt"))
    assert result.success and result.request_id == example["requestId"]


@operation("getContextFileUploadUrl")
async def _upload_url(agb: Any, session: Any, wire: Wire) -> None:
    example = reply_example("getContextFileUploadUrl")
    wire.script(httpx.Response(200, json=example))
    result = await call(agb.context.get_file_upload_url("ctx-1", "/tmp/a.txt"))
    assert result.success and (result.url, result.expire_time) == (
        example["data"]["url"],
        example["data"]["expireTime"],
    )


@operation("getContextFileDownloadUrl")
async def _download_url(agb: Any, session: Any, wire: Wire) -> None:
    example = reply_example("getContextFileDownloadUrl")
    wire.script(httpx.Response(200, json=example))
    result = await call(agb.context.get_file_download_url("ctx-1", "/tmp/a.txt"))
    assert result.success and (result.url, result.expire_time) == (
        example["data"]["url"],
        example["data"]["expireTime"],
    )


@operation("getAndLoadInternalContext")
async def _internal_context(agb: Any, session: Any, wire: Wire) -> None:
    example = reply_example("getAndLoadInternalContext")
    wire.script(httpx.Response(200, json=example))
    assert await call(session.file.transfer_path()) == example["data"][0]["contextPath"]


@operation("getContextInfo")
async def _context_info(agb: Any, session: Any, wire: Wire) -> None:
    example = reply_example("getContextInfo")
    wire.script(httpx.Response(200, json=example))
    result = await call(session.context.info())
    assert result.success and result.request_id == example["requestId"]
    (entry,) = json.loads(example["data"]["contextStatus"])
    assert [vars(t) for t in result.context_status_data] == [
        {
            "context_id": item["contextId"],
            "path": item["path"],
            "error_message": item["errorMessage"],
            "status": item["status"],
            "start_time": item["startTime"],
            "finish_time": item["finishTime"],
            "task_type": item["taskType"],
        }
        for item in json.loads(entry["data"])
    ]


@operation("syncContext")
async def _sync_context(agb: Any, session: Any, wire: Wire) -> None:
    example = reply_example("syncContext")
    wire.script(httpx.Response(200, json=example), httpx.Response(200, json=reply_example("getContextInfo")))
    result = await call(session.context.sync("ctx-1", "/home/user/data", "upload"))
    assert result.success and result.request_id == example["requestId"]


@operation("putPresignedContextFile")
async def _presigned_put(agb: Any, session: Any, wire: Wire) -> None:
    import tempfile

    example = reply_example("putPresignedContextFile")
    with tempfile.TemporaryDirectory() as folder:
        local = Path(folder, "a.txt")
        local.write_bytes(b"hello")
        wire.script(
            httpx.Response(200, json=reply_example("getAndLoadInternalContext")),
            httpx.Response(200, json=reply_example("getContextFileUploadUrl")),
            httpx.Response(200, json=example, headers={"etag": example["data"]["etag"]}),
            httpx.Response(200, json=reply_example("syncContext")),
        )
        result = await call(session.file.upload(str(local), "/tmp/file_transfer/a.txt", wait=False))
    assert result.success, result.error_message
    assert (result.etag, result.http_status, result.bytes_sent) == (example["data"]["etag"], 200, 5)
    put = wire.requests[2]
    assert put.method == "PUT" and put.content == b"hello" and "authorization" not in put.headers


@operation("getPresignedContextFile")
async def _presigned_get(agb: Any, session: Any, wire: Wire) -> None:
    import tempfile

    body = SPEC["paths"]["/presigned/context-file"]["get"]["responses"]["200"]["content"]["application/octet-stream"]
    with tempfile.TemporaryDirectory() as folder:
        local = Path(folder, "a.txt")
        wire.script(
            httpx.Response(200, json=reply_example("getAndLoadInternalContext")),
            httpx.Response(200, json=reply_example("syncContext")),
            httpx.Response(200, json=reply_example("getContextFileDownloadUrl")),
            httpx.Response(200, content=body["example"].encode()),
        )
        result = await call(session.file.download("/tmp/file_transfer/a.txt", str(local), wait=False))
        assert result.success, result.error_message
        assert local.read_bytes() == body["example"].encode() and result.bytes_received == len(body["example"])
    assert "authorization" not in wire.requests[3].headers


def generated_client(wire: Wire) -> Any:
    """The generated client over the scripted wire, for operations the SDK has no method for."""
    from agb_api.client import AuthenticatedClient

    return AuthenticatedClient(
        base_url="https://agb.test", token="akm-example", httpx_args={"transport": httpx.MockTransport(wire.handle)}
    )


# The SDK has no browser (agb_local has none either, and answers both NotOffered); the generated layer reads the
# cloud's replies, which is what a browser module would build on.
@operation("initBrowser")
async def _init_browser(agb: Any, session: Any, wire: Wire) -> None:
    from agb_api.api.browser import init_browser
    from agb_api.models import InitBrowserResponse

    example = reply_example("initBrowser")
    wire.script(httpx.Response(200, json=example))
    with generated_client(wire) as client:
        reply = init_browser.sync_detailed(client=client, session_id="s-1", browser_option="{}").parsed
    assert isinstance(reply, InitBrowserResponse) and reply.request_id == example["requestId"]
    assert reply.data and reply.data.port == example["data"]["port"]
    assert dict(wire.requests[0].url.params) == {"sessionId": "s-1", "browserOption": "{}"}


@operation("getCdpLink")
async def _cdp_link(agb: Any, session: Any, wire: Wire) -> None:
    from agb_api.api.browser import get_cdp_link
    from agb_api.models import GetCdpLinkResponse

    example = reply_example("getCdpLink")
    wire.script(httpx.Response(200, json=example))
    with generated_client(wire) as client:
        reply = get_cdp_link.sync_detailed(client=client, session_id="s-1").parsed
    assert isinstance(reply, GetCdpLinkResponse) and reply.request_id == example["requestId"]
    assert reply.data and reply.data.url == example["data"]["url"]


# ---------------------------------------------------------------- the tests


def _client_variants() -> set[str]:
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for ref in node.get("x-agb-client-variants", []):
                found.add(ref["$ref"].rsplit("/", 1)[1])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(SPEC)
    return found


def test_every_example_is_checked() -> None:
    """Every operation, tool output and client variant of the spec has a check here (or says why not)."""
    operation_ids = {op["operationId"] for _path, _method, op in operations(SPEC)}
    assert set(OPERATIONS) == operation_ids
    assert set(TOOL_OUTPUTS) == set(TOOLS)
    assert set(VARIANTS) == _client_variants()
    for name in TOOLS:
        assert "example" in resolve(SPEC, TOOLS[name]["output"]), f"tool {name}: its output schema has no example"
    for name in VARIANTS:
        assert "example" in SPEC["components"]["schemas"][name], f"{name} has no example"


def _checks(table: dict[str, Check | str]) -> list[Any]:
    return [
        pytest.param(check, id=name)
        if not isinstance(check, str)
        else pytest.param(None, id=name, marks=pytest.mark.skip(reason=check))
        for name, check in table.items()
    ]


@pytest.mark.parametrize("check", _checks(OPERATIONS))
async def test_operation_example_reads_back(check: Check, agb: Any, session: Any, wire: Wire) -> None:
    await check(agb, session, wire)


@pytest.mark.parametrize("check", _checks(TOOL_OUTPUTS))
async def test_tool_output_example_reads_back(check: Check, agb: Any, session: Any, wire: Wire) -> None:
    await check(agb, session, wire)


@pytest.mark.parametrize("check", _checks(dict(VARIANTS)))
async def test_variant_example_reads_back(check: Check, agb: Any, session: Any, wire: Wire) -> None:
    await check(agb, session, wire)
