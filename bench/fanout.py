"""Sections 3 and 5: tool calls fanned out over many sessions.

Ours: ``AsyncAGB``, one coroutine per session, all gathered (concurrency = sessions), one connection pool.
Official: one thread per session (it has no async client), each with its own session object, on either route
it has for a tool call (official_driver.py): ``POST /mcp``, the route ours takes, which the targets compare
against; and, in section 3, the LinkUrl route it picks by itself for sessions from ``agb.get`` since agb_local
gives a LinkUrl as the cloud does. There each call makes a new ``httpx.Client`` (about 20 ms of its CPU for the
SSL context alone, agb_local answering in about 1 ms either way), so that row shows the client's own choice.
Each worker makes the same number of ``get_file_info`` calls; reps interleave the sides.
"""

from __future__ import annotations

import asyncio
import math
import time
from dataclasses import dataclass, field

from .context import PROBE_PATH, Bench
from .report import Report, Row
from .servers import server_cpu
from .stats import Summary, fmt_ms, fmt_rate, paired_ratio, ratio

SECTION3 = "3 fan-out"
SECTION5 = "5 scaling (fan-out at 1..64 sessions)"


@dataclass
class Fanout:
    calls: int = 0
    walls: list[float] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    client_cpu: float = 0.0  # seconds, summed over the measured reps
    server_cpu: float = 0.0  # the agb_local process itself
    sandbox_cpu: float = 0.0  # its sandboxes (agents)

    def cpu_per_call(self) -> tuple[float, float, float]:
        n = max(self.calls, 1)
        return self.client_cpu / n, self.server_cpu / n, self.sandbox_cpu / n

    @property
    def throughputs(self) -> list[float]:
        per_rep = self.calls / max(len(self.walls), 1)
        return [per_rep / w for w in self.walls]

    @property
    def throughput(self) -> float:
        return Summary.of(self.throughputs).median if self.walls else math.nan


async def _ours_once(bench: Bench, ids: list[str], calls_each: int, lean: bool) -> tuple[float, list[float], int]:
    sessions = bench.lean_sessions(ids) if lean else bench.async_sessions(ids)
    latencies: list[float] = []
    errors = 0

    async def worker(index: int) -> None:
        nonlocal errors
        session = sessions[index]
        for _ in range(calls_each):
            start = time.perf_counter()
            try:
                ok = (await session.file.info(PROBE_PATH)).success
            except Exception:
                ok = False
            latencies.append(time.perf_counter() - start)
            errors += not ok

    start = time.perf_counter()
    await asyncio.gather(*(worker(i) for i in range(len(sessions))))
    return time.perf_counter() - start, latencies, errors


def measure(
    bench: Bench, n_sessions: int, calls_each: int, reps: int, *, link_route: bool = False
) -> dict[str, Fanout]:
    """Ours, the official client on /mcp (and on its LinkUrl route with `link_route`) and ours on the lean
    transport over `n_sessions` sessions: `reps` interleaved repetitions (the order rotates) after one warm-up
    each."""
    ids = bench.ensure_sessions(n_sessions)
    routes = {"official": "mcp", **({"official_link": "link"} if link_route else {})}
    for route in routes.values():
        bench.official_call({"op": "sessions", "ids": ids, "route": route})
    bench.lean_sessions(ids)
    sides = {"ours": Fanout(), **{side: Fanout() for side in routes}, "lean": Fanout()}
    msg = {"op": "fanout", "session_ids": ids, "calls_per_session": calls_each, "path": PROBE_PATH}
    for rep in range(reps + 1):
        names = list(sides)
        turn = rep % len(names)
        for side in names[turn:] + names[:turn]:
            target = sides[side]
            server_before = server_cpu(bench.server.pid)
            if side in routes:
                reply = bench.official_call({**msg, "route": routes[side]})
                if reply is None:
                    continue
                wall, lat, bad, client = reply["wall"], reply["latencies"], reply["errors"], reply["cpu"]
            else:
                cpu_before = time.process_time()
                wall, lat, bad = bench.run(_ours_once(bench, ids, calls_each, lean=side == "lean"))
                client = time.process_time() - cpu_before
            server_after = server_cpu(bench.server.pid)
            if rep == 0:
                continue  # warm-up: connections, session objects, code paths
            target.calls += len(lat)
            target.walls.append(wall)
            target.latencies += lat
            target.errors += bad
            target.client_cpu += client
            target.server_cpu += server_after[0] - server_before[0]
            target.sandbox_cpu += server_after[1] - server_before[1]
    return sides


def _errors(f: Fanout) -> str:
    return f", {f.errors} errors" if f.errors else ""


def run_fanout(bench: Bench, report: Report) -> None:
    plan = bench.plan
    sides = measure(bench, plan.fanout_sessions, plan.fanout_calls, plan.fanout_reps, link_route=True)
    ours, theirs, link, lean = sides["ours"], sides["official"], sides["official_link"], sides["lean"]
    total = plan.fanout_sessions * plan.fanout_calls
    paired = paired_ratio(ours.throughputs, theirs.throughputs)
    r = paired.median
    report.add(
        Row(
            SECTION3,
            f"{total} get_file_info, {plan.fanout_sessions} sessions: throughput, AsyncAGB gather "
            f"vs {plan.fanout_sessions} official threads, both on /mcp (reps={len(ours.walls)}){_errors(ours)}",
            _rate_spread(ours),
            f"official: {_rate_spread(theirs)}{_errors(theirs)}",
            r,
            ">= 2.00x",
            None if r != r else (r >= 2.0 and not ours.errors),
            {"ours_walls": ours.walls, "official_walls": theirs.walls},
            ratio_spread=paired.spread,
        )
    )
    report.add(_latency_row(SECTION3, f"{total} calls: latency p50 / p99", ours, theirs))
    report.add(_cpu_row(SECTION3, ours, theirs))
    report.add(_throughput_row(SECTION3, OFFICIAL_LINK, ours, link, "ours_walls"))
    report.add(_latency_row(SECTION3, f"{total} calls: latency p50 / p99, official on its LinkUrl route", ours, link))
    link_cpu = _cpu_row(SECTION3, ours, link)
    link_cpu.measure = "CPU per call, official on its LinkUrl route"
    report.add(link_cpu)
    report.note(
        f"{OFFICIAL_LINK}: the route the official client takes by itself for a session from agb.get (agb_local "
        "gives a LinkUrl and token, as the cloud does); it makes a new httpx.Client for each call (its SSL context "
        "alone is about 20 ms of CPU), while agb_local answers a call in about 1 ms on either route"
    )
    report.note(
        "lean transport (client floor) = AsyncAGB(http_client=httpx.AsyncClient(transport=LeanAsyncTransport())), "
        "bench/lean_transport.py: HTTP/1.1 straight on asyncio streams, without httpcore, h11 and anyio (the SDK's "
        "own pool, agb/_http.py, already replaced httpcore's pool)"
    )
    report.add(_throughput_row(SECTION3, f"AsyncAGB on {LEAN}: throughput", lean, theirs, "lean_walls"))
    cpu = _cpu_row(SECTION3, lean, theirs)
    cpu.measure = f"AsyncAGB on {LEAN}: CPU per call"
    report.add(cpu)


OFFICIAL_LINK = "throughput against the official client on its LinkUrl route (info)"
LEAN = "lean transport (client floor)"


def _throughput_row(section: str, label: str, mine: Fanout, theirs: Fanout, key: str) -> Row:
    """A throughput row without a target: `mine` (its walls in the JSON as `key`) against `theirs`."""
    paired = paired_ratio(mine.throughputs, theirs.throughputs)
    return Row(
        section,
        f"{label}{_errors(mine)}",
        _rate_spread(mine),
        f"official: {_rate_spread(theirs)}{_errors(theirs)}",
        paired.median,
        data={key: mine.walls, "official_walls": theirs.walls},
        ratio_spread=paired.spread,
    )


def _rate_spread(f: Fanout) -> str:
    if not f.walls:
        return "n/a"
    s = Summary.of(f.throughputs)
    return f"{fmt_rate(s.median)} ±{s.spread:,.0f}" if s.n > 1 else fmt_rate(s.median)


def _latency_row(section: str, label: str, ours: Fanout, theirs: Fanout) -> Row:
    o, t = Summary.of(ours.latencies), Summary.of(theirs.latencies)
    return Row(
        section,
        label,
        f"{fmt_ms(o.median)} / {fmt_ms(o.p99)}",
        f"official: {fmt_ms(t.median)} / {fmt_ms(t.p99)}",
        ratio(o.median, t.median),
        data={"ours": vars(o), "official": vars(t)},
    )


def _cpu_row(section: str, ours: Fanout, theirs: Fanout) -> Row:
    o, t = ours.cpu_per_call(), theirs.cpu_per_call()
    return Row(
        section,
        "CPU per call: client / agb_local process / sandboxes",
        " / ".join(fmt_ms(x) for x in o),
        "official: " + " / ".join(fmt_ms(x) for x in t),
        ratio(o[0], t[0]),
        data={"ours_cpu_s": o, "official_cpu_s": t},
    )


def run_scaling(bench: Bench, report: Report) -> None:
    plan = bench.plan
    for level in plan.scaling_levels:
        calls_each = max(plan.scaling_calls, -(-plan.scaling_min_total // level))
        sides = measure(bench, level, calls_each, plan.scaling_reps)
        ours, theirs = sides["ours"], sides["official"]
        paired = paired_ratio(ours.throughputs, theirs.throughputs)
        report.add(
            Row(
                SECTION5,
                f"{level:>2} sessions x {calls_each} calls: throughput{_errors(ours)}",
                _rate_spread(ours),
                f"official: {_rate_spread(theirs)}{_errors(theirs)}",
                paired.median,
                data={"ours_walls": ours.walls, "official_walls": theirs.walls, "calls": ours.calls},
                ratio_spread=paired.spread,
            )
        )
        report.add(_latency_row(SECTION5, f"{level:>2} sessions: latency p50 / p99", ours, theirs))
        cpu = _cpu_row(SECTION5, ours, theirs)
        cpu.measure = f"{level:>2} sessions: {cpu.measure}"
        report.add(cpu)
        label = f"{level:>2} sessions, AsyncAGB on {LEAN}: throughput"
        report.add(_throughput_row(SECTION5, label, sides["lean"], theirs, "lean_walls"))
