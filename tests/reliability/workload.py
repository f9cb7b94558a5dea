"""The realistic mix the load and kill tests run: clients that create a session, use it (Python, shell, file
writes and reads, listings), check everything they wrote, and delete it; over and over until the deadline.

Every call is recorded (`Ledger`) with what it acknowledged, so the tests can check afterwards that nothing
acknowledged was lost and nothing unacknowledged was done twice:

* files: the content of the last acknowledged write of each path, and the writes sent after it that were not
  acknowledged (the file may hold any of those, but nothing else: a write is all or nothing);
* markers: lines appended to /home/user/appends.log, by `write_file` in append mode and by `shell` (`>>`).
  An acknowledged marker must be there exactly once, an unacknowledged one at most once: two copies would mean
  a non-idempotent call was sent twice;
* sessions: each create carries a unique `attempt` label, so a replayed create would show up as two sessions.

Clients run on both faces: most on `AsyncAGB` in the test's event loop, some on `AGB` in their own threads.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import inspect
import random
import string
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from agb import AGB, AsyncAGB, Config
from agb.errors import APIConnectionError, APITimeoutError, ServerError, SessionNotFoundError, ToolError
from agb.session_params import CreateSessionParams

APPENDS = "/home/user/appends.log"
TEXT_ALPHABET = string.ascii_letters + string.digits + " \n\t" + "éüß中文😀€"


async def call(value: Any) -> Any:
    """Await `value` if it is awaitable (the async face), else return it (the sync face)."""
    return await value if inspect.isawaitable(value) else value


@dataclass
class OpRecord:
    client: int
    name: str
    start: float
    end: float
    ok: bool
    error_type: str = ""
    message: str = ""


@dataclass
class PathState:
    acked: bytes | None = None  # content of the last acknowledged write (None: never acknowledged)
    pending: list[bytes] = field(default_factory=list)  # writes after it, not acknowledged
    exact: bool = True  # False once an unacknowledged write could have left a partial file (chunked, binary)

    def possible(self) -> list[bytes | None]:
        return [self.acked, *self.pending]


@dataclass
class SessionState:
    session_id: str
    attempt: str
    client: int
    paths: dict[str, PathState] = field(default_factory=dict)
    markers_acked: list[str] = field(default_factory=list)
    markers_unacked: list[str] = field(default_factory=list)
    counter: int | None = 0  # the Python counter the kernel should hold (None: unknown after a failure)
    python_started: bool = False
    deleted: bool = False
    delete_unacked: bool = False
    # When (time.monotonic) the delete request went out: from then on the session may be gone even if no
    # reply came.
    delete_started_at: float | None = None


class Ledger:
    def __init__(self) -> None:
        self.ops: list[OpRecord] = []
        self.sessions: dict[str, SessionState] = {}
        self.create_attempts: dict[str, str | None] = {}  # attempt label -> session id if acknowledged
        self.mismatches: list[str] = []  # lost or corrupted writes, wrong answers
        self.bytes_verified = 0
        self._lock = threading.Lock()

    def add(self, op: OpRecord) -> None:
        with self._lock:
            self.ops.append(op)

    def mismatch(self, text: str) -> None:
        with self._lock:
            self.mismatches.append(text)

    def failures(self) -> list[OpRecord]:
        return [o for o in self.ops if not o.ok]

    def by_error(self) -> Counter[str]:
        return Counter(o.error_type for o in self.ops if not o.ok)

    def latencies(self) -> dict[str, list[float]]:
        out: dict[str, list[float]] = defaultdict(list)
        for o in self.ops:
            if o.ok:
                out[o.name].append(o.end - o.start)
        return out


@dataclass
class Plan:
    """Knobs of the mix."""

    deadline: float
    ops_per_session: tuple[int, int] = (25, 60)
    python_share: float = 0.5  # sessions that use Python (a kernel each: the expensive part)
    big_write_share: float = 0.05  # writes over one 50 KiB chunk
    binary_write_share: float = 0.05
    labels: dict[str, str] = field(default_factory=dict)
    tolerate_failures: bool = False  # the kill test: keep going through errors
    stop: threading.Event = field(default_factory=threading.Event)
    # While `paused` is set, clients wait before starting a call (calls in flight finish first).
    paused: threading.Event = field(default_factory=threading.Event)
    parked: int = 0  # clients waiting at the gate
    finished: int = 0  # clients that have returned
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def over(self) -> bool:
        return self.stop.is_set() or time.monotonic() >= self.deadline

    async def gate(self) -> None:
        if not self.paused.is_set():
            return
        with self._lock:
            self.parked += 1
        while self.paused.is_set():
            await asyncio.sleep(0.02)
        with self._lock:
            self.parked -= 1

    def idle(self) -> int:
        """Clients not in a call: parked at the gate or finished."""
        with self._lock:
            return self.parked + self.finished

    def done(self) -> None:
        with self._lock:
            self.finished += 1


def _text(rng: random.Random, size: int) -> str:
    return "".join(rng.choices(TEXT_ALPHABET, k=size))


class Client:
    """One client: its own SDK client (face and connection pool), its own sessions."""

    def __init__(self, index: int, agb: AGB | AsyncAGB, ledger: Ledger, plan: Plan, seed: int) -> None:
        self.index = index
        self.agb = agb
        self.ledger = ledger
        self.plan = plan
        self.rng = random.Random(seed)
        self.undeleted: list[tuple[Any, SessionState]] = []

    async def _op(
        self, name: str, thunk: Callable[[], Any], *, right_failure: Callable[[Any], bool] | None = None
    ) -> tuple[Any, OpRecord]:
        """Run one SDK call (`thunk` makes it: the sync face does its I/O right there) and record it.

        `right_failure`: says whether a failed result is nevertheless the correct answer here (a file that
        only unacknowledged writes went to may not exist; a session whose unacknowledged delete ran is gone),
        so it is not recorded as a failed call."""
        await self.plan.gate()
        start = time.monotonic()
        result = await call(thunk())
        end = time.monotonic()
        ok = bool(result.success) or (right_failure is not None and right_failure(result))
        error = result.error
        op = OpRecord(
            self.index, name, start, end, ok, "" if ok else type(error).__name__, "" if ok else result.error_message
        )
        self.ledger.add(op)
        return result, op

    @staticmethod
    def _unacknowledged(result: Any) -> bool:
        """A failure after which the call may or may not have happened."""
        return isinstance(result.error, APIConnectionError | APITimeoutError | ServerError)

    async def run(self) -> None:
        try:
            await self._run()
        finally:
            self.plan.done()

    async def _run(self) -> None:
        while not self.plan.over():
            state = await self._create()
            if state is None:
                if self.plan.tolerate_failures:
                    await asyncio.sleep(0.2)
                continue
            session, st = state
            uses_python = self.rng.random() < self.plan.python_share
            budget = self.rng.randint(*self.plan.ops_per_session)
            for _ in range(budget):
                if self.plan.over():
                    break
                await self._one(session, st, uses_python)
            await self._verify_all(session, st)
            await self._delete(session, st)
        # sessions whose delete failed (server down): try again now
        for session, st in list(self.undeleted):
            await self._delete(session, st, retrying=True)

    async def _create(self) -> tuple[Any, SessionState] | None:
        attempt = uuid.uuid4().hex[:16]
        labels = {**self.plan.labels, "client": str(self.index), "attempt": attempt}
        self.ledger.create_attempts[attempt] = None
        result, _ = await self._op("create", lambda: self.agb.create(CreateSessionParams(labels=labels)))
        if not result.success:
            return None
        session = result.session
        self.ledger.create_attempts[attempt] = session.session_id
        st = SessionState(session.session_id, attempt, self.index)
        self.ledger.sessions[session.session_id] = st
        return session, st

    async def _one(self, session: Any, st: SessionState, uses_python: bool) -> None:
        roll = self.rng.random()
        if roll < 0.30:
            await self._write(session, st)
        elif roll < 0.50:
            await self._read(session, st)
        elif roll < 0.62:
            await self._shell(session, st)
        elif roll < 0.70:
            await self._append(session, st)
        elif roll < 0.78:
            await self._list_sessions(session, st)
        elif roll < 0.84:
            await self._list_dir(session, st)
        elif uses_python:
            await self._python(session, st)
        else:
            await self._shell(session, st)

    # -- operations ------------------------------------------------------------------------------

    async def _write(self, session: Any, st: SessionState) -> None:
        path = f"/home/user/d{self.rng.randint(0, 2)}/f{self.rng.randint(0, 5)}.txt"
        roll = self.rng.random()
        single_chunk = True
        if roll < self.plan.binary_write_share:
            content: str | bytes = bytes(self.rng.getrandbits(8) for _ in range(self.rng.randint(1, 4000)))
            data = content
            single_chunk = False  # staged in /tmp and decoded by the shell: two calls
        elif roll < self.plan.binary_write_share + self.plan.big_write_share:
            content = _text(self.rng, self.rng.randint(60_000, 120_000))
            data = content.encode()
            single_chunk = len(data) <= 50 * 1024
        else:
            content = _text(self.rng, self.rng.randint(0, 3000))
            data = content.encode()
        ps = st.paths.setdefault(path, PathState())
        result, _ = await self._op("write", lambda: session.file.write(path, content))
        if result.success:
            st.paths[path] = PathState(acked=data)
            await self._read_back(session, st, path, immediate=True)
        elif self._unacknowledged(result):
            ps.pending.append(data)
            ps.exact = ps.exact and single_chunk
        else:
            self.ledger.mismatch(f"write {path} failed: {result.error_message}")

    async def _read(self, session: Any, st: SessionState) -> None:
        written = sorted(p for p, ps in st.paths.items() if ps.acked is not None)
        if not written:
            await self._write(session, st)
            return
        await self._read_back(session, st, self.rng.choice(written))

    async def _read_back(self, session: Any, st: SessionState, path: str, *, immediate: bool = False) -> None:
        ps = st.paths[path]
        result, _ = await self._op(
            "read", lambda: session.file.read(path, format="bytes"), right_failure=_absent if ps.acked is None else None
        )
        if not result.success:
            if not self._unacknowledged(result) and ps.acked is not None:
                self.ledger.mismatch(f"{st.session_id}:{path} unreadable: {result.error_message}")
            return
        check_read(self.ledger, st, path, result.content, immediate=immediate)

    async def _shell(self, session: Any, st: SessionState) -> None:
        token = uuid.uuid4().hex[:8]
        result, _ = await self._op(
            "shell", lambda: session.command.execute(f"echo {token}; ls /home/user | wc -l", timeout_ms=20_000)
        )
        if result.success and not result.stdout.startswith(token + "\n"):
            self.ledger.mismatch(f"shell answered {result.stdout!r}, expected {token}")

    async def _append(self, session: Any, st: SessionState) -> None:
        marker = f"m-{uuid.uuid4().hex[:12]}"
        if self.rng.random() < 0.5:
            result, _ = await self._op("append", lambda: session.file.write(APPENDS, marker + "\n", mode="append"))
        else:
            cmd = f"echo {marker} >> {APPENDS}"
            result, _ = await self._op("shell", lambda: session.command.execute(cmd, timeout_ms=20_000))
        if result.success:
            st.markers_acked.append(marker)
        elif self._unacknowledged(result):
            st.markers_unacked.append(marker)
        else:
            self.ledger.mismatch(f"append failed: {result.error_message}")

    async def _python(self, session: Any, st: SessionState) -> None:
        code = "n = globals().get('n', 0) + 1\nn"
        # The first cell of a session starts its kernel: timed apart from the others.
        name = "run_code" if st.python_started else "run_code_first"
        st.python_started = True
        result, _ = await self._op(name, lambda: session.code.run(code, "python", timeout_s=60))
        if not result.success:
            st.counter = None
            return
        got = int(result.result) if result.result and result.result.isdigit() else None
        if st.counter is not None and got != st.counter + 1:
            self.ledger.mismatch(f"python state: n is {result.result!r}, expected {st.counter + 1}")
        st.counter = got

    async def _list_sessions(self, session: Any, st: SessionState) -> None:
        result, _ = await self._op(
            "list", lambda: self.agb.list(labels={"client": str(self.index), "attempt": st.attempt})
        )
        if result.success and result.session_ids != [st.session_id]:
            self.ledger.mismatch(f"list by labels gave {result.session_ids}, expected [{st.session_id}]")

    async def _list_dir(self, session: Any, st: SessionState) -> None:
        result, _ = await self._op("list_dir", lambda: session.file.list("/home/user"))
        if result.success:
            names = {e.get("name") for e in result.entries}
            wanted = {p.split("/")[3] for p, ps in st.paths.items() if ps.acked is not None and ps.exact}
            if not wanted <= names:
                self.ledger.mismatch(f"list_dir missing {sorted(wanted - names)}")

    async def _verify_all(self, session: Any, st: SessionState) -> None:
        for path in sorted(p for p, ps in st.paths.items() if ps.acked is not None or ps.pending):
            if self.plan.tolerate_failures and self.plan.over():
                return  # the kill test verifies everything itself after the restart
            await self._read_back(session, st, path)
        if st.markers_acked or st.markers_unacked:
            result, _ = await self._op(
                "read", lambda: session.file.read(APPENDS), right_failure=None if st.markers_acked else _absent
            )
            if result.success:
                check_markers(self.ledger, st, result.content)

    async def _delete(self, session: Any, st: SessionState, *, retrying: bool = False) -> None:
        if st.delete_started_at is None:
            st.delete_started_at = time.monotonic()
        # Retrying after an unacknowledged delete: that one may have run, so "not found" is the right answer.
        gone_is_right = _gone if retrying else None
        _, op = await self._op("delete", lambda: self.agb.delete(session), right_failure=gone_is_right)
        if op.ok:
            st.deleted = True
            if retrying:
                self.undeleted = [(s, x) for s, x in self.undeleted if x is not st]
        elif not retrying:
            st.delete_unacked = True
            self.undeleted.append((session, st))


def _absent(result: Any) -> bool:
    """The tool said the file does not exist."""
    return isinstance(result.error, ToolError) and "No such file" in result.error_message


def _gone(result: Any) -> bool:
    """The service said the session does not exist."""
    return isinstance(result.error, SessionNotFoundError)


def check_read(ledger: Ledger, st: SessionState, path: str, content: bytes, *, immediate: bool = False) -> None:
    """What a read returned is the last acknowledged write or one of the unacknowledged ones after it."""
    ps = st.paths[path]
    possible = ps.possible()
    if content in possible or (content == b"" and None in possible):
        if content != ps.acked:  # what the file holds now is the truth from here on
            st.paths[path] = PathState(acked=content)
        ledger.bytes_verified += len(content)
        return
    if not ps.exact:
        return  # an unacknowledged chunked write may have left any prefix
    when = "immediately after writing it" if immediate else "later"
    ledger.mismatch(
        f"{st.session_id}:{path} read back {len(content)} bytes {when}, expected one of "
        f"{[None if p is None else len(p) for p in possible]} bytes"
    )


def check_markers(ledger: Ledger, st: SessionState, content: str) -> None:
    """Acknowledged markers exactly once, unacknowledged at most once, nothing else (see the module doc)."""
    lines = content.splitlines()
    counts = Counter(lines)
    known = set(st.markers_acked) | set(st.markers_unacked)
    for marker in st.markers_acked:
        if counts[marker] != 1:
            ledger.mismatch(f"{st.session_id}: acknowledged append {marker} found {counts[marker]} times")
    for marker in st.markers_unacked:
        if counts[marker] > 1:
            ledger.mismatch(f"{st.session_id}: unacknowledged append {marker} replayed: found {counts[marker]} times")
    strangers = [line for line in lines if line not in known]
    if strangers:
        ledger.mismatch(f"{st.session_id}: appends.log has lines nobody wrote: {strangers[:3]}")
    ledger.bytes_verified += len(content.encode())


def make_client(face: str, key: str, endpoint: str) -> AGB | AsyncAGB:
    cls = AGB if face == "sync" else AsyncAGB
    return cls(api_key=key, cfg=Config(endpoint=endpoint, timeout_ms=120_000))


async def run_clients(
    count: int, key: str, endpoint: str, ledger: Ledger, plan: Plan, *, sync_share: float = 0.125, seed: int = 7
) -> list[Client]:
    """`count` clients until the plan's deadline: a share on the sync face (one thread each), the rest async."""
    n_sync = round(count * sync_share)
    clients: list[Client] = []
    for i in range(count):
        face = "sync" if i < n_sync else "async"
        clients.append(Client(i, make_client(face, key, endpoint), ledger, plan, seed * 1000 + i))

    def in_thread(client: Client) -> None:
        asyncio.run(client.run())

    loop = asyncio.get_running_loop()
    threads = concurrent.futures.ThreadPoolExecutor(max(1, n_sync), thread_name_prefix="sync-client")

    async def staggered(client: Client) -> None:
        await asyncio.sleep(client.rng.uniform(0, 2.0))  # clients arrive over two seconds, not in one burst
        if isinstance(client.agb, AGB):
            await loop.run_in_executor(threads, in_thread, client)
        else:
            await client.run()

    try:
        await asyncio.gather(*(staggered(c) for c in clients))
    finally:
        threads.shutdown(wait=True)
        for c in clients:
            if isinstance(c.agb, AGB):
                c.agb.close()
            else:
                await c.agb.close()
    return clients
