"""The Python side of run_code: one process per sandbox, IPython's headless ``InteractiveShell`` (the shell
ipykernel wraps, without the kernel: no ZeroMQ, tornado, asyncio loop or Jupyter session), so magics, ``!cmd``,
``%pip``, rich display and matplotlib's inline backend work as in a notebook.

Never imported by the agent: ``kernel.py`` passes this file's text to the sandbox's Python as
``python -u -c <text> REQ_FD RESP_FD LIMIT`` (running it as a file would put the agent's directory, with its
``code.py``, first on the cell's ``sys.path``). LIMIT is the address-space limit to set, or 0 for none: the
fallback when the sandbox has no memory cgroup, set here and not on the whole sandbox because Node and the
agent reserve far more address space than they use.

The protocol is repl.py's. Requests on REQ_FD: ``RUN <id> <nbytes>\\n<code>`` runs a cell; ``ENV <id> <nbytes>\\n
<json>`` sets (``{"set": {...}, "unset": [...]}``) environment variables outside the history and the execution
count. Replies on RESP_FD: ``<id> <nfields>\\n`` then per field ``<key> <nbytes>\\n<bytes>\\n`` (one with id 0 once
ready). While a cell runs, each ``display()`` (a figure shown included) is a reply of its own with an ``event``
field (``display``: ``data``, the mime bundle as JSON, and ``display_id`` when it has one; ``update``: the same,
replacing an earlier output; ``clear``: forget the cell's output so far, sent after a sentinel on both streams so
the agent has all that came before, the cell then waiting for ``CLEARED`` on REQ_FD). The cell's last reply has
``status`` (``ok``, ``error`` with ``ename``, ``evalue``, ``traceback``, or ``interrupted``), ``count`` and, when
the cell's value is shown, ``result`` (its mime bundle as JSON). User output goes to the real fds 1 and 2,
unbuffered (``python -u``: a streamed run gets a print as it happens; ``os.system`` and ``!cmd`` write there
too); after each cell a sentinel is written to both.

SIGINT stops the running cell with a KeyboardInterrupt (the state is kept); one that arrives between cells (late,
for a cell that had already ended) is ignored.

The cyclic garbage collector is off while IPython imports and sets up: some hundred modules create tens of
thousands of objects that live as long as the process, which the collector would walk over and over. They then
go to the permanent generation (``gc.freeze()``: never scanned again, so every later collection in a cell is
cheaper too) and the collector is turned back on before any cell runs.
"""

import gc

gc.disable()

import base64  # noqa: E402
import contextlib  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
from typing import Any  # noqa: E402

SENTINEL = b"\x00\x1eAGB-END\x1e\x00"  # output.py's


class Runner:
    def __init__(self, req_fd: int, resp_fd: int) -> None:
        self.req = os.fdopen(req_fd, "rb")
        self.resp = os.fdopen(resp_fd, "wb")
        self.resp_lock = threading.Lock()  # display() may be called from a cell's threads
        self.cell_id = 0
        self.in_cell = False
        self.interrupted = False
        self.error: tuple[str, str, str] | None = None
        self.result: dict[str, Any] | None = None

    def reply(self, cell_id: int, fields: dict[str, str]) -> None:
        parts = [b"%d %d\n" % (cell_id, len(fields))]
        for key, value in fields.items():
            data = value.encode("utf-8", errors="backslashreplace")
            parts.append(b"%s %d\n%s\n" % (key.encode(), len(data), data))
        # An interrupt must not cut a reply in two: it waits until the reply is written.
        in_cell, self.in_cell = self.in_cell, False
        try:
            with self.resp_lock:
                self.resp.write(b"".join(parts))
                self.resp.flush()
        finally:
            self.in_cell = in_cell
        if in_cell and self.interrupted:
            raise KeyboardInterrupt

    def end_segment(self) -> None:
        for stream, fd in ((sys.stdout, 1), (sys.stderr, 2)):
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
            os.write(fd, SENTINEL)

    def event(self, kind: str, data: Any = None, display_id: str | None = None, *, ack: bool = False) -> None:
        fields = {"event": kind}
        if ack:
            fields["ack"] = "1"
        if data is not None:
            fields["data"] = _json(data)
        if display_id:
            fields["display_id"] = str(display_id)
        self.reply(self.cell_id, fields)

    def on_sigint(self, signum: int, frame: object) -> None:
        if self.in_cell:
            self.interrupted = True
            raise KeyboardInterrupt
        self.interrupted = True  # for the cell's reply being written, if any; ignored between cells

    def clear(self) -> None:
        """``clear_output``: what the cell printed and displayed so far is to go. The agent has to forget it at
        this point of the streams, not when it reads the event, so the cell waits for its ``CLEARED`` (on the
        request pipe, free while a cell runs); a thread of the cell other than the main one does not wait."""
        self.end_segment()
        wait = self.in_cell and threading.current_thread() is threading.main_thread()
        self.event("clear", ack=wait)
        while wait and (line := self.req.readline()):
            if line.strip() == b"CLEARED":
                return

    def read_request(self) -> tuple[str, int, bytes] | None:
        while True:
            try:
                line = self.req.readline()
            except KeyboardInterrupt:
                continue
            if not line:
                return None  # the agent is gone
            head = line.split()
            if len(head) != 3:
                continue  # a late CLEARED, for a cell that was interrupted while it waited
            size = int(head[2])
            data = self.req.read(size)
            if len(data) < size:
                return None
            return head[0].decode(), int(head[1]), data


class _Forgotten(dict):  # type: ignore[type-arg]
    """IPython 9's record of each cell's outputs (``HistoryManager.outputs``, for ``%notebook``), kept nowhere:
    it holds every byte a cell prints for the life of the process (a cell printing gigabytes would take as much
    memory), and the history it belongs to is off here."""

    def __contains__(self, key: object) -> bool:
        return False

    def __getitem__(self, key: object) -> list[object]:
        return []

    def __setitem__(self, key: object, value: object) -> None:
        pass


def _json(data: Any) -> str:
    def default(value: object) -> object:
        if isinstance(value, (bytes, bytearray)):
            return base64.b64encode(value).decode("ascii")
        return str(value)

    return json.dumps(data, ensure_ascii=False, default=default)


def _shell(runner: Runner) -> Any:
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets import Type
    from traitlets.config import Config

    class Publisher(DisplayPublisher):
        def publish(
            self,
            data: dict[str, Any],
            metadata: object = None,
            source: object = None,
            *,
            transient: dict[str, Any] | None = None,
            update: bool = False,
            **kwargs: object,
        ) -> None:
            display_id = (transient or {}).get("display_id")
            runner.event("update" if update else "display", data, display_id)

        def clear_output(self, wait: bool = False) -> None:
            runner.clear()

    class Hook(DisplayHook):
        # The cell's value becomes its result; nothing is printed (no Out[n] prompt).
        def start_displayhook(self) -> None:
            pass

        def write_output_prompt(self) -> None:
            pass

        def write_format_data(self, format_dict: dict[str, Any], md_dict: object = None) -> None:
            runner.result = format_dict

        def finish_displayhook(self) -> None:
            pass

    class Shell(InteractiveShell):
        displayhook_class = Type(Hook)
        display_pub_class = Type(Publisher)

        def _showtraceback(self, etype: type, evalue: BaseException, stb: list[str]) -> None:
            runner.error = (etype.__name__, str(evalue), "\n".join(stb))

        def enable_gui(self, gui: object = None) -> None:
            pass  # no event loop to integrate with: figures are shown inline

    config = Config()
    config.HistoryManager.enabled = False  # no history database on the user's disk
    config.InteractiveShell.colors = "nocolor"
    shell = Shell.instance(config=config)
    history = shell.history_manager
    if history is not None and hasattr(history, "outputs"):
        history.outputs = _Forgotten()
    return shell


def main() -> None:
    req_fd, resp_fd, limit = (int(arg) for arg in sys.argv[1:4])
    del sys.argv[1:4]
    sys.argv[0] = ""
    if limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    for stream in (sys.stdout, sys.stderr):  # unbuffered already (`python -u`)
        stream.reconfigure(encoding="utf-8", errors="backslashreplace")  # type: ignore[union-attr]
    runner = Runner(req_fd, resp_fd)
    shell = _shell(runner)
    # The first cell of a shell sets up what every cell uses (the compiler and its caches, the input
    # transformers): done here, in the start, the session's first cell is as quick as the next.
    shell.run_cell("pass", store_history=False, silent=True)
    signal.signal(signal.SIGINT, runner.on_sigint)
    gc.freeze()
    gc.enable()
    runner.end_segment()
    runner.reply(0, {"status": "ready"})
    while (request := runner.read_request()) is not None:
        kind, cell_id, data = request
        if kind == "ENV":
            change = json.loads(data)
            os.environ.update(change.get("set", {}))
            for key in change.get("unset", []):
                os.environ.pop(key, None)
            runner.reply(cell_id, {"status": "ok"})
            continue
        runner.cell_id = cell_id
        runner.error = runner.result = None
        runner.interrupted = False  # a late interrupt, for the previous cell, is forgotten
        count = shell.execution_count
        try:
            runner.in_cell = True
            try:
                shell.run_cell(data.decode("utf-8", errors="replace"), store_history=True)
            finally:
                runner.in_cell = False
        except KeyboardInterrupt:  # between the cell's end and the flag going down
            runner.interrupted = True
        fields = {"count": str(count)}
        if runner.result is not None:
            fields["result"] = _json(runner.result)
        if runner.interrupted and (runner.error is None or runner.error[0] == "KeyboardInterrupt"):
            fields["status"] = "interrupted"
            if runner.error is not None:
                fields["traceback"] = runner.error[2]
        elif runner.error is not None:
            fields.update(zip(("ename", "evalue", "traceback"), runner.error, strict=True), status="error")
        else:
            fields["status"] = "ok"
        runner.end_segment()
        runner.reply(cell_id, fields)


if __name__ == "__main__":
    main()
