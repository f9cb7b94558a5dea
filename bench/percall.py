"""Section 2: the cost of one call against a live agb_local (its own process), sequential, kept alive.

Three clients send the same requests: our SDK (sync ``AGB``), raw httpx (one kept-alive ``httpx.Client``
replaying the exact bytes our SDK sends, captured once through a mock transport, reply JSON parsed) and
the official client (its driver subprocess). Rounds interleave the three, rotating who goes first; the
ratio is the median of the per-round ratios (paired), so a change of load between rounds cancels out.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx

from agb import AGB, Config

from .context import PROBE_PATH, Bench
from .report import Report, Row
from .stats import Summary, fmt_ms, fmt_summary_ms, paired_ratio

SECTION = "2 per-call overhead (sequential, loopback agb_local)"

CALLS = {
    "get_session": "getSession (agb.get)",
    "get_status": "getSessionInfo (session.get_status)",
    "file_info": "get_file_info tool via /mcp (session.file.info)",
}


def _sdk_call(agb: AGB, call: str, session_id: str) -> Callable[[], bool]:
    if call == "get_session":
        return lambda: agb.get(session_id).success
    session = agb.get(session_id).unwrap()
    if call == "get_status":
        return lambda: session.get_status().success
    return lambda: session.file.info(PROBE_PATH).success


def captured(bench: Bench, call: str, session_id: str) -> httpx.Request:
    """The request our SDK sends for `call`, captured with a mock transport (nothing leaves the process)."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        seen.append(request)
        data: dict[str, Any] = {"sessionId": session_id, "status": "RUNNING", "isError": False, "content": []}
        body = {"success": True, "code": "ok", "message": "", "httpStatusCode": 200, "requestId": "r", "data": data}
        return httpx.Response(200, json=body)

    with (
        httpx.Client(transport=httpx.MockTransport(handler)) as http,
        AGB(api_key=bench.server.api_key, cfg=Config(endpoint=bench.server.endpoint), http_client=http) as agb,
    ):
        _sdk_call(agb, call, session_id)()
    return seen[-1]


def _raw_call(client: httpx.Client, request: httpx.Request) -> Callable[[], bool]:
    method, url, content = request.method, str(request.url), request.content
    headers = {k: v for k, v in request.headers.items() if k.lower() not in ("host", "content-length")}

    def call() -> bool:
        reply = client.request(method, url, content=content, headers=headers)
        return reply.status_code == 200 and reply.json().get("success") is True

    return call


def _timed(fn: Callable[[], bool], n: int) -> tuple[list[float], int]:
    times, errors = [], 0
    for _ in range(n):
        start = time.perf_counter()
        ok = fn()
        times.append(time.perf_counter() - start)
        errors += not ok
    return times, errors


def run(bench: Bench, report: Report) -> None:
    plan = bench.plan
    session_id = bench.ensure_sessions(1)[0]
    # The official client on /mcp, as ours and raw httpx (its LinkUrl route is in section 3).
    bench.official_call({"op": "sessions", "ids": [session_id], "route": "mcp"})
    with httpx.Client() as raw_client:
        for call, label in CALLS.items():
            ours_fn = _sdk_call(bench.agb, call, session_id)
            raw_fn = _raw_call(raw_client, captured(bench, call, session_id))

            def official(n: int, call: str = call) -> tuple[list[float], int]:
                msg = {
                    "op": "percall",
                    "call": call,
                    "session_id": session_id,
                    "n": n,
                    "path": PROBE_PATH,
                    "route": "mcp",
                }
                reply = bench.official_call(msg)
                return ([], 0) if reply is None else (reply["times"], reply["errors"])

            runners: dict[str, Callable[[int], tuple[list[float], int]]] = {
                "ours": lambda n, f=ours_fn: _timed(f, n),  # type: ignore[misc]
                "raw": lambda n, f=raw_fn: _timed(f, n),  # type: ignore[misc]
                "official": official,
            }
            for run_n in runners.values():
                run_n(plan.percall_warmup)
            times: dict[str, list[float]] = {name: [] for name in runners}
            rounds: dict[str, list[float]] = {name: [] for name in runners}  # each round's median
            errors = dict.fromkeys(runners, 0)
            for i in range(plan.percall_rounds):
                names = list(runners)
                for name in names[i % 3 :] + names[: i % 3]:
                    got, bad = runners[name](plan.percall_n)
                    times[name] += got
                    rounds[name].append(Summary.of(got).median)
                    errors[name] += bad
            ours, raw, theirs = (Summary.of(times[k]) for k in ("ours", "raw", "official"))
            vs_raw, vs_official = (
                paired_ratio(rounds["ours"], rounds["raw"]),
                paired_ratio(rounds["ours"], rounds["official"]),
            )
            r = vs_raw.median
            data = {"times_s": times, "round_medians_s": rounds, "errors": errors}
            err = f", errors {errors['ours']}/{errors['raw']}/{errors['official']}" if any(errors.values()) else ""
            report.add(
                Row(
                    SECTION,
                    f"{label}: SDK vs raw httpx (n={ours.n}{err})",
                    fmt_summary_ms(ours),
                    f"raw httpx: {fmt_summary_ms(raw)}",
                    r,
                    "<= 1.20x",
                    None if r != r else (r <= 1.2 and not errors["ours"]),
                    data,
                    ratio_spread=vs_raw.spread,
                )
            )
            report.add(
                Row(
                    SECTION,
                    f"{label}: SDK vs official client",
                    fmt_summary_ms(ours),
                    f"official: {fmt_summary_ms(theirs)}",
                    vs_official.median,
                    ratio_spread=vs_official.spread,
                )
            )
            report.note(
                f"{call}: SDK overhead over raw httpx {fmt_ms(ours.median - raw.median)} per call "
                f"(official client: {fmt_ms(theirs.median - raw.median)})"
            )
