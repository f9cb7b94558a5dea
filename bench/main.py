"""Run the benchmarks and print one table; bench/README.md says how to read it."""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from . import fanout, imports, load, local, percall, stream, transfer
from .context import Bench, Plan
from .official import OFFICIAL, OfficialDriver, OfficialUnavailable, venv_python
from .report import Report, Row
from .servers import AgbLocalServer, FloorServer

SECTIONS = ("import", "percall", "fanout", "local", "scaling", "stream", "transfer", "load")
UNAVAILABLE = "official client unavailable"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="tools/bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="every section with tiny counts (a smoke run, < 60 s)")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="NAME",
        help=f"run only these sections (repeatable or comma-separated): {', '.join(SECTIONS)}",
    )
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write every figure and raw sample as JSON")
    args = parser.parse_args(argv)
    only = [name.strip() for item in args.only for name in item.split(",") if name.strip()]
    unknown = sorted(set(only) - set(SECTIONS))
    if unknown:
        parser.error(f"unknown section(s) {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")
    args.sections = [s for s in SECTIONS if not only or s in only]
    return args


def log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def build_images() -> None:
    """Build the image environments agb_local will use (a no-op when cached), its progress on stderr."""
    import subprocess

    subprocess.run([sys.executable, "-m", "agb_local", "images", "build"], stdout=subprocess.DEVNULL, check=False)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    plan = Plan.tiny() if args.quick else Plan.full()
    build_images()
    report = Report()
    report.meta = {
        "quick": plan.quick,
        "sections": args.sections,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "loadavg_start": os.getloadavg(),
        "official": OFFICIAL,
    }
    started = time.monotonic()
    failures = 0

    try:
        official_python = venv_python(log=sys.stderr)
    except OfficialUnavailable as exc:
        official_python = None
        report.note(f"{UNAVAILABLE}: {exc}")
        log(f"{UNAVAILABLE}: {exc}")

    def section(name: str, fn: Callable[[], None]) -> None:
        nonlocal failures
        if name not in args.sections:
            return
        log(f"{name} ...")
        begin = time.monotonic()
        try:
            fn()
        except Exception as exc:
            failures += 1
            traceback.print_exc()
            report.add(Row(name, f"{name}: ERROR {type(exc).__name__}: {exc}"[:160], "-", "-", passed=False))
        log(f"{name} done in {time.monotonic() - begin:.1f} s")

    section("import", lambda: imports.run(plan, report, official_python))

    if any(s in args.sections for s in SECTIONS[1:-1]):
        server, floor, driver, bench = AgbLocalServer(), FloorServer(), None, None
        try:
            server.start()
            floor.start()
            if official_python is not None:
                driver = OfficialDriver(official_python)
                hello = driver.request(
                    {"op": "setup", "endpoint": server.endpoint, "api_key": server.api_key, "timeout_ms": 60_000}
                )
                report.meta["official_version"] = hello["version"]
            bench = Bench(plan, server, floor, driver)
            section("percall", lambda: percall.run(bench, report))
            section("fanout", lambda: fanout.run_fanout(bench, report))
            section("local", lambda: local.run(bench, report))
            section("scaling", lambda: fanout.run_scaling(bench, report))
            section("stream", lambda: stream.run(bench, report))
            section("transfer", lambda: transfer.run(bench, report))
        except Exception:
            failures += 1
            traceback.print_exc()
            log(f"agb_local log tail:\n{server.log_tail()}")
        finally:
            if bench is not None:
                bench.close()
            if driver is not None:
                driver.close()
            floor.stop()
            server.stop()

    # Last, and with its own server (the test's): 64 clients must not share the machine with the others.
    section("load", lambda: load.run(plan, report))

    report.meta["loadavg_end"] = os.getloadavg()
    report.meta["seconds"] = round(time.monotonic() - started, 1)
    mode = "quick (tiny counts: smoke run, figures not meaningful)" if plan.quick else "full"
    print(f"AGB SDK benchmarks: {mode}; {os.cpu_count()} cpus, load {report.meta['loadavg_start'][0]:.2f}")
    print(report.render())
    print(f"took {report.meta['seconds']:.0f} s")
    if args.json:
        report.write_json(args.json)
    return 1 if failures else 0
