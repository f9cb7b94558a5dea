"""agb_contract as an installed package: what it imports, and a wheel of this repository in a fresh virtual
environment, both commands run outside the checkout.

The wheel check builds the wheel (`pip wheel . --no-deps`), installs it with `[contract,local]` into a new venv
(from the package index; about 15 s with a warm pip cache, and skipped, saying so, when the index cannot be
reached), then, from a directory outside the checkout: `agb-contract-test` passes against that venv's
`agb-local serve` and fails naming the operation against a deliberately broken one; `agb-spec diff` fails on a
removed reply field, a new required request field and a removed request enum value, naming each, and passes a
new optional reply field.
"""

from __future__ import annotations

import ast
import copy
import importlib.metadata
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from .conftest import BROKEN, OTHER_KEY, ROOT, Served, serve
from .test_spec_diff import OLD, schemas

PACKAGE = ROOT / "agb_contract"
# pip's words for "the package index cannot be reached".
OFFLINE = (
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "Network is unreachable",
    "No matching distribution found",
    "Could not fetch URL",
)


def imported_top_level_names() -> set[str]:
    names: set[str] = set()
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_direct_imports_are_declared_dependencies_of_the_contract_extra() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {normalized(re.split(r"[<>=!~\[; ]", spec)[0]) for spec in project["optional-dependencies"]["contract"]}
    declared |= {normalized(re.split(r"[<>=!~\[; ]", spec)[0]) for spec in project["dependencies"]}
    distributions = importlib.metadata.packages_distributions()
    ours = {"agb_contract", "agb_spec"}
    third_party = {n for n in imported_top_level_names() - ours if n not in sys.stdlib_module_names}
    assert third_party, "no third-party import found: the scan is broken"
    undeclared = {n: distributions.get(n) for n in third_party if not declared & set(map(normalized, distributions[n]))}
    assert not undeclared, f"imported by agb_contract but not declared in the contract extra: {undeclared}"


def test_imports_neither_agb_nor_agb_local() -> None:
    assert not {"agb", "agb_local", "agb_api"} & imported_top_level_names()
    modules = [f"agb_contract.{p.stem}" for p in sorted(PACKAGE.glob("*.py")) if p.stem != "__init__"]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('agb', 'agb_local', 'agb_api')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.strip() == "[]"


def test_console_scripts_are_installed_beside_the_interpreter(tmp_path: Path) -> None:
    bin_dir = Path(sys.executable).parent
    for command in ("agb-contract-test", "agb-spec"):
        done = subprocess.run(
            [str(bin_dir / command), "--help"], capture_output=True, text=True, timeout=60, cwd=tmp_path, check=False
        )
        assert done.returncode == 0 and f"usage: {command}" in done.stdout, done.stderr


# ------------------------------------------------------------------------------------------- the wheel


@pytest.fixture(scope="module")
def wheel_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel of this repository and its [contract,local] extras."""
    base = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-w", str(base / "dist"), "-q"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = (base / "dist").glob("agb_sdk-*.whl")
    venv = base / "venv"
    subprocess.run([sys._base_executable, "-m", "venv", str(venv)], check=True, timeout=120)
    installed = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", f"{wheel}[contract,local]"],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if installed.returncode != 0 and any(word in installed.stderr for word in OFFLINE):
        pytest.skip(f"the package index cannot be reached: {installed.stderr.strip().splitlines()[-1]}")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return venv / "bin"


@pytest.fixture(scope="module")
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("outside")


def run(command: list[str], cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=cwd, check=False)


@pytest.fixture
def wheel_server(wheel_venv: Path, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Served]:
    """The venv's `agb-local serve`, or with a deliberate bug (broken_agb_local.py run by the venv's Python)."""
    mode = getattr(request, "param", None)
    prefix = [str(wheel_venv / "agb-local")] if mode is None else [str(wheel_venv / "python"), str(BROKEN), mode]
    server = serve(tmp_path, api_key="akm-wheel-000000000000000000000000000", prefix=prefix)
    yield server
    server.stop()


QUICK = ["--max-examples", "5", "--payload-examples", "4", "--seed", "7"]


@pytest.mark.slow
def test_wheel_contract_test_passes_against_agb_local(wheel_venv: Path, wheel_server: Served, outside: Path) -> None:
    done = run(
        [str(wheel_venv / "agb-contract-test"), "--url", wheel_server.url, "--api-key", wheel_server.api_key, *QUICK,
         "--other-api-key", OTHER_KEY],
        outside,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    # The spec it read is the one installed with the wheel, not the checkout's.
    assert f"against {wheel_venv.parent}/lib/" in done.stdout.splitlines()[0]
    assert "agb-contract-test: passed" in done.stdout


@pytest.mark.slow
@pytest.mark.parametrize("wheel_server", ["label-500"], indirect=True)
def test_wheel_contract_test_names_what_a_broken_server_breaks(
    wheel_venv: Path, wheel_server: Served, outside: Path
) -> None:
    done = run(
        [str(wheel_venv / "agb-contract-test"), "--url", wheel_server.url, "--api-key", wheel_server.api_key, *QUICK,
         "--no-payloads"],
        outside,
    )  # fmt: skip
    assert done.returncode == 1, done.stdout + done.stderr
    assert re.search(r"^POST /sdk/SetLabel +FAILED +\d+ +\d+ +not_a_server_error", done.stdout, re.M), done.stdout
    assert "agb-contract-test: FAILED" in done.stdout


@pytest.mark.slow
def test_wheel_spec_diff(wheel_venv: Path, outside: Path) -> None:
    old = copy.deepcopy(OLD)
    schemas(old)["Req"]["properties"]["b"]["enum"] = ["p", "q"]
    breaking = copy.deepcopy(old)
    schemas(breaking)["Rep"]["properties"].pop("y")
    schemas(breaking)["Req"]["properties"]["c"] = {"type": "string"}
    schemas(breaking)["Req"]["required"].append("c")
    schemas(breaking)["Req"]["properties"]["b"]["enum"] = ["p"]
    harmless = copy.deepcopy(old)
    schemas(harmless)["Rep"]["properties"]["z"] = {"type": "string"}
    for name, spec in (("old", old), ("breaking", breaking), ("harmless", harmless)):
        (outside / f"{name}.yaml").write_text(yaml.safe_dump(spec))
    exe = str(wheel_venv / "agb-spec")

    done = run([exe, "diff", "old.yaml", "breaking.yaml"], outside, timeout=60)
    assert done.returncode == 1, done.stdout + done.stderr
    clients = done.stdout.split("Breaking for servers")[0]
    for named in (
        "POST /op reply 200.y: reply field removed",
        "POST /op request body.c: required request field added",
        "POST /op request body.b: enum values removed: ['q']",
    ):
        assert named in clients, done.stdout

    done = run([exe, "diff", "old.yaml", "harmless.yaml"], outside, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Not breaking: 1\n  - POST /op reply 200.z: optional reply field added" in done.stdout
