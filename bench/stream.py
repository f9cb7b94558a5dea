"""Section 6: streamed run_code over the session WebSocket, ours against the official client in the same run.

* latency from a ``print`` in the sandbox to its ``on_stdout`` callback: the cell prints ``time.time()`` every
  20 ms and the callback subtracts it from its own clock (the sandbox shares the host's wall clock), so each
  line is one sample;
* throughput of a 10,000-line stream: one cell printing 10,000 lines, wall time from the call to its result,
  every line counted at the callback.

Rounds alternate ours and the official client (who goes first rotates), each on a session of its own.
"""

from __future__ import annotations

import time
from typing import Any

from .context import Bench
from .report import Report, Row
from .stats import Summary, fmt_ms, fmt_rate, paired_ratio, ratio

SECTION = "6 streaming (baseline = the official client, stream_beta=True)"
LATENCY_TARGET_S = 0.050


def latency_code(prints: int) -> str:
    return f"import time\nfor _ in range({prints}):\n    print(time.time())\n    time.sleep(0.02)\n"


def lines_code(lines: int) -> str:
    return f"for i in range({lines}):\n    print(i)\n"


def ours_stream(session: Any, code: str, latency: bool) -> dict[str, Any]:
    latencies: list[float] = []
    lines = [0]

    def on_stdout(chunk: str) -> None:
        now = time.time()
        lines[0] += chunk.count("\n")  # a flush may split a line: count the ends of lines
        if latency:
            latencies.extend(now - float(line) for line in chunk.split() if line)

    start = time.perf_counter()
    result = session.code.run(code, "python", timeout_s=300, on_stdout=on_stdout)
    wall = time.perf_counter() - start
    return {"wall": wall, "latencies": latencies, "lines": lines[0], "success": result.success}


def run(bench: Bench, report: Report) -> None:
    plan = bench.plan
    prints, total_lines, rounds = (10, 1_000, 1) if plan.quick else (50, 10_000, 3)
    ours_id, theirs_id = bench.ensure_sessions(2)
    ours_session = bench.agb.get(ours_id).unwrap()
    official = bench.official_call({"op": "sessions", "ids": [theirs_id]}) is not None
    for session_id, warm in ((None, ours_session), (theirs_id, None)):  # start both kernels first
        if warm is not None:
            ours_stream(warm, "1", latency=False)
        elif official:
            bench.official_call({"op": "stream", "session_id": session_id, "code": "1", "latency": False})

    ours_lat: list[float] = []
    theirs_lat: list[float] = []
    ours_walls: list[float] = []
    theirs_walls: list[float] = []
    problems: list[str] = []
    for i in range(rounds):
        sides = ["ours", "theirs"] if i % 2 == 0 else ["theirs", "ours"]
        for side in sides:
            for kind, code in (("latency", latency_code(prints)), ("lines", lines_code(total_lines))):
                if side == "ours":
                    got = ours_stream(ours_session, code, kind == "latency")
                elif official:
                    got = (
                        bench.official_call(
                            {"op": "stream", "session_id": theirs_id, "code": code, "latency": kind == "latency"}
                        )
                        or {}
                    )
                else:
                    continue
                expected = prints if kind == "latency" else total_lines
                if not got.get("success") or got.get("lines") != expected:
                    problems.append(f"{side} {kind}: success={got.get('success')} lines={got.get('lines')}")
                if kind == "latency":
                    (ours_lat if side == "ours" else theirs_lat).extend(got["latencies"])
                else:
                    (ours_walls if side == "ours" else theirs_walls).append(got["wall"])

    o, t = Summary.of(ours_lat), Summary.of(theirs_lat)
    note = f", errors: {'; '.join(problems)}" if problems else ""
    report.add(
        Row(
            SECTION,
            f"print -> on_stdout latency (n={o.n}, a print every 20 ms{note}): p50",
            fmt_ms(o.median),
            fmt_ms(t.median) if t.n else "unavailable",
            ratio(o.median, t.median),
            "<= 50 ms",
            o.median <= LATENCY_TARGET_S and not problems,
            {"ours_s": ours_lat, "official_s": theirs_lat},
        )
    )
    report.add(
        Row(
            SECTION,
            "print -> on_stdout latency: p95",
            fmt_ms(o.p95),
            fmt_ms(t.p95) if t.n else "unavailable",
            ratio(o.p95, t.p95),
        )
    )
    ours_rate = [total_lines / w for w in ours_walls]
    theirs_rate = [total_lines / w for w in theirs_walls]
    paired = paired_ratio(ours_rate, theirs_rate)
    row = report.add(
        Row(
            SECTION,
            f"{total_lines:,}-line stream, call to result (rounds={len(ours_walls)}): lines/s",
            fmt_rate(Summary.of(ours_rate).median),
            fmt_rate(Summary.of(theirs_rate).median) if theirs_rate else "unavailable",
            paired.median,
            "info",
            None,
            {"ours_wall_s": ours_walls, "official_wall_s": theirs_walls},
        )
    )
    row.ratio_spread = paired.spread
