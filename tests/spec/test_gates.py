"""CI's type gate covers every hand-written package we ship, in strict mode."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

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


# Documents that live outside the repository (the project's working notes and its issue tracker): a comment or
# docstring citing them sends a reader nowhere, so the text must stand alone.
OUTSIDE = re.compile(
    r"wire-protocol|design\.md|toolchain-notes|style\.md|peers\.md|session-params\.md|\bshared/|\bissues? #?\d+"
    r"|\bthe brief\b",
    re.I,
)
SOURCES = ["agb", "agb_local", "agb_contract", "bench", "examples", "openapi", "tests", "tools", ".ci"]


def test_nothing_cites_documents_outside_the_repository() -> None:
    files = [ROOT / "README.md", ROOT / "pyproject.toml"]
    for top in SOURCES:
        files += [p for p in (ROOT / top).rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    found = []
    for path in files:
        if path == Path(__file__) or path.suffix in (".sqlite3", ".pyc"):
            continue
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            if OUTSIDE.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "\n".join(found)
