"""Contexts and file transfer end to end, on both faces: persistent storage across sessions, the context
service's every method, session.context, and session.file.upload/download of big files with progress."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import pytest

from agb import Context, ContextListParams, ContextSync, InvalidParameterError, SyncPolicy
from agb.context_sync import DeletePolicy, MappingPolicy, UploadPolicy
from agb.session_params import CreateSessionParams

from .helpers import call, unique

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def read(session: Any, path: str) -> str:
    result = await call(session.file.read(path))
    assert result.success, result.error_message
    return str(result.content)


async def test_files_persist_across_sessions(agb: Any) -> None:
    context = (await call(agb.context.get(unique("persist"), create=True))).unwrap()
    mount = [ContextSync(context.id, "/home/user/project", SyncPolicy())]
    first = (await call(agb.create(CreateSessionParams(context_syncs=mount)))).unwrap()
    assert (await call(first.file.write("/home/user/project/notes.md", "kept"))).success
    assert (await call(first.delete(sync_context=True))).success  # (agb_local also uploads on any delete)
    second = (await call(agb.create(CreateSessionParams(context_syncs=mount)))).unwrap()
    assert await read(second, "/home/user/project/notes.md") == "kept"
    info = (await call(second.context.info())).unwrap()
    assert [(t.context_id, t.path, t.status, t.task_type) for t in info] == [
        (context.id, "/home/user/project", "Success", "download")
    ]
    await call(second.delete())
    listing = (await call(agb.context.list_files(context.id, "/home/user/project"))).unwrap()
    assert [e.file_name for e in listing] == ["notes.md"]
    assert (await call(agb.context.delete(context))).success


async def test_mapping_policy_moves_data_to_another_path(agb: Any) -> None:
    context = (await call(agb.context.create(unique("mapping")))).unwrap()
    first = (
        await call(agb.create(CreateSessionParams(context_syncs=[ContextSync(context.id, "/tmp/mapping")])))
    ).unwrap()
    await call(first.file.write("/tmp/mapping/a.txt", "from the first"))
    await call(first.delete())
    policy = SyncPolicy(mapping_policy=MappingPolicy("/tmp/mapping"), upload_policy=UploadPolicy(auto_upload=False))
    params = CreateSessionParams(context_syncs=[ContextSync(context.id, "/home/user/data", policy)])
    second = (await call(agb.create(params))).unwrap()
    assert await read(second, "/home/user/data/a.txt") == "from the first"
    await call(second.delete())
    await call(agb.context.delete(context.id))


async def test_context_service_methods(agb: Any, other: Any) -> None:
    names = [unique("svc") for _ in range(3)]
    made = [(await call(agb.context.get(n, create=True))).unwrap() for n in names]
    page = (await call(agb.context.list(ContextListParams(max_results=2)))).unwrap()
    assert len(page) <= 2
    first = await call(agb.context.list(ContextListParams(max_results=2)))
    assert first.total_count is not None and first.total_count >= 3 and first.next_token  # real pagination
    renamed = Context(id=made[0].id, name=unique("renamed"))
    assert (await call(agb.context.update(renamed))).success
    assert (await call(agb.context.get(context_id=made[0].id))).context.name == renamed.name
    # Another key sees nothing of ours.
    assert not (await call(other.context.get(context_id=made[0].id))).success
    url = (await call(agb.context.get_file_upload_url(made[1].id, "/tmp/x.txt"))).unwrap()
    assert url.startswith("http://127.0.0.1") and agb.api_key not in url
    assert (await call(agb.context.get_file_download_url(made[1].id, "/tmp/x.txt"))).success
    cleared = await call(agb.context.clear(made[1].id, timeout=10, poll_interval=0.2))
    assert cleared.success and cleared.status == "available"
    assert (await call(agb.context.delete_file(made[1].id, "/tmp/x.txt"))).success
    for context in made:
        assert (await call(agb.context.delete(context))).success
    missing = await call(agb.context.get(names[1]))
    assert not missing.success and missing.error is not None and missing.error.status_code == 404


async def test_upload_download_big_file_with_progress(agb: Any, tmp_path: Path) -> None:
    session = (await call(agb.create())).unwrap()
    data = os.urandom(24 * 1024 * 1024 + 17)
    local = tmp_path / "in.bin"
    local.write_bytes(data)
    sent: list[int] = []
    up = await call(session.file.upload(str(local), "/home/user/in/big.bin", progress_cb=sent.append))
    assert up.success, up.error_message
    assert up.bytes_sent == len(data) and sent[-1] == len(data) and len(sent) == 25
    digest = await call(session.command.execute("sha256sum /home/user/in/big.bin"))
    assert digest.stdout.split()[0] == hashlib.sha256(data).hexdigest()
    await call(session.command.execute("cp /home/user/in/big.bin /tmp/copy.bin && echo -n end >> /tmp/copy.bin"))
    got: list[int] = []
    out = tmp_path / "out.bin"
    down = await call(session.file.download("/tmp/copy.bin", str(out), progress_cb=got.append))
    assert down.success, down.error_message
    assert out.read_bytes() == data + b"end" and got[-1] == len(data) + 3
    missing = await call(session.file.download("/tmp/none.bin", str(tmp_path / "none.bin")))
    assert not missing.success and "no such file" in missing.error_message
    assert not (tmp_path / "none.bin").exists()
    bad = await call(session.file.download("/tmp/copy.bin", str(tmp_path / "no" / "out.bin")))
    assert isinstance(bad.error, InvalidParameterError)
    assert await call(session.file.transfer_path()) == "/tmp/file_transfer"
    await call(session.delete())


async def test_sync_on_demand_and_wait_false(agb: Any, tmp_path: Path) -> None:
    context = (await call(agb.context.create(unique("ondemand")))).unwrap()
    policy = SyncPolicy(upload_policy=UploadPolicy(auto_upload=False), delete_policy=DeletePolicy(False))
    session = (
        await call(agb.create(CreateSessionParams(context_syncs=[ContextSync(context.id, "/tmp/w", policy)])))
    ).unwrap()
    await call(session.file.write("/tmp/w/a.txt", "a"))
    synced = await call(session.context.sync(context.id, "/tmp/w", "upload"))
    assert synced.success, synced.error_message
    assert [e.file_name for e in (await call(agb.context.list_files(context.id, "/tmp/w"))).entries] == ["a.txt"]
    local = tmp_path / "b.txt"
    local.write_text("b")
    quick = await call(session.file.upload(str(local), "/tmp/w/b.txt", wait=False))
    assert quick.success and quick.request_id_sync
    assert await read(session, "/tmp/w/b.txt") == "b"  # agb_local finishes small syncs before answering
    await call(session.delete())
    await call(agb.context.delete(context))
