"""``agb local serve``: the local backend, exactly as ``agb-local serve`` (the same code and options)."""

from __future__ import annotations

import importlib

from .errors import CliError


def serve(extra: list[str]) -> int:
    """Run ``agb-local serve`` with `extra` as its options (``--help`` lists them)."""
    try:
        # Imported by name, as the SDK does for the embedded mode: agb_local is a separate layer, and its
        # dependencies are an extra.
        status: int = importlib.import_module("agb_local.cli").main(["serve", *extra])
        return status
    except ModuleNotFoundError as exc:  # agb_local imports its server dependencies only when it starts
        raise CliError(f"the local backend needs the 'local' extra ({exc}): pip install 'agb-sdk[local]'") from None
