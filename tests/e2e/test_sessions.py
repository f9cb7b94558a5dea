"""Sessions end to end: create, get, delete, list, list_all and every Session method, on both faces."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio

from agb import (
    AGB,
    AsyncAGB,
    AsyncSession,
    InvalidParameterError,
    McpTool,
    Session,
    SessionNotFoundError,
    ToolError,
)
from agb.session_params import CreateSessionParams, ListSessionParams
from agb_local.embedded import EmbeddedServer

from .helpers import call, collect, fresh, unique

pytestmark = pytest.mark.asyncio(loop_scope="module")

FILE_TOOLS = {"read_file", "write_file", "list_directory", "create_directory", "move_file", "get_file_info"}


async def gone(session: Any, within_s: float = 10.0) -> None:
    """Wait until the service no longer knows `session` (a release finishes in the background)."""
    deadline = time.monotonic() + within_s
    while True:
        status = await call(session.get_status())
        if isinstance(status.error, SessionNotFoundError):
            return
        assert status.success, status.error_message
        assert status.status in ("RUNNING", "DELETING"), status
        assert time.monotonic() < deadline, f"{session.session_id} still {status.status} after {within_s} s"
        await asyncio.sleep(0.1)


# ---------------------------------------------------------------- the embedded backend


async def test_local_starts_a_private_backend_and_close_stops_it(face: str) -> None:
    cls = AGB if face == "sync" else AsyncAGB
    client = cls.local(pool_size=1)
    try:
        assert isinstance(client, cls)
        endpoint = client.endpoint
        assert endpoint.startswith("http://127.0.0.1:")
        assert client.api_key and client.api_key not in repr(client)
        async with fresh(client) as session:
            out = await call(session.command.execute("echo from-local"))
            assert out.stdout == "from-local\n"
    finally:
        await call(client.close())
    with pytest.raises(httpx.ConnectError):
        httpx.get(endpoint + "/mcp/listSessions", timeout=5)


# ---------------------------------------------------------------- create


async def test_create_with_the_default_image(agb: Any, face: str) -> None:
    created = await call(agb.create())
    assert created.success and created.error is None and created.request_id
    session = created.unwrap()
    try:
        assert isinstance(session, Session if face == "sync" else AsyncSession)
        assert session.session_id and session.get_session_id() == session.session_id
        assert session.image_id == "code_latest" and session.labels == {}
        assert session.agb is agb
        image = await call(session.command.execute("echo $AGB_IMAGE"))
        assert image.stdout == "code_latest\n"
        assert (await call(session.get_labels())).data == {}
    finally:
        await call(session.delete())


async def test_create_with_an_explicit_image(agb: Any) -> None:
    async with fresh(agb, CreateSessionParams(image_id="agb-code-space-1")) as session:
        assert session.image_id == "agb-code-space-1"
        image = await call(session.command.execute("echo $AGB_IMAGE"))
        assert image.stdout == "agb-code-space-1\n"
        assert (await call(session.get_status())).status == "RUNNING"


async def test_create_with_labels(agb: Any) -> None:
    labels = {"project": "e2e", "owner": "Zoë ✓ 東京", "batch": unique()}
    async with fresh(agb, CreateSessionParams(labels=labels)) as session:
        assert session.labels == labels
        assert (await call(session.get_labels())).unwrap() == labels
        listed = await call(agb.list(labels={"batch": labels["batch"], "owner": labels["owner"]}))
        assert listed.session_ids == [session.session_id]


async def test_create_with_a_policy_id(agb: Any, server: EmbeddedServer) -> None:
    # The protocol never echoes the policy back: look at what the backend stored.
    async with fresh(agb, CreateSessionParams(policy_id="policy-e2e-1")) as session:
        record = server.service.registry.get(session.session_id)
        assert record is not None and record.policy_id == "policy-e2e-1"


async def test_idle_timeout_releases_the_session_and_keep_alive_resets_it(agb: Any, server: EmbeddedServer) -> None:
    # The reaper is asked to reap "as of" chosen moments, so the test waits only 0.2 s; a timeout of 2 s
    # keeps the server's own reaper (every 5 s, in real time) away from the sessions meanwhile.
    params = CreateSessionParams(idle_release_timeout=2)
    idle, session = (await call(agb.create(params))).unwrap(), (await call(agb.create(params))).unwrap()
    try:
        await asyncio.sleep(0.2)
        touched = time.time()
        alive = await call(session.keep_alive())
        assert alive.success and alive.data is True and alive.request_id
        # 1.9 s after the keep-alive, `session` is inside its 2 s timeout; `idle`, untouched for 2.1 s, is not.
        reaped = server.run(server.service.reap_idle(now=touched + 1.9))
        assert idle.session_id in reaped and session.session_id not in reaped
        assert session.session_id in server.run(server.service.reap_idle(now=time.time() + 2.5))
        for released in (idle, session):
            await gone(released)
            assert isinstance((await call(agb.get(released.session_id))).error, SessionNotFoundError)
    finally:
        await call(idle.delete())
        await call(session.delete())


async def test_sessions_without_an_idle_timeout_get_the_service_default(agb: Any, server: EmbeddedServer) -> None:
    async with fresh(agb) as session:
        assert session.session_id not in server.run(server.service.reap_idle(now=time.time() + 60))
        assert (await call(session.get_status())).status == "RUNNING"


# ---------------------------------------------------------------- get and delete


async def test_get_reconnects_to_a_live_session(agb: Any, session: Any) -> None:
    got = await call(agb.get(session.session_id))
    assert got.success and got.request_id
    again = got.unwrap()
    assert type(again) is type(session)
    assert again.session_id == session.session_id and again.image_id is None
    await call(session.file.write("/tmp/get-marker.txt", "the same sandbox"))
    assert (await call(again.file.read("/tmp/get-marker.txt"))).content == "the same sandbox"


async def test_delete_then_delete_again(agb: Any) -> None:
    session = (await call(agb.create())).unwrap()
    deleted = await call(agb.delete(session))
    assert deleted.success and deleted.error is None and deleted.request_id
    assert deleted.unwrap() is None
    # delete waits until the service reports the session gone
    assert isinstance((await call(session.get_status())).error, SessionNotFoundError)
    assert isinstance((await call(agb.get(session.session_id))).error, SessionNotFoundError)
    assert session.session_id not in await collect(agb.list_all())

    for again in (
        await call(agb.delete(session)),
        await call(session.delete()),
        await call(agb.delete(session.session_id)),
    ):
        assert not again.success
        assert isinstance(again.error, SessionNotFoundError)
        assert session.session_id in again.error_message and again.request_id
        with pytest.raises(SessionNotFoundError):
            again.unwrap()


async def test_delete_by_id_and_without_waiting(agb: Any) -> None:
    first = (await call(agb.create())).unwrap()
    by_id = await call(agb.delete(first.session_id))
    assert by_id.success
    assert isinstance((await call(agb.get(first.session_id))).error, SessionNotFoundError)

    second = (await call(agb.create())).unwrap()
    quick = await call(agb.delete(second, wait=False))
    assert quick.success
    assert second.session_id not in await collect(agb.list_all())  # out of listings at once
    await gone(second)


async def test_session_delete(agb: Any) -> None:
    session = (await call(agb.create())).unwrap()
    result = await call(session.delete())
    assert result.success and result.request_id
    assert isinstance((await call(agb.get(session.session_id))).error, SessionNotFoundError)


async def test_context_manager_deletes_on_exit(agb: Any, face: str, caplog: pytest.LogCaptureFixture) -> None:
    kept = (await call(agb.create())).unwrap()
    failed = (await call(agb.create())).unwrap()
    early = (await call(agb.create())).unwrap()
    with caplog.at_level(logging.WARNING, logger="agb"):
        if face == "sync":
            with kept as inside:
                assert inside is kept
                assert (await call(inside.get_status())).status == "RUNNING"
            with pytest.raises(RuntimeError), failed:
                raise RuntimeError("the block failed")
            with early:
                assert (await call(early.delete())).success  # deleted in the block: not deleted twice
        else:
            async with kept as inside:
                assert inside is kept
                assert (await call(inside.get_status())).status == "RUNNING"
            with pytest.raises(RuntimeError):
                async with failed:
                    raise RuntimeError("the block failed")
            async with early:
                assert (await call(early.delete())).success
    for session in (kept, failed, early):
        assert isinstance((await call(agb.get(session.session_id))).error, SessionNotFoundError)
    assert not [r for r in caplog.records if r.name == "agb"], "no warning: every delete on exit worked"


# ---------------------------------------------------------------- list and list_all


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def batch(agb: Any) -> AsyncIterator[tuple[str, list[str]]]:
    """Five sessions labelled with one batch value (and n, parity); their ids in creation (= list) order."""
    tag = unique("batch")
    sessions = []
    for n in range(5):
        labels = {"batch": tag, "n": str(n), "parity": "even" if n % 2 == 0 else "odd"}
        sessions.append((await call(agb.create(CreateSessionParams(labels=labels)))).unwrap())
    yield tag, [s.session_id for s in sessions]
    for session in sessions:
        await call(session.delete(wait=False))


async def test_list_filters_by_every_label(agb: Any, batch: tuple[str, list[str]]) -> None:
    tag, ids = batch
    everything = await call(agb.list(labels={"batch": tag}))
    assert everything.success and everything.request_id
    assert everything.session_ids == ids and everything.total_count == 5 and everything.next_token == ""
    assert [s.session_id for s in everything.sessions] == ids
    assert {s.status for s in everything.sessions} == {"RUNNING"}
    assert everything.unwrap() == ids

    even = await call(agb.list(ListSessionParams(labels={"batch": tag, "parity": "even"})))
    assert even.session_ids == [ids[0], ids[2], ids[4]] and even.total_count == 3
    as_dict = await call(agb.list({"batch": tag, "n": "1"}))  # a plain dict is a label filter
    assert as_dict.session_ids == [ids[1]] and as_dict.total_count == 1
    none = await call(agb.list(labels={"batch": tag, "n": "1", "parity": "even"}))
    assert none.success and none.session_ids == [] and none.total_count == 0 and none.next_token == ""
    other_value = await call(agb.list(labels={"batch": tag + "-not"}))
    assert other_value.session_ids == []


async def test_list_without_a_filter_lists_every_session_of_the_key(agb: Any, batch: tuple[str, list[str]]) -> None:
    _, ids = batch
    for unfiltered in (await call(agb.list(limit=100)), await call(agb.list(labels={}, limit=100))):
        assert set(ids) <= set(unfiltered.session_ids)
        assert unfiltered.total_count == len(unfiltered.session_ids)


async def test_list_pages_with_limit_and_next_token(agb: Any, batch: tuple[str, list[str]]) -> None:
    tag, ids = batch
    first = await call(agb.list(labels={"batch": tag}, limit=2))
    assert first.session_ids == ids[:2] and first.max_results == 2 and first.total_count == 5 and first.next_token
    second = await call(agb.list(labels={"batch": tag}, limit=2, next_token=first.next_token))
    assert second.session_ids == ids[2:4] and second.total_count == 5 and second.next_token
    params = ListSessionParams(labels={"batch": tag}, limit=2, next_token=second.next_token)
    last = await call(agb.list(params))
    assert last.session_ids == ids[4:] and last.next_token == ""
    # keywords win over the params object
    override = await call(agb.list(ListSessionParams(labels={"batch": tag}, limit=1), limit=4))
    assert override.session_ids == ids[:4]


async def test_list_page_number(agb: Any, batch: tuple[str, list[str]]) -> None:
    tag, ids = batch
    for page, expected in ((1, ids[:2]), (2, ids[2:4]), (3, ids[4:])):
        listed = await call(agb.list(labels={"batch": tag}, limit=2, page=page))
        assert listed.success and listed.session_ids == expected, page
    beyond = await call(agb.list(labels={"batch": tag}, limit=2, page=4))
    assert isinstance(beyond.error, InvalidParameterError) and "only 3 pages" in beyond.error_message


async def test_list_all_walks_every_page(agb: Any, batch: tuple[str, list[str]], session: Any) -> None:
    tag, ids = batch
    assert await collect(agb.list_all(labels={"batch": tag}, page_size=2)) == ids  # three pages
    assert await collect(agb.list_all({"batch": tag, "parity": "odd"}, page_size=1)) == [ids[1], ids[3]]
    assert await collect(agb.list_all(labels={"batch": tag, "n": "7"})) == []
    everything = await collect(agb.list_all())
    assert set(ids) | {session.session_id} <= set(everything)
    assert len(everything) == len(set(everything))


# ---------------------------------------------------------------- one session


async def test_set_labels_replaces_them(agb: Any) -> None:
    old, new = {"stage": unique("old"), "keep": "x"}, {"stage": unique("new")}
    async with fresh(agb, CreateSessionParams(labels=old)) as session:
        result = await call(session.set_labels(new))
        assert result.success and result.data is True and result.request_id
        assert session.labels == new
        assert (await call(session.get_labels())).data == new
        assert (await call(agb.list(labels={"stage": old["stage"]}))).session_ids == []
        assert (await call(agb.list(labels=new))).session_ids == [session.session_id]
        refused = await call(session.set_labels({}))
        assert isinstance(refused.error, InvalidParameterError)
        assert (await call(session.get_labels())).data == new


async def test_info_status_and_keep_alive(session: Any) -> None:
    info = await call(session.info())
    assert info.success and info.request_id
    assert info.data["session_id"] == session.session_id and "resource_url" in info.data
    status = await call(session.get_status())
    assert status.success and status.unwrap() == "RUNNING"
    alive = await call(session.keep_alive())
    assert alive.success and alive.unwrap() is True


async def test_list_mcp_tools(session: Any) -> None:
    listed = await call(session.list_mcp_tools())
    assert listed.success and listed.request_id
    tools = {tool.name: tool for tool in listed.unwrap()}
    assert {"run_code", "shell", "read_multiple_files", "search_files", "edit_file"} | FILE_TOOLS <= set(tools)
    assert all(isinstance(tool, McpTool) and tool.description for tool in tools.values())
    assert tools["shell"].input_schema["required"] == ["command"]
    assert "timeout_ms" in tools["shell"].input_schema["properties"]
    other_image = await call(session.list_mcp_tools(image_id="agb-code-space-1"))
    assert {tool.name for tool in other_image.tools} == set(tools)
    unknown = await call(session.list_mcp_tools(image_id="no-such-image"))
    assert isinstance(unknown.error, InvalidParameterError) and "code_latest" in unknown.error_message


async def test_call_mcp_tool(session: Any) -> None:
    shell = await call(session.call_mcp_tool("shell", {"command": "echo via-mcp; echo err >&2", "timeout_ms": 5000}))
    assert shell.success and shell.request_id
    output = json.loads(shell.unwrap())
    assert output["stdout"] == "via-mcp\n" and output["stderr"] == "err\n" and output["exit_code"] == 0

    timed = await call(session.call_mcp_tool("run_code", {"code": "6 * 7", "language": "python"}, timeout_s=30))
    assert timed.success and "42" in timed.data

    missing = await call(session.call_mcp_tool("get_file_info", {"path": "/home/user/no-such-file"}))
    assert not missing.success and isinstance(missing.error, ToolError)
    assert "no-such-file" in missing.data and "no-such-file" in missing.error_message

    unknown = await call(session.call_mcp_tool("no_such_tool"))
    assert isinstance(unknown.error, ToolError) and "shell" in unknown.error_message
    with pytest.raises(ToolError):
        unknown.unwrap()


# ---------------------------------------------------------------- concurrency


async def test_concurrent_calls_on_one_client(agb: Any, face: str) -> None:
    """Many calls at once through one client (tasks on the async face, threads on the sync one), each with
    its own tool timeout: every reply reaches the call that made it."""
    sessions = [(await call(agb.create(CreateSessionParams(labels={"worker": str(n)})))).unwrap() for n in range(3)]

    async def work(session: Any, n: int) -> tuple[str, str, str]:
        await call(session.file.write(f"/tmp/worker-{n}.txt", f"worker {n} ✓"))
        run = await call(session.code.run(f"import time\ntime.sleep(0.2)\n'run {n}'", timeout_s=10 + n))
        shell = await call(session.command.execute(f"cat /tmp/worker-{n}.txt", timeout_ms=5000 + n))
        labels = await call(session.get_labels())
        return run.result, shell.stdout, labels.data["worker"]

    try:
        jobs = [work(session, n) for n, session in enumerate(sessions) for _ in range(3)]
        if face == "async":
            results = await asyncio.gather(*jobs)
        else:
            results = await asyncio.gather(*(asyncio.to_thread(asyncio.run, job) for job in jobs))
        expected = [(f"'run {n}'", f"worker {n} ✓", str(n)) for n in range(3) for _ in range(3)]
        assert list(results) == expected
    finally:
        for session in sessions:
            await call(session.delete(wait=False))
