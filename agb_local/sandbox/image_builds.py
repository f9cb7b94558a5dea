"""The image environments of one manager: each built once, in the background, and waited for by the
sessions that need them (see environments.py for what a build does)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import subprocess
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import SandboxError
from .environments import BuildFailed, Environment, Interpreter, build, built, environment_key, prepare_images_dir
from .hostenv import SYSTEM_PATH
from .images import Image

log = logging.getLogger(__name__)

# A failed build is reported as such for this long before a session asks for a new attempt (a package
# list that cannot resolve fails the same way every time; the index may have been down).
RETRY_FAILED_AFTER_S = 60.0
# pip and Python's ssl in a sandbox trust what the host trusts (its CA bundle is bound read-only), not certifi's
# copy: a sandbox given egress then reaches the index as the host does, TLS-inspecting proxies included.
_CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"


@dataclass
class _Build:
    images: set[str]
    started: float = field(default_factory=time.monotonic)
    last_step: str = "starting"
    task: asyncio.Task[Environment] | None = None
    failed: BuildFailed | None = None
    failed_at: float = 0.0


class ImageBuilds:
    def __init__(
        self,
        images_dir: Path,
        *,
        wheelhouse: Path | None = None,
        interpreter: Interpreter | None = None,
        base_python_seen: str | None = None,
        progress: Callable[[str, str], None] | None = None,
    ) -> None:
        """``base_python_seen``: the base interpreter's path as the sandboxes see it (default: the host's)."""
        self.images_dir = images_dir
        self.wheelhouse = wheelhouse
        self.interpreter = interpreter or Interpreter.current()
        self.base_python_seen = base_python_seen or self.interpreter.executable
        self.progress = progress  # (image ids, line): extra reporting, e.g. to a terminal
        self._builds: dict[str, _Build] = {}
        self._procs: set[subprocess.Popen[str]] = set()
        prepare_images_dir(images_dir)

    def key(self, image: Image) -> str | None:
        return environment_key(image.packages, self.interpreter) if image.packages else None

    def environment(self, image: Image) -> Environment | None:
        """The image's finished environment (host paths), or None if it has none or it is not built."""
        key = self.key(image)
        if key is None or not built(self.images_dir, key):
            return None
        return Environment(key, str(self.images_dir / key), self.interpreter.tag)

    def configure_fields(self, image: Image, env: Environment, venv: str) -> dict[str, Any]:
        """What the agent's ``configure`` message needs for a session on ``env`` (paths as the sandbox sees
        them), with ``venv`` its writable per-session environment (agent/pyenv.py)."""
        trust = {"PIP_CERT": _CA_BUNDLE, "SSL_CERT_FILE": _CA_BUNDLE, "REQUESTS_CA_BUNDLE": _CA_BUNDLE}
        return {
            "python_env": {
                "venv": venv,
                "base_python": self.base_python_seen,
                "version": self.interpreter.version,
                "image_site": env.site_packages,
            },
            # The session's environment first on PATH (python, pip), then the image's scripts.
            "env": {
                "PATH": f"{venv}/bin:{env.bin}:{SYSTEM_PATH}",
                "VIRTUAL_ENV": venv,
                "PIP_DISABLE_PIP_VERSION_CHECK": "1",
                **(trust if os.path.exists(_CA_BUNDLE) else {}),
                **image.env,
            },
        }

    def start(self, images: Iterable[Image]) -> None:
        """Start building, in the background, every environment of ``images`` not built yet."""
        for image in images:
            if image.packages and self.environment(image) is None:
                self._task(image)

    async def ready(self, image: Image, wait_s: float) -> Environment | None:
        """The image's environment, built first if needed (waiting at most ``wait_s``); None for an image
        without packages.  Raises SandboxError if the build failed or is still running."""
        if not image.packages:
            return None
        env = self.environment(image)
        if env is not None:
            return env
        task = self._task(image)
        entry = self._builds[str(self.key(image))]
        try:
            return await asyncio.wait_for(asyncio.shield(task), wait_s)
        except TimeoutError:
            elapsed = time.monotonic() - entry.started
            raise SandboxError(
                f"image {image.id!r} is still being built ({elapsed:.0f} s so far; now: {entry.last_step}). "
                "This happens once per package list; retry in a minute"
            ) from None
        except BuildFailed as exc:
            message = f"image {image.id!r} cannot start sessions: its environment failed to build: {exc}"
            raise SandboxError(message) from None

    def _task(self, image: Image) -> asyncio.Task[Environment]:
        key = str(self.key(image))
        entry = self._builds.get(key)
        if entry is not None and entry.failed is not None and time.monotonic() - entry.failed_at > RETRY_FAILED_AFTER_S:
            entry = None
        if entry is None:
            entry = self._builds[key] = _Build({image.id})
        entry.images.add(image.id)
        if entry.task is None:
            entry.task = asyncio.get_running_loop().create_task(self._run(entry, image.packages), name=f"image-{key}")
        return entry.task

    async def _run(self, entry: _Build, packages: tuple[str, ...]) -> Environment:
        label = ", ".join(sorted(entry.images))

        def progress(line: str) -> None:
            entry.last_step = line
            log.info("image %s: %s", label, line)
            if self.progress is not None:
                self.progress(label, line)

        try:
            return await asyncio.to_thread(
                build,
                self.images_dir,
                packages,
                interpreter=self.interpreter,
                wheelhouse=self.wheelhouse,
                progress=progress,
                procs=self._procs,
            )
        except BuildFailed as exc:
            entry.failed, entry.failed_at = exc, time.monotonic()
            log.error("image %s: %s", label, exc)
            raise

    def close(self) -> None:
        """Stop builds in flight (their half-made directories are removed by the build itself)."""
        for proc in list(self._procs):
            with contextlib.suppress(OSError):
                proc.kill()
        for entry in self._builds.values():
            if entry.task is not None and not entry.task.done():
                entry.task.add_done_callback(lambda t: t.cancelled() or t.exception())
