"""Contexts and file transfer in the SDK: exact request bytes, what is checked before any request, progress,
retries of the idempotent steps only, and the polls' end conditions (both faces)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from agb import ContextSync, InvalidParameterError, SyncPolicy
from agb.context_sync import MappingPolicy, UploadMode, UploadPolicy
from agb.session_params import CreateSessionParams

from .conftest import Wire, call, ok

# The policy bytes the official client 0.12.0 sends for SyncPolicy() (captured from it).
OFFICIAL_DEFAULT_POLICY = (
    '{"uploadPolicy": {"autoUpload": true, "uploadStrategy": "UploadBeforeResourceRelease", "uploadMode": "File"}, '
    '"downloadPolicy": {"autoDownload": true, "downloadStrategy": "DownloadAsync"}, '
    '"deletePolicy": {"syncLocalFile": true}, '
    '"extractPolicy": {"extract": true, "deleteSrcFile": true, "extractToCurrentFolder": false}, '
    '"recyclePolicy": {"lifecycle": "Lifecycle_Forever", "paths": [""]}, '
    '"bwList": {"whiteLists": []}}'
)


def status(*items: dict[str, Any]) -> httpx.Response:
    return ok({"contextStatus": json.dumps([{"type": "data", "data": json.dumps(list(items))}])})


def task(status_: str, path: str = "/tmp/file_transfer/a.txt", task_type: str = "download", **extra: Any) -> dict:
    return {"contextId": "ft-1", "path": path, "status": status_, "taskType": task_type, "errorMessage": "", **extra}


FT = ok([{"contextId": "ft-1", "contextType": "file_transfer", "contextPath": "/tmp/file_transfer"}])
URL = ok({"url": "http://files.example/put?token=t", "expireTime": 1})


def test_policy_bytes_are_the_official_clients() -> None:
    assert ContextSync("ctx-1", "/home/user/data", SyncPolicy()).to_wire().policy == OFFICIAL_DEFAULT_POLICY
    # No policy: the default one, not a dropped mount.
    assert ContextSync("ctx-1", "/home/user/data").to_wire().policy == OFFICIAL_DEFAULT_POLICY
    mapped = json.loads(ContextSync("c", "/a", SyncPolicy(mapping_policy=MappingPolicy("/old"))).to_wire().policy)
    assert mapped["mappingPolicy"] == {"path": "/old"}
    archive = SyncPolicy(upload_policy=UploadPolicy(upload_mode=UploadMode.ARCHIVE))
    assert json.loads(ContextSync("c", "/a", archive).to_wire().policy)["uploadPolicy"]["uploadMode"] == "Archive"
    with pytest.raises(ValueError, match="Invalid upload_mode"):
        UploadPolicy(upload_mode="Zip")  # type: ignore[arg-type]


async def test_create_sends_the_mounts_and_waits_for_their_tasks(agb: Any, wire: Wire) -> None:
    wire.script(
        ok({"sessionId": "s-9", "success": True}),
        status(task("Pending", "/home/user/data")),
        status(task("Success", "/home/user/data")),
    )
    params = CreateSessionParams(context_syncs=[ContextSync("ctx-1", "/home/user/data")])
    result = await call(agb.create(params))
    assert result.success, result.error_message
    body = json.loads(wire.requests[0].content)
    assert body["persistenceDataList"] == [
        {"contextId": "ctx-1", "path": "/home/user/data", "policy": OFFICIAL_DEFAULT_POLICY}
    ]
    assert [r.url.path for r in wire.requests[1:]] == ["/sdk/GetContextInfo"] * 2
    assert wire.sleeps == [0.05]  # looked at once, then soon: not the official client's 2 s


async def test_get_context_query_and_client_side_checks(agb: Any, wire: Wire) -> None:
    wire.script(ok({"id": "ctx-1", "name": "work"}))
    assert (await call(agb.context.get("  work ", create=True))).context_id == "ctx-1"
    assert dict(wire.last.url.params) == {"allowCreate": "true", "name": "work"}
    for bad in (agb.context.get(), agb.context.get(context_id="ctx-1", create=True)):
        result = await call(bad)
        assert not result.success and isinstance(result.error, InvalidParameterError)
    assert len(wire.requests) == 1


async def test_upload_checks_before_any_request(session: Any, wire: Wire, tmp_path: Path) -> None:
    local = tmp_path / "a.txt"
    local.write_text("x")
    cases = [
        (session.file.upload(str(tmp_path / "missing"), "/tmp/a"), "not an existing file"),
        (session.file.upload(str(local), "a.txt"), "absolute sandbox path"),
        (session.file.upload(str(local), "/tmp/dir/"), "absolute sandbox path"),
        (session.file.download("/tmp/a", str(tmp_path / "no" / "a")), "does not exist; create it first"),
        (session.file.download("/tmp/a", str(tmp_path)), "is a folder"),
        (session.file.download("/tmp/a", str(local), overwrite=False), "overwrite is False"),
    ]
    for flow, message in cases:
        result = await call(flow)
        assert not result.success and isinstance(result.error, InvalidParameterError), result
        assert message in result.error_message
    assert wire.requests == []


async def test_upload_streams_reports_progress_and_waits(session: Any, wire: Wire, tmp_path: Path) -> None:
    local = tmp_path / "big.bin"
    data = bytes(range(256)) * (10 * 1024 * 1024 // 256 + 3)  # 10 MiB and a bit: 11 pieces
    local.write_bytes(data)
    wire.script(
        FT,
        URL,
        ok({"size": len(data), "etag": '"e"'}, headers={"etag": '"e"'}),
        ok(),
        status(task("Pending", "/tmp/f")),
    )
    wire.script(status(task("Success", "/tmp/f")))
    seen: list[int] = []
    result = await call(session.file.upload(str(local), "/tmp/f/big.bin", progress_cb=seen.append))
    assert result.success, result.error_message
    assert (result.bytes_sent, result.etag, result.http_status) == (len(data), '"e"', 200)
    assert seen == [min(len(data), (i + 1) << 20) for i in range(11)]
    put = wire.requests[2]
    assert put.content == data and put.headers["content-length"] == str(len(data))
    assert "authorization" not in put.headers
    sync = wire.requests[3]
    assert dict(sync.url.params) == {
        "sessionId": "s-1",
        "contextId": "ft-1",
        "path": "/tmp/f",  # syncs are of folders
        "mode": "download",
    }


async def test_wait_false_does_not_poll(session: Any, wire: Wire, tmp_path: Path) -> None:
    local = tmp_path / "a.txt"
    local.write_text("x")
    wire.script(FT, URL, ok({"size": 1, "etag": '"e"'}), ok())
    result = await call(session.file.upload(str(local), "/tmp/a.txt", wait=False))
    assert result.success and [r.url.path for r in wire.requests][-1] == "/sdk/SyncContext"
    assert wire.sleeps == []


async def test_a_failed_sync_fails_the_upload_with_its_reason(session: Any, wire: Wire, tmp_path: Path) -> None:
    local = tmp_path / "a.txt"
    local.write_text("x")
    failed = task("Failed", "/tmp", errorMessage="disk full")
    wire.script(FT, URL, ok({"size": 1, "etag": '"e"'}), ok(), status(failed))
    result = await call(session.file.upload(str(local), "/tmp/a.txt"))
    assert not result.success and "disk full" in result.error_message


async def test_put_is_retried_but_sync_context_is_not(session: Any, wire: Wire, tmp_path: Path) -> None:
    local = tmp_path / "a.txt"
    local.write_text("x")
    wire.script(FT, URL, httpx.Response(503), ok({"size": 1, "etag": '"e"'}), httpx.ReadError("dropped"))
    result = await call(session.file.upload(str(local), "/tmp/a.txt"))
    assert not result.success
    methods = [(r.method, r.url.path) for r in wire.requests]
    assert methods.count(("PUT", "/put")) == 2  # the 503 was retried: a PUT replaces the whole object
    assert methods.count(("POST", "/sdk/SyncContext")) == 1  # sent once and dropped: never sent again


async def test_download_streams_to_the_file_with_progress(session: Any, wire: Wire, tmp_path: Path) -> None:
    data = b"z" * (3 * 1024 * 1024 + 5)
    target = tmp_path / "out.bin"
    wire.script(FT, ok(), status(task("Success", "/tmp", "upload")), URL, httpx.Response(200, content=data))
    seen: list[int] = []
    result = await call(session.file.download("/tmp/x.bin", str(target), progress_cb=seen.append))
    assert result.success, result.error_message
    assert target.read_bytes() == data and result.bytes_received == len(data) and seen[-1] == len(data)
    assert [p.name for p in tmp_path.iterdir()] == ["out.bin"]  # no partial file left beside it


async def test_a_failed_download_leaves_the_old_file(session: Any, wire: Wire, tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")
    wire.script(FT, ok(), status(task("Success", "/tmp", "upload")), URL, httpx.Response(404, json={}))
    result = await call(session.file.download("/tmp/x.bin", str(target)))
    assert not result.success and target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.bin"]


async def test_sync_validates_and_ends_on_success_or_failed(session: Any, wire: Wire) -> None:
    result = await call(session.context.sync(context_id="ctx-1"))
    assert not result.success and isinstance(result.error, InvalidParameterError) and wire.requests == []
    wire.script(ok(), status(task("Pending", "/d", "upload")), status(task("Failed", "/d", "upload", errorMessage="x")))
    result = await call(session.context.sync("ft-1", "/d", "upload", max_retries=5, retry_interval=100))
    assert not result.success and "x" in result.error_message
    # "completed" is not an end state: the loop runs out of looks.
    wire.script(ok(), *(status(task("completed", "/d", "upload")) for _ in range(3)))
    result = await call(session.context.sync("ft-1", "/d", "upload", max_retries=3, retry_interval=100))
    assert not result.success and "did not finish" in result.error_message


async def test_delete_with_sync_context_uploads_first(agb: Any, session: Any, wire: Wire) -> None:
    wire.script(ok(), status(task("Success", "/home/user/data", "upload")), ok())
    result = await call(agb.delete(session, sync_context=True, wait=False))
    assert result.success, result.error_message
    assert [r.url.path for r in wire.requests] == [
        "/sdk/SyncContext",
        "/sdk/GetContextInfo",
        "/mcp/releaseSessionAsync",
    ]
    assert dict(wire.requests[0].url.params) == {"sessionId": "s-1"}


async def test_a_failed_upload_keeps_the_session(session: Any, wire: Wire) -> None:
    wire.script(ok(), status(task("Failed", "/home/user/data", "upload", errorMessage="quota")))
    result = await call(session.delete(sync_context=True))
    assert not result.success and "quota" in result.error_message
    assert "/mcp/releaseSessionAsync" not in [r.url.path for r in wire.requests]
