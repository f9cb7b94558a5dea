"""Embedded mode: an agb_local server in this process, on a free loopback port.

    from agb_local.embedded import start
    server = start()            # server.endpoint, server.api_key
    ...
    server.stop()

`AGB.local()` in the SDK uses this. With no data_dir the sessions live in a temporary directory that
`stop()` removes.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Coroutine
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from .config import ServerConfig
from .server import BackgroundServer, generate_api_key

T = TypeVar("T")


class EmbeddedServer:
    def __init__(self, background: BackgroundServer, api_key: str, temp_dir: Path | None) -> None:
        self._background = background
        self.api_key = api_key
        self.endpoint = background.endpoint
        self.data_dir = background.app.service.config.data_dir
        self._temp_dir = temp_dir
        self._stopped = False

    @property
    def service(self) -> Any:
        return self._background.app.service

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 60.0) -> T:
        """Run a coroutine on the server's event loop, e.g. `server.run(server.service.reap_idle())`."""
        return self._background.run(coro, timeout)

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self._background.stop()
        if self._temp_dir is not None:
            shutil.rmtree(self._temp_dir, ignore_errors=True)

    def __enter__(self) -> EmbeddedServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"EmbeddedServer(endpoint={self.endpoint!r}, data_dir={str(self.data_dir)!r})"


def start(
    data_dir: str | Path | None = None, api_key: str | None = None, *, port: int = 0, **options: Any
) -> EmbeddedServer:
    """Start a server; `options` are ServerConfig fields (isolation, pool_size, idle_timeout_s, ...), plus
    `extra_api_keys` for more accepted keys than the returned one."""
    temp_dir = None
    if data_dir is None:
        temp_dir = Path(tempfile.mkdtemp(prefix="agb-local-"))
        data_dir = temp_dir
    key = api_key or generate_api_key()
    keys = (key, *options.pop("extra_api_keys", ()))
    config = replace(ServerConfig(data_dir=Path(data_dir).resolve()), api_keys=keys, **options)
    background = BackgroundServer(config, port=port)
    try:
        background.start()
    except BaseException:
        background.stop()
        if temp_dir is not None:
            shutil.rmtree(temp_dir, ignore_errors=True)
        raise
    return EmbeddedServer(background, key, temp_dir)
