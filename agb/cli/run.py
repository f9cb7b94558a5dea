"""``agb run [--session ID | --image IMAGE] [--language L] FILE|-``: run code, print what it printed and its
result, save rich results (PNG, JPEG, SVG, HTML) with ``--out DIR``."""

from __future__ import annotations

import base64
import binascii
import importlib.util
import os
import sys
from typing import TYPE_CHECKING, Any

from .connect import client, working_session
from .errors import CliError, from_sdk
from .output import print_json, write_through

if TYPE_CHECKING:
    import argparse

    from agb import EnhancedCodeExecutionResult, ExecutionResult, Session

# Languages by file extension, for files given without --language; anything else is Python.
_BY_EXTENSION = {
    ".py": "python",
    ".js": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".java": "java",
    ".jsh": "java",  # a JShell script
    ".r": "r",
}
# Rich formats saved with --out, and their file extensions; PNG and JPEG arrive base64-encoded.
_RICH = {"png": "png", "jpeg": "jpg", "svg": "svg", "html": "html"}
_BASE64 = frozenset({"png", "jpeg"})


class Sink:
    """Where a run's output goes as it arrives: passed through unchanged, or kept for ``--json``."""

    def __init__(self, keep: bool) -> None:
        self.keep = keep
        self.out: list[str] = []
        self.err: list[str] = []

    def stdout(self, text: str) -> None:
        if self.keep:
            self.out.append(text)
        else:
            write_through(sys.stdout, text)

    def stderr(self, text: str) -> None:
        if self.keep:
            self.err.append(text)
        else:
            write_through(sys.stderr, text)


def run_code(
    session: Session, code: str, language: str, timeout_s: int | None, sink: Sink
) -> EnhancedCodeExecutionResult:
    """Run `code` and send its output to `sink`; the one place a run talks to the service.

    Where the session has a WebSocket and websockets is installed, the output reaches `sink` as the code
    prints it (and Ctrl-C stops the run in the sandbox); otherwise the SDK returns it when the run ends and
    it is replayed here (stdout first, then stderr).
    """
    options: dict[str, Any] = {} if timeout_s is None else {"timeout_s": timeout_s}
    if session.ws_url and session.token and importlib.util.find_spec("websockets") is not None:
        return session.code.run(code, language, on_stdout=sink.stdout, on_stderr=sink.stderr, **options)
    result = session.code.run(code, language, **options)
    for chunk in result.logs.stdout:
        sink.stdout(chunk)
    for chunk in result.logs.stderr:
        sink.stderr(chunk)
    return result


def _source(path: str) -> str:
    try:
        if path == "-":
            return sys.stdin.read()
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise CliError(f"cannot read {'stdin' if path == '-' else path}: {reason}") from None


def language_for(path: str, language: str | None) -> str:
    if language:
        return language
    return _BY_EXTENSION.get(os.path.splitext(path)[1].lower(), "python")


def _save(item: ExecutionResult, number: int, out_dir: str) -> list[str]:
    """Write the rich formats of one result as ``result-N.EXT`` under `out_dir`; the paths written."""
    saved = []
    for name, extension in _RICH.items():
        value = getattr(item, name)
        if not isinstance(value, str):
            continue
        try:
            data = base64.b64decode(value, validate=False) if name in _BASE64 else value.encode("utf-8")
        except (binascii.Error, ValueError):
            raise CliError(f"result {number}: the {name} data is not base64") from None
        path = os.path.join(out_dir, f"result-{number}.{extension}")
        try:
            with open(path, "wb") as handle:
                handle.write(data)
        except OSError as exc:
            raise CliError(f"cannot write {path}: {exc.strerror or exc}") from None
        saved.append(path)
    return saved


def _shown_text(item: ExecutionResult) -> str | None:
    """The text to print for a result: its text when it has no rich format (that text is only a
    placeholder such as ``<Figure size 640x480 with 1 Axes>``)."""
    if any(getattr(item, name) is not None for name in _RICH):
        return None
    return item.text


def run(args: argparse.Namespace) -> int:
    code = _source(args.file)
    language = language_for(args.file, args.language)
    if args.out:
        try:
            os.makedirs(args.out, exist_ok=True)
        except OSError as exc:
            raise CliError(f"cannot create {args.out}: {exc.strerror or exc}") from None
    sink = Sink(keep=args.json)
    with client(args) as agb, working_session(agb, args) as session:
        result = run_code(session, code, language, args.timeout, sink)
        session_id = session.session_id
    execution = result.execution_error
    if not result.success and execution is None:
        raise from_sdk(result.error, session_id) if result.error else CliError(result.error_message)
    records, unsaved = [], []
    for number, item in enumerate(result.results, 1):
        saved = _save(item, number, args.out) if args.out else []
        rich = [name for name in _RICH if getattr(item, name) is not None]
        if rich and not args.out:
            unsaved += rich
        text = _shown_text(item)
        records.append({"main": item.is_main_result, "formats": item.formats(), "text": item.text, "files": saved})
        if not args.json:
            if text is not None:
                print(text)
            for path in saved:
                print(f"agb: saved {path}", file=sys.stderr)
    if args.json:
        error = (
            None
            if execution is None
            else {"name": execution.name, "value": execution.value, "traceback": execution.traceback}
        )
        print_json(
            {
                "session_id": session_id,
                "success": result.success,
                "stdout": "".join(sink.out),
                "stderr": "".join(sink.err),
                "results": records,
                "error": error,
            }
        )
    else:
        if unsaved:
            print(f"agb: not shown: {', '.join(unsaved)} (save with --out DIR)", file=sys.stderr)
        if execution is not None:
            print(execution.traceback or f"{execution.name}: {execution.value}", file=sys.stderr)
    return 0 if execution is None else 1
