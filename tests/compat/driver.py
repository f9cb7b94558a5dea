"""Drive a backend with the official AGB client (agbcloud-sdk 0.12.0), unchanged, and record what it saw.

Run with the compat virtualenv's python, never ours (this file imports the official `agb` package):

    .cache/compat-venv/bin/python tests/compat/driver.py ENDPOINT API_KEY OUT.json

Each step records the official client's own result objects (success, error_message, payload) as plain JSON;
tests/compat/test_official_client.py asserts on them. A step that raises is recorded with the exception, so
one broken call does not hide the others.
"""

from __future__ import annotations

import base64
import importlib.metadata
import json
import sys
import threading
import time
import traceback
import urllib.error
import urllib.request
import uuid
from typing import Any

import agb as agb_module
from agb import AGB
from agb.config import Config
from agb.session_params import CreateSessionParams

# A 1x1 PNG, as the kernel will display it.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
# More than one 51200-character write chunk, with multi-byte characters across the chunk boundaries.
BIG_TEXT = ("grüße 😀 — ünïcödé, " * 3000) + "end\n"


def plain(value: Any, depth: int = 0) -> Any:
    """The official client's result objects as JSON."""
    if depth > 6:
        return repr(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, bytes):
        return {"bytes_b64": base64.b64encode(value).decode()}
    if isinstance(value, dict):
        return {str(k): plain(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v, depth + 1) for v in value]
    if hasattr(value, "__dict__"):
        return {k: plain(v, depth + 1) for k, v in vars(value).items() if not k.startswith("_") and k != "session"}
    return repr(value)


class Recorder:
    def __init__(self) -> None:
        self.steps: dict[str, Any] = {}

    def step(self, name: str, call: Any) -> Any:
        started = time.monotonic()
        try:
            result = call()
            self.steps[name] = {"ok": True, "result": plain(result), "seconds": time.monotonic() - started}
            return result
        except Exception as exc:
            self.steps[name] = {
                "ok": False,
                "exception": f"{type(exc).__name__}: {exc}",
                "traceback": traceback.format_exc()[-3000:],
                "seconds": time.monotonic() - started,
            }
            return None


def main(endpoint: str, api_key: str, out: str) -> None:
    agb = AGB(api_key=api_key, cfg=Config(endpoint=endpoint, timeout_ms=60000))
    rec = Recorder()
    suite = f"compat-{uuid.uuid4().hex[:8]}"
    rec.steps["suite"] = suite
    rec.steps["client"] = {"version": importlib.metadata.version("agbcloud-sdk"), "module": agb_module.__file__}
    rec.steps["big_text"] = BIG_TEXT
    rec.steps["png_b64"] = base64.b64encode(PNG).decode()

    # ------------------------------------------------------------------ sessions and labels
    first = rec.step(
        "create", lambda: agb.create(CreateSessionParams(labels={"suite": suite, "lang": "ü"}, image_id="code_latest"))
    )
    second = rec.step(
        "create_second",
        lambda: agb.create(CreateSessionParams(labels={"suite": suite, "role": "second"}, image_id="agb-code-space-1")),
    )
    session = first.session if first is not None and first.success else None
    other = second.session if second is not None and second.success else None
    if session is None or other is None:
        write(out, rec)
        return
    rec.step("list_by_suite", lambda: agb.list(labels={"suite": suite}))
    rec.step("list_by_suite_and_role", lambda: agb.list(labels={"suite": suite, "role": "second"}))
    rec.step("list_page_1", lambda: agb.list(labels={"suite": suite}, limit=1))
    rec.step("list_page_2", lambda: agb.list(labels={"suite": suite}, page=2, limit=1))
    rec.step("get", lambda: agb.get(session.session_id))
    rec.step("get_session", lambda: agb.get_session(session.session_id))
    rec.step("set_labels", lambda: session.set_labels({"suite": suite, "lang": "ü", "stage": "set"}))
    rec.step("get_labels", lambda: session.get_labels())
    rec.step("list_after_set", lambda: agb.list(labels={"stage": "set", "suite": suite}))

    # ------------------------------------------------------------------ code
    rec.step("run_value", lambda: session.code.run("print('hello')\nx = 41\nx + 1", "python"))
    rec.step("run_state", lambda: session.code.run("x * 2", "python"))
    rec.step(
        "run_rich",
        lambda: session.code.run(
            "import base64\n"
            "from IPython.display import HTML, Image, display\n"
            "display(HTML('<b>bold</b>'))\n"
            f"display(Image(data=base64.b64decode({base64.b64encode(PNG).decode()!r})))\n"
            "{'k': [1, 2]}",
            "python",
        ),
    )
    rec.step("run_exception", lambda: session.code.run("print('before')\n1/0", "python"))
    rec.step("run_alias_py3", lambda: session.code.run("print(6 * 7)", "python3"))
    rec.step("run_javascript", lambda: session.code.run("console.log(6 * 7)", "javascript"))
    # Java (JShell) and R, where the machine has them (the test skips otherwise): state kept, errors mapped.
    rec.step("run_java", lambda: session.code.run('int x = 41;\nSystem.out.println("java " + x);\nx + 1', "java"))
    rec.step("run_java_state", lambda: session.code.run("x * 2", "java"))
    rec.step("run_java_error", lambda: session.code.run('Integer.parseInt("nope")', "java"))
    rec.step("run_r", lambda: session.code.run("x <- 41\ncat('r', x, '\\n')\nx + 1", "r"))
    rec.step("run_r_state", lambda: session.code.run("x * 2", "r"))
    rec.step("run_r_error", lambda: session.code.run("stop('bad thing')", "r"))
    rec.step("run_r_streamed", lambda: session.code.run("cat('streamed\\n')\nx", "R", stream_beta=True))

    # ------------------------------------------------------------------ commands
    rec.step("exec_ok", lambda: session.command.execute("echo hi", timeout_ms=5000))
    rec.step("exec_exit_3", lambda: session.command.execute("echo out; echo err >&2; exit 3", timeout_ms=5000))
    rec.step("exec_cwd", lambda: session.command.execute("pwd", timeout_ms=5000, cwd="/tmp"))
    rec.step(
        "exec_envs", lambda: session.command.execute("echo $GREETING", timeout_ms=5000, envs={"GREETING": "hallo"})
    )
    rec.step("exec_timeout", lambda: session.command.execute("sleep 5", timeout_ms=300))

    # ------------------------------------------------------------------ files
    fs = session.file
    base = "/tmp/compat"
    rec.step("mkdir", lambda: fs.mkdir(f"{base}/dir/sub"))
    rec.step("write_big", lambda: fs.write(f"{base}/big.txt", BIG_TEXT))
    rec.step("read_big_text", lambda: fs.read(f"{base}/big.txt"))
    rec.step("read_big_bytes", lambda: fs.read(f"{base}/big.txt", format="bytes"))
    rec.step("write_small", lambda: fs.write(f"{base}/dir/a.txt", "hello\nworld\n"))
    rec.step("write_append", lambda: fs.write(f"{base}/dir/a.txt", "again\n", mode="append"))
    rec.step("write_empty", lambda: fs.write(f"{base}/dir/empty.txt", ""))
    rec.step("read_empty", lambda: fs.read(f"{base}/dir/empty.txt"))
    rec.step("list", lambda: fs.list(f"{base}/dir"))
    rec.step("info_file", lambda: fs.info(f"{base}/big.txt"))
    rec.step("info_dir", lambda: fs.info(f"{base}/dir"))
    rec.step("edit", lambda: fs.edit(f"{base}/dir/a.txt", [{"oldText": "world", "newText": "there"}]))
    rec.step("read_after_edit", lambda: fs.read(f"{base}/dir/a.txt"))
    rec.step("move", lambda: fs.move(f"{base}/dir/a.txt", f"{base}/dir/b.txt"))
    rec.step("search", lambda: fs.search(base, "*.txt"))
    rec.step("search_none", lambda: fs.search(base, "*.nothing"))
    rec.step("read_batch", lambda: fs.read_batch([f"{base}/dir/b.txt", f"{base}/dir/empty.txt"]))
    rec.step("remove", lambda: fs.remove(f"{base}/dir/b.txt"))
    rec.step("read_removed", lambda: fs.read(f"{base}/dir/b.txt"))

    # ------------------------------------------------------------------ session services
    rec.step("keep_alive", lambda: session.keep_alive())
    rec.step("get_status", lambda: session.get_status())
    rec.step("info", lambda: session.info())
    rec.step("list_mcp_tools", lambda: session.list_mcp_tools())
    rec.step("call_mcp_tool", lambda: session.call_mcp_tool("shell", {"command": "echo direct", "timeout_ms": 5000}))
    rec.step("call_mcp_tool_unknown", lambda: session.call_mcp_tool("no_such_tool", {}))

    rec.step("watch_dir", lambda: watch(fs, base))

    # ------------------------------------------------------------------ the direct routes (LinkUrl, WebSocket, links)
    direct(rec, agb, session, base)

    # What agb_local does not offer; each must fail cleanly (the README lists them).
    rec.step("upload", lambda: fs.upload(__file__, f"{base}/uploaded.py", wait=False))

    # ------------------------------------------------------------------ delete (releaseSessionAsync + polling)
    rec.step("delete", lambda: session.delete())
    rec.step("get_deleted", lambda: agb.get(session.session_id))
    rec.step("agb_delete_second", lambda: agb.delete(other))
    rec.step("list_after_delete", lambda: agb.list(labels={"suite": suite}))
    write(out, rec)


STREAM_CODE = "import time\nfor i in range(3):\n    print('tick', i)\n    time.sleep(0.4)\n6 * 7"


def direct(rec: Recorder, agb: AGB, session: Any, base: str) -> None:
    """The fields, routes and tools beyond /mcp: streaming, get_metrics, get_link, LinkUrl against /mcp."""
    rec.step("fields", lambda: {k: getattr(session, k) for k in ("ws_url", "token", "link_url")})
    space = rec.step("create_code_space_2", lambda: agb.create(CreateSessionParams(image_id="agb-code-space-2")))
    if space is not None and space.success:
        rec.step("space_2_run", lambda: space.session.code.run("print('space 2')", "python"))
        rec.step("space_2_delete", lambda: space.session.delete())

    def stream() -> dict[str, Any]:
        chunks: list[Any] = []
        started = time.monotonic()
        result = session.code.run(
            STREAM_CODE, "python", stream_beta=True, on_stdout=lambda c: chunks.append([time.monotonic() - started, c])
        )
        return {"result": plain(result), "chunks": chunks, "seconds": time.monotonic() - started}

    rec.step("stream_run", stream)
    rec.step("stream_error", lambda: session.code.run("raise KeyError('k')", "python", stream_beta=True))
    rec.step("get_metrics", lambda: session.get_metrics())

    # A web server started in the background keeps running after its command returns; its link reaches it.
    rec.step(
        "serve_port",
        lambda: session.command.execute(
            f"mkdir -p {base}/www && echo linked > {base}/www/hello.txt && "
            f"nohup python3 -m http.server 30100 --directory {base}/www > /dev/null 2>&1 &",
            timeout_ms=5000,
        ),
    )
    rec.step("wait_port", lambda: session.command.execute("sleep 1", timeout_ms=5000))
    link = rec.step("get_link", lambda: session.get_link(port=30100))
    url = link.data if link is not None and link.success else ""
    rec.step("get_link_default", lambda: session.get_link())
    rec.step("get_link_https", lambda: session.get_link(protocol_type="https", port=30100))
    rec.step("get_link_bad_port", lambda: session.get_link(port=8080))
    rec.step("link_fetch", lambda: fetch(url + "hello.txt"))
    closed = rec.step("get_link_closed", lambda: session.get_link(port=30199))
    rec.step("link_fetch_closed", lambda: fetch(closed.data if closed is not None and closed.success else ""))

    # Tool calls go to the LinkUrl route while the session has linkUrl, token and toolList; without linkUrl
    # they go to /mcp; with a forged token the LinkUrl route refuses them.
    rec.step("route_link", lambda: session.command.execute("echo route", timeout_ms=5000))
    rec.step("route_link_error", lambda: session.file.read(f"{base}/no-such-file"))
    saved_url, saved_token = session.link_url, session.token
    session.link_url = ""
    rec.step("route_mcp", lambda: session.command.execute("echo route", timeout_ms=5000))
    rec.step("route_mcp_error", lambda: session.file.read(f"{base}/no-such-file"))
    session.link_url, session.token = saved_url, saved_token[:-4] + "0000"
    rec.step("route_link_forged", lambda: session.command.execute("echo forged", timeout_ms=5000))
    session.token = saved_token


def fetch(url: str) -> dict[str, Any]:
    try:
        with urllib.request.urlopen(url, timeout=10) as reply:
            return {"status": reply.status, "body": reply.read().decode()}
    except urllib.error.HTTPError as exc:
        return {"status": exc.code, "body": exc.read().decode()}


def watch(fs: Any, base: str) -> list[Any]:
    """`watch_dir` polls get_file_change from a thread; a file written meanwhile must be reported."""
    seen: list[Any] = []
    stop = threading.Event()
    thread = fs.watch_dir(base, seen.extend, interval=0.2, stop_event=stop)
    thread.start()  # watch_dir hands back the thread unstarted
    thread.ready_event.wait(5)
    fs.write(f"{base}/watched.txt", "new")
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not any(getattr(e, "path", "").endswith("watched.txt") for e in seen):
        time.sleep(0.1)
    stop.set()
    thread.join(5)
    return seen


def write(out: str, rec: Recorder) -> None:
    with open(out, "w", encoding="utf-8") as f:
        json.dump(rec.steps, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main(*sys.argv[1:4])
