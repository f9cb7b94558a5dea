"""CI's type gate covers every hand-written package we ship, in strict mode."""

from __future__ import annotations

import re
import tomllib

from .conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
# Written only by tools/regenerate; checked through the imports of agb, with the overrides pyproject gives.
GENERATED = {"agb_api"}


def test_mypy_is_strict_on_every_hand_written_package() -> None:
    mypy = PYPROJECT["tool"]["mypy"]
    shipped = {name.split(".")[0] for name in PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"]}
    assert mypy["strict"] is True
    assert {"agb", "agb_local"} <= shipped
    assert set(mypy["files"]) >= shipped - GENERATED


def test_ci_runs_mypy_on_the_configured_files() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    # No paths on the command line: the files of [tool.mypy] are what CI checks.
    assert re.search(r"^\.venv/bin/mypy$", ci, re.M), "CI must run `.venv/bin/mypy` on pyproject's files"
