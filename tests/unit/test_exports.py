"""The package's public names: one table (``agb._EXPORTS``) gives ``__all__``, the names loaded on first use
and the imports type checkers see, and every one of them is importable from where the table says."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import agb

TABLE = {(module, name) for module, names in agb._EXPORTS.items() for name in names}


def test_all_is_the_table() -> None:
    assert set(agb.__all__) == {"__version__", *(name for _, name in TABLE)}
    assert len(agb.__all__) == len(set(agb.__all__)) == len(TABLE) + 1  # each name once, from one module
    assert dir(agb) == sorted(agb.__all__)


@pytest.mark.parametrize(("module", "name"), sorted(TABLE))
def test_every_name_loads_from_its_module(module: str, name: str) -> None:
    defining = importlib.import_module(f"agb.{module}")
    assert getattr(agb, name) is getattr(defining, name)
    assert name in defining.__all__
    exec(f"from agb import {name}", {})


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'Misspelled'"):
        agb.Misspelled  # type: ignore[attr-defined]  # noqa: B018
    with pytest.raises(ImportError):
        exec("from agb import Misspelled", {})


def test_type_checkers_see_exactly_the_table() -> None:
    """The ``if TYPE_CHECKING:`` imports (written by tools/surface) re-export each name of the table."""
    tree = ast.parse(Path(agb.__file__).read_text())
    seen = set()
    guarded = [n for n in tree.body if isinstance(n, ast.If) and ast.unparse(n.test) == "TYPE_CHECKING"]
    assert len(guarded) == 1
    for node in guarded[0].body:
        assert isinstance(node, ast.ImportFrom) and node.level == 1 and node.module is not None
        for alias in node.names:
            assert alias.asname == alias.name  # `X as X`: an explicit re-export for type checkers
            seen.add((node.module, alias.name))
    assert seen == TABLE
    # `__getattr__` is hidden from them (else every misspelt name would be `Any`).
    assert not any(isinstance(n, ast.FunctionDef) and n.name == "__getattr__" for n in tree.body)


def test_import_agb_loads_no_export() -> None:
    code = "import sys, agb; print(sorted(m for m in sys.modules if m.startswith(('agb.', 'httpx', 'agb_api'))))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "['agb._version']"
