"""Running the app on uvicorn: in the foreground (the CLI) or in a background thread (embedded mode)."""

from __future__ import annotations

import asyncio
import logging
import secrets
import socket
import threading
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

import uvicorn

from .app import AgbApp, create_app
from .config import ServerConfig
from .http11 import EnvelopeH11Protocol

log = logging.getLogger("agb_local")
T = TypeVar("T")


def generate_api_key() -> str:
    return f"akm-{secrets.token_hex(16)}"


def persistent_api_key(data_dir: Path) -> str:
    """The data dir's own key, created once, so a restarted server accepts the key it printed before."""
    path = data_dir / "api-key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = generate_api_key()
    path.touch(mode=0o600)
    path.write_text(key + "\n")
    return key


def bind(host: str, port: int) -> socket.socket:
    """Bind before uvicorn starts, so port 0 gives a free port with no window for another process."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio's own loop disables Nagle only on sockets that say they are TCP, and with
    # Nagle on, every reply written in two parts waits out the client's delayed ACK (40 ms per request).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.setblocking(False)
    return sock


# The largest request head the spec allows, with room for headers: ListSession's `labels` (8192 characters)
# and `nextToken` (512), each character up to 12 bytes once UTF-8 and percent-encoded, is about 105 KB.
MAX_REQUEST_HEAD_BYTES = 256 * 1024


def uvicorn_config(app: AgbApp, log_level: str = "warning") -> uvicorn.Config:
    return uvicorn.Config(
        app,
        log_level=log_level,
        access_log=False,
        lifespan="on",
        # h11, not httptools: httptools refuses URLs over 65535 bytes, and the spec allows longer ones. Our
        # subclass answers requests that h11 cannot parse with the envelope, not uvicorn's plain text.
        http=EnvelopeH11Protocol,
        h11_max_incomplete_event_size=MAX_REQUEST_HEAD_BYTES,
        timeout_graceful_shutdown=5,
    )


class BackgroundServer:
    """uvicorn on its own thread and event loop, for embedding in a program or a test."""

    def __init__(self, config: ServerConfig, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = create_app(config)
        self._sock = bind(host, port)
        self.host, self.port = self._sock.getsockname()[:2]
        self._server = uvicorn.Server(uvicorn_config(self.app))
        self._thread = threading.Thread(target=self._run, name="agb-local-server", daemon=True)
        self._error: BaseException | None = None

    @property
    def endpoint(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def _run(self) -> None:
        self.loop = asyncio.new_event_loop()
        try:
            self.loop.run_until_complete(self._server.serve(sockets=[self._sock]))
        except BaseException as exc:  # reported to the starting thread
            self._error = exc
        finally:
            self.loop.close()

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 60.0) -> T:
        """Run a coroutine on the server's event loop (where the service lives) and wait for it."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def start(self, timeout: float = 30.0) -> None:
        self._thread.start()
        waited = 0.0
        while not self._server.started:
            if self._error is not None or not self._thread.is_alive():
                raise RuntimeError(f"agb_local failed to start: {self._error!r}") from self._error
            if waited > timeout:
                raise TimeoutError(f"agb_local did not start within {timeout} s")
            threading.Event().wait(0.01)
            waited += 0.01

    def stop(self, timeout: float = 30.0) -> None:
        self._server.should_exit = True
        self._thread.join(timeout)
        self._sock.close()
