"""What agb_local does for each operation, independent of HTTP: sessions, labels, tools, reaping.

Handlers (api.py) decode the wire shapes and call this; this raises `ApiError` for API-level failures
and returns tool outcomes (`is_error`, `text`) for everything a tool decides.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .access import Access, current_base_url, load_secret
from .capabilities import tool_reasons
from .config import ServerConfig
from .contexts import ContextService
from .envelope import (
    ApiError,
    bad_parameter,
    internal,
    quota_exceeded,
    session_not_found,
    session_releasing,
    storage_failure,
    token_refused,
)
from .registry import DELETING, RUNNING, Registry, SessionRecord, new_session_id, owner_of
from .sandbox import SandboxManager
from .sandbox.images import Image, default_image_id, load_images
from .sandbox.netns import PortClosed
from .toolspec import ToolSpec, load_tools

log = logging.getLogger("agb_local")

NO_ISOLATION_WARNING = (
    "--isolation none: sessions are NOT sandboxed. Code and shell commands run as this user with full access "
    "to this machine and its network; file tools are confined to each session's directory, nothing else is. "
    "Use only with code you trust."
)

SERVER_NAME = "agb_local"
# Tools the server answers itself, from the sandbox's accounting, not the agent inside it.
HOST_TOOLS = frozenset({"get_metrics"})
DEFAULT_LINK_PORT = 30100


@dataclass
class ToolReply:
    is_error: bool
    text: str


@dataclass
class Page:
    sessions: list[SessionRecord]
    next_token: str
    total: int


class AgbService:
    def __init__(self, config: ServerConfig, spec: Mapping[str, Any]) -> None:
        self.config = config
        self.images: dict[str, Image] = load_images(config.images_file)
        self.default_image = default_image_id(config.images_file)
        if self.default_image not in self.images:
            raise ValueError(f"the image catalogue has no default image {self.default_image!r}")
        self.tools: dict[str, ToolSpec] = load_tools(spec)
        self.unserved_tools = tool_reasons(spec)  # a browser's and a desktop's, which no sandbox here has
        self._keys = {owner_of(k) for k in config.api_keys}
        self.registry = Registry(config.registry_path)
        self.access = Access(load_secret(config.data_dir))
        self.sandboxes = SandboxManager(config.sandbox)
        self.contexts = ContextService(config, self.lookup, self.sandboxes.session_dir)
        self._releases: set[asyncio.Task[None]] = set()
        self._reaper: asyncio.Task[None] | None = None
        # Idle clocks live in memory and reach the registry once per reap cycle: a write per call was a
        # tenth of the server's time per tool call, and after a restart the clocks start again anyway.
        self._last_used: dict[str, float] = {}
        # Calls running per session: a session in the middle of a call is never idle, however long it runs.
        self._busy: dict[str, int] = {}

    # ------------------------------------------------------------------ lifecycle
    async def start(self) -> None:
        if self.config.sandbox.isolation == "none":  # every start, embedded or served
            log.warning(NO_ISOLATION_WARNING)
        # Sessions that were live when the server stopped are still live; their sandboxes start again
        # on first use. Downtime does not count as idleness.
        try:
            self.registry.touch_all(time.time())
        except sqlite3.Error as exc:  # a full disk must not keep the server from starting
            log.warning("could not restart the idle clocks: %s", exc)
        for record in self.registry.all():
            if record.status == DELETING:  # a release that the stop interrupted: finish it
                self._spawn_release(record.id)
        await self.sandboxes.start()
        await self.contexts.start(lambda sid: self.registry.get(sid) is not None)
        # Image environments build in the background; a create on an image still building waits for it.
        self.sandboxes.prepare_images(list(self.images.values()), self.images[self.default_image])
        self._reaper = asyncio.create_task(self._reap_forever(), name="agb_local-reaper")

    async def stop(self) -> None:
        if self._reaper:
            self._reaper.cancel()
        self._flush_clocks()
        if self._releases:
            await asyncio.gather(*self._releases, return_exceptions=True)
        await self.sandboxes.close()
        await self.contexts.stop()
        self.registry.close()

    # ------------------------------------------------------------------ auth
    def authenticate(self, api_key: str) -> str | None:
        owner = owner_of(api_key)
        return owner if owner in self._keys else None

    # ------------------------------------------------------------------ sessions
    def image(self, image_id: str | None) -> Image:
        image_id = image_id or self.default_image
        image = self.images.get(image_id)
        if image is None:
            known = ", ".join(sorted(self.images))
            raise bad_parameter(f"unknown image {image_id!r}; known images: {known}", "InvalidParameter.ImageId")
        return image

    async def create(
        self,
        owner: str,
        image_id: str | None,
        labels: Mapping[str, str],
        idle_timeout: int | None,
        policy_id: str | None,
    ) -> SessionRecord:
        image = self.image(image_id)
        live = self.registry.count_live(owner)
        if live >= self.config.max_sessions_per_key:
            raise quota_exceeded(
                f"this API key already has {live} live sessions (the limit is "
                f"{self.config.max_sessions_per_key}); release one first"
            )
        now = time.time()
        record = SessionRecord(
            id=new_session_id(),
            owner=owner,
            image_id=image.id,
            labels=dict(labels),
            status=RUNNING,
            policy_id=policy_id,
            idle_timeout=idle_timeout or self.config.idle_timeout_s,
            created_at=now,
            last_used_at=now,
        )
        with _saving(f"the new session {record.id}"):
            self.registry.add(record)
        try:
            await self.sandboxes.create(record.id, image)
        except Exception as exc:
            log.exception("sandbox for %s failed to start", record.id)
            with contextlib.suppress(sqlite3.Error):
                self.registry.remove(record.id)
            await self._destroy_quietly(record.id)
            raise internal(f"the sandbox failed to start: {exc}") from exc
        log.info("created %s (image %s)", record.id, image.id)
        return record

    def lookup(self, owner: str, session_id: str, *, allow_releasing: bool = False) -> SessionRecord:
        record = self.registry.get(session_id)
        # Another key's session is indistinguishable from a missing one: no existence oracle.
        if record is None or record.owner != owner:
            raise session_not_found(session_id)
        if record.status == DELETING and not allow_releasing:
            raise session_releasing(session_id)
        return record

    def use(self, owner: str, session_id: str) -> SessionRecord:
        """Look up a live session for a call on it; any call resets its idle timer."""
        record = self.lookup(owner, session_id)
        self._last_used[session_id] = time.time()
        return record

    async def release(self, owner: str, session_id: str, *, wait: bool) -> None:
        record = self.lookup(owner, session_id, allow_releasing=True)
        task: asyncio.Task[None] | None
        if record.status != DELETING:
            try:
                self.registry.set_status(session_id, DELETING)
            except sqlite3.Error as exc:
                # Most likely a full disk, and releasing sessions is how a user frees space: free this one's
                # files first, then record the release.
                log.warning("could not record the release of %s (%s); freeing its files first", session_id, exc)
                await self._destroy_quietly(session_id)
                with _saving(f"the release of {session_id}"):
                    self.registry.set_status(session_id, DELETING)
            task = self._spawn_release(session_id)
        else:
            task = next((t for t in self._releases if t.get_name() == f"release-{session_id}"), None)
        if wait and task is not None:
            await asyncio.shield(task)

    def _spawn_release(self, session_id: str) -> asyncio.Task[None]:
        task = asyncio.create_task(self._finish_release(session_id), name=f"release-{session_id}")
        self._releases.add(task)
        task.add_done_callback(self._releases.discard)
        return task

    async def _finish_release(self, session_id: str) -> None:
        try:  # mounted contexts are uploaded while the session's files still exist
            await self.contexts.before_release(session_id)
        except Exception:
            log.exception("syncing the contexts of %s before its release failed", session_id)
        await self._destroy_quietly(session_id)
        try:
            self.registry.remove(session_id)
        except sqlite3.Error as exc:  # it stays DELETING: the next start finishes the release
            log.error("could not remove the released session %s from the registry: %s", session_id, exc)
            return
        self._last_used.pop(session_id, None)
        log.info("released %s", session_id)

    async def _destroy_quietly(self, session_id: str) -> None:
        try:
            await self.sandboxes.destroy(session_id)
        except Exception:
            log.exception("destroying the sandbox of %s failed", session_id)

    def set_labels(self, owner: str, session_id: str, labels: Mapping[str, str]) -> None:
        self.use(owner, session_id)
        with _saving(f"the labels of {session_id}"):
            self.registry.set_labels(session_id, labels)

    def list_sessions(self, owner: str, labels: Mapping[str, str], limit: int, after: str) -> Page:
        # The token is the id of the last session of the previous page: any string is a valid position
        # in id order, so pages neither repeat nor skip sessions that live throughout the walk.
        matching = [r for r in self.registry.live_of(owner) if r.matches(labels)]
        rest = [r for r in matching if r.id > after] if after else matching
        page = rest[:limit]
        next_token = page[-1].id if len(rest) > limit else ""
        return Page(page, next_token, len(matching))

    # ------------------------------------------------------------------ direct routes
    def direct_fields(self, record: SessionRecord) -> dict[str, Any]:
        """The identity and direct-route fields of createSession/getSession `data`."""
        base = current_base_url.get()
        ws_base = "ws" + base.removeprefix("http")
        tools = [{"name": name, "server": SERVER_NAME} for name in self.tools]
        return {
            "appInstanceId": self.access.app_instance_id(record.id),
            "resourceId": self.access.resource_id(record.id),
            "resourceUrl": self.access.resource_url(base, record.id),
            "linkUrl": f"{base}/link",
            "wsUrl": f"{ws_base}/ws",
            "token": self.access.session_token(record.owner, record.id),
            "toolList": json.dumps(tools),
        }

    def by_token(self, token: str | None) -> SessionRecord:
        """The live session a session token authorises, or a 401 (a 409 while it is being released)."""
        session_id = self.access.token_session(token) if token else None
        record = self.registry.get(session_id) if session_id else None
        if record is None or token is None or not self.access.token_valid(token, record.owner, record.id):
            raise token_refused()
        return self.use(record.owner, record.id)

    def link(self, owner: str, session_id: str, protocol: str | None, port: int | None) -> str:
        """A port link's URL (the spec's getLink); the port range is the spec's, checked by the router."""
        record = self.use(owner, session_id)
        port = port or DEFAULT_LINK_PORT
        base = current_base_url.get()
        if protocol in ("ws", "wss"):
            base = "ws" + base.removeprefix("http")
        return f"{base}/links/{self.access.link_token(record.owner, record.id, port)}/"

    async def open_link(self, token: str) -> tuple[SessionRecord, Any]:
        """The session of a port link and a socket connected to its port; LookupError for a link that is not
        (or no longer) valid, PortClosed when nothing listens on the port."""
        parts = self.access.link_parts(token)
        record = self.registry.get(parts[0]) if parts else None
        if parts is None or record is None or record.status != RUNNING:
            raise LookupError("no such link")
        if not self.access.link_valid(token, record.owner, record.id, parts[1]):
            raise LookupError("no such link")
        self._last_used[record.id] = time.time()
        image = self.images.get(record.image_id) or self.images[self.default_image]
        try:
            sock = await self.sandboxes.connect_port(record.id, parts[1], image=image)
        except PortClosed:
            raise
        except Exception as exc:
            raise PortClosed(f"the session's port {parts[1]} cannot be reached: {exc}") from exc
        return record, sock

    # ------------------------------------------------------------------ tools
    def tool_descriptors(self) -> list[dict[str, Any]]:
        return [
            {
                "name": t.name,
                "description": t.description,
                "inputSchema": t.input_schema,
                "server": SERVER_NAME,
                "tool": t.name,
            }
            for t in self.tools.values()
        ]

    async def call_tool(
        self,
        owner: str,
        session_id: str,
        name: str,
        raw_args: str | None,
        on_event: Callable[[dict[str, Any]], None] | None = None,
    ) -> ToolReply:
        """Run one tool; with `on_event`, run_code's output also reaches it as it is printed."""
        record = self.use(owner, session_id)
        tool = self.tools.get(name)
        if tool is None and name in self.unserved_tools:
            return ToolReply(True, self.unserved_tools[name])
        if tool is None:
            return ToolReply(True, f"unknown tool {name!r}; available tools: {', '.join(sorted(self.tools))}")
        try:
            args = json.loads(raw_args) if raw_args not in (None, "") else {}
        except (ValueError, RecursionError) as exc:
            return ToolReply(True, f"args is not valid JSON: {exc}")
        if not isinstance(args, dict):
            return ToolReply(True, f"args must be a JSON object, not {type(args).__name__}")
        problems = tool.problems(args)
        if problems:
            return ToolReply(True, f"invalid arguments for {name}: " + "; ".join(problems))
        image = self.images.get(record.image_id) or self.images[self.default_image]
        self._busy[session_id] = self._busy.get(session_id, 0) + 1
        try:
            if name in HOST_TOOLS:
                metrics = await self.sandboxes.metrics(session_id, image=image)
                return ToolReply(False, json.dumps(metrics))
            # The sandbox runtime bounds the call by the tool's own timeout plus slack.
            outcome = await self.sandboxes.call_tool(session_id, name, args, image=image, on_event=on_event)
        except Exception as exc:
            log.exception("tool %s on %s failed", name, session_id)
            return ToolReply(True, f"the sandbox could not run {name}: {exc}")
        finally:
            self._last_used[session_id] = time.time()
            if self._busy[session_id] == 1:
                del self._busy[session_id]
            else:
                self._busy[session_id] -= 1
        return ToolReply(outcome.is_error, outcome.text)

    # ------------------------------------------------------------------ reaping
    async def _reap_forever(self) -> None:
        while True:
            await asyncio.sleep(self.config.reap_interval_s)
            try:
                await self.reap_idle()
            except Exception:
                log.exception("reaping idle sessions failed")

    def _flush_clocks(self) -> None:
        if self._last_used:
            try:
                self.registry.touch_many(self._last_used.items())
            except sqlite3.Error as exc:  # a full disk: keep the clocks in memory and try again next time
                log.warning("could not save the idle clocks: %s", exc)
                return
            self._last_used.clear()

    async def reap_idle(self, now: float | None = None) -> list[str]:
        self._flush_clocks()
        reaped = []
        for record in self.registry.idle(now or time.time()):
            if record.status == RUNNING and record.id not in self._busy:
                log.info("releasing %s: idle for more than %d s", record.id, record.idle_timeout)
                self.registry.set_status(record.id, DELETING)
                self._spawn_release(record.id)
                reaped.append(record.id)
        return reaped


@contextlib.contextmanager
def _saving(what: str) -> Iterator[None]:
    """A registry write the caller needs: its failure (a full disk, mostly) is a clear API error."""
    try:
        yield
    except sqlite3.Error as exc:
        log.error("could not save %s: %s", what, exc)
        raise storage_failure(exc) from exc


def decode_labels(text: str | None, field: str) -> dict[str, str]:
    """Decode a labels JSON string; the spec's pattern already guarantees the shape, this double-checks."""
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise bad_parameter(f"{field} is not valid JSON: {exc}") from exc
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and k and v for k, v in value.items()
    ):
        raise bad_parameter(f'{field} must be a JSON object of non-empty strings, e.g. {{"project": "demo"}}')
    return value


__all__ = ["AgbService", "ApiError", "Page", "ToolReply", "decode_labels"]
