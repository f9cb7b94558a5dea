"""Drive the vendor's browser-use and computer-use image ids with the official AGB client (agbcloud-sdk 0.12.0),
unchanged; record what it saw.

Run with the compat virtualenv's python, as driver.py (whose Recorder it uses):

    .cache/compat-venv/bin/python tests/compat/vendor_images_driver.py ENDPOINT API_KEY OUT.json

Per image (`agb-browser-use-1`, `agb-computer-use-ubuntu-2204`): the steps of the client's own file-system example
(docs/examples/file_system/main.py) and get_metrics example (session_management/get_metrics.py, whose image is
`agb-computer-use-ubuntu-2204`), a command and code, then what a user of its browser and computer modules meets:
`browser.initialize()` (with the client's log, where the reply's message is the only place it shows), the CDP link
through the client's own HTTP client, `computer.screen.beta_take_screenshot()`, `screen.capture()` and
`mouse.click()`.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

from agb.api.models.get_cdp_link_request import GetCdpLinkRequest
from agb.modules.browser import BrowserOption
from loguru import logger

from agb import AGB
from agb.config import Config
from agb.session_params import CreateSessionParams

_spec = importlib.util.spec_from_file_location("compat_driver", Path(__file__).with_name("driver.py"))
assert _spec is not None and _spec.loader is not None
_driver = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_driver)
Recorder, write = _driver.Recorder, _driver.write

IMAGES = ("agb-browser-use-1", "agb-computer-use-ubuntu-2204")
TEST_CONTENT = "This is a test file content.\nIt has multiple lines.\nThis is the third line."
APPEND = "\nThis is an appended line."
LARGE = ("This is a line of test content for large file testing. " * 20) * 500  # the example's ~560 KB


def file_system_example(rec: Recorder, image: str, fs: Any) -> None:
    """The steps of the client's file-system example (in 0.12.0's names: `write` for `write_file`, ...)."""
    path, folder = "/tmp/test_file.txt", "/tmp/test_directory"
    rec.step(f"{image}/write", lambda: fs.write(path, TEST_CONTENT, "overwrite"))
    rec.step(f"{image}/read", lambda: fs.read(path))
    rec.step(f"{image}/append", lambda: fs.write(path, APPEND, "append"))
    rec.step(f"{image}/read_appended", lambda: fs.read(path))
    rec.step(f"{image}/mkdir", lambda: fs.mkdir(folder))
    rec.step(f"{image}/list", lambda: fs.list("/tmp"))
    rec.step(f"{image}/info", lambda: fs.info(path))
    edits = [{"oldText": "This is the third line.", "newText": "This line has been edited."}]
    rec.step(f"{image}/edit", lambda: fs.edit(path, edits))
    rec.step(f"{image}/move", lambda: fs.move(path, f"{folder}/moved_file.txt"))
    rec.step(f"{image}/read_moved", lambda: fs.read(f"{folder}/moved_file.txt"))
    for name, text in (("file1", "contains the word SEARCHABLE"), ("file2", "does not"), ("file3", "SEARCHABLE too")):
        fs.write(f"{folder}/{name}.txt", text, "overwrite")
    rec.step(f"{image}/search", lambda: fs.search(folder, "file"))
    many = [f"{folder}/file{i}.txt" for i in (1, 2, 3)]
    rec.step(f"{image}/read_multiple", lambda: fs.read_batch(many))
    rec.step(f"{image}/write_large", lambda: fs.write("/tmp/large_file.txt", LARGE))
    rec.step(f"{image}/read_large", lambda: fs.read("/tmp/large_file.txt"))


def browser_and_desktop(rec: Recorder, image: str, session: Any) -> None:
    """What a user of the official browser and computer modules gets from a backend without either."""
    logged: list[str] = []
    sink = logger.add(lambda message: logged.append(str(message)), level="INFO")
    try:
        rec.step(f"{image}/browser_initialize", lambda: session.browser.initialize(BrowserOption()))
    finally:
        logger.remove(sink)
    rec.steps[f"{image}/browser_initialize_log"] = logged
    rec.step(f"{image}/browser_endpoint", lambda: session.browser.get_endpoint_url())

    def cdp_link() -> dict[str, Any]:
        request = GetCdpLinkRequest(authorization=f"Bearer {session.get_api_key()}", session_id=session.session_id)
        response = session.get_client().get_cdp_link(request)
        return {"ok": response.is_successful(), "status": response.status_code, "error": response.get_error_message()}

    rec.step(f"{image}/cdp_link", cdp_link)
    rec.step(f"{image}/screen_beta_screenshot", lambda: session.computer.screen.beta_take_screenshot())
    rec.step(f"{image}/screen_capture", lambda: session.computer.screen.capture())
    rec.step(f"{image}/mouse_click", lambda: session.computer.mouse.click(100, 100))
    rec.step(f"{image}/stop_chrome", lambda: session.call_mcp_tool("stopChrome", {}))


def one_image(rec: Recorder, agb: AGB, image: str) -> None:
    created = rec.step(f"{image}/create", lambda: agb.create(CreateSessionParams(image_id=image)))
    if created is None or not created.success:
        return
    session = created.session
    file_system_example(rec, image, session.file)
    rec.step(f"{image}/metrics", lambda: session.get_metrics())
    rec.step(f"{image}/command", lambda: session.command.execute("echo $AGB_IMAGE", timeout_ms=10_000))
    rec.step(f"{image}/code", lambda: session.code.run("import pandas\nprint(6 * 7)", "python"))
    rec.step(f"{image}/list_tools", lambda: session.list_mcp_tools())
    browser_and_desktop(rec, image, session)
    rec.step(f"{image}/still_works", lambda: session.command.execute("echo still", timeout_ms=10_000))
    rec.step(f"{image}/delete", lambda: agb.delete(session))


def main(endpoint: str, api_key: str, out: str) -> None:
    agb = AGB(api_key=api_key, cfg=Config(endpoint=endpoint, timeout_ms=60000))
    rec = Recorder()
    for image in IMAGES:
        one_image(rec, agb, image)
    write(out, rec)


if __name__ == "__main__":
    main(*sys.argv[1:4])
