"""R ``run_code``: one R process per sandbox, started on the first R cell (``r_runner.R``; the protocol is
repl.py's)."""

from __future__ import annotations

import os
import signal

from .errors import ToolError
from .repl import HERE, ReplRunner

RUNNER = os.path.join(HERE, "r_runner.R")


class RRunner(ReplRunner):
    language = "R"

    def command(self, req_fd: int, resp_fd: int) -> list[str]:
        r = self._ctx.r
        if not r:
            raise ToolError("R is not available in this sandbox: R was not found")
        plots = os.path.join(self._ctx.runtime_dir, "r-plots")  # off the user's disk, read back by the agent
        os.makedirs(plots, exist_ok=True)
        return [r, "--no-echo", "--no-save", "--no-restore", "-f", RUNNER, "--args", str(req_fd), str(resp_fd), plots]

    def interrupt(self, cell_id: int) -> None:
        # R's own interrupt: the running cell ends with an `interrupt` condition the runner catches.
        self.signal(signal.SIGINT)
