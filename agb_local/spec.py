"""Where the one spec lives, for the server and for tools that test against it."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def spec_path() -> Path:
    """The OpenAPI document this backend implements (a link to openapi/agb.yaml in a checkout)."""
    return Path(str(files("agb_local").joinpath("openapi.yaml"))).resolve()
