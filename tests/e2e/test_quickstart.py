"""The README's first command: examples/quickstart.py runs end to end and brings a chart back."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

QUICKSTART = Path(__file__).resolve().parents[2] / "examples" / "quickstart.py"


def test_quickstart_brings_the_chart_back(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(QUICKSTART)], cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "matplotlib chart: a " in done.stdout and "pandas: 90 days" in done.stdout, done.stdout
    chart = tmp_path / "quickstart-chart.png"
    assert chart.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert chart.stat().st_size > 5_000
