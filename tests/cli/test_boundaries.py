"""The command line stays on the SDK's public surface, and the SDK does not depend on it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import agb

CLI = Path(agb.__file__).parent / "cli"
SDK = Path(agb.__file__).parent


def imports(path: Path) -> list[str]:
    """Every module `path` imports, with ``from agb import X`` given as ``agb:X``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found += [f"{node.module}:{alias.name}" for alias in node.names]
    return found


def test_the_cli_imports_only_public_names_of_the_sdk() -> None:
    for path in CLI.glob("*.py"):
        for name in imports(path):
            module, _, attr = name.partition(":")
            if module == "agb":
                assert attr in agb.__all__, f"{path.name} imports agb.{attr}, which agb does not export"
            elif module.startswith(("agb.", "agb_api", "agb_local")):
                # agb.results for type names only; agb_local is imported by name in local.py, not here.
                assert module == "agb.results" and attr == "ApiResult", f"{path.name} imports {name}"


def test_the_sdk_never_imports_the_cli() -> None:
    for path in SDK.glob("*.py"):
        cli = [n for n in imports(path) if n in ("agb:cli", "agb.cli") or n.startswith(("agb.cli.", "agb.cli:"))]
        assert not cli, path.name
    code = (
        "import sys, agb\nfrom agb import AGB\n"
        "print(sorted(m for m in sys.modules if m == 'agb.cli' or m.startswith('agb.cli.')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
