"""Settings of one agb_local server, with the defaults a user gets from `agb-local serve`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# The AGB docs give 5 minutes as the default idle-release timeout.
DEFAULT_IDLE_TIMEOUT_S = 300


@dataclass
class ServerConfig:
    data_dir: Path
    api_keys: tuple[str, ...] = ()
    isolation: str = "bwrap"  # or "none": no sandbox at all, an explicit opt-in that warns at every start
    idle_timeout_s: int = DEFAULT_IDLE_TIMEOUT_S
    max_sessions_per_key: int = 100
    max_body_bytes: int = 16 * 1024 * 1024
    reap_interval_s: float = 5.0
    pool_size: int = 2
    memory_limit_mb: int = 1024
    pids_limit: int = 256
    disk_limit_mb: int = 2048
    output_limit_bytes: int = 1_000_000
    images_file: Path | None = None
    context_quota_mb: int = 10240  # context storage per API key, internal file-transfer contexts included
    presigned_url_ttl_s: int = 3600

    @property
    def registry_path(self) -> Path:
        return self.data_dir / "registry.sqlite3"
