"""The reliability suite: load, faults, hostile code and hostile input against a real
`agb-local serve` subprocess on loopback, with real bubblewrap sandboxes.

Run it alone with `pytest -m reliability`; it also runs in the default suite. AGB_RELIABILITY_DURATION sets the
seconds of load (30 by default; a soak can use more). The figures it measures are printed at the end of the run
and written as JSON to AGB_RELIABILITY_REPORT when that is set.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from .harness import FIGURES, ServerProcess


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[Callable[..., ServerProcess]]:
    """A factory of `agb-local serve` subprocesses; every one it made is stopped afterwards."""
    made: list[ServerProcess] = []

    def make(name: str = "server", **kwargs: Any) -> ServerProcess:
        data = kwargs.pop("data_dir", None) or tmp_path / f"{name}-data"
        server = ServerProcess(Path(data), tmp_path / f"{name}.log", **kwargs)
        made.append(server)
        return server

    yield make
    for server in made:
        server.stop()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not FIGURES:
        return
    terminalreporter.section("reliability figures")
    for section, values in FIGURES.items():
        terminalreporter.write_line(f"{section}: {json.dumps(values, sort_keys=False)}")
    target = os.environ.get("AGB_RELIABILITY_REPORT")
    if target:
        Path(target).write_text(json.dumps(FIGURES, indent=2) + "\n")
