"""Drives the official ``agbcloud-sdk`` for the benchmarks. Runs with the official client's own venv
(``python -I official_driver.py``), imports nothing of ours, and answers JSON lines on stdin/stdout:

    {"op": "setup", "endpoint": ..., "api_key": ..., "timeout_ms": ...}  -> {"version": ...}
    {"op": "sessions", "ids": [...], "route": "link"|"mcp"}               -> {"ok": n, "errors": [...]}
    {"op": "percall", "call": "get_session"|"get_status"|"file_info", "session_id": ..., "n": ..., "path": ...,
     "route": ...}
        -> {"times": [...], "errors": n}
    {"op": "fanout", "session_ids": [...], "calls_per_session": k, "path": ..., "route": ...}
        -> {"wall": s, "latencies": [...], "errors": n, "cpu": s}   (one thread per session; cpu: process time)
    {"op": "stream", "session_id": ..., "code": ..., "latency": bool}
        -> {"wall": s, "latencies": [...], "lines": n, "success": bool}   (code.run with stream_beta=True; each
           stdout line is a time.time() from the sandbox when "latency", subtracted from the callback's clock)
    {"op": "quit"}

``route`` (default "link") is how the sessions' tool calls travel. "link": sessions from ``agb.get``, which
gives the LinkUrl, token and toolList, so the client sends tool calls to ``<linkUrl>/callTool``, each on a new
``httpx.Client`` of its own. "mcp": ``Session(agb, id)``, the client's own constructor (as for a service that
gives no LinkUrl), so its tool calls go through ``POST /mcp`` on its pooled client, the route ours takes.

Every time is measured here with ``time.perf_counter`` around the public method call, so the pipe costs
nothing that is timed.
"""

import json
import sys
import threading
import time
import traceback
from importlib.metadata import version

from agb import AGB
from agb.config import Config
from agb.session import Session

STATE = {}


def setup(msg):
    STATE["agb"] = AGB(api_key=msg["api_key"], cfg=Config(endpoint=msg["endpoint"], timeout_ms=msg["timeout_ms"]))
    STATE["sessions"] = {}
    return {"version": version("agbcloud-sdk")}


def sessions(msg):
    agb, errors = STATE["agb"], []
    route = msg.get("route", "link")
    mine = STATE["sessions"].setdefault(route, {})
    for sid in msg["ids"]:
        if sid in mine:
            continue
        result = agb.get(sid)
        if result.success and result.session is not None:
            mine[sid] = result.session if route == "link" else Session(agb, sid)
        else:
            errors.append(f"{sid}: {result.error_message}")
    return {"ok": len(msg["ids"]) - len(errors), "errors": errors}


def one_call(call, session_id, path, route="link"):
    """The public method for `call`, as a zero-argument callable returning success."""
    agb = STATE["agb"]
    if call == "get_session":
        return lambda: agb.get_session(session_id).success
    session = STATE["sessions"][route][session_id]
    if call == "get_status":
        return lambda: session.get_status().success
    if call == "file_info":
        return lambda: session.file.info(path).success
    raise ValueError(f"unknown call {call!r}")


def percall(msg):
    fn = one_call(msg["call"], msg["session_id"], msg.get("path", "/home/user"), msg.get("route", "link"))
    times, errors = [], 0
    for _ in range(msg["n"]):
        start = time.perf_counter()
        ok = fn()
        times.append(time.perf_counter() - start)
        errors += not ok
    return {"times": times, "errors": errors}


def fanout(msg):
    ids, k, path = msg["session_ids"], msg["calls_per_session"], msg.get("path", "/home/user")
    fns = [one_call("file_info", sid, path, msg.get("route", "link")) for sid in ids]
    barrier = threading.Barrier(len(ids) + 1)
    latencies, errors, lock = [], [0], threading.Lock()

    def worker(fn):
        mine, bad = [], 0
        barrier.wait()
        for _ in range(k):
            start = time.perf_counter()
            try:
                ok = fn()
            except Exception:
                ok = False
            mine.append(time.perf_counter() - start)
            bad += not ok
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=worker, args=(fn,)) for fn in fns]
    for t in threads:
        t.start()
    barrier.wait()
    cpu, start = time.process_time(), time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    return {"wall": wall, "latencies": latencies, "errors": errors[0], "cpu": time.process_time() - cpu}


def stream(msg):
    session = STATE["sessions"]["link"][msg["session_id"]]
    latencies, lines = [], [0]

    def on_stdout(chunk):
        now = time.time()
        lines[0] += chunk.count("\n")  # a flush may split a line: count the ends of lines
        if msg["latency"]:
            latencies.extend(now - float(line) for line in chunk.split() if line)

    start = time.perf_counter()
    result = session.code.run(msg["code"], "python", timeout_s=300, stream_beta=True, on_stdout=on_stdout)
    wall = time.perf_counter() - start
    return {"wall": wall, "latencies": latencies, "lines": lines[0], "success": result.success}


OPS = {"setup": setup, "sessions": sessions, "percall": percall, "fanout": fanout, "stream": stream}


def main():
    out = sys.stdout
    for line in sys.stdin:
        msg = json.loads(line)
        if msg["op"] == "quit":
            break
        try:
            reply = OPS[msg["op"]](msg)
        except Exception as exc:
            reply = {"error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc()}
        out.write(json.dumps(reply) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
