"""The official client (agbcloud-sdk 0.12.0) on the vendor's browser-use and computer-use image ids
(tests/compat/vendor_images_driver.py runs the steps): its own file-system and get_metrics examples work as on a
code image, and its browser and computer modules get the reason agb_local has neither, where the client shows one:
`browser.initialize()` only returns False (the client logs the reply, message included), the CDP link and the
desktop tools carry the message to the user."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import agb_spec
from agb_local.embedded import EmbeddedServer

from .conftest import run_driver
from .test_official_client import ok, succeeded

pytestmark = pytest.mark.compat

IMAGES = ("agb-browser-use-1", "agb-computer-use-ubuntu-2204")
NO_BROWSER_OR_DESKTOP = "this backend has no browser or desktop"
TEST_CONTENT = "This is a test file content.\nIt has multiple lines.\nThis is the third line."
LARGE = ("This is a line of test content for large file testing. " * 20) * 500


@pytest.fixture(scope="module")
def seen(official_python: Path, agb_local: EmbeddedServer, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    work = tmp_path_factory.mktemp("official-vendor-images")
    return run_driver(official_python, agb_local, work, "vendor_images_driver.py")


@pytest.mark.parametrize("image", IMAGES)
def test_the_file_system_example(seen: dict[str, Any], image: str) -> None:
    succeeded(seen, f"{image}/create")
    for step in ("write", "append", "mkdir", "edit", "move", "write_large"):
        assert succeeded(seen, f"{image}/{step}")["data"] is True, step
    assert succeeded(seen, f"{image}/read")["content"] == TEST_CONTENT
    appended = TEST_CONTENT + "\nThis is an appended line."
    assert succeeded(seen, f"{image}/read_appended")["content"] == appended
    entries = {(e["name"], e["isDirectory"]) for e in succeeded(seen, f"{image}/list")["entries"]}
    assert {("test_directory", True), ("test_file.txt", False)} <= entries
    info = succeeded(seen, f"{image}/info")["file_info"]
    assert info["isFile"] is True and info["size"] == len(appended.encode())
    edited = appended.replace("This is the third line.", "This line has been edited.")
    assert succeeded(seen, f"{image}/read_moved")["content"] == edited
    matches = succeeded(seen, f"{image}/search")["matches"]
    assert {f"/tmp/test_directory/file{i}.txt" for i in (1, 2, 3)} <= set(matches)
    contents = succeeded(seen, f"{image}/read_multiple")["contents"]
    assert contents["/tmp/test_directory/file1.txt"] == "contains the word SEARCHABLE" and len(contents) == 3
    assert succeeded(seen, f"{image}/read_large")["content"] == LARGE


@pytest.mark.parametrize("image", IMAGES)
def test_the_get_metrics_example_command_and_code(seen: dict[str, Any], image: str) -> None:
    metrics = succeeded(seen, f"{image}/metrics")["metrics"]
    assert metrics["cpu_count"] >= 1 and 0 <= metrics["cpu_used_pct"] <= 100
    assert 0 < metrics["mem_used"] < metrics["mem_total"] and 0 < metrics["disk_used"] < metrics["disk_total"]
    assert metrics["timestamp"]
    assert succeeded(seen, f"{image}/command")["stdout"] == f"{image}\n"
    assert succeeded(seen, f"{image}/code")["logs"]["stdout"] == ["42\n"]
    assert [t["name"] for t in succeeded(seen, f"{image}/list_tools")["tools"]] == list(agb_spec.tools())


@pytest.mark.parametrize("image", IMAGES)
def test_the_browser_says_why_it_is_missing(seen: dict[str, Any], image: str) -> None:
    assert ok(seen, f"{image}/browser_initialize") is False  # all the client returns
    # The client logs the reply it refused, message included: the one place its user reads why.
    log = "".join(seen[f"{image}/browser_initialize_log"])
    assert (
        "NotImplemented.LocalBackend" in log and f"agb_local does not offer initBrowser: {NO_BROWSER_OR_DESKTOP}" in log
    )
    refused = seen[f"{image}/browser_endpoint"]  # the client refuses before asking: not initialised
    assert refused["ok"] is False and "Browser is not initialized" in refused["exception"]
    cdp = ok(seen, f"{image}/cdp_link")
    assert (cdp["ok"], cdp["status"]) == (False, agb_spec.LOCAL_NOT_OFFERED_STATUS)
    assert cdp["error"].startswith(f"agb_local does not offer getCdpLink: {NO_BROWSER_OR_DESKTOP}")
    stop = ok(seen, f"{image}/stop_chrome")
    assert stop["success"] is False and NO_BROWSER_OR_DESKTOP in stop["error_message"]


@pytest.mark.parametrize("image", IMAGES)
def test_the_desktop_says_why_it_is_missing(seen: dict[str, Any], image: str) -> None:
    screenshot = seen[f"{image}/screen_beta_screenshot"]  # a ScreenError carrying the tool's text
    assert screenshot["ok"] is False and screenshot["exception"].startswith(
        f"ScreenError: Failed to take screenshot via MCP tool 'screenshot': agb_local does not offer the tool "
        f"screenshot: {NO_BROWSER_OR_DESKTOP}"
    )
    # capture() is refused by the client itself where a session has a linkUrl, pointing at the call above.
    capture = ok(seen, f"{image}/screen_capture")
    assert capture["success"] is False and "beta_take_screenshot" in capture["error_message"]
    click = ok(seen, f"{image}/mouse_click")
    assert click["success"] is False and click["request_id"]
    assert click["error_message"].startswith(f"agb_local does not offer the tool click_mouse: {NO_BROWSER_OR_DESKTOP}")
    # The session is unharmed.
    assert succeeded(seen, f"{image}/still_works")["stdout"] == "still\n"
    succeeded(seen, f"{image}/delete")
