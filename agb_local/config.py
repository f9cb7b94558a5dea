"""Settings of one agb_local server, with the defaults a user gets from `agb-local serve`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import agb_spec

from .sandbox.config import SandboxConfig

DEFAULT_IDLE_TIMEOUT_S = agb_spec.limits()["idleTimeoutDefaultS"].value


@dataclass
class ServerConfig:
    """The server's own settings; the sandbox runtime's (data dir, isolation, pool, limits) are `sandbox`."""

    sandbox: SandboxConfig
    api_keys: tuple[str, ...] = ()
    idle_timeout_s: int = DEFAULT_IDLE_TIMEOUT_S
    max_sessions_per_key: int = 100
    max_body_bytes: int = 16 * 1024 * 1024
    reap_interval_s: float = 5.0
    images_file: Path | None = None
    context_quota_mb: int = 10240  # context storage per API key, internal file-transfer contexts included
    presigned_url_ttl_s: int = 3600
    spec_file: Path | None = None  # another copy of the spec to serve (default: agb_spec's, openapi/agb.yaml)

    @property
    def data_dir(self) -> Path:
        return self.sandbox.data_dir

    @property
    def registry_path(self) -> Path:
        return self.data_dir / "registry.sqlite3"
