"""Section 6: sustained load, the 64-client mix of the reliability suite (tests/reliability/test_load.py).

The workload is defined once, in the test; this section runs that test in a subprocess (nothing imports
tests/) with AGB_RELIABILITY_REPORT set, and reads back its figures: the calls completed per 5 s window,
a new session's first run_code under the load, failures and leftovers. The floor is a bare kernel
start + execute measured in this run, before the load.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from . import floors
from .context import Plan
from .report import Report, Row
from .stats import fmt_ms

SECTION = "8 sustained load (baseline = the run's own first third / a bare kernel start)"
ROOT = Path(__file__).resolve().parent.parent
STABLE_SHARE = 0.6  # the test asserts the same share
FIRST_RUN_TARGET_S = 3.0


def _run_load(plan: Plan) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="agb-bench-load-") as tmp:
        report = Path(tmp) / "figures.json"
        env = {
            **os.environ,
            "AGB_RELIABILITY_REPORT": str(report),
            "AGB_RELIABILITY_DURATION": str(plan.load_seconds),
            "AGB_RELIABILITY_CLIENTS": str(plan.load_clients),
        }
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "reliability"]
        command += ["tests/reliability/test_load.py"]
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
        figures: dict[str, Any] = json.loads(report.read_text()).get("load", {}) if report.exists() else {}
        if not figures:
            raise RuntimeError(f"the load test recorded nothing (exit {done.returncode}): {done.stdout[-800:]}")
        figures["passed"] = done.returncode == 0
        figures["output_tail"] = done.stdout[-800:]
        return figures


def run(plan: Plan, report: Report) -> None:
    bare = floors.kernel_floor(1, 0).cold_start
    load = _run_load(plan)
    windows: list[int] = load["calls_per_5s"]
    third = len(windows) // 3
    first, last = sum(windows[:third]) / max(1, third) / 5, sum(windows[-third:]) / max(1, third) / 5
    clean = (
        load["failed_calls"] == 0
        and load["lost_or_corrupt_writes"] == 0
        and load["leftovers_before"] == load["leftovers_after"]
    )
    report.add(
        Row(
            SECTION,
            f"{load['clients']} clients for {plan.load_seconds:g} s: calls per 5 s window",
            ", ".join(f"{w:,}" for w in windows),
            f"{load['calls']:,} calls, {load['sessions_created']} sessions, {load['calls_per_s']:g}/s overall",
            data=load,
        )
    )
    measure = f"calls/s, last third of the windows vs the first third (n={len(windows)} windows)"
    if third == 0:  # a --quick run is too short to have thirds
        report.add(Row(SECTION, measure, "too few windows", "-", target=f">= {STABLE_SHARE:.0%} of the first"))
    else:
        report.add(
            Row(
                SECTION,
                measure,
                f"{last:,.0f}/s",
                f"first third: {first:,.0f}/s",
                last / first if first else float("nan"),
                f">= {STABLE_SHARE:.0%} of the first",
                bool(first) and last >= STABLE_SHARE * first,
            )
        )
    p50, p95, p99 = load["run_code_first_ms_p50_p95_p99"]
    report.add(
        Row(
            SECTION,
            "a new session's first run_code under the load: p50 (p95, p99)",
            f"{p50 / 1000:.2f} s ({p95 / 1000:.2f}, {p99 / 1000:.2f} s)",
            f"bare kernel start+exec, no load: {fmt_ms(bare)}",
            p50 / 1000 / bare if bare else float("nan"),
            f"<= {FIRST_RUN_TARGET_S:g} s",
            p50 / 1000 <= FIRST_RUN_TARGET_S,
        )
    )
    report.add(
        Row(
            SECTION,
            "errors, lost or corrupt writes, leftovers after the load",
            f"{load['failed_calls']} / {load['lost_or_corrupt_writes']} / "
            f"{'none' if load['leftovers_before'] == load['leftovers_after'] else 'some'}",
            f"the load test {'passed' if load['passed'] else 'FAILED'}",
            target="0 / 0 / none",
            passed=clean and load["passed"],
        )
    )
