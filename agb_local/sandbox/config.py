"""Configuration, results and errors shared by the sandbox runtime's public interface."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Isolation = Literal["bwrap", "none"]


@dataclass(frozen=True)
class SandboxConfig:
    data_dir: Path  # sessions live in data_dir / "sandboxes" / <session_id>
    isolation: Isolation = "bwrap"
    memory_limit_mb: int = 1024
    pids_limit: int = 256
    disk_limit_mb: int = 2048
    output_limit_bytes: int = 1_000_000
    pool_size: int = 2
    # Each running sandbox gets its own uid from [uid_base, uid_base + uid_count), reserved machine-wide
    # (uids.py): servers and managers sharing a range skip each other's uids.
    uid_base: int = 200_000
    uid_count: int = 10_000
    read_limit_bytes: int = 16 * 1024 * 1024  # largest read_file answer (use offset/length beyond)
    quota_interval_s: float = 2.0  # how often session directories are measured
    start_timeout_s: float = 30.0
    # Python kernels starting at once across all sandboxes (0: two per CPU, as a start also waits on its
    # sockets). A start was about half a second of CPU (now about 145 ms: sandbox/README.md has the breakdown):
    # 32 at once on 2 cores all finished after 5.4-6.2 s;
    # four at a time, half were done by 3.2 s and the last at 5.7 s (one at a time per CPU was slower).
    kernel_starts: int = 0
    # Warm-pool sandboxes start their Python kernel ahead, so a session's first run_code answers in
    # milliseconds instead of a kernel start (about 0.2 s). The price is the kernel's memory in
    # every pooled sandbox (about 47 MB RSS, 29 MB PSS each) and a kernel start for every pooled
    # sandbox, whether or not its session uses Python. False: pooled sandboxes are the bare agent (17 MB).
    pool_kernels: bool = True
    # Image environments (environments.py): where they are built and cached (None: AGB_LOCAL_IMAGES_DIR, else
    # data_dir / "images"), a directory of wheels to build from instead of the package index, and how long a
    # create waits for an image still building before it fails with "retry in a minute".
    images_dir: Path | None = None
    wheelhouse: Path | None = None
    image_wait_s: float = 50.0


@dataclass(frozen=True)
class ToolOutcome:
    is_error: bool
    text: str


class SandboxError(Exception):
    """A sandbox could not be created, started or reached."""


class IsolationUnavailable(SandboxError):
    """bubblewrap is missing or does not work on this machine."""


class SessionNotFound(SandboxError):
    """No sandbox and no session directory exist for this session id."""
