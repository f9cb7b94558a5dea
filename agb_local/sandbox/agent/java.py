"""Java ``run_code``: the JDK's JShell, in one JVM per sandbox started on the first Java cell
(``java_runner.java``; the protocol is repl.py's)."""

from __future__ import annotations

import contextlib
import os

from .errors import ToolError
from .repl import HERE, ReplRunner

RUNNER = os.path.join(HERE, "java_runner.java")
# A JVM that starts fast and stays small for snippets (measured on 2 cores: 0.75 s to the first answer and
# 100 MB resident, against 1.3 s and 200 MB with the defaults): the serial collector with an 8 MB young
# generation, the client compiler only, and no perf-data file in the user's /tmp.
JVM_OPTIONS = ("-XX:+UseSerialGC", "-Xmn8m", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData")


class JavaRunner(ReplRunner):
    language = "Java"

    def command(self, req_fd: int, resp_fd: int) -> list[str]:
        java = self._ctx.java
        if not java:
            raise ToolError("Java is not available in this sandbox: jshell (a JDK) was not found")
        return [java, *JVM_OPTIONS, RUNNER, str(req_fd), str(resp_fd)]

    def interrupt(self, cell_id: int) -> None:
        # JShell.stop from the runner's request thread; a SIGINT would end the JVM.
        with contextlib.suppress(OSError):
            self.send(b"STOP %d\n" % cell_id)
