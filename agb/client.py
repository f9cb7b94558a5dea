"""The clients: ``AGB`` (sync) and ``AsyncAGB`` share one surface, ``ClientCore``."""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator, Iterator, Mapping
from functools import cached_property
from typing import Any, ClassVar, Generic, Self, TypeVar, cast

import httpx

from . import _control
from . import context as _context
from ._face import AsyncFace, Face, SyncFace
from ._flow import AsyncDriver, RetryPolicy, SyncDriver
from ._flow import Context as FlowContext
from ._version import __version__
from .config import Config, base_url, mask, resolve_api_key, timeout_seconds
from .context import (
    ClearContextResult,
    Context,
    ContextFileListResult,
    ContextListParams,
    ContextListResult,
    ContextModule,
    ContextResult,
    FileUrlResult,
)
from .errors import AGBError, InvalidParameterError
from .results import DeleteResult, OperationResult, SessionListResult, SessionResult
from .session import AsyncSession, Session, SessionCore
from .session_params import CreateSessionParams, ListSessionParams

__all__ = ["AGB", "AsyncAGB", "AsyncContextService", "ClientCore", "ContextService"]

H = TypeVar("H", httpx.Client, httpx.AsyncClient)

_HEADERS = {"User-Agent": f"agb-sdk-python/{__version__}"}  # on the clients the SDK makes


class ClientCore(Face, Generic[H]):
    """What ``AGB`` and ``AsyncAGB`` share: configuration and the HTTP client (their methods are in each).

    Args:
        api_key: the API key; empty means ``AGB_API_KEY``. No key raises ``AuthenticationError``.
        cfg: endpoint and timeout; None means the defaults overridden by ``AGB_ENDPOINT``/``AGB_TIMEOUT_MS``.
        max_retries: how many times a call may be retried (see ``RetryPolicy``); 0 disables retries.
        http_client: an ``httpx.Client`` (``httpx.AsyncClient`` for ``AsyncAGB``) to send the requests on:
            custom transport, proxies, event hooks, extra headers or query parameters. The SDK never changes
            it and does not close it. Each request carries this ``AGB``'s endpoint and key (an ``Authorization``
            header of the httpx client is replaced, its ``base_url`` not used), so ``AGB``s of other endpoints
            and keys may share one httpx client.
    """

    _session_cls: ClassVar[type[SessionCore]]
    # How each face does I/O: its httpx client class and its driver.
    _wiring: ClassVar[tuple[type[httpx.Client | httpx.AsyncClient], type[SyncDriver | AsyncDriver]]]
    _server: Any = None

    def __init__(
        self, api_key: str = "", cfg: Config | None = None, *, max_retries: int = 2, http_client: H | None = None
    ) -> None:
        self._api_key = resolve_api_key(api_key)
        self.config = Config.from_env() if cfg is None else cfg
        if not isinstance(self.config, Config):
            raise InvalidParameterError(f"cfg must be a Config, got {type(self.config).__name__}")
        self.endpoint = base_url(self.config.endpoint)
        self._timeout = timeout_seconds(self.config.timeout_ms)
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
            raise InvalidParameterError(f"max_retries must be a whole number >= 0, got {max_retries!r}")
        self._ctx = FlowContext(RetryPolicy(max_retries=max_retries))
        http_cls, driver_cls = self._wiring
        if http_client is not None and not isinstance(http_client, http_cls):
            raise InvalidParameterError(f"http_client must be an {http_cls.__module__}.{http_cls.__name__}")
        self._owns_http = http_client is None
        if http_client is not None:
            made: httpx.Client | httpx.AsyncClient = http_client
        else:
            from ._http import async_client, sync_client  # here: httpx has imported httpcore by now

            make = async_client if http_cls is httpx.AsyncClient else sync_client
            made = make(timeout=self._timeout, headers=_HEADERS)
        self._http: H = cast(H, made)
        # The endpoint and the key go with each request (the driver), never onto the httpx client: it may be
        # the caller's, shared with clients of other endpoints and keys.
        self._driver = driver_cls(self._http, self.endpoint, self._timeout, self._api_key)

    @property
    def api_key(self) -> str:
        """The API key in use (never shown by ``repr``)."""
        return self._api_key

    @property
    def timeout_ms(self) -> int:
        return self.config.timeout_ms

    def __repr__(self) -> str:
        return f"{type(self).__name__}(endpoint={self.endpoint!r}, api_key={mask(self._api_key)!r})"

    @classmethod
    def local(cls, **options: Any) -> Self:
        """A client of a local AGB backend started in this process (``agb_local``), stopped on ``close()``.

        `options` go to ``agb_local.embedded.start`` (``data_dir``, ``isolation``...). Needs the ``local``
        extra: ``pip install 'agb-sdk[local]'``.
        """
        try:
            embedded = importlib.import_module("agb_local.embedded")
        except ModuleNotFoundError as exc:
            raise AGBError(
                f"AGB.local() needs the local backend, which is not installed ({exc}): pip install 'agb-sdk[local]'"
            ) from exc
        server = embedded.start(**options)
        try:
            client = cls(api_key=server.api_key, cfg=Config(endpoint=server.endpoint))
        except BaseException:
            server.stop()
            raise
        client._server = server
        return client

    def _stop_server(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.stop()


class AGB(ClientCore[httpx.Client], SyncFace):
    """The AGB client. ``with AGB() as agb:`` closes its connections (and a local backend) on exit."""

    _session_cls = Session
    _wiring = (httpx.Client, SyncDriver)

    def close(self) -> None:
        """Close the connection pool (if the SDK made it) and stop a local backend started by ``local()``."""
        try:
            if self._owns_http:
                self._http.close()
        finally:
            self._stop_server()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # Generated by tools/surface from agb/_surface.py and the flows: edit those and run it, not this part.
    @cached_property
    def context(self) -> ContextService:
        """``agb.context``: contexts, persistent storage of an API key (the official client's ``ContextService``)."""
        return ContextService(self)

    def create(self, params: CreateSessionParams | None = None) -> SessionResult[Session]:
        """Create a session (default image ``code_latest``); ``result.session`` is ready for tool calls.

        Labels, image id, idle timeout and policy id are checked before any request: a bad value gives a failed
        result with an ``InvalidParameterError``.
        """
        return self._driver.run(_control.create(self, params))

    def get(self, session_id: str) -> SessionResult[Session]:
        """Reconnect to a live session by id. An unknown or released id gives a ``SessionNotFoundError``.

        The service does not say which image the session runs, so ``session.image_id`` is None.
        """
        return self._driver.run(_control.get(self, session_id))

    def delete(
        self, session: SessionCore | str, sync_context: bool = False, *, wait: bool = True, timeout_s: float = 60.0
    ) -> DeleteResult:
        """Release a session (a ``Session`` or its id) and, with `wait`, wait until the service reports it gone.

        `sync_context` first uploads its mounted contexts and waits for that (a failure keeps the session).

        The wait polls ``getSessionInfo`` for at most `timeout_s` seconds; running out of time gives a failed
        result with an ``APITimeoutError`` (the release was accepted and may still complete), and a service that
        cannot be reached any more one with an ``APIConnectionError`` at once.
        """
        return self._driver.run(_control.delete(self, session, sync_context, wait=wait, timeout_s=timeout_s))

    def list_all(self, labels: Mapping[str, str] | None = None, page_size: int = 100) -> Iterator[str]:
        """Iterate over the ids of every live session matching `labels`, fetching pages as needed.

        An iterator has no result to return, so a page that fails raises its ``AGBError`` here.
        """
        return self._driver.stream(_control.list_all(self, labels, page_size))

    def list(
        self,
        params: ListSessionParams | Mapping[str, str] | None = None,
        *,
        labels: Mapping[str, str] | None = None,
        limit: int | None = None,
        next_token: str | None = None,
        page: int | None = None,
    ) -> SessionListResult:
        """One page of live sessions, filtered by labels (a session matches when it has every given label).

        Pass a ``ListSessionParams``, or the keywords (which win over it); a plain dict as `params` is a label
        filter, as in the official client. ``next_token`` continues from the previous page; ``page=N`` (from
        1) walks the first N-1 pages to find it, as the official client does. ``list_all`` walks every page.
        """
        return self._driver.run(
            _control.list_page(self, params, labels=labels, limit=limit, next_token=next_token, page=page)
        )

    # End of the generated part.


class AsyncAGB(ClientCore[httpx.AsyncClient], AsyncFace):
    """The async AGB client. ``async with AsyncAGB() as agb:`` closes it on exit; or ``await agb.close()``."""

    _session_cls = AsyncSession
    _wiring = (httpx.AsyncClient, AsyncDriver)

    async def close(self) -> None:
        """Close the connection pool (if the SDK made it) and stop a local backend started by ``local()``."""
        try:
            if self._owns_http:
                await self._http.aclose()
        finally:
            self._stop_server()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    # Generated by tools/surface from agb/_surface.py and the flows: edit those and run it, not this part.
    @cached_property
    def context(self) -> AsyncContextService:
        """``agb.context``: contexts, persistent storage of an API key (the official client's ``ContextService``)."""
        return AsyncContextService(self)

    async def create(self, params: CreateSessionParams | None = None) -> SessionResult[AsyncSession]:
        """Create a session (default image ``code_latest``); ``result.session`` is ready for tool calls.

        Labels, image id, idle timeout and policy id are checked before any request: a bad value gives a failed
        result with an ``InvalidParameterError``.
        """
        return await self._driver.run(_control.create(self, params))

    async def get(self, session_id: str) -> SessionResult[AsyncSession]:
        """Reconnect to a live session by id. An unknown or released id gives a ``SessionNotFoundError``.

        The service does not say which image the session runs, so ``session.image_id`` is None.
        """
        return await self._driver.run(_control.get(self, session_id))

    async def delete(
        self, session: SessionCore | str, sync_context: bool = False, *, wait: bool = True, timeout_s: float = 60.0
    ) -> DeleteResult:
        """Release a session (a ``Session`` or its id) and, with `wait`, wait until the service reports it gone.

        `sync_context` first uploads its mounted contexts and waits for that (a failure keeps the session).

        The wait polls ``getSessionInfo`` for at most `timeout_s` seconds; running out of time gives a failed
        result with an ``APITimeoutError`` (the release was accepted and may still complete), and a service that
        cannot be reached any more one with an ``APIConnectionError`` at once.
        """
        return await self._driver.run(_control.delete(self, session, sync_context, wait=wait, timeout_s=timeout_s))

    def list_all(self, labels: Mapping[str, str] | None = None, page_size: int = 100) -> AsyncIterator[str]:
        """Iterate over the ids of every live session matching `labels`, fetching pages as needed.

        An iterator has no result to return, so a page that fails raises its ``AGBError`` here.
        """
        return self._driver.stream(_control.list_all(self, labels, page_size))

    async def list(
        self,
        params: ListSessionParams | Mapping[str, str] | None = None,
        *,
        labels: Mapping[str, str] | None = None,
        limit: int | None = None,
        next_token: str | None = None,
        page: int | None = None,
    ) -> SessionListResult:
        """One page of live sessions, filtered by labels (a session matches when it has every given label).

        Pass a ``ListSessionParams``, or the keywords (which win over it); a plain dict as `params` is a label
        filter, as in the official client. ``next_token`` continues from the previous page; ``page=N`` (from
        1) walks the first N-1 pages to find it, as the official client does. ``list_all`` walks every page.
        """
        return await self._driver.run(
            _control.list_page(self, params, labels=labels, limit=limit, next_token=next_token, page=page)
        )

    # End of the generated part.


class ContextService(ContextModule, SyncFace):
    """``agb.context`` of an ``AGB``: contexts, the persistent storage of the key (context.py)."""

    # Generated by tools/surface from agb/_surface.py and the flows: edit those and run it, not this part.
    def get(
        self,
        name: str | None = None,
        create: bool = False,
        login_region_id: str | None = None,
        context_id: str | None = None,
    ) -> ContextResult:
        """The context named `name` (or with id `context_id`); with `create`, made when the key has none."""
        return self._driver.run(_context.get(self, name, create, login_region_id, context_id))

    def create(self, name: str) -> ContextResult:
        """``get(name, create=True)``: the context named `name`, made if missing."""
        return self._driver.run(_context.create(self, name))

    def update(self, context: Context) -> OperationResult:
        """Rename the context ``context.id`` to ``context.name``."""
        return self._driver.run(_context.update(self, context))

    def delete(self, context: Context | str) -> OperationResult:
        """Delete a context (a ``Context`` or its id) with all its files."""
        return self._driver.run(_context.delete(self, context))

    def get_file_upload_url(self, context_id: str, file_path: str) -> FileUrlResult:
        """A URL that takes one ``PUT`` of a file's bytes into `file_path` of the context (no key needed)."""
        return self._driver.run(_context.get_file_upload_url(self, context_id, file_path))

    def get_file_download_url(self, context_id: str, file_path: str) -> FileUrlResult:
        """A URL that answers one ``GET`` with the bytes of `file_path` of the context (no key needed)."""
        return self._driver.run(_context.get_file_download_url(self, context_id, file_path))

    def delete_file(self, context_id: str, file_path: str) -> OperationResult:
        """Delete a file (or folder) of the context; a missing one is no error."""
        return self._driver.run(_context.delete_file(self, context_id, file_path))

    def list_files(
        self, context_id: str, parent_folder_path: str | None = None, page_number: int = 1, page_size: int = 50
    ) -> ContextFileListResult:
        """One page (from 1) of the entries of a context folder (default ``/``), sorted by name."""
        return self._driver.run(_context.list_files(self, context_id, parent_folder_path, page_number, page_size))

    def clear_async(self, context_id: str) -> ClearContextResult:
        """Start deleting every file of the context; ``status`` is ``clearing`` (see ``get_clear_status``)."""
        return self._driver.run(_context.clear_async(self, context_id))

    def get_clear_status(self, context_id: str) -> ClearContextResult:
        """The context's state: ``clearing`` while a clear runs, then ``available``."""
        return self._driver.run(_context.get_clear_status(self, context_id))

    def clear(self, context_id: str, timeout: float = 60, poll_interval: float = 2.0) -> ClearContextResult:
        """Clear the context and wait until it is ``available`` again, at most `timeout` seconds."""
        return self._driver.run(_context.clear(self, context_id, timeout, poll_interval))

    def list(self, params: ContextListParams | None = None) -> ContextListResult:
        """One page of the key's contexts (``params.max_results`` 1 to 100, default 10)."""
        return self._driver.run(_context.list_page(self, params))

    # End of the generated part.


class AsyncContextService(ContextModule, AsyncFace):
    """``agb.context`` of an ``AsyncAGB``: the same methods, returning awaitables."""

    # Generated by tools/surface from agb/_surface.py and the flows: edit those and run it, not this part.
    async def get(
        self,
        name: str | None = None,
        create: bool = False,
        login_region_id: str | None = None,
        context_id: str | None = None,
    ) -> ContextResult:
        """The context named `name` (or with id `context_id`); with `create`, made when the key has none."""
        return await self._driver.run(_context.get(self, name, create, login_region_id, context_id))

    async def create(self, name: str) -> ContextResult:
        """``get(name, create=True)``: the context named `name`, made if missing."""
        return await self._driver.run(_context.create(self, name))

    async def update(self, context: Context) -> OperationResult:
        """Rename the context ``context.id`` to ``context.name``."""
        return await self._driver.run(_context.update(self, context))

    async def delete(self, context: Context | str) -> OperationResult:
        """Delete a context (a ``Context`` or its id) with all its files."""
        return await self._driver.run(_context.delete(self, context))

    async def get_file_upload_url(self, context_id: str, file_path: str) -> FileUrlResult:
        """A URL that takes one ``PUT`` of a file's bytes into `file_path` of the context (no key needed)."""
        return await self._driver.run(_context.get_file_upload_url(self, context_id, file_path))

    async def get_file_download_url(self, context_id: str, file_path: str) -> FileUrlResult:
        """A URL that answers one ``GET`` with the bytes of `file_path` of the context (no key needed)."""
        return await self._driver.run(_context.get_file_download_url(self, context_id, file_path))

    async def delete_file(self, context_id: str, file_path: str) -> OperationResult:
        """Delete a file (or folder) of the context; a missing one is no error."""
        return await self._driver.run(_context.delete_file(self, context_id, file_path))

    async def list_files(
        self, context_id: str, parent_folder_path: str | None = None, page_number: int = 1, page_size: int = 50
    ) -> ContextFileListResult:
        """One page (from 1) of the entries of a context folder (default ``/``), sorted by name."""
        return await self._driver.run(_context.list_files(self, context_id, parent_folder_path, page_number, page_size))

    async def clear_async(self, context_id: str) -> ClearContextResult:
        """Start deleting every file of the context; ``status`` is ``clearing`` (see ``get_clear_status``)."""
        return await self._driver.run(_context.clear_async(self, context_id))

    async def get_clear_status(self, context_id: str) -> ClearContextResult:
        """The context's state: ``clearing`` while a clear runs, then ``available``."""
        return await self._driver.run(_context.get_clear_status(self, context_id))

    async def clear(self, context_id: str, timeout: float = 60, poll_interval: float = 2.0) -> ClearContextResult:
        """Clear the context and wait until it is ``available`` again, at most `timeout` seconds."""
        return await self._driver.run(_context.clear(self, context_id, timeout, poll_interval))

    async def list(self, params: ContextListParams | None = None) -> ContextListResult:
        """One page of the key's contexts (``params.max_results`` 1 to 100, default 10)."""
        return await self._driver.run(_context.list_page(self, params))

    # End of the generated part.
