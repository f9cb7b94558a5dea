"""`--help` on every command, `--version`, usage errors, and what `agb --help` costs to start."""

from __future__ import annotations

import subprocess
import time

import pytest

from .runner import AGB, environment, run

COMMANDS = [
    [],
    ["sessions"],
    ["sessions", "list"],
    ["sessions", "info"],
    ["sessions", "delete"],
    ["sessions", "keep-alive"],
    ["run"],
    ["exec"],
    ["cp"],
    ["local"],
    ["local", "serve"],
]

NO_SERVER = environment("http://127.0.0.1:9", "unused")


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "agb")
def test_every_command_has_help(command: list[str]) -> None:
    ran = run([*command, "--help"], NO_SERVER)
    assert ran.status == 0, ran.stderr
    assert ran.stdout.startswith("usage: agb") or (command == ["local", "serve"] and "--data-dir" in ran.stdout)
    assert ran.stderr == ""


def test_help_lists_every_command_and_the_configuration() -> None:
    text = run(["--help"], NO_SERVER).stdout
    for word in ("sessions", "run", "exec", "cp", "local", "AGB_API_KEY", "AGB_ENDPOINT", "AGB_TIMEOUT_MS"):
        assert word in text


def test_local_serve_help_is_agb_locals_own() -> None:
    text = run(["local", "serve", "--help"], NO_SERVER).stdout
    for option in ("--host", "--port", "--data-dir", "--api-key", "--isolation"):
        assert option in text


def test_version() -> None:
    ran = run(["--version"], NO_SERVER)
    assert ran.status == 0 and ran.stdout.startswith("agb ")


@pytest.mark.parametrize(
    "args",
    [[], ["sessions"], ["nosuch"], ["sessions", "list", "--bogus"], ["run"], ["cp", "only-one"]],
    ids=lambda a: " ".join(a) or "nothing",
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    ran = run(args, NO_SERVER)
    assert ran.status == 2
    assert "usage: agb" in ran.stderr


def test_help_imports_neither_httpx_nor_the_generated_client() -> None:
    ran = run(["--help"], {**NO_SERVER, "PYTHONPROFILEIMPORTTIME": "1"})
    imported = {line.rsplit("|", 1)[-1].strip() for line in ran.stderr.splitlines() if "|" in line}
    assert "argparse" in imported  # the profile did run
    assert not {name for name in imported if name.split(".")[0] in ("httpx", "httpcore", "agb_api", "agb_local")}


def _best_of(argv: list[str], rounds: int = 5) -> float:
    times = []
    for _ in range(rounds):
        began = time.perf_counter()
        subprocess.run(argv, capture_output=True, env=NO_SERVER, check=True)
        times.append(time.perf_counter() - began)
    return min(times)


def test_help_costs_less_than_importing_the_sdk_client() -> None:
    """`agb --help` pays for an interpreter and argparse only, less than `from agb import AGB` (httpx and the
    generated client); both measured here the same way, so a busy machine slows both."""
    help_s = _best_of([str(AGB), "--help"])
    client_s = _best_of([str(AGB.parent / "python"), "-c", "from agb import AGB"])
    assert help_s < client_s, (help_s, client_s)


def test_unknown_arguments_after_a_command() -> None:
    ran = run(["sessions", "info", "s-1", "extra"], NO_SERVER)
    assert ran.status == 2
    assert "unrecognized arguments: extra" in ran.stderr
