"""Contexts: named persistent storage of an API key, synced into sessions and back, independent of HTTP.

* A context belongs to the key that made it; another key's context is indistinguishable from a missing one
  (404 `InvalidContext.NotFound`). Its files live on disk (context_files.py), its record in contexts.sqlite3
  (context_store.py); both survive restarts.
* A session mounts contexts at creation (`persistenceDataList`): each is copied into the sandbox before the
  create answers (`downloadPolicy.autoDownload`), and copied back before the session's files are deleted
  (`uploadPolicy.autoUpload`), also when the session is reaped or released after a restart. SyncContext copies
  on demand, either way. Each copy is a task that GetContextInfo reports: `Pending`, then `Success` or `Failed`.
* A session's internal `file_transfer` context is made on first use and deleted with the session. Uploads
  through its URLs wait in its inbox until a `download` sync delivers them; `upload` syncs copy sandbox files
  into it for download URLs. Its paths map one to one onto the sandbox's, anywhere under /home/user or /tmp.
* Storage per key is capped (`context_quota_mb`): an upload past it is a 413, a sync past it a failed task.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import posixpath
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import ServerConfig
from .context_files import (
    Allow,
    BadKey,
    ContextTree,
    CopyReport,
    QuotaError,
    SyncError,
    copy_from_sandbox,
    copy_into_sandbox,
    ensure_sandbox_dir,
    is_under,
    normalize_key,
    rebase,
    sandbox_root,
    whitelist,
)
from .context_store import (
    AVAILABLE,
    CLEARING,
    FILE_TRANSFER,
    ContextRecord,
    ContextStore,
    Mount,
    new_context_id,
)
from .envelope import ApiError, bad_parameter
from .presigned import Signer, forbidden, load_secret

log = logging.getLogger("agb_local")

MIB = 1024 * 1024
TRANSFER_PATH = "/tmp/file_transfer"
UPLOAD, DOWNLOAD = "upload", "download"
SUCCESS, FAILED, PENDING = "Success", "Failed", "Pending"
# A SyncContext answers as soon as its copy is done, or after this long with the task still Pending: small
# syncs are finished when a poller first looks, and a huge one does not hold the HTTP call.
SYNC_GRACE_S = 1.0
MAX_TASKS_PER_SESSION = 256


def context_not_found(context_id: str) -> ApiError:
    return ApiError(404, "InvalidContext.NotFound", f"context {context_id} not found")


def iso(t: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


@dataclass(frozen=True)
class MountRequest:
    """One checked `persistenceDataList` item; `problem` says why it cannot be mounted (its task fails)."""

    context: ContextRecord
    path: str
    prefix: str
    policy: dict[str, Any]
    problem: str


@dataclass(frozen=True)
class Target:
    """One copy of a sync: the sandbox path, the context and key it pairs with, and how."""

    context: ContextRecord
    path: str
    key: str
    allow: Allow
    mirror: bool
    inbox: bool  # the file-transfer context: downloads deliver (and remove) inbox files


Lookup = Callable[[str, str], object]  # (owner, session id) -> the live session, or raise its ApiError


class ContextService:
    def __init__(self, config: ServerConfig, lookup: Lookup, session_dir: Callable[[str], Path]) -> None:
        self.root = config.data_dir / "contexts"
        self.store = ContextStore(config.data_dir / "contexts.sqlite3")
        self.signer = Signer(load_secret(config.data_dir), config.presigned_url_ttl_s)
        self.quota = config.context_quota_mb * MIB
        self._lookup = lookup
        self._session_dir = session_dir
        # session id -> (context id, path, task type) -> the latest task's status item
        self._tasks: dict[str, dict[tuple[str, str, str], dict[str, Any]]] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._background: set[asyncio.Task[Any]] = set()

    # ------------------------------------------------------------------ lifecycle
    async def start(self, live: Callable[[str], bool]) -> None:
        """After a restart: clear what interrupted uploads left, finish interrupted clears, and drop the
        internal contexts and mounts of sessions that are gone."""
        self.root.mkdir(parents=True, exist_ok=True)
        for record in self.store.all():
            tree = self.tree(record.id)
            await asyncio.to_thread(tree.clean_incoming)
            if record.state == CLEARING:
                self._spawn(self._clear(record.id))
        for record in self.store.all_internal():
            if record.session_id and not live(record.session_id):
                await self._remove(record.id)
        for session_id in self.store.mounted_sessions():
            if not live(session_id):
                self.store.remove_mounts(session_id)

    async def stop(self) -> None:
        if self._background:
            await asyncio.gather(*self._background, return_exceptions=True)
        self.store.close()

    def _spawn(self, coro: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    def tree(self, context_id: str) -> ContextTree:
        return ContextTree(self.root / context_id)

    # ------------------------------------------------------------------ contexts
    def owned(self, owner: str, context_id: str) -> ContextRecord:
        record = self.store.get(context_id)
        if record is None or record.owner != owner:
            raise context_not_found(context_id)
        return record

    def page(self, owner: str, limit: int, after: str) -> tuple[list[ContextRecord], str, int]:
        records = self.store.of_owner(owner)
        rest = [r for r in records if r.id > after] if after else records
        page = rest[:limit]
        return page, (page[-1].id if len(rest) > limit else ""), len(records)

    def get(self, owner: str, context_id: str | None, name: str | None, allow_create: bool) -> ContextRecord:
        context_id = (context_id or "").strip() or None
        name = (name or "").strip() or None
        if context_id is None and name is None:
            raise ApiError(404, "InvalidContext.NotFound", "no context matches: give the context's id or name")
        if context_id is not None:
            record = self.owned(owner, context_id)
            if name is not None and record.name != name:
                raise context_not_found(context_id)
            return record
        assert name is not None
        found = self.store.by_name(owner, name)
        if found is not None:
            return found
        if not allow_create:
            raise ApiError(404, "InvalidContext.NotFound", f"no context named {name!r}")
        return self._create(owner, name)

    def _create(self, owner: str, name: str, session_id: str | None = None, kind: str | None = None) -> ContextRecord:
        now = time.time()
        record = ContextRecord(new_context_id(), owner, name, AVAILABLE, now, now, 0, session_id, kind)
        self.tree(record.id).create()
        self.store.add(record)
        log.info("created context %s", record.id)
        return record

    def rename(self, owner: str, context_id: str, name: str) -> None:
        record = self.owned(owner, context_id)
        other = self.store.by_name(owner, name)
        if other is not None and other.id != record.id:
            raise ApiError(409, "InvalidContext.NameConflict", f"a context named {name!r} already exists")
        self.store.rename(record.id, name)

    async def delete(self, owner: str, context_id: str) -> None:
        await self._remove(self.owned(owner, context_id).id)

    async def _remove(self, context_id: str) -> None:
        self.store.remove(context_id)
        self.store.remove_mounts_of_context(context_id)
        await asyncio.to_thread(self.tree(context_id).destroy)
        log.info("deleted context %s", context_id)

    def clear(self, owner: str, context_id: str) -> None:
        record = self.owned(owner, context_id)
        if record.state != CLEARING:
            self.store.set_state(record.id, CLEARING)
            self._spawn(self._clear(record.id))

    async def _clear(self, context_id: str) -> None:
        try:
            await asyncio.to_thread(self.tree(context_id).clear)
        except Exception:
            log.exception("clearing context %s failed", context_id)
        if self.store.get(context_id) is not None:
            self.store.set_bytes(context_id, 0)
            self.store.set_state(context_id, AVAILABLE)

    # ------------------------------------------------------------------ files
    def list_files(
        self, owner: str, context_id: str, parent: str | None, page: int, size: int
    ) -> tuple[list[dict[str, Any]], int]:
        record = self.owned(owner, context_id)
        folder = _key(parent or "/", allow_root=True)
        entries = self.tree(record.id).children(folder)
        chosen = entries[(page - 1) * size : page * size]
        return [
            {
                "fileId": "f-" + hashlib.sha256(f"{record.id}:{e.key}".encode()).hexdigest()[:16],
                "fileName": posixpath.basename(e.key),
                "filePath": e.key,
                "fileType": "folder" if e.is_dir else "file",
                "gmtCreate": iso(e.created),
                "gmtModified": iso(e.modified),
                "size": e.size,
                "status": AVAILABLE,
            }
            for e in chosen
        ], len(entries)

    async def delete_file(self, owner: str, context_id: str, path: str) -> None:
        record = self.owned(owner, context_id)
        tree = self.tree(record.id)
        await asyncio.to_thread(tree.delete, _key(path))
        self.store.set_bytes(record.id, await asyncio.to_thread(tree.size))

    def file_url(self, owner: str, context_id: str, path: str, method: str) -> tuple[str, int]:
        record = self.owned(owner, context_id)
        return self.signer.url(record.id, _key(path), method)

    # -- what the presigned transfers need (presigned.py)
    def transfer_target(self, context_id: str) -> tuple[ContextRecord, ContextTree, str]:
        record = self.store.get(context_id)
        if record is None:
            raise forbidden("the presigned URL's context no longer exists")
        if record.state == CLEARING:
            raise forbidden("the presigned URL's context is being cleared")
        return record, self.tree(record.id), "inbox" if record.kind == FILE_TRANSFER else "files"

    def room(self, owner: str) -> int:
        return max(0, self.quota - self.store.used_bytes(owner))

    def quota_error(self, needed: int, room: int) -> ApiError:
        return ApiError(
            413,
            "QuotaExceeded.ContextStorage",
            f"this upload needs {needed / MIB:.1f} MiB but the key's contexts have {room / MIB:.1f} MiB of their "
            f"{self.quota / MIB:.0f} MiB left; delete files or contexts first",
        )

    def stored(self, record: ContextRecord, key: str, area: str, size: int) -> str:
        tree = self.tree(record.id)
        self.store.set_bytes(record.id, tree.size())
        self.store.touch(record.id, time.time())
        st = tree.host_path(key, area).stat()
        return f'"{st.st_size}-{st.st_mtime_ns}"'

    # ------------------------------------------------------------------ sessions
    def internal(self, owner: str, session_id: str, types: list[str] | None) -> list[tuple[ContextRecord, str]]:
        self._lookup(owner, session_id)
        if types is not None and FILE_TRANSFER not in types:
            return []
        record = self.store.internal(session_id, FILE_TRANSFER)
        if record is None:
            record = self._create(owner, f"{FILE_TRANSFER}-{session_id}", session_id, FILE_TRANSFER)
        with contextlib.suppress(OSError, SyncError):
            ensure_sandbox_dir(self._session_dir(session_id), TRANSFER_PATH)
        return [(record, TRANSFER_PATH)]

    def check_mounts(self, owner: str, items: object) -> list[MountRequest]:
        """createSession's `persistenceDataList`, checked before the session is made. An unknown context is a
        404 (no session is made); a path or policy agb_local cannot use becomes that mount's failed task."""
        out = []
        for i, item in enumerate(items if isinstance(items, list) else []):
            where = f"persistenceDataList[{i}]"
            record = self.owned(owner, str(item.get("contextId") or "").strip())
            raw_path = str(item.get("path") or "").strip()
            try:
                path = _sandbox_path(raw_path, where)
                policy = _policy(item.get("policy"), where)
                mapping = policy.get("mappingPolicy")
                prefix = path
                if isinstance(mapping, dict) and isinstance(mapping.get("path"), str) and mapping["path"].strip():
                    prefix = _key(mapping["path"], allow_root=True)
            except ApiError as exc:
                out.append(MountRequest(record, raw_path, raw_path, {}, exc.message))
                continue
            out.append(MountRequest(record, path, prefix, policy, ""))
        return out

    async def mount(self, session_id: str, mounts: list[MountRequest]) -> None:
        """Record the session's mounts and download those that ask for it, before the create answers."""
        now = time.time()
        for bad in (m for m in mounts if m.problem):
            failed = Target(bad.context, bad.path, bad.path, lambda rel, is_dir: True, mirror=False, inbox=False)
            self._record(session_id, failed, DOWNLOAD, FAILED, bad.problem, now, now)
        good = [m for m in mounts if not m.problem]
        records = [Mount(session_id, m.context.id, m.path, m.prefix, m.policy) for m in good]
        self.store.add_mounts(records)
        async with self._lock(session_id):
            for mount in records:
                if mount.part("downloadPolicy", "autoDownload", True):
                    target = self._target_of_mount(mount, mount.path)
                    if target is not None:
                        await self._run(session_id, target, DOWNLOAD)

    async def before_release(self, session_id: str) -> None:
        """Upload the mounts that ask for it, then drop the session's internal contexts, mounts and tasks.
        Runs before the session's files are deleted; waits for a sync in progress."""
        async with self._lock(session_id):
            for mount in self.store.mounts(session_id):
                if mount.part("uploadPolicy", "autoUpload", True):
                    target = self._target_of_mount(mount, mount.path)
                    if target is not None:
                        await self._run(session_id, target, UPLOAD)
            self.store.remove_mounts(session_id)
            for record in self.store.internal_of(session_id):
                await self._remove(record.id)
        self._tasks.pop(session_id, None)
        self._locks.pop(session_id, None)

    def _lock(self, session_id: str) -> asyncio.Lock:
        lock = self._locks.get(session_id)
        if lock is None:
            lock = self._locks[session_id] = asyncio.Lock()
        return lock

    def _target_of_mount(self, mount: Mount, path: str) -> Target | None:
        record = self.store.get(mount.context_id)
        if record is None:
            return None  # the context was deleted since the session mounted it
        wl = whitelist((mount.policy.get("bwList") or {}).get("whiteLists"))
        offset = path[len(mount.path) :] or "/"
        return Target(
            context=record,
            path=path,
            key=rebase(path, mount.path, mount.prefix),
            allow=lambda rel, is_dir: wl(normalize_key(offset + "/" + rel, allow_root=True), is_dir),
            mirror=bool(mount.part("deletePolicy", "syncLocalFile", True)),
            inbox=False,
        )

    def _targets(self, owner: str, session_id: str, context_id: str | None, path: str | None) -> list[Target]:
        """What a SyncContext copies: the mounts of `context_id`, those at or above `path` (for that path), or
        every mount; the file-transfer context maps any path one to one. Nothing mounted: a 404."""
        self._lookup(owner, session_id)
        key = _key(path, allow_root=True) if path else None
        transfer = self.store.internal(session_id, FILE_TRANSFER)
        if transfer is not None and context_id == transfer.id:
            if key is None:
                raise ApiError(404, "InvalidContext.NotFound", "the file-transfer context syncs one path: give path")
            return [Target(transfer, key, key, lambda rel, is_dir: True, mirror=False, inbox=True)]
        targets = []
        for mount in self.store.mounts(session_id):
            if (not context_id or mount.context_id == context_id) and (key is None or is_under(key, mount.path)):
                target = self._target_of_mount(mount, key or mount.path)
                if target is not None:
                    targets.append(target)
        if not targets and (context_id or key):
            what = f"context {context_id}" if context_id else "no context"
            where = f" at or above {key}" if key else ""
            raise ApiError(404, "InvalidContext.NotFound", f"{what} is not mounted{where} in session {session_id}")
        return targets

    async def sync(self, owner: str, session_id: str, context_id: str | None, path: str | None, mode: str) -> None:
        targets = self._targets(owner, session_id, context_id, path)
        for target in targets:
            self._record(session_id, target, mode, PENDING, "", time.time(), 0)
        job = asyncio.ensure_future(self._sync_all(session_id, targets, mode))
        self._background.add(job)
        job.add_done_callback(self._background.discard)
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(asyncio.shield(job), SYNC_GRACE_S)

    async def _sync_all(self, session_id: str, targets: list[Target], mode: str) -> None:
        async with self._lock(session_id):
            for target in targets:
                await self._run(session_id, target, mode)

    async def _run(self, session_id: str, target: Target, mode: str) -> None:
        """One copy, recorded as a task. Never raises: a failure is the task's errorMessage."""
        started = time.time()
        self._record(session_id, target, mode, PENDING, "", started, 0)
        tree = self.tree(target.context.id)
        error = ""
        try:
            directory = self._session_dir(session_id)
            if not directory.exists():
                raise SyncError("the session was released before the sync could run")
            if mode == DOWNLOAD:
                area = "inbox" if target.inbox else "files"
                source = tree.host_path(target.key, area)
                report = await asyncio.to_thread(
                    copy_into_sandbox, source, directory, target.path, target.allow, remove_source=target.inbox
                )
            else:
                reserve = self._reserver(target.context.owner, tree)
                report = await asyncio.to_thread(
                    copy_from_sandbox,
                    directory,
                    target.path,
                    tree,
                    target.key,
                    target.allow,
                    reserve=reserve,
                    mirror=target.mirror,
                    link=target.inbox,
                )
            if not self._session_dir(session_id).exists():
                raise SyncError("the session was released during the sync; what was copied until then is kept")
            error = _problems(report)
        except (SyncError, BadKey) as exc:
            error = str(exc)
        except OSError as exc:
            error = f"{target.path}: {exc.strerror or exc}"
        except Exception as exc:
            log.exception("sync of %s in %s failed", target.path, session_id)
            error = f"internal error: {type(exc).__name__}: {exc}"
        if self.store.get(target.context.id) is not None:
            self.store.set_bytes(target.context.id, await asyncio.to_thread(tree.size))
            self.store.touch(target.context.id, time.time())
        self._record(session_id, target, mode, FAILED if error else SUCCESS, error, started, time.time())

    def _reserver(self, owner: str, tree: ContextTree) -> Callable[[str, int], None]:
        """What a sync may add: checked in the copying thread against a snapshot of the key's usage."""
        state = {"left": self.room(owner)}

        def reserve(key: str, size: int) -> None:
            entry = tree.entry(key)
            grows = size - (entry.size if entry is not None and not entry.is_dir else 0)
            if grows > state["left"]:
                raise QuotaError(
                    f"{key}: the key's context storage quota ({self.quota / MIB:.0f} MiB) is full; "
                    "delete files or contexts first"
                )
            state["left"] -= max(0, grows)

        return reserve

    def _record(
        self, session_id: str, target: Target, mode: str, status: str, error: str, started: float, finished: float
    ) -> None:
        tasks = self._tasks.setdefault(session_id, {})
        key = (target.context.id, target.path, mode)
        tasks.pop(key, None)  # re-inserted last: items are in the order their latest task started
        tasks[key] = {
            "contextId": target.context.id,
            "path": target.path,
            "errorMessage": error,
            "status": status,
            "startTime": int(started),
            "finishTime": int(finished),
            "taskType": mode,
        }
        while len(tasks) > MAX_TASKS_PER_SESSION:
            tasks.pop(next(iter(tasks)))

    def info(
        self, owner: str, session_id: str, context_id: str | None, path: str | None, task_type: str | None
    ) -> list[dict[str, Any]]:
        self._lookup(owner, session_id)
        return [
            dict(item)
            for item in self._tasks.get(session_id, {}).values()
            if (not context_id or item["contextId"] == context_id)
            and (not path or item["path"] == path)
            and (not task_type or item["taskType"] == task_type)
        ]


def _key(path: str, *, allow_root: bool = False) -> str:
    """A request's file path as a key. Only the root, where a file is named, is refused: the schema allows
    the text, and there is no such file (404). A path no file can have (NUL, overlong names) is a key that
    finds nothing; storing something there fails at the upload (presigned.py)."""
    if not allow_root and normalize_key(path.replace("\x00", "_"), allow_root=True) == "/":
        raise ApiError(404, "InvalidContext.FileNotFound", f"filePath: {path!r} names the root folder, not a file")
    return "/" + posixpath.normpath("/" + path.strip()).lstrip("/")


def _sandbox_path(path: str, where: str) -> str:
    try:
        key = normalize_key(path, allow_root=True)
        sandbox_root(Path("/"), key)
    except BadKey as exc:
        raise bad_parameter(f"{where}: {exc}") from None
    return key


def _policy(raw: object, where: str) -> dict[str, Any]:
    if raw in (None, ""):
        return {}
    try:
        value = json.loads(str(raw))
    except ValueError as exc:
        raise bad_parameter(f"{where}.policy is not valid JSON: {exc}") from None
    if not isinstance(value, dict):
        raise bad_parameter(f"{where}.policy must be a JSON object (a SyncPolicy)")
    return value


def _problems(report: CopyReport) -> str:
    if not report.problems:
        return ""
    more = f" (and {len(report.problems) - 1} more)" if len(report.problems) > 1 else ""
    return f"{report.problems[0]}{more}"


__all__ = ["TRANSFER_PATH", "ContextService", "context_not_found", "iso"]
