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
from dataclasses import fields
from pathlib import Path
from typing import Any, TypeVar

from .config import ServerConfig
from .sandbox.config import SandboxConfig
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
    """Start a server; `options` are fields of ServerConfig (idle_timeout_s, max_sessions_per_key, images_file,
    spec_file, ...) or of its SandboxConfig (isolation, pool_size, memory_limit_mb, ...), plus `extra_api_keys`
    for more accepted keys than the returned one."""
    temp_dir = None
    if data_dir is None:
        temp_dir = Path(tempfile.mkdtemp(prefix="agb-local-"))
        data_dir = temp_dir
    key = api_key or generate_api_key()
    keys = (key, *options.pop("extra_api_keys", ()))
    # One flat set of keywords for AGB.local(**options): each goes to the config that has the field.
    sandbox_fields = {f.name for f in fields(SandboxConfig)} - {"data_dir"}
    sandbox = SandboxConfig(
        data_dir=Path(data_dir).resolve(), **{k: options.pop(k) for k in list(options) if k in sandbox_fields}
    )
    config = ServerConfig(sandbox, api_keys=keys, **options)
    background = BackgroundServer(config, port=port)
    try:
        background.start()
    except BaseException:
        background.stop()
        if temp_dir is not None:
            shutil.rmtree(temp_dir, ignore_errors=True)
        raise
    return EmbeddedServer(background, key, temp_dir)
