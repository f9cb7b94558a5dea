"""Running the installed ``agb`` command as a subprocess: with pipes, or with some streams on a terminal."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

# The console script pip installed next to this interpreter: the command people run, not the module.
AGB = Path(sys.executable).parent / "agb"


@dataclass
class Ran:
    status: int
    stdout: str
    stderr: str
    out: bytes = b""  # stdout as bytes (for byte-exact checks)


def environment(endpoint: str, api_key: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGB_")}
    env.update({"AGB_ENDPOINT": endpoint, "AGB_API_KEY": api_key, "PYTHONUNBUFFERED": "1"}, **extra)
    return env


def run(args: list[str], env: dict[str, str], stdin: bytes = b"", timeout: float = 120) -> Ran:
    """`agb ARGS` with stdin, stdout and stderr all pipes (no terminal anywhere)."""
    if not AGB.exists():
        raise AssertionError(f"{AGB} is not installed: rerun tools/setup.sh (pyproject.toml declares the script)")
    done = subprocess.run([str(AGB), *args], input=stdin, capture_output=True, env=env, timeout=timeout)
    return Ran(
        done.returncode,
        done.stdout.decode("utf-8", "replace"),
        done.stderr.decode("utf-8", "replace"),
        done.stdout,
    )


def run_on_terminal(
    args: list[str], env: dict[str, str], *, streams: str = "012", typed: str = "", timeout: float = 120
) -> tuple[int, str, str]:
    """`agb ARGS` with the streams named in `streams` (0 stdin, 1 stdout, 2 stderr) on one pseudo-terminal
    and the others pipes; `typed` is typed on the terminal. Returns (status, terminal text, piped stdout)."""
    master, slave = pty.openpty()
    with open(os.devnull, "rb") as devnull:
        proc = subprocess.Popen(
            [str(AGB), *args],
            stdin=slave if "0" in streams else devnull,
            stdout=slave if "1" in streams else subprocess.PIPE,
            stderr=slave if "2" in streams else subprocess.DEVNULL,
            env=env,
        )
    os.close(slave)
    if typed:
        os.write(master, typed.encode())
    seen = bytearray()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: every holder of the terminal's other end has exited
                break
            if not chunk:
                break
            seen += chunk
        elif proc.poll() is not None:
            break
    piped = proc.stdout.read().decode() if proc.stdout is not None else ""
    status = proc.wait(timeout=max(1.0, deadline - time.monotonic()))
    os.close(master)
    return status, seen.decode("utf-8", "replace").replace("\r\n", "\n"), piped


def one_error_line(ran: Ran) -> str:
    """The failure's message: exactly one line on stderr, starting with ``agb: ``."""
    lines = ran.stderr.splitlines()
    assert len(lines) == 1, ran.stderr
    assert lines[0].startswith("agb: "), ran.stderr
    return lines[0]
