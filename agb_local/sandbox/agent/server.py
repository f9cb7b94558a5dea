"""The agent's main loop: JSON lines in on stdin, JSON lines out on stdout.

Requests::

    {"id": 7, "op": "call", "tool": "shell", "args": {...}}   -> {"id": 7, "is_error": false, "text": "..."}
    {"id": 8, "op": "cancel", "target": 7}                   -> {"id": 8, "ok": true}
    {"id": 9, "op": "configure", "image_id": "...", "languages": [...], "env": {...},
     "python_env": null | {"venv": ..., "base_python": ..., "version": ..., "image_site": ...}}
                                                             -> {"id": 9, "ok": true} or "ok": false, "error"
    {"id": 10, "op": "ping"}                                 -> {"id": 10, "ok": true, "kernel": false, "node": false}

A ``call`` of ``run_code`` with ``"stream": true`` also sends, before its reply, one line per output as the
cell prints it: ``{"stream": 7, "eventType": "stdout", "chunk": "..."}`` (``stderr``, ``result`` and
``error`` events likewise; see results.CodeResult).

On start the agent writes ``{"event": "ready", "pid": N}``.  Each ``call`` runs in its own thread,
so a long shell command does not hold up a file read; run_code cells of one runtime queue up.
"""

from __future__ import annotations

import io
import json
import os
import sys
import threading
from collections.abc import Callable
from typing import Any

from . import files, pyenv
from .code import CodeRunner
from .context import AgentContext
from .errors import Saturated, ToolError
from .shell import run_shell
from .watch import ChangeWatcher


class _Writer:
    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._lock = threading.Lock()

    def send(self, message: dict[str, Any]) -> None:
        data = json.dumps(message, ensure_ascii=False).encode("utf-8", errors="replace") + b"\n"
        with self._lock:
            view = memoryview(data)
            while view:
                view = view[os.write(self._fd, view) :]


def _clean_text(text: str) -> str:
    """Lone surrogates (from odd file names or kernel output) cannot travel as UTF-8."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", errors="replace").decode("utf-8")


class Agent:
    def __init__(self, ctx: AgentContext, writer: _Writer) -> None:
        self.ctx = ctx
        self.writer = writer
        self.code = CodeRunner(ctx)
        self.watcher = ChangeWatcher()
        self._cancels: dict[Any, threading.Event] = {}
        self._cancels_lock = threading.Lock()
        Tool = Callable[[dict[str, Any], threading.Event], str]
        self.tools: dict[str, Tool] = {
            "shell": lambda a, c: run_shell(ctx, a, c),
            "run_code": self.code.run,
            "create_directory": lambda a, c: files.create_directory(ctx, a),
            "delete_file": lambda a, c: files.delete_file(ctx, a),
            "edit_file": lambda a, c: files.edit_file(ctx, a),
            "get_file_change": lambda a, c: self.watcher.changes(ctx, a),
            "get_file_info": lambda a, c: files.get_file_info(ctx, a),
            "list_directory": lambda a, c: files.list_directory(ctx, a),
            "move_file": lambda a, c: files.move_file(ctx, a),
            "read_file": lambda a, c: files.read_file(ctx, a),
            "read_multiple_files": lambda a, c: files.read_multiple_files(ctx, a),
            "search_files": lambda a, c: files.search_files(ctx, a),
            "write_file": lambda a, c: files.write_file(ctx, a),
        }

    def call(self, msg: dict[str, Any]) -> None:
        req_id = msg.get("id")
        cancel = threading.Event()
        with self._cancels_lock:
            self._cancels[req_id] = cancel
        try:
            name = msg.get("tool")
            tool = self.tools.get(name) if isinstance(name, str) else None
            if tool is None:
                raise ToolError(f"Unknown tool {name!r}. Available tools: {', '.join(sorted(self.tools))}")
            args = msg.get("args")
            if args is None:
                args = {}
            if not isinstance(args, dict):
                raise ToolError("Invalid arguments: expected a JSON object")
            if name == "run_code" and msg.get("stream") is True:
                writer = self.writer

                def emit(event: dict[str, Any]) -> None:
                    if "chunk" in event:
                        event["chunk"] = _clean_text(event["chunk"])
                    writer.send({"stream": req_id, **event})

                text = self.code.run(args, cancel, emit)
            else:
                text = tool(args, cancel)
            reply = {"id": req_id, "is_error": False, "text": _clean_text(text)}
        except ToolError as exc:
            reply = {"id": req_id, "is_error": True, "text": _clean_text(str(exc))}
            if isinstance(exc, Saturated):
                reply["saturated"] = True
        except Exception as exc:  # a bug in a tool must cost one call, not the sandbox
            reply = {
                "id": req_id,
                "is_error": True,
                "text": f"Internal error in tool {msg.get('tool')!r}: {type(exc).__name__}: {exc}",
            }
        finally:
            with self._cancels_lock:
                self._cancels.pop(req_id, None)
        self.writer.send(reply)

    def handle(self, msg: dict[str, Any]) -> None:
        op = msg.get("op")
        req_id = msg.get("id")
        if op == "call":
            try:
                threading.Thread(target=self.call, args=(msg,), daemon=True).start()
            except RuntimeError:
                # The sandbox's process limit is used up (a fork bomb?); answer, don't die.
                self.writer.send(
                    {
                        "id": req_id,
                        "is_error": True,
                        "saturated": True,  # the manager retries, then restarts the sandbox
                        "text": "The sandbox has reached its process limit and cannot start this call; "
                        "wait for processes to finish or stop the session",
                    }
                )
        elif op == "cancel":
            with self._cancels_lock:
                event = self._cancels.get(msg.get("target"))
            if event is not None:
                event.set()
            self.writer.send({"id": req_id, "ok": True})
        elif op == "configure":
            if isinstance(msg.get("home"), str):  # isolation "none": our directory was renamed
                self.ctx.relocate(msg["home"], str(msg["tmp"]), dict(msg.get("base_env", {})))
            python = None
            spec = msg.get("python_env")
            if isinstance(spec, dict):
                try:
                    python = pyenv.prepare(
                        str(spec["venv"]), str(spec["base_python"]), str(spec["version"]), str(spec["image_site"])
                    )
                except (OSError, KeyError) as exc:
                    self.writer.send(
                        {"id": req_id, "ok": False, "error": f"cannot set up the Python environment: {exc}"}
                    )
                    return
            self.ctx.configure(
                str(msg.get("image_id", "")), list(msg.get("languages", [])), dict(msg.get("env", {})), python
            )
            self.writer.send({"id": req_id, "ok": True})
        elif op == "ping":
            self.writer.send(
                {"id": req_id, "ok": True, "kernel": self.code.python.started(), "node": self.code.node.started()}
            )
        else:
            self.writer.send({"id": req_id, "ok": False, "error": f"unknown op {op!r}"})


def main() -> None:
    config = json.loads(sys.argv[1])
    # The protocol owns the original stdin/stdout.  Everything we spawn must not inherit them (a
    # `cat` in a shell command would eat requests; a stray print would corrupt replies), so move
    # the protocol to private non-inheritable fds and point 0/1 at /dev/null and stderr.
    proto_in, proto_out = os.dup(0), os.dup(1)
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(2, 1)
    os.close(devnull)
    sys.stdout = sys.stderr

    ctx = AgentContext.from_json(config)
    os.makedirs(ctx.runtime_dir, exist_ok=True)
    os.chdir(ctx.home)
    writer = _Writer(proto_out)
    agent = Agent(ctx, writer)
    writer.send({"event": "ready", "pid": os.getpid()})
    with os.fdopen(proto_in, "rb", buffering=0) as raw:
        reader = io.BufferedReader(raw, buffer_size=1 << 16)
        for line in reader:
            if not line.strip():
                continue
            try:
                msg = json.loads(line)
            except ValueError:
                continue
            if isinstance(msg, dict):
                agent.handle(msg)
    # EOF: the manager went away or is stopping us; leave nothing behind.
    agent.code.shutdown()
    os._exit(0)
