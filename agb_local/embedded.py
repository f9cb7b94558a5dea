"""Embedded mode: an agb_local server in this process, on a free loopback port.

    from agb_local.embedded import start
    server = start()            # server.endpoint, server.api_key
    ...
    server.stop()

`AGB.local()` in the SDK uses this. With no data_dir the sessions live in a temporary directory that
`stop()` removes, and image environments are cached in $AGB_LOCAL_IMAGES_DIR, else ~/.cache/agb-local/images
(a temporary data dir would build them again every time). `start()` returns once the default image's
environment is ready: the first time, it builds it, printing its progress on stderr.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Coroutine
from dataclasses import fields
from pathlib import Path
from typing import Any, TypeVar

from .config import ServerConfig
from .sandbox.config import SandboxConfig, SandboxError
from .sandbox.environments import IMAGES_DIR_VARIABLE
from .server import BackgroundServer, generate_api_key

# How long start() waits for the default image's first build (a fresh machine downloads its packages).
IMAGE_BUILD_WAIT_S = 1800.0

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
        if options.get("images_dir") is None and not os.environ.get(IMAGES_DIR_VARIABLE):
            cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
            options["images_dir"] = cache / "agb-local" / "images"
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
        building = _show_default_image_build(background)
        background.start()
        if building:
            _wait_for_default_image(background)
    except BaseException:
        background.stop()
        if temp_dir is not None:
            shutil.rmtree(temp_dir, ignore_errors=True)
        raise
    return EmbeddedServer(background, key, temp_dir)


def _show_default_image_build(background: BackgroundServer) -> bool:
    """Whether the default image's environment still has to be built; if so, its progress goes to stderr
    from the first step (the service starts the build when the server starts)."""
    service = background.app.service
    builds = service.sandboxes.images
    image = service.image(None)
    if not image.packages or builds.environment(image) is not None:
        return False
    print(
        f"agb_local: building the environment of image {image.id} ({', '.join(image.packages)}) once, "
        f"into {builds.images_dir}",
        file=sys.stderr,
        flush=True,
    )

    def show(label: str, line: str) -> None:
        print(f"agb_local: image {label}: {line}", file=sys.stderr, flush=True)

    builds.progress = show
    return True


def _wait_for_default_image(background: BackgroundServer) -> None:
    """Block until the default image can start sessions.  A failed build does not stop the server: its
    sessions fail with the build's error, other images work."""
    service = background.app.service
    builds = service.sandboxes.images
    try:
        background.run(builds.ready(service.image(None), IMAGE_BUILD_WAIT_S), IMAGE_BUILD_WAIT_S + 5)
    except SandboxError as exc:
        print(f"agb_local: {exc}", file=sys.stderr, flush=True)
    finally:
        builds.progress = None
