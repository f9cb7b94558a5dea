"""The official client (agbcloud-sdk 0.12.0) drives agb_local's contexts unchanged: the context service, a
session mounting a context (download at create, sync, archive mode, delete with sync), presigned URLs used
with plain httpx, and `session.file.upload` / `download` (tests/compat/context_driver.py runs the steps)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from agb_local.embedded import EmbeddedServer

from .conftest import run_driver
from .test_official_client import ok, succeeded

pytestmark = pytest.mark.compat

UPLOADED = "uploaded through a presigned URL ✓\n"


@pytest.fixture(scope="module")
def seen(official_python: Path, agb_local: EmbeddedServer, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    work = tmp_path_factory.mktemp("official-contexts")
    return run_driver(official_python, agb_local, work, "context_driver.py", str(work))


def test_the_context_service(seen: dict[str, Any]) -> None:
    made = succeeded(seen, "get_create")
    context_id = made["context_id"]
    assert context_id.startswith("ctx-") and made["context"]["name"] == seen["name"]
    assert succeeded(seen, "get_again")["context_id"] == context_id  # create-if-missing is idempotent
    assert succeeded(seen, "get_by_id")["context"]["name"] == seen["name"]
    missing = ok(seen, "get_missing")
    assert missing["success"] is False and "no context named" in missing["error_message"]
    other = succeeded(seen, "create_other")["context_id"]
    listed = {c["id"] for c in succeeded(seen, "list")["contexts"]}
    assert {context_id, other} <= listed
    succeeded(seen, "update")
    assert succeeded(seen, "get_renamed")["context"]["name"] == f"{seen['name']}-renamed"


def test_presigned_urls_with_plain_http(seen: dict[str, Any]) -> None:
    up = succeeded(seen, "upload_url")
    assert up["url"].startswith("http://127.0.0.1") and isinstance(up["expire_time"], int)
    assert ok(seen, "put")["status"] in (200, 204)
    succeeded(seen, "download_url")
    assert ok(seen, "get") == {"status": 200, "content": UPLOADED}
    (entry,) = succeeded(seen, "list_files")["entries"]
    assert (entry["file_path"], entry["file_name"], entry["size"]) == (
        "/home/user/data/seed.txt",
        "seed.txt",
        len(UPLOADED.encode()),
    )


def test_a_session_mounting_the_context(seen: dict[str, Any]) -> None:
    succeeded(seen, "create_mounted")
    assert seen["create_mounted"]["seconds"] < 5  # its sync wait ended on the first look
    tasks = succeeded(seen, "info_after_create")["context_status_data"]
    assert {(t["path"], t["status"], t["task_type"]) for t in tasks} == {
        ("/home/user/data", "Success", "download"),
        ("/tmp/archive-mode-test", "Success", "download"),
    }
    assert succeeded(seen, "read_seed")["content"] == UPLOADED
    sync = succeeded(seen, "sync")
    assert seen["sync"]["seconds"] < 5 and sync["request_id"]
    uploads = [t for t in succeeded(seen, "info_after_sync")["context_status_data"] if t["task_type"] == "upload"]
    assert uploads and all(t["status"] == "Success" for t in uploads)
    names = [e["file_name"] for e in succeeded(seen, "list_after_sync")["entries"]]
    assert names == ["made.txt", "seed.txt"]
    archived = succeeded(seen, "list_archive")["entries"]
    assert [e["file_path"] for e in archived] == ["/tmp/archive-mode-test/test-file-5kb.txt"]
    succeeded(seen, "delete_sync")
    assert seen["delete_sync"]["seconds"] < 10


def test_file_upload_and_download(seen: dict[str, Any]) -> None:
    assert ok(seen, "transfer_path") == "/tmp/file_transfer"
    up = succeeded(seen, "ft_upload")
    assert up["bytes_sent"] == len(UPLOADED.encode()) * 1000 and up["http_status"] == 200 and up["etag"]
    assert seen["ft_upload"]["seconds"] < 5  # no 1.5 s polls: the sync had finished when the client first looked
    assert succeeded(seen, "ft_read")["content"] == UPLOADED * 1000
    down = succeeded(seen, "ft_download")
    assert down["http_status"] == 200 and seen["ft_downloaded"] == "from the sandbox ✓"
    assert seen["ft_download"]["seconds"] < 5


def test_files_clear_and_delete(seen: dict[str, Any]) -> None:
    succeeded(seen, "delete_file")
    assert [e["file_name"] for e in succeeded(seen, "list_after_delete_file")["entries"]] == ["made.txt"]
    assert succeeded(seen, "clear_async")["status"] == "clearing"
    assert succeeded(seen, "clear")["status"] == "available"
    assert succeeded(seen, "list_after_clear")["entries"] == []
    succeeded(seen, "delete")
    gone = ok(seen, "get_deleted")
    assert gone["success"] is False and "not found" in gone["error_message"]
