"""The sandbox runtime of agb_local: one bubblewrap container per session, with a long-lived
agent inside serving the AGB tools (shell, run_code, file tools).  See README.md."""

from . import network
from .config import IsolationUnavailable, SandboxConfig, SandboxError, SessionNotFound, ToolOutcome
from .images import DEFAULT_IMAGE_ID, Image, default_image_id, load_images
from .manager import TOOLS, SandboxManager

__all__ = [
    "DEFAULT_IMAGE_ID",
    "TOOLS",
    "Image",
    "IsolationUnavailable",
    "SandboxConfig",
    "SandboxError",
    "SandboxManager",
    "SessionNotFound",
    "ToolOutcome",
    "default_image_id",
    "load_images",
    "network",
]
