"""``agb local serve``: the local backend, exactly as ``agb-local serve`` (the same code and options)."""

from __future__ import annotations

from .errors import CliError


def serve(extra: list[str]) -> int:
    """Run ``agb-local serve`` with `extra` as its options (``--help`` lists them)."""
    try:
        from agb_local.cli import main

        return main(["serve", *extra])
    except ModuleNotFoundError as exc:  # agb_local imports its server dependencies only when it starts
        raise CliError(f"the local backend needs the 'local' extra ({exc}): pip install 'agb-sdk[local]'") from None
