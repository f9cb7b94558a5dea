"""Latency and memory numbers for the sandbox runtime (not a test; run by hand):

    python -m tests.sandbox.measure [--isolation bwrap|none]

Prints create() p50 with and without the warm pool, first Python run_code after create,
``1+1`` and ``shell true`` round trips through call_tool, and the RSS of an idle sandbox and of
one with a started kernel.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from agb_local.sandbox import SandboxConfig, SandboxManager, load_images
from agb_local.sandbox.config import Isolation

IMAGE = load_images(None)["code_latest"]


def _ms(values: list[float]) -> str:
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
    return f"p50 {statistics.median(values) * 1000:7.2f} ms   p90 {p90 * 1000:7.2f} ms   (n={len(values)})"


async def _pool_full(mgr: SandboxManager) -> None:
    while True:
        stats = mgr.stats()
        if stats["pool"] == stats["pool_target"] and stats["pool_starting"] == 0:
            return
        await asyncio.sleep(0.02)


async def measure(isolation: Isolation) -> None:
    with tempfile.TemporaryDirectory(prefix="agb-measure-") as tmp:
        data = Path(tmp)
        pooled = SandboxManager(SandboxConfig(data_dir=data / "pooled", isolation=isolation, pool_size=2))
        await pooled.start()
        times = []
        for i in range(20):
            await _pool_full(pooled)
            started = time.perf_counter()
            await pooled.create(f"p{i}", IMAGE)
            times.append(time.perf_counter() - started)
        print(f"create() with warm pool      {_ms(times)}")

        first = []
        for i in range(5):
            started = time.perf_counter()
            out = await pooled.call_tool(f"p{i}", "run_code", {"code": "1+1", "language": "python", "timeout_s": 60})
            assert not out.is_error, out.text
            first.append(time.perf_counter() - started)
        print(f"first python run_code        {_ms(first)}")

        rtt = []
        for _ in range(200):
            started = time.perf_counter()
            await pooled.call_tool("p0", "run_code", {"code": "1+1", "language": "python", "timeout_s": 60})
            rtt.append(time.perf_counter() - started)
        print(f"run_code 1+1 round trip      {_ms(rtt)}")

        sh = []
        for _ in range(200):
            started = time.perf_counter()
            await pooled.call_tool("p10", "shell", {"command": "true", "timeout_ms": 5000})
            sh.append(time.perf_counter() - started)
        print(f"shell `true` round trip      {_ms(sh)}")

        rd = []
        await pooled.call_tool("p10", "write_file", {"path": "f.txt", "content": "x" * 1000})
        for _ in range(200):
            started = time.perf_counter()
            await pooled.call_tool("p10", "read_file", {"path": "f.txt"})
            rd.append(time.perf_counter() - started)
        print(f"read_file 1 KB round trip    {_ms(rd)}")

        stats = pooled.stats()["sessions"]
        idle = [stats[f"p{i}"]["rss_bytes"] for i in range(11, 20)]
        kernel = [stats[f"p{i}"]["rss_bytes"] for i in range(1, 5)]
        mib = 2**20
        idle_n, kernel_n = stats["p11"]["processes"], stats["p1"]["processes"]
        print(f"idle sandbox RSS (sum)       {statistics.median(idle) / mib:7.1f} MiB  ({idle_n} procs)")
        print(f"with a started kernel        {statistics.median(kernel) / mib:7.1f} MiB  ({kernel_n} procs)")
        if stats["p11"]["memory_bytes"] is not None:
            print(f"idle cgroup memory usage     {stats['p11']['memory_bytes'] / 2**20:7.1f} MiB (includes page cache)")
        await pooled.close()

        cold = SandboxManager(SandboxConfig(data_dir=data / "cold", isolation=isolation, pool_size=0))
        times = []
        for i in range(15):
            started = time.perf_counter()
            await cold.create(f"c{i}", IMAGE)
            times.append(time.perf_counter() - started)
        print(f"create() without pool        {_ms(times)}")
        await cold.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--isolation", default="bwrap", choices=["bwrap", "none"])
    asyncio.run(measure(parser.parse_args().isolation))


if __name__ == "__main__":
    main()
