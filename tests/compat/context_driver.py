"""Drive a backend's contexts with the official AGB client (agbcloud-sdk 0.12.0), unchanged; record what it saw.

Run with the compat virtualenv's python, as driver.py (whose Recorder it uses):

    .cache/compat-venv/bin/python tests/compat/context_driver.py ENDPOINT API_KEY WORKDIR OUT.json

The steps: the context service (get-or-create, list, rename, files, presigned URLs used with plain httpx as the
client's own tests do, clear), a session mounting a context (download at create, sync, archive mode,
`delete(sync_context=True)`), and `session.file.upload` / `download`.
"""

from __future__ import annotations

import asyncio
import importlib.util
import sys
import uuid
from pathlib import Path
from typing import Any

import httpx

from agb import AGB
from agb.config import Config
from agb.context import Context
from agb.context_sync import ContextSync, SyncPolicy, UploadMode, UploadPolicy
from agb.session_params import CreateSessionParams

_spec = importlib.util.spec_from_file_location("compat_driver", Path(__file__).with_name("driver.py"))
assert _spec is not None and _spec.loader is not None
_driver = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_driver)
Recorder, write = _driver.Recorder, _driver.write

UPLOADED = b"uploaded through a presigned URL \xe2\x9c\x93\n"


def put(url: str, data: bytes) -> dict[str, Any]:
    r = httpx.put(url, content=data, timeout=60)
    return {"status": r.status_code, "etag": r.headers.get("etag")}


def get(url: str) -> dict[str, Any]:
    r = httpx.get(url, timeout=60)
    return {"status": r.status_code, "content": r.content.decode("utf-8", "replace")}


def main(endpoint: str, api_key: str, workdir: str, out: str) -> None:
    agb = AGB(api_key=api_key, cfg=Config(endpoint=endpoint, timeout_ms=60000))
    rec = Recorder()
    work = Path(workdir)
    name = f"compat-ctx-{uuid.uuid4().hex[:8]}"
    rec.steps["name"] = name

    # ------------------------------------------------------------------ the context service
    made = rec.step("get_create", lambda: agb.context.get(name, create=True))
    if made is None or not made.success:
        write(out, rec)
        return
    ctx = made.context
    rec.step("get_again", lambda: agb.context.get(name, create=True))
    rec.step("get_by_id", lambda: agb.context.get(context_id=ctx.id))
    rec.step("get_missing", lambda: agb.context.get(f"{name}-missing"))
    rec.step("create_other", lambda: agb.context.create(f"{name}-other"))
    rec.step("list", lambda: agb.context.list())
    rec.step("update", lambda: agb.context.update(Context(id=ctx.id, name=f"{name}-renamed")))
    rec.step("get_renamed", lambda: agb.context.get(context_id=ctx.id))
    up = rec.step("upload_url", lambda: agb.context.get_file_upload_url(ctx.id, "/home/user/data/seed.txt"))
    if up is not None and up.success:
        rec.step("put", lambda: put(up.url, UPLOADED))
    down = rec.step("download_url", lambda: agb.context.get_file_download_url(ctx.id, "/home/user/data/seed.txt"))
    if down is not None and down.success:
        rec.step("get", lambda: get(down.url))
    rec.step("list_files", lambda: agb.context.list_files(ctx.id, "/home/user/data", page_number=1, page_size=10))

    # ------------------------------------------------------------------ a session mounting it
    mount = ContextSync.new(ctx.id, "/home/user/data", SyncPolicy())
    archive = ContextSync.new(
        ctx.id, "/tmp/archive-mode-test", SyncPolicy(upload_policy=UploadPolicy(upload_mode=UploadMode.ARCHIVE))
    )
    created = rec.step(
        "create_mounted",
        lambda: agb.create(CreateSessionParams(image_id="code_latest", context_syncs=[mount, archive])),
    )
    if created is not None and created.success:
        session = created.session
        rec.step("info_after_create", lambda: session.context.info())
        rec.step("read_seed", lambda: session.file.read("/home/user/data/seed.txt"))
        rec.step("write_in_mount", lambda: session.file.write("/home/user/data/made.txt", "made in the session"))
        rec.step("write_archive", lambda: session.file.write("/tmp/archive-mode-test/test-file-5kb.txt", "x" * 5120))
        rec.step("sync", lambda: asyncio.run(session.context.sync()))
        rec.step("info_after_sync", lambda: session.context.info())
        rec.step("list_after_sync", lambda: agb.context.list_files(ctx.id, "/home/user/data"))
        rec.step(
            "list_archive",
            lambda: agb.context.list_files(ctx.id, "/tmp/archive-mode-test", page_number=1, page_size=10),
        )

        # -------------------------------------------------------------- file transfer
        fs = session.file
        local = work / "local-upload.txt"
        local.write_bytes(UPLOADED * 1000)
        rec.step("transfer_path", lambda: fs.transfer_path())
        rec.step("ft_upload", lambda: fs.upload(str(local), "/tmp/file_transfer/up.txt"))
        rec.step("ft_read", lambda: fs.read("/tmp/file_transfer/up.txt"))
        rec.step("ft_write", lambda: fs.write("/tmp/file_transfer/down.txt", "from the sandbox ✓"))
        target = work / "downloaded" / "down.txt"
        rec.step("ft_download", lambda: fs.download("/tmp/file_transfer/down.txt", str(target)))
        rec.steps["ft_downloaded"] = target.read_text(encoding="utf-8") if target.exists() else None
        rec.step("delete_sync", lambda: agb.delete(session, sync_context=True))
        rec.step("list_after_delete", lambda: agb.context.list_files(ctx.id, "/home/user/data"))

    # ------------------------------------------------------------------ files, clear, delete
    rec.step("delete_file", lambda: agb.context.delete_file(ctx.id, "/home/user/data/seed.txt"))
    rec.step("list_after_delete_file", lambda: agb.context.list_files(ctx.id, "/home/user/data"))
    rec.step("clear_async", lambda: agb.context.clear_async(ctx.id))
    rec.step("clear", lambda: agb.context.clear(ctx.id, timeout=20, poll_interval=0.5))
    rec.step("list_after_clear", lambda: agb.context.list_files(ctx.id))
    rec.step("delete", lambda: agb.context.delete(ctx))
    rec.step("get_deleted", lambda: agb.context.get(context_id=ctx.id))
    write(out, rec)


if __name__ == "__main__":
    main(*sys.argv[1:5])
