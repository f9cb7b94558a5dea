"""The vendor's browser-use and computer-use image ids end to end, on both faces: their sessions run shell, file,
code and metrics tools as a code image does, listTools lists those tools, and their browser and desktop (the
spec's capabilities) answer an error saying this backend has none, through the SDK's tool surface and through
the generated client for the browser operations the SDK has no method for."""

from __future__ import annotations

from typing import Any

import pytest
from agb_api.api.browser import get_cdp_link, init_browser
from agb_api.client import AuthenticatedClient
from agb_api.models import EmptyRequest, ErrorResponse

import agb_spec
from agb import AGB, ToolError
from agb.session_params import CreateSessionParams

from .helpers import call, fresh

pytestmark = pytest.mark.asyncio(loop_scope="module")

# Every documented image outside the code family: the ids of the vendor's browser and computer-use docs.
VENDOR_IMAGES = sorted(
    image for image, family in agb_spec.documented_images().items() if agb_spec.image_families()[family].capabilities
)
NO_BROWSER_OR_DESKTOP = "this backend has no browser or desktop"


async def test_the_vendor_ids_are_the_documented_ones() -> None:
    assert {"agb-browser-use-1", "agb-computer-use-ubuntu-2204", "agb-computer-use-1", "browser_latest"} == set(
        VENDOR_IMAGES
    )


@pytest.mark.parametrize("image_id", VENDOR_IMAGES)
async def test_shell_files_code_and_metrics_work(agb: Any, image_id: str) -> None:
    async with fresh(agb, CreateSessionParams(image_id=image_id)) as session:
        cmd = await call(session.command.execute("echo $AGB_IMAGE; pwd", timeout_ms=10_000))
        assert cmd.exit_code == 0 and cmd.stdout == f"{image_id}\n/home/user\n", cmd
        written = await call(session.file.write("/home/user/notes.txt", "héllo"))
        assert written.success, written.error_message
        assert (await call(session.file.read("/home/user/notes.txt"))).content == "héllo"
        assert "notes.txt" in [e["name"] for e in (await call(session.file.list("/home/user"))).entries]
        run = await call(session.code.run("import pandas\nx = 20\nx + 22", "python"))
        assert run.success and run.result == "42", run.error_message
        js = await call(session.code.run("console.log(6 * 7)", "javascript"))
        assert js.success and js.logs.stdout == ["42\n"], js.error_message
        metrics = (await call(session.get_metrics())).unwrap()
        assert metrics.cpu_count >= 1 and 0 < metrics.mem_used < metrics.mem_total


@pytest.mark.parametrize("image_id", VENDOR_IMAGES)
async def test_list_tools_lists_what_is_served(agb: Any, image_id: str) -> None:
    async with fresh(agb, CreateSessionParams(image_id=image_id)) as session:
        listed = await call(session.list_mcp_tools())
        assert listed.success, listed.error_message
        # The code tools (every one works here); none of the browser's or the desktop's, which do not.
        assert [t.name for t in listed.tools] == list(agb_spec.tools())
        assert sorted(t.name for t in session.tool_list) == sorted(agb_spec.tools())


@pytest.mark.parametrize("image_id", VENDOR_IMAGES)
async def test_browser_and_desktop_tools_are_a_clear_tool_error(agb: Any, image_id: str) -> None:
    family = agb_spec.image_families()[agb_spec.documented_images()[image_id]]
    capabilities = agb_spec.capabilities()
    async with fresh(agb, CreateSessionParams(image_id=image_id)) as session:
        for capability in family.capabilities:
            for tool in capabilities[capability].tools:
                result = await call(session.call_mcp_tool(tool, {"x": 1, "y": 2}))
                assert not result.success and isinstance(result.error, ToolError), (tool, result)
                assert NO_BROWSER_OR_DESKTOP in result.error_message and f"the tool {tool}:" in result.error_message
                assert "shell, file, code and metrics tools work" in result.error_message
        # The session is unharmed and still answers its code tools.
        assert (await call(session.command.execute("true", timeout_ms=5000))).exit_code == 0


async def test_the_browser_operations_answer_not_offered(agb: Any, server: Any) -> None:
    """initBrowser and getCdpLink, which the SDK has no method for, through the generated client of the face."""
    async with fresh(agb, CreateSessionParams(image_id="agb-browser-use-1")) as session:
        sync = isinstance(agb, AGB)
        with AuthenticatedClient(base_url=server.endpoint, token=server.api_key) as client:
            calls = [
                (init_browser, {"browser_option": '{"useStealth": false}', "persistent_path": "/tmp/agb_browser"}),
                (get_cdp_link, {}),
            ]
            for module, extra in calls:
                kwargs = {"client": client, "session_id": session.session_id, "body": EmptyRequest(), **extra}
                if sync:
                    reply = module.sync_detailed(**kwargs)
                else:
                    async with AuthenticatedClient(base_url=server.endpoint, token=server.api_key) as aclient:
                        reply = await module.asyncio_detailed(**{**kwargs, "client": aclient})
                assert reply.status_code == agb_spec.LOCAL_NOT_OFFERED_STATUS
                error = reply.parsed
                assert isinstance(error, ErrorResponse) and error.code == agb_spec.LOCAL_NOT_OFFERED_CODE
                assert NO_BROWSER_OR_DESKTOP in error.message and error.success is False
        assert (await call(session.code.run("1 + 1"))).result == "2"


async def test_an_undocumented_image_is_refused_naming_the_known_ones(agb: Any) -> None:
    result = await call(agb.create(CreateSessionParams(image_id="agb-browser-use-9")))
    assert not result.success and "unknown image 'agb-browser-use-9'" in result.error_message
    for image in agb_spec.documented_images():
        assert image in result.error_message
