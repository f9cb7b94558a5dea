"""agb_local's contexts over real HTTP: ownership, pages, clear, presigned URLs (signed, expiring, one object
and one method, streamed), sync into and out of sessions, quota, restarts, and hostile paths."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from agb_local.embedded import EmbeddedServer, start

from .conftest import create, tool
from .test_http_api import envelope_of

DEFAULT_POLICY = json.dumps(
    {
        "uploadPolicy": {"autoUpload": True, "uploadStrategy": "UploadBeforeResourceRelease", "uploadMode": "File"},
        "downloadPolicy": {"autoDownload": True, "downloadStrategy": "DownloadAsync"},
        "deletePolicy": {"syncLocalFile": True},
    }
)


def get_context(http: httpx.Client, **params: Any) -> dict[str, Any]:
    params = {k: (str(v).lower() if isinstance(v, bool) else v) for k, v in params.items()}
    return envelope_of(http.get("/sdk/GetContext", params=params), 200)["data"]  # type: ignore[no-any-return]


def new_context(http: httpx.Client, name: str) -> str:
    return str(get_context(http, name=name, allowCreate=True)["id"])


def url_for(http: httpx.Client, op: str, context_id: str, path: str) -> str:
    r = http.post(f"/sdk/{op}", params={"contextId": context_id, "filePath": path}, json={})
    data = envelope_of(r, 200)["data"]
    assert isinstance(data["expireTime"], int) and data["expireTime"] > time.time()
    assert "akm-" not in data["url"]  # the API key is never in a URL
    return str(data["url"])


def put(url: str, content: bytes) -> httpx.Response:
    return httpx.put(url, content=content, timeout=60)


def context_info(http: httpx.Client, sid: str, **params: str) -> list[dict[str, Any]]:
    data = envelope_of(http.get("/sdk/GetContextInfo", params={"sessionId": sid, **params}), 200)["data"]
    outer = json.loads(data["contextStatus"])
    return [item for entry in outer if entry["type"] == "data" for item in json.loads(entry["data"])]


# ----------------------------------------------------------------------------- the context records


def test_get_with_create_is_idempotent_and_owned(http: httpx.Client, other: httpx.Client) -> None:
    first = get_context(http, name="ctx-owned", allowCreate=True)
    assert first["id"].startswith("ctx-") and first["name"] == "ctx-owned" and first["state"] == "available"
    assert get_context(http, name="ctx-owned", allowCreate=True)["id"] == first["id"]
    assert get_context(http, id=first["id"], allowCreate=False)["name"] == "ctx-owned"
    # Another key sees nothing: not by id, not by name, not in its listing, not its files.
    for params in ({"id": first["id"], "allowCreate": "false"}, {"name": "ctx-owned", "allowCreate": "false"}):
        envelope_of(other.get("/sdk/GetContext", params=params), 404, "InvalidContext.NotFound")
    ids = [c["id"] for c in envelope_of(other.get("/sdk/ListContexts"), 200)["data"]]
    assert first["id"] not in ids
    r = other.post("/sdk/DescribeContextFiles", params={"contextId": first["id"]}, json={})
    envelope_of(r, 404, "InvalidContext.NotFound")
    r = other.post("/sdk/GetContextFileUploadUrl", params={"contextId": first["id"], "filePath": "/a"}, json={})
    envelope_of(r, 404, "InvalidContext.NotFound")
    envelope_of(other.post("/sdk/DeleteContext", params={"id": first["id"]}, json={}), 404, "InvalidContext.NotFound")
    # The other key may use the same name for its own context.
    assert get_context(other, name="ctx-owned", allowCreate=True)["id"] != first["id"]


def test_get_unknown_without_create_is_404(http: httpx.Client) -> None:
    params = {"name": "never-made", "allowCreate": "false"}
    envelope_of(http.get("/sdk/GetContext", params=params), 404, "InvalidContext.NotFound")
    # Neither id nor name: no context matches (schema-valid, so not a 400).
    r = http.get("/sdk/GetContext", params={"allowCreate": "false"})
    assert "id or name" in envelope_of(r, 404, "InvalidContext.NotFound")["message"]


def test_list_pages_rename_delete(http: httpx.Client) -> None:
    made = [new_context(http, f"ctx-page-{i}") for i in range(5)]
    seen: list[str] = []
    token = ""
    while True:
        params: dict[str, Any] = {"maxResults": 2, **({"nextToken": token} if token else {})}
        body = envelope_of(http.get("/sdk/ListContexts", params=params), 200)
        assert len(body["data"]) <= 2 and body["maxResults"] == 2 and body["totalCount"] >= 5
        seen += [c["id"] for c in body["data"]]
        token = body["nextToken"]
        if not token:
            break
    assert set(made) <= set(seen) and len(seen) == len(set(seen))
    envelope_of(http.post("/sdk/ModifyContext", params={"id": made[0], "name": "ctx-renamed"}, json={}), 200)
    assert get_context(http, id=made[0])["name"] == "ctx-renamed"
    r = http.post("/sdk/ModifyContext", params={"id": made[1], "name": "ctx-renamed"}, json={})
    envelope_of(r, 409, "InvalidContext.NameConflict")
    for cid in made:
        envelope_of(http.post("/sdk/DeleteContext", params={"id": cid}, json={}), 200)
    envelope_of(http.get("/sdk/GetContext", params={"id": made[0]}), 404, "InvalidContext.NotFound")


# ----------------------------------------------------------------------------- presigned URLs


def test_upload_list_download_delete_file(http: httpx.Client) -> None:
    cid = new_context(http, "ctx-files")
    up = url_for(http, "GetContextFileUploadUrl", cid, "/tmp/dir/a b.txt")
    r = put(up, b"hello")
    assert r.status_code == 200 and r.headers["etag"]
    assert r.json()["data"]["size"] == 5
    for name in ("b.txt", "c.txt"):
        assert put(url_for(http, "GetContextFileUploadUrl", cid, f"/tmp/dir/{name}"), b"x").status_code == 200
    listing = http.post("/sdk/DescribeContextFiles", params={"contextId": cid, "parentFolderPath": "/tmp"}, json={})
    (folder,) = envelope_of(listing, 200)["data"]
    assert folder["filePath"] == "/tmp/dir" and folder["fileType"] == "folder"
    pages = []
    for page in (1, 2):
        params = {"contextId": cid, "parentFolderPath": "/tmp/dir", "pageNumber": page, "pageSize": 2}
        body = envelope_of(http.post("/sdk/DescribeContextFiles", params=params, json={}), 200)
        assert body["count"] == 3
        pages.append([e["fileName"] for e in body["data"]])
    assert pages == [["a b.txt", "b.txt"], ["c.txt"]]
    down = httpx.get(url_for(http, "GetContextFileDownloadUrl", cid, "/tmp/dir/a b.txt"))
    assert down.status_code == 200 and down.content == b"hello"
    r = http.post("/sdk/DeleteContextFile", params={"contextId": cid, "filePath": "/tmp/dir/a b.txt"}, json={})
    envelope_of(r, 200)
    gone = httpx.get(url_for(http, "GetContextFileDownloadUrl", cid, "/tmp/dir/a b.txt"))
    assert gone.status_code == 404 and gone.json()["code"] == "InvalidContext.FileNotFound"
    # Deleting what is not there succeeds: a retried delete is harmless.
    r = http.post("/sdk/DeleteContextFile", params={"contextId": cid, "filePath": "/tmp/dir/a b.txt"}, json={})
    envelope_of(r, 200)


def test_forged_expired_other_method_and_other_object_urls_are_403(http: httpx.Client, server: EmbeddedServer) -> None:
    cid = new_context(http, "ctx-forged")
    up = url_for(http, "GetContextFileUploadUrl", cid, "/tmp/one.txt")
    assert put(up, b"1").status_code == 200
    down = url_for(http, "GetContextFileDownloadUrl", cid, "/tmp/one.txt")
    base, token = down.split("token=")
    payload, mac = token.split(".")
    forged = [
        f"{base}token={payload}.{mac[:-2]}AA",  # a changed signature
        f"{base}token={payload[:-2]}AA.{mac}",  # a changed object, the old signature
        f"{base}token=",  # none
    ]
    for url in forged:
        r = httpx.get(url)
        assert r.status_code in (400, 403), (url, r.text)
    assert httpx.get(f"{base}token={payload}.{mac[:-2]}AA").json()["code"] == "Forbidden.PresignedUrl"
    # One method: the download URL does not upload, the upload URL does not download.
    assert httpx.put(down, content=b"evil").status_code == 403
    assert httpx.get(up).status_code == 403
    assert httpx.get(down).content == b"1"
    # Expired: a URL signed an hour and a second ago.
    service = server.service
    old, _ = service.contexts.signer.url(
        cid, "/tmp/one.txt", "GET", now=time.time() - service.contexts.signer.ttl_s - 1
    )
    expired = httpx.get(old.replace("http://127.0.0.1", server.endpoint, 1))
    assert expired.status_code == 403 and "expired" in expired.json()["message"]
    # A deleted context's URLs stop working.
    envelope_of(http.post("/sdk/DeleteContext", params={"id": cid}, json={}), 200)
    assert httpx.get(down).status_code == 403


def test_keys_stay_inside_the_context(http: httpx.Client, server: EmbeddedServer) -> None:
    cid = new_context(http, "ctx-escape")
    tree = server.data_dir / "contexts" / cid
    r = http.post("/sdk/GetContextFileUploadUrl", params={"contextId": cid, "filePath": "../rel.txt"}, json={})
    envelope_of(r, 400, "InvalidParameter")  # paths are absolute
    for path in ("/../../../../escape.txt", "/tmp/../../escape2.txt", "//tmp//./x/../escape3.txt"):
        assert put(url_for(http, "GetContextFileUploadUrl", cid, path), b"in").status_code == 200
    stored = sorted(str(p.relative_to(tree)) for p in tree.rglob("*") if p.is_file())
    assert stored == ["files/escape.txt", "files/escape2.txt", "files/tmp/escape3.txt"]
    assert not (server.data_dir / "escape.txt").exists() and not Path("/escape.txt").exists()
    r = http.post("/sdk/GetContextFileUploadUrl", params={"contextId": cid, "filePath": "/"}, json={})
    envelope_of(r, 404, "InvalidContext.FileNotFound")  # the root folder is no file
    # Names no file can have: the URL is issued (it names no file yet), the upload is a 400, a delete finds nothing.
    for bad in ("/a\x00b", "/" + "n" * 300):
        r = put(url_for(http, "GetContextFileUploadUrl", cid, bad), b"x")
        assert r.status_code == 400 and r.json()["code"] == "InvalidParameter.FilePath", r.text
        envelope_of(http.post("/sdk/DeleteContextFile", params={"contextId": cid, "filePath": bad}, json={}), 200)
        listing = http.post("/sdk/DescribeContextFiles", params={"contextId": cid, "parentFolderPath": bad}, json={})
        assert envelope_of(listing, 200)["data"] == []


def test_large_upload_streams_and_a_broken_upload_leaves_no_file(http: httpx.Client, server: EmbeddedServer) -> None:
    cid = new_context(http, "ctx-large")
    size = 40 * 1024 * 1024  # bigger than the 16 MiB body limit of the JSON operations
    chunk = os.urandom(1024 * 1024)

    def body() -> Iterator[bytes]:
        for _ in range(size // len(chunk)):
            yield chunk

    up = url_for(http, "GetContextFileUploadUrl", cid, "/tmp/big.bin")
    r = httpx.put(up, content=body(), headers={"content-length": str(size)}, timeout=120)
    assert r.status_code == 200, r.text
    with httpx.stream("GET", url_for(http, "GetContextFileDownloadUrl", cid, "/tmp/big.bin"), timeout=120) as down:
        assert down.status_code == 200 and int(down.headers["content-length"]) == size
        got = 0
        for part in down.iter_bytes():
            start = got % len(chunk)
            assert part[: len(chunk) - start] == chunk[start : start + len(part)]
            got += len(part)
    assert got == size
    # A client that dies mid-upload: the old file stays whole, no partial file appears.
    up2 = url_for(http, "GetContextFileUploadUrl", cid, "/tmp/big.bin")

    def broken() -> Iterator[bytes]:
        yield b"partial" * 1000
        raise ConnectionError("the client died")

    with pytest.raises(ConnectionError):
        httpx.put(up2, content=broken(), headers={"content-length": str(size)}, timeout=30)
    time.sleep(0.3)
    assert (server.data_dir / "contexts" / cid / "files/tmp/big.bin").stat().st_size == size
    assert not any((server.data_dir / "contexts" / cid / "incoming").iterdir())


def test_concurrent_uploads_of_one_name_end_with_one_whole_file(http: httpx.Client, server: EmbeddedServer) -> None:
    cid = new_context(http, "ctx-race")
    bodies = [bytes([i]) * (3 * 1024 * 1024) for i in range(4)]
    urls = [url_for(http, "GetContextFileUploadUrl", cid, "/tmp/same.bin") for _ in bodies]
    statuses: list[int] = []
    threads = [
        threading.Thread(target=lambda u=u, b=b: statuses.append(put(u, b).status_code))
        for u, b in zip(urls, bodies, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [200] * 4
    content = httpx.get(url_for(http, "GetContextFileDownloadUrl", cid, "/tmp/same.bin")).content
    assert content in bodies


def test_clear_reports_clearing_then_available(http: httpx.Client) -> None:
    cid = new_context(http, "ctx-clear")
    assert put(url_for(http, "GetContextFileUploadUrl", cid, "/tmp/a.txt"), b"a").status_code == 200
    envelope_of(http.post("/sdk/ClearContext", params={"id": cid}, json={}), 200)
    deadline = time.monotonic() + 10
    while get_context(http, id=cid)["state"] != "available":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    listing = http.post("/sdk/DescribeContextFiles", params={"contextId": cid}, json={})
    assert envelope_of(listing, 200)["data"] == []
    assert get_context(http, id=cid)["name"] == "ctx-clear"


# ----------------------------------------------------------------------------- sessions


def test_persistence_downloads_at_create_and_uploads_at_release(http: httpx.Client) -> None:
    cid = new_context(http, "ctx-mount")
    assert put(url_for(http, "GetContextFileUploadUrl", cid, "/home/user/data/seed.txt"), b"seed").status_code == 200
    mount = {"contextId": cid, "path": "/home/user/data", "policy": DEFAULT_POLICY}
    sid = create(http, persistenceDataList=[mount])
    (task,) = context_info(http, sid)
    assert task["status"] == "Success" and task["taskType"] == "download" and task["path"] == "/home/user/data"
    assert tool(http, sid, "read_file", {"path": "/home/user/data/seed.txt"}) == (False, "seed")
    assert tool(http, sid, "write_file", {"path": "/home/user/data/new.txt", "content": "made in session"})[0] is False
    tool(http, sid, "delete_file", {"path": "/home/user/data/seed.txt"})
    envelope_of(http.post("/mcp/releaseSession", json={"sessionId": sid}), 200)
    names = [
        e["fileName"]
        for e in envelope_of(
            http.post(
                "/sdk/DescribeContextFiles", params={"contextId": cid, "parentFolderPath": "/home/user/data"}, json={}
            ),
            200,
        )["data"]
    ]
    assert names == ["new.txt"]  # syncLocalFile: the context mirrors the folder
    # The next session gets it.
    sid2 = create(http, persistenceDataList=[mount])
    assert tool(http, sid2, "read_file", {"path": "/home/user/data/new.txt"}) == (False, "made in session")
    http.post("/mcp/releaseSession", json={"sessionId": sid2})


def test_sync_context_modes_and_info_filters(http: httpx.Client) -> None:
    cid = new_context(http, "ctx-sync")
    policy = json.dumps({"uploadPolicy": {"autoUpload": False}, "deletePolicy": {"syncLocalFile": False}})
    sid = create(http, persistenceDataList=[{"contextId": cid, "path": "/tmp/work", "policy": policy}])
    tool(http, sid, "write_file", {"path": "/tmp/work/sub/out.txt", "content": "out"})
    params = {"sessionId": sid, "contextId": cid, "path": "/tmp/work", "mode": "upload"}
    envelope_of(http.post("/sdk/SyncContext", params=params, json={}), 200)
    (task,) = context_info(http, sid, contextId=cid, path="/tmp/work", taskType="upload")
    assert task["status"] == "Success" and task["errorMessage"] == "" and task["finishTime"] >= task["startTime"]
    assert context_info(http, sid, taskType="upload", path="/tmp/elsewhere") == []
    down = httpx.get(url_for(http, "GetContextFileDownloadUrl", cid, "/tmp/work/sub/out.txt"))
    assert down.content == b"out"
    # Without path: every mount of the context; without either: every mount; not mounted there: 404.
    envelope_of(http.post("/sdk/SyncContext", params={"sessionId": sid}, json={}), 200)
    envelope_of(http.post("/sdk/SyncContext", params={"sessionId": sid, "contextId": cid}, json={}), 200)
    params = {"sessionId": sid, "path": "/tmp/work/sub/out.txt", "mode": "upload"}
    envelope_of(http.post("/sdk/SyncContext", params=params, json={}), 200)
    assert context_info(http, sid, path="/tmp/work/sub/out.txt")[0]["status"] == "Success"
    params = {"sessionId": sid, "contextId": cid, "path": "/home/user/other"}
    envelope_of(http.post("/sdk/SyncContext", params=params, json={}), 404, "InvalidContext.NotFound")
    other = new_context(http, "ctx-sync-unmounted")
    r = http.post("/sdk/SyncContext", params={"sessionId": sid, "contextId": other}, json={})
    envelope_of(r, 404, "InvalidContext.NotFound")
    http.post("/mcp/releaseSession", json={"sessionId": sid})


def test_mount_errors(http: httpx.Client, other: httpx.Client) -> None:
    cid = new_context(http, "ctx-mount-errors")
    # An unknown context, or another key's: a 404 and no session.
    for client, item in (
        (http, {"contextId": "ctx-nope", "path": "/tmp/x"}),
        (other, {"contextId": cid, "path": "/tmp/x"}),
    ):
        r = client.post("/mcp/createSession", json={"persistenceDataList": [item]})
        envelope_of(r, 404, "InvalidContext.NotFound")
    # A path agb_local cannot mount, a policy that is no JSON object: the session is made, those tasks fail.
    items = [
        {"contextId": cid, "path": "/home/data", "policy": ""},
        {"contextId": cid, "path": "/tmp/ok", "policy": "not json"},
        {"contextId": cid, "path": "/tmp/good", "policy": ""},
    ]
    sid = create(http, persistenceDataList=items)
    tasks = {t["path"]: t for t in context_info(http, sid)}
    assert tasks["/home/data"]["status"] == "Failed" and "/home/user and /tmp" in tasks["/home/data"]["errorMessage"]
    assert tasks["/tmp/ok"]["status"] == "Failed" and "not valid JSON" in tasks["/tmp/ok"]["errorMessage"]
    assert tasks["/tmp/good"]["status"] == "Success"
    http.post("/mcp/releaseSession", json={"sessionId": sid})


def test_file_transfer_context_delivers_uploads_once(http: httpx.Client) -> None:
    sid = create(http)
    r = http.post(
        "/sdk/GetAndLoadInternalContext", params={"sessionId": sid, "contextTypes": '["file_transfer"]'}, json={}
    )
    (ft,) = envelope_of(r, 200)["data"]
    assert ft["contextType"] == "file_transfer" and ft["contextPath"] == "/tmp/file_transfer"
    again = http.post("/sdk/GetAndLoadInternalContext", params={"sessionId": sid}, json={})
    assert envelope_of(again, 200)["data"][0]["contextId"] == ft["contextId"]
    path = "/tmp/file_transfer/up.txt"
    assert put(url_for(http, "GetContextFileUploadUrl", ft["contextId"], path), b"v1").status_code == 200
    params = {"sessionId": sid, "contextId": ft["contextId"], "path": "/tmp/file_transfer", "mode": "download"}
    envelope_of(http.post("/sdk/SyncContext", params=params, json={}), 200)
    assert tool(http, sid, "read_file", {"path": path}) == (False, "v1")
    # The session changes it; another delivery into the same folder must not bring back the old copy.
    tool(http, sid, "write_file", {"path": path, "content": "v2"})
    assert (
        put(url_for(http, "GetContextFileUploadUrl", ft["contextId"], "/tmp/file_transfer/b.txt"), b"b").status_code
        == 200
    )
    envelope_of(http.post("/sdk/SyncContext", params=params, json={}), 200)
    assert tool(http, sid, "read_file", {"path": path}) == (False, "v2")
    # Downloads: sandbox -> context, then the URL.
    params["mode"] = "upload"
    envelope_of(http.post("/sdk/SyncContext", params=params, json={}), 200)
    assert httpx.get(url_for(http, "GetContextFileDownloadUrl", ft["contextId"], path)).content == b"v2"
    # Its paths map onto the whole sandbox.
    params = {"sessionId": sid, "contextId": ft["contextId"], "path": "/home/user/deep/f.bin", "mode": "download"}
    assert (
        put(url_for(http, "GetContextFileUploadUrl", ft["contextId"], "/home/user/deep/f.bin"), b"\x00\xff").status_code
        == 200
    )
    envelope_of(http.post("/sdk/SyncContext", params=params, json={}), 200)
    assert tool(http, sid, "read_file", {"path": "/home/user/deep/f.bin", "format": "binary"}) == (False, "AP8=")
    envelope_of(http.post("/mcp/releaseSession", json={"sessionId": sid}), 200)
    # Deleted with the session.
    r = http.post("/sdk/GetContextFileDownloadUrl", params={"contextId": ft["contextId"], "filePath": path}, json={})
    envelope_of(r, 404, "InvalidContext.NotFound")


def test_symlinks_in_the_sandbox_are_never_followed(http: httpx.Client, server: EmbeddedServer) -> None:
    cid = new_context(http, "ctx-symlinks")
    secret = server.data_dir / "host-secret.txt"
    secret.write_text("host secret")
    sid = create(http, persistenceDataList=[{"contextId": cid, "path": "/tmp/m", "policy": ""}])
    shell = {
        "command": f"ln -s {secret} /tmp/m/link.txt && ln -s /etc /tmp/m/etc && echo ok > /tmp/m/real.txt",
        "timeout_ms": 5000,
    }
    assert tool(http, sid, "shell", shell)[0] is False
    envelope_of(http.post("/sdk/SyncContext", params={"sessionId": sid}, json={}), 200)
    listing = http.post("/sdk/DescribeContextFiles", params={"contextId": cid, "parentFolderPath": "/tmp/m"}, json={})
    assert [e["fileName"] for e in envelope_of(listing, 200)["data"]] == ["real.txt"]
    # Downloads into the sandbox do not follow a symlink planted where a folder should be.
    assert put(url_for(http, "GetContextFileUploadUrl", cid, "/tmp/m/evil/x.txt"), b"x").status_code == 200
    tool(http, sid, "shell", {"command": f"ln -s {server.data_dir} /tmp/m/evil", "timeout_ms": 5000})
    r = http.post(
        "/sdk/SyncContext", params={"sessionId": sid, "contextId": cid, "path": "/tmp/m", "mode": "download"}, json={}
    )
    envelope_of(r, 200)
    (task,) = context_info(http, sid, taskType="download", path="/tmp/m")
    assert task["status"] == "Failed" and "evil" in task["errorMessage"]
    assert not (server.data_dir / "x.txt").exists()
    assert secret.read_text() == "host secret"
    http.post("/mcp/releaseSession", json={"sessionId": sid})


# ----------------------------------------------------------------------------- quota and restarts


def test_quota_per_key_and_restart(tmp_path: Path) -> None:
    srv = start(data_dir=tmp_path, pool_size=0, context_quota_mb=1)
    try:
        with httpx.Client(base_url=srv.endpoint, headers={"authorization": f"Bearer {srv.api_key}"}) as http:
            cid = new_context(http, "quota")
            assert put(url_for(http, "GetContextFileUploadUrl", cid, "/a.bin"), b"a" * 600_000).status_code == 200
            r = put(url_for(http, "GetContextFileUploadUrl", cid, "/b.bin"), b"b" * 600_000)
            assert r.status_code == 413 and r.json()["code"] == "QuotaExceeded.ContextStorage"
            assert "MiB" in r.json()["message"]
            kept = url_for(http, "GetContextFileDownloadUrl", cid, "/a.bin")
    finally:
        srv.stop()
    srv = start(data_dir=tmp_path, api_key=srv.api_key, pool_size=0)
    try:
        with httpx.Client(base_url=srv.endpoint, headers={"authorization": f"Bearer {srv.api_key}"}) as http:
            assert get_context(http, name="quota")["id"] == cid
            assert httpx.get(url_for(http, "GetContextFileDownloadUrl", cid, "/a.bin")).content == b"a" * 600_000
            assert kept  # signed with the same persisted secret
    finally:
        srv.stop()


# ----------------------------------------------------------------------------- kill -9 mid-upload


def _serve(data_dir: Path, key: str) -> tuple[subprocess.Popen[str], str]:
    agb_local = Path(sys.executable).with_name("agb-local")
    cmd = [str(agb_local), "serve", "--host", "127.0.0.1", "--port", "0", "--data-dir", str(data_dir)]
    proc = subprocess.Popen([*cmd, "--api-key", key, "--pool-size", "0"], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        found = re.search(r"serving the AGB API on (http://\S+) ", line)
        if found:
            return proc, found.group(1)
    raise RuntimeError(f"agb-local serve exited with {proc.wait()}")


def test_kill_9_mid_upload_then_restart(tmp_path: Path) -> None:
    key = "akm-kill-test-key-000000000000000000"
    proc, endpoint = _serve(tmp_path, key)
    headers = {"authorization": f"Bearer {key}"}
    try:
        with httpx.Client(base_url=endpoint, headers=headers, timeout=30) as http:
            cid = new_context(http, "killed")
            assert put(url_for(http, "GetContextFileUploadUrl", cid, "/done.bin"), b"d" * 1_000_000).status_code == 200
            again = url_for(http, "GetContextFileUploadUrl", cid, "/done.bin")  # an overwrite, cut short
            fresh = url_for(http, "GetContextFileUploadUrl", cid, "/partial.bin")  # a new file, cut short
            sent = threading.Event()

            def slow() -> Iterator[bytes]:
                for _ in range(64):
                    yield b"p" * 65536
                    sent.set()
                    time.sleep(0.05)

            errors: list[BaseException] = []

            def upload(url: str) -> None:
                try:
                    httpx.put(url, content=slow(), headers={"content-length": str(64 * 65536)}, timeout=30)
                except Exception as exc:  # the server dies under it
                    errors.append(exc)

            uploads = [threading.Thread(target=upload, args=(u,)) for u in (again, fresh)]
            for t in uploads:
                t.start()
            assert sent.wait(10)
            time.sleep(0.3)
            incoming = tmp_path / "contexts" / cid / "incoming"
            assert len(list(incoming.iterdir())) == 2  # both are being written, beside their keys
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
            for t in uploads:
                t.join(30)
            assert len(errors) == 2
    finally:
        if proc.poll() is None:
            proc.kill()
    proc, endpoint = _serve(tmp_path, key)
    try:
        with httpx.Client(base_url=endpoint, headers=headers, timeout=30) as http:
            done = httpx.get(url_for(http, "GetContextFileDownloadUrl", cid, "/done.bin"))
            assert done.content == b"d" * 1_000_000  # the completed file is whole, not the cut overwrite
            partial = httpx.get(url_for(http, "GetContextFileDownloadUrl", cid, "/partial.bin"))
            assert partial.status_code == 404  # never half a file under its name
            assert list((tmp_path / "contexts" / cid / "incoming").iterdir()) == []  # what the kill left is gone
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(20)


def test_a_session_released_mid_sync(http: httpx.Client, server: EmbeddedServer) -> None:
    cid = new_context(http, "ctx-released-mid-sync")
    policy = json.dumps({"uploadPolicy": {"autoUpload": True}})
    sid = create(http, persistenceDataList=[{"contextId": cid, "path": "/tmp/m", "policy": policy}])
    shell = {"command": "head -c 150000000 /dev/urandom > /tmp/m/big.bin && echo ok", "timeout_ms": 60000}
    is_error, text = tool(http, sid, "shell", shell)
    assert not is_error and json.loads(text)["exit_code"] == 0, text
    replies: dict[str, int] = {}

    def sync() -> None:
        params = {"sessionId": sid, "contextId": cid, "path": "/tmp/m", "mode": "upload"}
        replies["sync"] = http.post("/sdk/SyncContext", params=params, json={}).status_code

    worker = threading.Thread(target=sync)
    worker.start()
    time.sleep(0.05)
    replies["release"] = http.post("/mcp/releaseSessionAsync", json={"sessionId": sid}).status_code
    worker.join(60)
    deadline = time.monotonic() + 60
    while http.post("/mcp/getSessionInfo", json={"sessionId": sid}).status_code != 404:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert replies["release"] == 200 and replies["sync"] in (200, 409)  # 409: the release began first
    # The release waited for the sync, then uploaded the mount itself: the context holds the whole file.
    stored = server.data_dir / "contexts" / cid / "files" / "tmp" / "m" / "big.bin"
    assert stored.stat().st_size == 150_000_000
    assert not any((server.data_dir / "contexts" / cid / "incoming").iterdir())
    assert envelope_of(http.get("/sdk/ListContexts"), 200)["data"]  # the server goes on
