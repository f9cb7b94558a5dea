"""The official AGB client, agbcloud-sdk 0.12.0 from PyPI, drives agb_local unchanged.

It runs in its own virtualenv (.cache/compat-venv, built once by the first run) as a subprocess
(tests/compat/driver.py), against a live agb_local on loopback, so its dependencies never meet ours. Each test
reads what the client itself returned: its own result objects, parsed by its own code.

What it cannot do against agb_local, and why (the README lists the same):

* `CreateSessionParams(browser_context=...)`: no browser. (Contexts, context sync and
  `file.upload`/`download` work: test_official_contexts.py.)
* Browser and computer-use modules: the browser-use and computer-use image ids start sessions whose shell,
  file, code and metrics tools work, but agb_local has no browser or desktop; what the client shows then is in
  test_official_vendor_images.py.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.runtimes import needs_java, needs_r

from .conftest import OFFICIAL, ROOT, VERSION

pytestmark = pytest.mark.compat

TOOLS = set(yaml.safe_load((ROOT / "openapi" / "agb.yaml").read_text())["paths"]["/mcp"]["post"]["x-agb-tools"])


def ok(observed: dict[str, Any], step: str) -> dict[str, Any]:
    """The client's result of a step that must have run without raising."""
    record = observed[step]
    assert record["ok"], f"{step} raised inside the official client: {record.get('traceback')}"
    result: dict[str, Any] = record["result"]
    return result


def succeeded(observed: dict[str, Any], step: str) -> dict[str, Any]:
    result = ok(observed, step)
    assert result["success"] is True, f"{step}: {result.get('error_message')!r}"
    return result


def test_the_official_client_lives_in_its_own_venv(official_python: Path) -> None:
    import importlib.metadata

    with pytest.raises(importlib.metadata.PackageNotFoundError):
        importlib.metadata.version(OFFICIAL)  # not in our environment
    out = subprocess.run(
        [
            str(official_python),
            "-I",  # isolated: our checkout's `agb` must not shadow theirs, not even from our cwd
            "-c",
            f"import importlib.metadata as m, agb; print(m.version({OFFICIAL!r}), agb.__file__)",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout.split()
    assert out[0] == VERSION
    assert str(ROOT / ".cache" / "compat-venv") in out[1]


def test_the_driver_ran_the_official_package(observed: dict[str, Any]) -> None:
    assert observed["client"]["version"] == VERSION
    assert observed["client"]["module"].startswith(str(ROOT / ".cache" / "compat-venv"))


def test_create_with_labels_on_both_images(observed: dict[str, Any]) -> None:
    for step in ("create", "create_second"):
        result = succeeded(observed, step)
        assert result["request_id"]


def test_list_by_labels_with_pages(observed: dict[str, Any]) -> None:
    everything = succeeded(observed, "list_by_suite")
    assert everything["total_count"] == 2 and len(everything["session_ids"]) == 2
    second = succeeded(observed, "list_by_suite_and_role")
    assert len(second["session_ids"]) == 1 and second["session_ids"][0] in everything["session_ids"]
    first_page, second_page = succeeded(observed, "list_page_1"), succeeded(observed, "list_page_2")
    assert first_page["next_token"] and len(first_page["session_ids"]) == 1 and len(second_page["session_ids"]) == 1
    assert set(first_page["session_ids"] + second_page["session_ids"]) == set(everything["session_ids"])


def test_get_and_labels(observed: dict[str, Any]) -> None:
    succeeded(observed, "get")
    data = succeeded(observed, "get_session")["data"]
    assert data["status"] == "RUNNING" and data["session_id"]
    assert data["link_url"] and data["token"] and data["app_instance_id"] and data["resource_id"]
    assert "resourceId=" in data["resource_url"]
    succeeded(observed, "set_labels")
    assert succeeded(observed, "get_labels")["data"] == {"suite": observed["suite"], "lang": "ü", "stage": "set"}
    assert succeeded(observed, "list_after_set")["session_ids"] == [data["session_id"]]


def test_code_run_with_rich_results(observed: dict[str, Any]) -> None:
    value = succeeded(observed, "run_value")
    assert value["logs"]["stdout"] == ["hello\n"]
    main = [r for r in value["results"] if r["is_main_result"]]
    assert [r["text"] for r in main] == ["42"]
    assert [r["text"] for r in succeeded(observed, "run_state")["results"]] == ["82"]  # state kept between runs

    rich = succeeded(observed, "run_rich")["results"]
    assert [r["html"] for r in rich if r["html"]] == ["<b>bold</b>"]
    assert [r["png"] for r in rich if r["png"]] == [observed["png_b64"]]
    assert [r["text"] for r in rich if r["is_main_result"]] == ["{'k': [1, 2]}"]

    failed = ok(observed, "run_exception")
    assert failed["success"] is False
    assert "ZeroDivisionError" in failed["error_message"]
    assert failed["logs"]["stdout"] == ["before\n"]

    assert succeeded(observed, "run_alias_py3")["logs"]["stdout"] == ["42\n"]
    assert succeeded(observed, "run_javascript")["logs"]["stdout"] == ["42\n"]


@needs_java
def test_code_run_java(observed: dict[str, Any]) -> None:
    run = succeeded(observed, "run_java")
    assert run["logs"]["stdout"] == ["java 41\n"] and [r["text"] for r in run["results"]] == ["42"]
    assert [r["text"] for r in succeeded(observed, "run_java_state")["results"]] == ["82"]  # JShell kept x
    failed = ok(observed, "run_java_error")
    assert failed["success"] is False and failed["error_message"].startswith("java.lang.NumberFormatException")


@needs_r
def test_code_run_r(observed: dict[str, Any]) -> None:
    run = succeeded(observed, "run_r")
    assert run["logs"]["stdout"] == ["r 41 \n"] and [r["text"] for r in run["results"]] == ["[1] 42"]
    assert [r["text"] for r in succeeded(observed, "run_r_state")["results"]] == ["[1] 82"]  # R kept x
    failed = ok(observed, "run_r_error")
    assert failed["success"] is False and "bad thing" in failed["error_message"]
    streamed = succeeded(observed, "run_r_streamed")  # over the session WebSocket, as "R" (the client lowercases)
    assert streamed["logs"]["stdout"] == ["streamed\n"] and [r["text"] for r in streamed["results"]] == ["[1] 41"]


def test_command_execute_with_exit_codes_cwd_and_envs(observed: dict[str, Any]) -> None:
    hi = succeeded(observed, "exec_ok")
    assert hi["output"] == "hi\n" and hi["exit_code"] == 0
    three = ok(observed, "exec_exit_3")
    assert three["success"] is False and three["exit_code"] == 3
    assert three["output"] == "out\nerr\n" and three["stdout"] == "out\n" and three["stderr"] == "err\n"
    assert succeeded(observed, "exec_cwd")["output"] == "/tmp\n"
    assert succeeded(observed, "exec_envs")["output"] == "hallo\n"
    slow = ok(observed, "exec_timeout")
    assert slow["success"] is False and slow["exit_code"] == 124
    assert observed["exec_timeout"]["seconds"] < 5


def test_every_file_method_including_chunked_reads_and_writes(observed: dict[str, Any]) -> None:
    big: str = observed["big_text"]
    # Two 51200-character write chunks and two 51200-byte read chunks, multi-byte characters at the seams.
    assert len(big) > 51200 and len(big.encode()) > 51200
    assert not big[51190:51210].isascii() and not big.encode()[51190:51210].isascii()

    assert succeeded(observed, "mkdir")["data"] is True
    assert succeeded(observed, "write_big")["data"] is True
    assert succeeded(observed, "read_big_text")["content"] == big
    assert base64.b64decode(succeeded(observed, "read_big_bytes")["content"]["bytes_b64"]) == big.encode()
    for step in ("write_small", "write_append", "write_empty", "edit", "move", "remove"):
        assert succeeded(observed, step)["data"] is True, step
    assert succeeded(observed, "read_empty")["content"] == ""
    entries = succeeded(observed, "list")["entries"]
    assert sorted((e["name"], e["isDirectory"]) for e in entries) == [
        ("a.txt", False),
        ("empty.txt", False),
        ("sub", True),
    ]
    info = succeeded(observed, "info_file")["file_info"]
    assert info["size"] == len(big.encode()) and info["isDirectory"] is False
    assert succeeded(observed, "info_dir")["file_info"]["isDirectory"] is True
    assert succeeded(observed, "read_after_edit")["content"] == "hello\nthere\nagain\n"
    assert sorted(succeeded(observed, "search")["matches"]) == [
        "/tmp/compat/big.txt",
        "/tmp/compat/dir/b.txt",
        "/tmp/compat/dir/empty.txt",
    ]
    assert succeeded(observed, "search_none")["matches"] == []
    assert succeeded(observed, "read_batch")["contents"] == {
        "/tmp/compat/dir/b.txt": "hello\nthere\nagain",  # the client strips each file's text
        "/tmp/compat/dir/empty.txt": "",
    }
    gone = ok(observed, "read_removed")
    assert gone["success"] is False and "No such file" in gone["error_message"]


def test_watch_dir_reports_a_new_file(observed: dict[str, Any]) -> None:
    events = ok(observed, "watch_dir")
    assert {"event_type": "create", "path": "/tmp/compat/watched.txt", "path_type": "file"} in events


def test_session_services(observed: dict[str, Any]) -> None:
    succeeded(observed, "keep_alive")
    assert succeeded(observed, "get_status")["status"] == "RUNNING"
    assert succeeded(observed, "info")["data"]["session_id"]
    tools = {tool["name"] for tool in succeeded(observed, "list_mcp_tools")["tools"]}
    assert tools == TOOLS
    direct = json.loads(succeeded(observed, "call_mcp_tool")["data"])
    assert direct["stdout"] == "direct\n" and direct["exit_code"] == 0
    unknown = ok(observed, "call_mcp_tool_unknown")
    assert unknown["success"] is False and "unknown tool 'no_such_tool'" in unknown["error_message"]


def test_delete_and_its_status_polling_finish_in_seconds(observed: dict[str, Any]) -> None:
    # HEAD deletes with releaseSessionAsync, then polls getSessionInfo until InvalidMcpSession.NotFound
    # (giving up after 300 s); agb_local must let it finish on its first polls.
    for step in ("delete", "agb_delete_second"):
        succeeded(observed, step)
        assert observed[step]["seconds"] < 10, observed[step]["seconds"]
    gone = ok(observed, "get_deleted")
    assert gone["success"] is False and "not found" in gone["error_message"]
    assert succeeded(observed, "list_after_delete")["session_ids"] == []


def test_the_session_offers_the_direct_routes_and_the_vendor_code_image(observed: dict[str, Any]) -> None:
    fields = ok(observed, "fields")
    assert fields["ws_url"].startswith("ws://") and fields["token"] and fields["link_url"].startswith("http://")
    succeeded(observed, "create_code_space_2")
    assert succeeded(observed, "space_2_run")["logs"]["stdout"] == ["space 2\n"]
    succeeded(observed, "space_2_delete")


def test_stream_beta_delivers_stdout_as_it_is_printed(observed: dict[str, Any]) -> None:
    stream = ok(observed, "stream_run")
    result = stream["result"]
    assert result["success"] is True, result["error_message"]
    assert [chunk for _, chunk in stream["chunks"]] == ["tick 0\n", "tick 1\n", "tick 2\n"]
    assert result["logs"]["stdout"] == ["tick 0\n", "tick 1\n", "tick 2\n"]
    assert [r["text"] for r in result["results"]] == ["42"] and result["execution_count"]
    first = stream["chunks"][0][0]
    assert first < stream["seconds"] - 0.6, "the first chunk came at the end, not as it was printed"
    error = ok(observed, "stream_error")
    assert error["success"] is False and error["error"]["name"] == "KeyError"


def test_get_metrics(observed: dict[str, Any]) -> None:
    metrics = succeeded(observed, "get_metrics")["metrics"]
    assert metrics["cpu_count"] >= 1 and 0 <= metrics["cpu_used_pct"] <= 100
    assert 0 < metrics["mem_used"] <= metrics["mem_total"] and 0 <= metrics["disk_used"] <= metrics["disk_total"]
    assert metrics["timestamp"] and metrics["rx_used_kbyte"] == 0


def test_get_link_reaches_a_server_in_the_session(observed: dict[str, Any]) -> None:
    assert succeeded(observed, "serve_port")["exit_code"] == 0
    url = succeeded(observed, "get_link")["data"]
    assert url.startswith("http://127.0.0.1:") and "/links/" in url
    assert succeeded(observed, "get_link_default")["data"] == url  # no port: 30100
    assert succeeded(observed, "get_link_https")["data"] == url  # no TLS on loopback: the plain scheme
    bad = ok(observed, "get_link_bad_port")
    assert bad["success"] is False
    assert ok(observed, "link_fetch") == {"status": 200, "body": "linked\n"}
    closed = ok(observed, "link_fetch_closed")
    assert closed["status"] == 502 and "nothing listens on port 30199" in closed["body"]
    assert observed["link_fetch_closed"]["seconds"] < 2


def test_the_link_url_route_answers_as_mcp_does(observed: dict[str, Any]) -> None:
    via_link, via_mcp = succeeded(observed, "route_link"), succeeded(observed, "route_mcp")
    assert via_link["stdout"] == via_mcp["stdout"] == "route\n"
    link_error, mcp_error = ok(observed, "route_link_error"), ok(observed, "route_mcp_error")
    assert link_error["success"] is mcp_error["success"] is False
    assert link_error["error_message"] == mcp_error["error_message"] != ""
    forged = ok(observed, "route_link_forged")
    assert forged["success"] is False and "401" in forged["error_message"]


def test_the_client_file_upload_works(observed: dict[str, Any]) -> None:
    """`file.upload` goes through the context service and a presigned URL (test_official_contexts.py)."""
    upload = ok(observed, "upload")
    assert upload["success"] is True, upload["error_message"]


def test_an_unreachable_package_index_skips_with_the_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from . import conftest

    monkeypatch.setattr(conftest, "VENV", tmp_path / "venv")
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)  # no configured mirrors or wheel directories
    monkeypatch.setenv("PIP_INDEX_URL", "http://127.0.0.1:9/simple")
    monkeypatch.delenv("PIP_FIND_LINKS", raising=False)
    monkeypatch.setenv("PIP_RETRIES", "0")
    monkeypatch.setenv("PIP_DEFAULT_TIMEOUT", "5")
    with pytest.raises(pytest.skip.Exception, match=f"cannot install {OFFICIAL}=={VERSION} from the package index"):
        conftest.install_official_client()
