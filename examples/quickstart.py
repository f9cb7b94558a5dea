"""The main job, end to end, on the embedded local backend.

Creates a labelled session, runs Python (a value, a printed line, a rich output), analyses data with
pandas and gets a matplotlib chart back as a PNG (saved as quickstart-chart.png), runs a shell command,
writes and reads a file, lists sessions by label and deletes the session, printing what happens.

    bash tools/setup.sh && .venv/bin/python examples/quickstart.py

The first run builds the default image's Python environment (numpy, pandas, matplotlib) once; later runs
reuse it.

Against the AGB cloud instead: drop `AGB.local()` for `AGB()` with AGB_API_KEY set.
"""

from __future__ import annotations

import base64
import sys
from pathlib import Path

from agb import AGB
from agb.session_params import CreateSessionParams, ListSessionParams

PLOT = """
from IPython.display import HTML, display
display(HTML("<b>rich output</b> from the sandbox"))
print("printed from Python", 6 * 7)
sum(range(10))
"""

CHART = """
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

days = pd.date_range("2026-01-01", periods=90, freq="D")
sales = pd.Series(100 + np.random.default_rng(7).normal(0, 5, 90).cumsum(), index=days, name="sales")
weekly = sales.resample("W").mean()
ax = sales.plot(figsize=(7, 3.5), alpha=0.5, label="daily")
weekly.plot(ax=ax, linewidth=2.5, label="weekly mean")
ax.set_title("Sales, first quarter")
ax.legend()
plt.tight_layout()
plt.show()
print(f"{len(sales)} days, best week {weekly.idxmax():%Y-%m-%d} at {weekly.max():.1f}")
"""
CHART_FILE = Path("quickstart-chart.png")


def main() -> int:
    with AGB.local() as agb:
        print(f"local backend: {agb.config.endpoint}")

        created = agb.create(CreateSessionParams(labels={"project": "quickstart", "team": "docs"}))
        if not created.success:
            print(f"create failed: {created.error_message}", file=sys.stderr)
            return 1
        session = created.session
        print(f"created session {session.session_id} (image {session.image_id}, request {created.request_id})")

        run = session.code.run(PLOT, "python")
        print(f"python value: {run.result!r}")
        print(f"python stdout: {''.join(run.logs.stdout)!r}")
        print(f"python rich outputs: {[r.html for r in run.results if r.html]}")

        chart = session.code.run(CHART, "python")
        if not chart.success:
            print(f"chart failed: {chart.error_message}", file=sys.stderr)
            return 1
        pngs = [r.png for r in chart.results if r.png]
        print(f"pandas: {''.join(chart.logs.stdout).strip()}")
        if not pngs:
            print("the chart did not come back as a PNG", file=sys.stderr)
            return 1
        CHART_FILE.write_bytes(base64.b64decode(pngs[0]))
        print(f"matplotlib chart: a {CHART_FILE.stat().st_size:,}-byte PNG, saved as {CHART_FILE.resolve()}")

        cmd = session.command.execute("uname -s && echo $HOME && ls /", timeout_ms=10_000)
        print(f"shell exit code {cmd.exit_code}: {cmd.stdout.split()}")

        session.file.write("/home/user/notes/hello.txt", "héllo from the quick start ✓\n").unwrap()
        back = session.file.read("/home/user/notes/hello.txt").unwrap()
        print(f"file read back: {back!r}")

        listed = agb.list(ListSessionParams(labels={"project": "quickstart"})).unwrap()
        print(f"sessions labelled project=quickstart: {listed}")

        deleted = agb.delete(session)
        print(f"deleted: {deleted.success}")
        remaining = agb.list(ListSessionParams(labels={"project": "quickstart"})).unwrap()
        print(f"sessions labelled project=quickstart after delete: {remaining}")
        return 0 if deleted.success and session.session_id in listed and not remaining else 1


if __name__ == "__main__":
    sys.exit(main())
