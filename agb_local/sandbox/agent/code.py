"""``run_code``: pick the runtime for the language and run the cell."""

from __future__ import annotations

import threading
from typing import Any

from . import args as A
from .context import AgentContext
from .errors import ToolError
from .java import JavaRunner
from .kernel import PythonKernel
from .node import NodeRunner
from .results import Emit
from .rlang import RRunner

DEFAULT_TIMEOUT_S = 60.0  # the current official client's default
MAX_TIMEOUT_S = 24 * 3600.0


class CodeRunner:
    def __init__(self, ctx: AgentContext) -> None:
        self._ctx = ctx
        self.python = PythonKernel(ctx)
        self.node = NodeRunner(ctx)
        # REPL processes, started on the first cell of their language.
        self.repls = {"java": JavaRunner(ctx), "r": RRunner(ctx)}

    def run(self, args: dict[str, Any], cancel: threading.Event, emit: Emit | None = None) -> str:
        """The cell's output document; with ``emit``, the output of Python, Java and R is also sent as it is
        printed (Node answers at the end, and the caller streams its output from the document)."""
        code = A.get_str(args, "code")
        language = A.get_str(args, "language", required=False, default="python")
        timeout_s = A.get_number(args, "timeout_s", required=False, default=DEFAULT_TIMEOUT_S)
        assert code is not None and language is not None and timeout_s is not None
        if not timeout_s > 0:
            raise ToolError(f"Invalid argument 'timeout_s': must be > 0, got {timeout_s:g}")
        timeout_s = min(timeout_s, MAX_TIMEOUT_S)
        # The manager has already turned an alias (`py`, `node`...) into its language's name, from the spec.
        lang = language.strip().lower()
        offered = self._ctx.languages
        if lang not in offered:
            image = f" ({self._ctx.image_id})" if self._ctx.image_id else ""
            available = ", ".join(offered) if offered else "none"
            raise ToolError(f"Unsupported language '{language}'. This image{image} offers: {available}")
        if lang == "python":
            return self.python.run(code, timeout_s, cancel, emit)
        if lang in self.repls:
            return self.repls[lang].run(code, timeout_s, cancel, emit)
        return self.node.run(code, timeout_s, cancel)

    def shutdown(self) -> None:
        self.python.shutdown()
        self.node.stop()
        for repl in self.repls.values():
            repl.stop()
