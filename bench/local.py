"""Section 4: agb_local itself, through the SDK, each figure beside its physical floor.

Floors: a loopback round trip of a bare ASGI app (``floor_app.py``, same uvicorn, no validation, no
sandbox), a bare Jupyter kernel (jupyter_client, ipc, no sandbox), a bare ``sh -c true`` spawn, an idle
interpreter's and a bare kernel's resident memory.

Memory uses an embedded agb_local (``agb_local.embedded.start``) because only in-process can we ask the
manager which processes belong to which session (``service.sandboxes.stats()``).
"""

from __future__ import annotations

import asyncio
import random
import string
import sys
import time
from typing import Any

from agb import AGB, Config
from agb_local.sandbox.procs import descendants

from . import floors
from .context import PROBE_PATH, Bench
from .report import Report, Row
from .servers import cpu_seconds, pss_bytes
from .stats import Summary, fmt_mb, fmt_ms, fmt_rate, fmt_summary_ms, ratio

SECTION = "4 agb_local (baseline = the floor)"
MB = 1_000_000


class Floors:
    """Floors measured once for the section."""

    def __init__(self, bench: Bench) -> None:
        plan = bench.plan
        self.rtt = Summary.of(floors.asgi_rtt(bench.floor.endpoint, plan.floor_n, 20))
        kernel = floors.kernel_floor(plan.roundtrips, plan.roundtrip_warmup)
        self.kernel = Summary.of(kernel.executes)
        self.kernel_cold = kernel.cold_start
        self.kernel_cold_cpu = kernel.cold_cpu
        self.kernel_cold_cpu_kernel = kernel.cold_cpu_kernel
        self.kernel_rss = kernel.rss
        self.spawn = Summary.of(floors.spawn_true(max(plan.floor_n // 10, 10)))
        self.python_rss = floors.bare_python_rss()


def _text_payload(size: int) -> str:
    rng = random.Random(6)
    line = "".join(rng.choices(string.ascii_letters + string.digits, k=1023)) + "\n"
    return (line * (size // len(line) + 1))[:size]


def _create_rows(bench: Bench, report: Report, fl: Floors) -> None:
    plan, agb = bench.plan, bench.agb
    times, errors = [], 0
    for _ in range(plan.creates):
        time.sleep(plan.create_gap_s)  # the warm pool refills (a cold sandbox start is ~0.1 s)
        start = time.perf_counter()
        result = agb.create()
        times.append(time.perf_counter() - start)
        if result.success and result.session is not None:
            result.session.delete(wait=False)
        else:
            errors += 1
    s = Summary.of(times)
    err = f", {errors} errors" if errors else ""
    report.add(
        Row(
            SECTION,
            f"create -> ready, warm pool (n={s.n}, {plan.create_gap_s:g} s apart{err}): p50",
            fmt_ms(s.median),
            f"asgi rtt: {fmt_ms(fl.rtt.median)}",
            ratio(s.median, fl.rtt.median),
            "<= 50 ms",
            s.median <= 0.050 and not errors,
            {"times_s": times},
        )
    )
    report.add(
        Row(
            SECTION,
            "create -> ready, warm pool: p95",
            fmt_ms(s.p95),
            f"asgi rtt: {fmt_ms(fl.rtt.p95)}",
            ratio(s.p95, fl.rtt.p95),
        )
    )
    firsts = []
    for _ in range(plan.first_runs):
        time.sleep(plan.first_gap_s)  # the pool refills and its sandbox starts its kernel ahead
        session = agb.create().unwrap()
        try:
            start = time.perf_counter()
            run = session.code.run("1+1")
            firsts.append(time.perf_counter() - start)
            if run.result != "2":
                raise RuntimeError(f"first run_code gave {run.result!r}: {run.error_message}")
        finally:
            session.delete(wait=False)
    f = Summary.of(firsts)
    floor = fl.rtt.median + fl.kernel.median
    report.add(
        Row(
            SECTION,
            f"first run_code('1+1') after create, warm pool with kernels started ahead (n={f.n}): p50",
            fmt_summary_ms(f),
            f"asgi rtt + bare kernel execute: {fmt_ms(floor)}; bare kernel start+exec: {fmt_ms(fl.kernel_cold)}",
            ratio(f.median, floor),
            "<= 50 ms",
            f.median <= 0.050,
            data={"times_s": firsts},
        )
    )


def _roundtrip_rows(bench: Bench, report: Report, fl: Floors) -> None:
    plan = bench.plan
    session = bench.agb.get(bench.ensure_sessions(1)[0]).unwrap()
    for _ in range(plan.roundtrip_warmup):
        session.code.run("1+1")
        session.command.execute("true")
    code_times, shell_times = [], []
    for _ in range(plan.roundtrips):
        start = time.perf_counter()
        run = session.code.run("1+1")
        code_times.append(time.perf_counter() - start)
        if run.result != "2":
            raise RuntimeError(f"run_code('1+1') gave {run.result!r}: {run.error_message}")
        start = time.perf_counter()
        cmd = session.command.execute("true")
        shell_times.append(time.perf_counter() - start)
        if cmd.exit_code != 0:
            raise RuntimeError(f"shell true failed: {cmd.error_message}")
    c, sh = Summary.of(code_times), Summary.of(shell_times)
    code_floor = fl.rtt.median + fl.kernel.median
    report.add(
        Row(
            SECTION,
            f"run_code('1+1') round trip (n={c.n}): p50",
            fmt_summary_ms(c),
            f"asgi rtt + bare kernel: {fmt_ms(fl.rtt.median)} + {fmt_ms(fl.kernel.median)}",
            ratio(c.median, code_floor),
            "<= 10 ms",
            c.median <= 0.010,
            {"times_s": code_times, "floor_kernel_s": fl.kernel.median},
        )
    )
    shell_floor = fl.rtt.median + fl.spawn.median
    report.add(
        Row(
            SECTION,
            f"shell 'true' round trip (n={sh.n}): p50",
            fmt_summary_ms(sh),
            f"asgi rtt + spawn sh: {fmt_ms(fl.rtt.median)} + {fmt_ms(fl.spawn.median)}",
            ratio(sh.median, shell_floor),
            data={"times_s": shell_times},
        )
    )


def _file_rows(bench: Bench, report: Report, fl: Floors) -> None:
    plan = bench.plan
    session = bench.agb.get(bench.ensure_sessions(1)[0]).unwrap()
    payload = _text_payload(plan.file_bytes)
    echo = Summary.of(floors.asgi_echo(bench.floor.endpoint, payload.encode(), plan.file_reps))
    times, writes = [], []
    for i in range(plan.file_reps):
        path = f"/home/user/bench-{i}.txt"
        start = time.perf_counter()
        session.file.write(path, payload).unwrap()
        writes.append(time.perf_counter() - start)
        back = session.file.read(path).unwrap()
        times.append(time.perf_counter() - start)
        if back != payload:
            raise RuntimeError(f"{path}: read back {len(back)} chars, not the {len(payload)} written")
        session.file.remove(path)
    s, w = Summary.of(times), Summary.of(writes)
    mib = plan.file_bytes / (1024 * 1024)
    report.add(
        Row(
            SECTION,
            f"{mib:g} MiB text write then read (n={s.n}; write {fmt_ms(w.median)}, {2 * mib / s.median:.1f} MiB/s)",
            fmt_summary_ms(s),
            f"asgi echo of it: {fmt_ms(echo.median)}",
            ratio(s.median, echo.median),
            data={"times_s": times, "write_s": writes},
        )
    )


async def _concurrent(
    bench: Bench, ids: list[str], calls_each: int, lean: bool = False
) -> tuple[float, list[float], int]:
    sessions = bench.lean_sessions(ids) if lean else bench.async_sessions(ids)
    latencies: list[float] = []
    errors = 0

    async def loop(index: int) -> None:
        nonlocal errors
        session = sessions[index]
        for i in range(calls_each):
            start = time.perf_counter()
            try:
                step = i % 3
                if step == 0:
                    ok = (await session.file.info(PROBE_PATH)).success
                elif step == 1:
                    ok = (await session.command.execute("true")).exit_code == 0
                else:
                    ok = (await session.file.write(f"/tmp/loop-{index}.txt", f"call {i}\n")).success
            except Exception:
                ok = False
            latencies.append(time.perf_counter() - start)
            errors += not ok

    start = time.perf_counter()
    await asyncio.gather(*(loop(i) for i in range(len(sessions))))
    return time.perf_counter() - start, latencies, errors


def _concurrent_rows(bench: Bench, report: Report) -> None:
    plan = bench.plan
    n, k = plan.concurrent_sessions, plan.concurrent_calls
    ids = bench.ensure_sessions(n)
    bench.run(_concurrent(bench, ids, 1))  # warm-up: every session's connection and code path
    wall, latencies, errors = bench.run(_concurrent(bench, ids, k))
    floor_wall, floor_lat = floors.asgi_loops(bench.floor.endpoint, n, k)
    calls = len(latencies)
    lat, flat = Summary.of(latencies), Summary.of(floor_lat)
    ours_rate, floor_rate = calls / wall, len(floor_lat) / floor_wall
    label = f"{n} sessions x {k} calls (file info / shell true / write)"
    report.add(
        Row(
            SECTION,
            f"{label}: throughput",
            fmt_rate(ours_rate),
            f"asgi, {n} loops: {fmt_rate(floor_rate)}",
            ratio(ours_rate, floor_rate),
            data={"wall_s": wall, "calls": calls, "floor_wall_s": floor_wall},
        )
    )
    report.add(
        Row(
            SECTION,
            f"{n} sessions: latency p99 (p50 {fmt_ms(lat.median)})",
            fmt_ms(lat.p99),
            f"asgi, {n} loops: {fmt_ms(flat.p99)}",
            ratio(lat.p99, flat.p99),
            data={"latency": vars(lat), "floor": vars(flat)},
        )
    )
    bench.lean_sessions(ids)
    bench.run(_concurrent(bench, ids, 1, lean=True))
    lean_wall, lean_latencies, lean_errors = bench.run(_concurrent(bench, ids, k, lean=True))
    lean_lat, lean_rate = Summary.of(lean_latencies), len(lean_latencies) / lean_wall
    report.add(
        Row(
            SECTION,
            f"{n} sessions, AsyncAGB on lean transport: throughput (p99 {fmt_ms(lean_lat.p99)})",
            fmt_rate(lean_rate),
            f"asgi, {n} loops: {fmt_rate(floor_rate)}",
            ratio(lean_rate, floor_rate),
            data={"wall_s": lean_wall, "latency": vars(lean_lat), "errors": lean_errors},
        )
    )
    total = calls + len(lean_latencies)
    report.add(
        Row(
            SECTION,
            f"{n} sessions: errors (of {total} calls, both clients)",
            str(errors + lean_errors),
            "-",
            target="0",
            passed=errors + lean_errors == 0,
        )
    )


def _settled_pool(server: Any, size: int, *, kernels: bool, timeout_s: float = 60.0) -> list[dict[str, Any]]:
    """The embedded server's pooled sandboxes once `size` are up (with their kernels, if `kernels`)."""

    async def snapshot() -> dict[str, Any]:
        stats: dict[str, Any] = server.service.sandboxes.stats()
        return stats

    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        pool: list[dict[str, Any]] = server.run(snapshot())["pool_sandboxes"]
        if len(pool) >= size and all(p["kernel"] or not kernels for p in pool):
            time.sleep(1.0)  # let start-up garbage settle
            return pool
        time.sleep(0.1)
    raise RuntimeError(f"the warm pool did not fill in {timeout_s:g} s")


def _pool_rows(report: Report, fl: Floors) -> None:
    """What a pooled sandbox costs in memory with its kernel started ahead, and without."""
    from agb_local.embedded import start

    measured: dict[bool, tuple[Summary, Summary]] = {}
    for kernels in (False, True):
        server = start(pool_size=4, pool_kernels=kernels)
        try:
            pool = _settled_pool(server, 4, kernels=kernels)
            rss = [p["rss_bytes"] for p in pool]
            pss = [pss_bytes(descendants(p["pid"])) for p in pool]
        finally:
            server.stop()
        measured[kernels] = Summary.of(rss), Summary.of(pss)
    (bare, bare_p), (warm, warm_p) = measured[False], measured[True]
    report.add(
        Row(
            SECTION,
            f"RSS per pooled sandbox with its kernel started ahead (n={warm.n}; PSS {fmt_mb(warm_p.median)}); "
            f"the kernel's share: RSS {fmt_mb(warm.median - bare.median)}, PSS {fmt_mb(warm_p.median - bare_p.median)}",
            fmt_mb(warm.median),
            f"pooled sandbox without (--no-pool-kernels): {fmt_mb(bare.median)} (PSS {fmt_mb(bare_p.median)})",
            ratio(warm.median, bare.median),
            data={"rss": [warm.median, bare.median], "pss": [warm_p.median, bare_p.median]},
        )
    )


def _memory_rows(bench: Bench, report: Report, fl: Floors) -> None:
    """Sessions that have not started Python, then the same sessions starting their kernels one at a time:
    their memory, the kernel start's latency and its CPU (agent + kernel). The pool runs no kernels here, so
    every session starts its own (the first cell's price without the warm pool's)."""
    from agb_local.embedded import start

    plan = bench.plan
    server = start(pool_kernels=False)
    try:

        async def snapshot() -> dict[str, Any]:
            stats: dict[str, Any] = server.service.sandboxes.stats()
            return stats

        def measure(ids: list[str]) -> tuple[list[int], list[int]]:
            stats = server.run(snapshot())["sessions"]
            rss = [stats[sid]["rss_bytes"] for sid in ids]
            pss = [pss_bytes(descendants(stats[sid]["pid"])) for sid in ids]
            return rss, pss

        with AGB(api_key=server.api_key, cfg=Config(endpoint=server.endpoint)) as agb:
            sessions = [agb.create().unwrap() for _ in range(plan.memory_sessions)]
            ids = [s.session_id for s in sessions]
            time.sleep(1.0)  # let start-up garbage settle
            idle_rss, idle_pss = measure(ids)
            roots = {sid: info["pid"] for sid, info in server.run(snapshot())["sessions"].items()}
            starts, cpus, kernel_cpus = [], [], []
            for s in sessions:
                running = descendants(roots[s.session_id])
                before = cpu_seconds(running)
                begin = time.perf_counter()
                s.code.run("1+1").unwrap()
                starts.append(time.perf_counter() - begin)
                after = descendants(roots[s.session_id])
                cpus.append(cpu_seconds(after) - before)
                # The processes the start added are the kernel's; the rest of the growth is the agent's.
                kernel_cpus.append(cpu_seconds([p for p in after if p not in running]))
            time.sleep(1.0)
            kernel_rss, kernel_pss = measure(ids)
            service = server.service
            environment = service.sandboxes.images.environment(service.image(None))
            python = f"{environment.bin}/python" if environment is not None else sys.executable
            import_cpu = floors.shell_start_cpu(python, max(plan.memory_sessions, 3))
            for s in sessions:
                s.delete(wait=False)
    finally:
        server.stop()
    idle, idle_p = Summary.of(idle_rss), Summary.of(idle_pss)
    with_kernel, kernel_p = Summary.of(kernel_rss), Summary.of(kernel_pss)
    first, cpu, kernel_cpu = Summary.of(starts), Summary.of(cpus), Summary.of(kernel_cpus)
    report.add(
        Row(
            SECTION,
            f"first run_code('1+1') with no kernel ahead (--no-pool-kernels: the kernel start; n={first.n})",
            fmt_summary_ms(first),
            f"bare kernel start+exec: {fmt_ms(fl.kernel_cold)}",
            ratio(first.median, fl.kernel_cold),
            data={"times_s": starts},
        )
    )
    report.add(
        Row(
            SECTION,
            f"CPU per kernel start in a sandbox, agent + kernel (n={cpu.n}; the kernel's {fmt_ms(kernel_cpu.median)})",
            fmt_summary_ms(cpu),
            f"bare jupyter_client start: {fmt_ms(fl.kernel_cold_cpu)} (its kernel {fmt_ms(fl.kernel_cold_cpu_kernel)})"
            f"; IPython's InteractiveShell and a 1+1 alone, the image's Python: {fmt_ms(import_cpu)}",
            ratio(cpu.median, fl.kernel_cold_cpu),
            "<= 100 ms",
            cpu.median <= 0.100,
            data={
                "cpu_s": cpus,
                "kernel_cpu_s": kernel_cpus,
                "floor_cpu_s": fl.kernel_cold_cpu,
                "import_floor_cpu_s": import_cpu,
            },
        )
    )
    report.add(
        Row(
            SECTION,
            f"RSS per idle session (no Python started), all its processes (n={idle.n}; PSS {fmt_mb(idle_p.median)})",
            fmt_mb(idle.median),
            f"bare python: {fmt_mb(fl.python_rss)}",
            ratio(idle.median, fl.python_rss),
            "<= 20 MB",
            idle.median <= 20 * MB,
            {"rss": idle_rss, "pss": idle_pss},
        )
    )
    report.add(
        Row(
            SECTION,
            f"RSS per session with a started kernel (PSS {fmt_mb(kernel_p.median)})",
            fmt_mb(with_kernel.median),
            f"bare python + bare kernel: {fmt_mb(fl.python_rss + fl.kernel_rss)}",
            ratio(with_kernel.median, fl.python_rss + fl.kernel_rss),
            data={"rss": kernel_rss, "pss": kernel_pss},
        )
    )
    _pool_rows(report, fl)


def run(bench: Bench, report: Report) -> None:
    fl = Floors(bench)
    report.add(
        Row(
            SECTION,
            f"floor: bare ASGI loopback round trip (n={fl.rtt.n}) / bare kernel execute (n={fl.kernel.n})",
            fmt_summary_ms(fl.rtt),
            f"kernel: {fmt_summary_ms(fl.kernel)}",
        )
    )
    _create_rows(bench, report, fl)
    _roundtrip_rows(bench, report, fl)
    _file_rows(bench, report, fl)
    _memory_rows(bench, report, fl)
    _concurrent_rows(bench, report)
