"""`agb local serve` runs agb-local's server: the same options, the key kept in the data dir."""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

from .runner import AGB, environment, run


def test_serve_then_use_it(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = environment("unused", "")
    server = subprocess.Popen(
        [str(AGB), "local", "serve", "--port", "0", "--data-dir", str(data), "--pool-size", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        text=True,
    )
    try:
        assert server.stdout is not None
        deadline = time.monotonic() + 60
        endpoint = ""
        while not endpoint and time.monotonic() < deadline:
            line = server.stdout.readline()
            assert line, "agb local serve exited before serving"
            found = re.search(r"serving the AGB API on (http://127\.0\.0\.1:\d+)", line)
            endpoint = found.group(1) if found else ""
        assert endpoint
        assert "AGB_API_KEY=$(cat" in server.stdout.readline()  # says where the key is, never the key
        key = (data / "api-key").read_text().strip()
        client_env = environment(endpoint, key)
        ran = run(["exec", "--", "echo served"], client_env)
        assert (ran.status, ran.stdout) == (0, "served\n"), ran.stderr
        listed = run(["sessions", "list", "--json"], client_env)
        assert listed.status == 0 and '"sessions": []' in listed.stdout
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_serve_refuses_a_bad_option() -> None:
    ran = run(["local", "serve", "--isolation", "nonsense"], environment("unused", ""))
    assert ran.status == 2
    assert "--isolation" in ran.stderr
