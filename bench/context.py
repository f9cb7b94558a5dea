"""What the sections share: the counts of a run (full or quick), the live agb_local, our clients, the
official client's driver and a set of sessions created once and reused."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx

from agb import AGB, AsyncAGB, AsyncSession, Config

from .lean_transport import LeanAsyncTransport
from .official import OfficialDriver
from .servers import AgbLocalServer, FloorServer

T = TypeVar("T")

PROBE_PATH = "/home/user"  # get_file_info target: exists in every session


@dataclass(frozen=True)
class Plan:
    """How many of everything. ``quick`` keeps every section and row, with tiny counts."""

    quick: bool
    import_runs: int
    import_warmup: int
    percall_rounds: int
    percall_n: int
    percall_warmup: int
    fanout_sessions: int
    fanout_calls: int  # per session
    fanout_reps: int
    creates: int
    create_gap_s: float
    first_runs: int
    first_gap_s: float  # before each first-run create: the pool refills and starts its kernel
    roundtrips: int
    roundtrip_warmup: int
    file_bytes: int
    file_reps: int
    memory_sessions: int
    concurrent_sessions: int
    concurrent_calls: int  # per session
    scaling_levels: tuple[int, ...]
    scaling_calls: int  # per session, at least
    scaling_min_total: int  # calls per level and rep, at least (CPU accounting ticks at 10 ms)
    scaling_reps: int
    floor_n: int
    load_seconds: float  # the sustained-load section: the reliability load test's duration and clients
    load_clients: int
    transfer_bytes: int  # one file of the transfer section, moved up and down transfer_reps times
    transfer_reps: int

    @classmethod
    def full(cls) -> Plan:
        return cls(
            quick=False,
            import_runs=20,
            import_warmup=3,
            percall_rounds=10,
            percall_n=40,
            percall_warmup=20,
            fanout_sessions=16,
            fanout_calls=16,
            fanout_reps=5,
            creates=20,
            create_gap_s=0.3,
            first_runs=9,
            first_gap_s=1.5,
            roundtrips=200,
            roundtrip_warmup=10,
            file_bytes=8 * 1024 * 1024,
            file_reps=3,
            memory_sessions=8,
            concurrent_sessions=50,
            concurrent_calls=30,
            scaling_levels=(1, 4, 16, 64),
            scaling_calls=16,
            scaling_min_total=256,
            scaling_reps=3,
            floor_n=300,
            load_seconds=30.0,
            load_clients=64,
            transfer_bytes=256 * 1024 * 1024,
            transfer_reps=2,
        )

    @classmethod
    def tiny(cls) -> Plan:
        return cls(
            quick=True,
            import_runs=3,
            import_warmup=1,
            percall_rounds=2,
            percall_n=5,
            percall_warmup=3,
            fanout_sessions=16,
            fanout_calls=2,
            fanout_reps=1,
            creates=3,
            create_gap_s=0.3,
            first_runs=1,
            first_gap_s=1.5,
            roundtrips=10,
            roundtrip_warmup=2,
            file_bytes=256 * 1024,
            file_reps=1,
            memory_sessions=2,
            concurrent_sessions=50,
            concurrent_calls=2,
            scaling_levels=(1, 4, 16, 64),
            scaling_calls=2,
            scaling_min_total=8,
            scaling_reps=1,
            floor_n=20,
            load_seconds=6.0,
            load_clients=16,
            transfer_bytes=2 * 1024 * 1024,
            transfer_reps=1,
        )

    @property
    def sessions_needed(self) -> int:
        return max(self.fanout_sessions, self.concurrent_sessions, *self.scaling_levels)


class Bench:
    """The live pieces of one run. Sections take it and add rows to the report."""

    def __init__(self, plan: Plan, server: AgbLocalServer, floor: FloorServer, official: OfficialDriver | None):
        self.plan = plan
        self.server = server
        self.floor = floor
        self.official = official
        self.official_error = ""
        self.config = Config(endpoint=server.endpoint, timeout_ms=60_000)
        self.agb = AGB(api_key=server.api_key, cfg=self.config)
        self._runner = asyncio.Runner()
        self.aagb: AsyncAGB = self.run(self._make_async())
        self.session_ids: list[str] = []
        self._async_sessions: dict[str, AsyncSession] = {}
        self._lean: AsyncAGB | None = None
        self._lean_sessions: dict[str, AsyncSession] = {}

    async def _make_async(self) -> AsyncAGB:
        return AsyncAGB(api_key=self.server.api_key, cfg=self.config)

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run a coroutine on the run's one event loop (where ``aagb`` lives)."""
        return self._runner.run(coro)

    def ensure_sessions(self, count: int) -> list[str]:
        """At least `count` live sessions (created once, 4 at a time, and reused by every section)."""
        missing = count - len(self.session_ids)
        if missing > 0:
            self.session_ids += self.run(self._create(missing))
        return self.session_ids[:count]

    async def _create(self, count: int) -> list[str]:
        gate = asyncio.Semaphore(4)

        async def one() -> str:
            async with gate:
                result = await self.aagb.create()
            session = result.unwrap()
            self._async_sessions[session.session_id] = session
            return session.session_id

        return list(await asyncio.gather(*(one() for _ in range(count))))

    def async_sessions(self, ids: list[str]) -> list[AsyncSession]:
        return [self._async_sessions[sid] for sid in ids]

    def lean_sessions(self, ids: list[str]) -> list[AsyncSession]:
        """The same sessions through an ``AsyncAGB`` on ``LeanAsyncTransport`` (the fix section 3 measures)."""
        missing = [sid for sid in ids if sid not in self._lean_sessions]
        if missing:
            self.run(self._lean_get(missing))
        return [self._lean_sessions[sid] for sid in ids]

    async def _lean_get(self, ids: list[str]) -> None:
        if self._lean is None:
            http = httpx.AsyncClient(transport=LeanAsyncTransport())
            self._lean = AsyncAGB(api_key=self.server.api_key, cfg=self.config, http_client=http)
        for sid in ids:
            self._lean_sessions[sid] = (await self._lean.get(sid)).unwrap()

    def official_call(self, msg: dict[str, Any]) -> dict[str, Any] | None:
        """A request to the official client's driver, or None when it is unavailable."""
        if self.official is None:
            return None
        return self.official.request(msg)

    def close(self) -> None:
        """Release every session this run created (no waiting: the server is stopped right after)."""
        try:
            if self.session_ids:
                self.run(self._release(self.session_ids))
            self.run(self.aagb.close())
            if self._lean is not None:
                self.run(self._lean._http.aclose())
        except Exception as exc:  # the server stop below kills what is left anyway
            print(f"bench: cleanup: {exc}", file=sys.stderr)
        finally:
            self._runner.close()
            self.agb.close()

    async def _release(self, ids: list[str]) -> None:
        gate = asyncio.Semaphore(8)

        async def one(sid: str) -> None:
            async with gate:
                await self.aagb.delete(sid, wait=False)

        await asyncio.gather(*(one(sid) for sid in ids))
