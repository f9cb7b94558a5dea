"""The clients: ``AGB`` (sync) and ``AsyncAGB`` share one surface, ``ClientCore``."""

from __future__ import annotations

import importlib
from typing import Any, ClassVar, Generic, Self, TypeVar, cast

import httpx
from agb_api.client import AuthenticatedClient

from . import _control
from ._face import AsyncFace, Face, Facet, Operation, Pager, SessionOperation, SyncFace
from ._flow import AsyncDriver, Context, RetryPolicy, SyncDriver
from ._version import __version__
from .config import Config, base_url, mask, resolve_api_key, timeout_seconds
from .context import AsyncContextService, ContextService
from .errors import AGBError, InvalidParameterError
from .session import AsyncSession, Session, SessionCore

__all__ = ["AGB", "AsyncAGB", "ClientCore"]

H = TypeVar("H", httpx.Client, httpx.AsyncClient)

_HEADERS = {"User-Agent": f"agb-sdk-python/{__version__}"}  # on the clients the SDK makes


class ClientCore(Face, Generic[H]):
    """What ``AGB`` and ``AsyncAGB`` share: configuration, the generated client and the operations.

    Args:
        api_key: the API key; empty means ``AGB_API_KEY``. No key raises ``AuthenticationError``.
        cfg: endpoint and timeout; None means the defaults overridden by ``AGB_ENDPOINT``/``AGB_TIMEOUT_MS``.
        max_retries: how many times a call may be retried (see ``RetryPolicy``); 0 disables retries.
        http_client: an ``httpx.Client`` (``httpx.AsyncClient`` for ``AsyncAGB``) to use: custom transport,
            proxies... The SDK sets its base URL and the authorization header on it, and does not close it.
    """

    _session_cls: ClassVar[type[SessionCore]]
    # How each face does I/O: its httpx client class, driver, and the generated client's setter.
    _wiring: ClassVar[tuple[type[httpx.Client | httpx.AsyncClient], type[SyncDriver | AsyncDriver], str]]
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
        self._ctx = Context(RetryPolicy(max_retries=max_retries))
        http_cls, driver_cls, setter = self._wiring
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
        self._http.base_url = httpx.URL(self.endpoint)
        self._http.headers["Authorization"] = f"Bearer {self._api_key}"
        # The key lives only in the httpx client's headers: the generated client's attrs repr would print it.
        self._api = AuthenticatedClient(base_url=self.endpoint, token="")
        getattr(self._api, setter)(self._http)
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

    context = Facet(ContextService, AsyncContextService)  # contexts: persistent storage of the key
    create = SessionOperation(_control.create)
    get = SessionOperation(_control.get)
    delete = Operation(_control.delete)
    list_all = Pager(_control.list_all)
    list = Operation(_control.list_page)  # last: it shadows the builtin in this class body


class AGB(ClientCore[httpx.Client], SyncFace):
    """The AGB client. ``with AGB() as agb:`` closes its connections (and a local backend) on exit."""

    _session_cls = Session
    _wiring = (httpx.Client, SyncDriver, "set_httpx_client")

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


class AsyncAGB(ClientCore[httpx.AsyncClient], AsyncFace):
    """The async AGB client. ``async with AsyncAGB() as agb:`` closes it on exit; or ``await agb.close()``."""

    _session_cls = AsyncSession
    _wiring = (httpx.AsyncClient, AsyncDriver, "set_async_httpx_client")

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
