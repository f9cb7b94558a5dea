"""kill -9 of the server in the middle of the load, then a restart on the same data dir and port.

What must hold:

* the SDK reports the outage as `APIConnectionError`, within 2 s of the kill for every client (no hang);
* it retries only what is safe: a non-idempotent call whose request was sent is never sent again (a probe
  client allowed 10 retries appends a line with `shell` and must find it exactly once), while an idempotent
  call in flight at the kill (a long `search_files`) is retried and succeeds once the server is back;
* after the restart every session acknowledged before the kill is listed, every acknowledged write reads back
  intact, appends acknowledged are there once and unacknowledged ones at most once, no create ran twice, and
  the sessions are usable again;
* the old server's sandboxes died with it, and the restart removed its stale cgroups and pool directories;
* the API key appears in neither the server's debug log nor the SDK's.
"""

from __future__ import annotations

import asyncio
import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from agb import AGB, Config
from agb._flow import RetryPolicy
from agb.errors import APIConnectionError
from agb.session_params import CreateSessionParams

from .harness import (
    CLIENTS,
    DURATION_S,
    MARKS,
    ServerProcess,
    alive,
    capture_sdk_log,
    cgroup_dirs,
    descendants,
    leaks,
    ms,
    pct,
    record,
    registry_rows,
    settled_snapshot,
    wait_until,
)
from .workload import Ledger, Plan, check_markers, check_read, run_clients

LOAD_S = max(12.0, DURATION_S * 0.6)
KILL_AT_S = LOAD_S * 0.4
DOWNTIME_S = 1.5
AFTER_RESTART_S = 5.0
# "Promptly": the longest the default retry policy may wait before giving up (an idempotent call retried
# into the outage), plus a second for a loaded machine.
_POLICY = RetryPolicy()
PROMPT_S = sum(min(_POLICY.cap, _POLICY.base * 2.0**n) for n in range(_POLICY.max_retries)) + 1.0
KEY = "akm-reliability-kill-4d1f7a2e9c0b6e35"
LABELS = {"suite": "reliability-kill"}

pytestmark = [*MARKS, pytest.mark.timeout(LOAD_S + 240)]

# The calls the SDK may send again after the request left: the reads (see agb/_tools.py, agb/_control.py).
IDEMPOTENT = {
    "getSession",
    "getSessionInfo",
    "listSessions",
    "getLabel",
    "getMcpResource",
    "refreshSessionIdleTime",
    "listTools",
    "callTool read_file",
    "callTool get_file_info",
    "callTool list_directory",
    "callTool read_multiple_files",
    "callTool search_files",
}
NOT_SENT = {"ConnectError", "ConnectTimeout", "PoolTimeout"}
RETRY_LINE = re.compile(r"retrying (.+?) after (\S+) in ")


class Probe:
    """Calls in flight at the kill, from a client allowed many retries (so a wrong retry would land on the
    restarted server): a non-idempotent shell that appends a line, and an idempotent search that takes a while."""

    def __init__(self, endpoint: str) -> None:
        self.agb = AGB(api_key=KEY, cfg=Config(endpoint=endpoint), max_retries=10)
        self.session = self.agb.create(CreateSessionParams(labels={"suite": "reliability-probe"})).unwrap()
        self.shell_result: Any = None
        self.shell_done = 0.0
        self.search_results: list[tuple[float, float, Any]] = []
        self.stop = threading.Event()
        self._threads = [threading.Thread(target=self._shell), threading.Thread(target=self._search)]

    def start(self) -> None:
        for t in self._threads:
            t.start()

    def _shell(self) -> None:
        command = "echo replay-probe >> /home/user/probe.log; sleep 30"
        self.shell_result = self.session.command.execute(command, timeout_ms=60_000)
        self.shell_done = time.monotonic()

    def _search(self) -> None:
        while not self.stop.is_set():
            started = time.monotonic()
            result = self.session.file.search("/usr", "no-such-file-anywhere-*.xyz")
            self.search_results.append((started, time.monotonic(), result))

    def join(self) -> None:
        self.stop.set()
        for t in self._threads:
            t.join(120)


def test_kill9_mid_load_then_restart_loses_nothing_acknowledged(servers: Callable[..., ServerProcess]) -> None:
    server = servers("kill", keys=(KEY,))
    server.start()
    baseline = settled_snapshot(server)
    ledger = Ledger()
    plan = Plan(deadline=time.monotonic() + LOAD_S, labels=LABELS, tolerate_failures=True, ops_per_session=(30, 80))
    load_error: list[BaseException] = []

    def load() -> None:
        try:
            asyncio.run(run_clients(CLIENTS, KEY, server.endpoint, ledger, plan, seed=3))
        except BaseException as exc:  # reported by the test thread
            load_error.append(exc)

    with capture_sdk_log() as sdk_log:
        probe = Probe(server.endpoint)
        loader = threading.Thread(target=load)
        loader.start()
        try:
            time.sleep(KILL_AT_S - 1.0)
            probe.start()
            time.sleep(1.0)

            old_pid = server.pid
            old_procs = descendants(old_pid)
            killed_at = server.kill9()
            # What was acknowledged before the kill must survive it. A session whose delete went out before the
            # kill may be gone (the server may have released it first), so only those untouched by then count.
            acked_live = {
                sid
                for sid, st in list(ledger.sessions.items())
                if st.delete_started_at is None or st.delete_started_at > killed_at
            }
            sandboxes_gone = wait_until(lambda: not alive(old_procs), 10, 0.01)
            sandboxes_gone_s = time.monotonic() - killed_at
            assert sandboxes_gone, f"sandboxes outlived the killed server: {alive(old_procs)}"

            time.sleep(DOWNTIME_S)  # clients keep calling into the outage
            plan.paused.set()
            assert wait_until(lambda: plan.idle() == CLIENTS, 30), "clients did not come to rest during the outage"
            restart_s = server.restart()
            restarted_at = time.monotonic()

            # Every acknowledged session is listed again, with its files, appends and nothing created twice.
            verified = verify_after_restart(server, ledger, acked_live)
            # However long the verification took, the clients work on for a while after the restart: the
            # sessions must be usable again under load, not only one by one.
            plan.deadline = max(plan.deadline, time.monotonic() + AFTER_RESTART_S)
            resumed_at = time.monotonic()
        except BaseException:
            plan.stop.set()  # something above failed: the clients stop now instead of working to the deadline
            raise
        finally:
            # Also on a failure: no client stays parked and the probe stops, or the process could not exit.
            plan.paused.clear()
            loader.join(LOAD_S + 120)
            probe.join()
    assert not loader.is_alive() and not load_error, load_error

    # The SDK surfaced the outage promptly, as APIConnectionError, and only during it.
    outage = [o for o in ledger.failures() if o.end >= killed_at]
    assert outage, "no client noticed the kill"
    assert not [o for o in ledger.failures() if o.end < killed_at], "calls failed before the kill"
    others = [
        (o.name, o.error_type, round(o.end - killed_at, 3), o.message)
        for o in outage
        if o.error_type != "APIConnectionError"
    ]
    assert not others, (Counter(o.error_type for o in outage), others[:5])
    assert all(o.end < restarted_at + 1.0 for o in outage), "calls kept failing after the restart"
    after_restart = [o for o in ledger.ops if o.start >= resumed_at]
    assert len(after_restart) >= CLIENTS, f"only {len(after_restart)} calls after the restart"
    first_error: dict[int, float] = {}
    for o in sorted(outage, key=lambda o: o.end):
        first_error.setdefault(o.client, o.end - killed_at)
    assert max(first_error.values()) < PROMPT_S, sorted(first_error.values())[-5:]

    # Non-idempotent: not replayed. The probe's shell failed at once with APIConnectionError, its line is there once.
    assert isinstance(probe.shell_result.error, APIConnectionError), probe.shell_result
    assert probe.shell_done - killed_at < PROMPT_S
    log_text = probe.session.file.read("/home/user/probe.log").unwrap()
    assert log_text == "replay-probe\n", log_text
    # Idempotent: the search in flight at the kill was retried and succeeded after the restart.
    straddling = [r for s, e, r in probe.search_results if s < killed_at < e]
    assert straddling and straddling[0].success, straddling
    retries = [m.groups() for m in RETRY_LINE.finditer(sdk_log.text())]
    unsafe = [(name, why) for name, why in retries if name not in IDEMPOTENT and why not in NOT_SENT]
    assert not unsafe, f"non-idempotent calls retried after they were sent: {unsafe[:5]}"
    assert ("callTool search_files", "RemoteProtocolError") in retries or any(
        name == "callTool search_files" and why not in NOT_SENT for name, why in retries
    ), retries[:20]
    probe.agb.delete(probe.session)
    probe.agb.close()

    # At the end of the load every client deleted its sessions; creates that were never acknowledged may have
    # run on the server: those sessions are found by their labels and deleted too.
    with AGB(api_key=KEY, cfg=Config(endpoint=server.endpoint)) as agb:
        orphans = list(agb.list_all(labels=LABELS))
        unacked_attempts = {a for a, sid in ledger.create_attempts.items() if sid is None}
        for sid in orphans:
            session = agb.get(sid).unwrap()
            assert session.get_labels().unwrap()["attempt"] in unacked_attempts
            assert agb.delete(session).success
        assert list(agb.list_all()) == []
    assert not ledger.mismatches, ledger.mismatches[:10]
    assert registry_rows(server.data_dir) == []
    after = settled_snapshot(server, like=baseline)
    assert after.summary() == baseline.summary(), (baseline.summary(), after.summary())
    assert cgroup_dirs(old_pid) == [], "the restart did not remove the killed server's cgroups"
    assert not [p for p in (server.data_dir / "sandboxes").iterdir() if f"-{old_pid}-" in p.name]

    assert not leaks(server.log_text(), KEY)
    assert not leaks(sdk_log.text(), KEY)
    for o in ledger.failures():
        assert not leaks(o.message, KEY)

    record(
        "kill9",
        clients=CLIENTS,
        load_s=LOAD_S,
        killed_at_s=round(KILL_AT_S, 1),
        calls=len(ledger.ops),
        failed_calls_during_outage=len(outage),
        failed_calls_otherwise=len(ledger.failures()) - len(outage),
        first_api_connection_error_ms_p50_max=[ms(pct(list(first_error.values()), 0.5)), ms(max(first_error.values()))],
        sandboxes_gone_after_kill_ms=ms(sandboxes_gone_s),
        restart_to_first_answer_ms=ms(restart_s),
        sessions_listed_after_restart=verified["sessions"],
        acknowledged_files_intact=verified["files"],
        acknowledged_appends_intact=verified["markers"],
        first_call_after_restart_ms=ms(verified["first_call_s"]),
        calls_after_restart=len(after_restart),
        unsafe_retries=len(unsafe),
        safe_retries=len(retries),
        orphan_sessions_of_unacknowledged_creates=len(orphans),
        lost_or_corrupt_writes=len(ledger.mismatches),
    )


def verify_after_restart(server: ServerProcess, ledger: Ledger, acked_live: set[str]) -> dict[str, Any]:
    """Right after the restart, with every client parked: the sessions, files and appends of the ledger."""
    counts: Counter[str] = Counter()
    with AGB(api_key=KEY, cfg=Config(endpoint=server.endpoint)) as agb:
        listed = set(agb.list_all(labels=LABELS))
        missing = acked_live - listed
        assert not missing, f"{len(missing)} acknowledged sessions not listed after the restart"
        counts["sessions"] = len(acked_live)
        attempts = Counter()
        for sid in listed:
            attempts[agb.get(sid).unwrap().get_labels().unwrap()["attempt"]] += 1
        twice = [a for a, n in attempts.items() if n > 1]
        assert not twice, f"creates that ran twice: {twice}"
        first_call_s = 0.0
        for n, sid in enumerate(sorted(acked_live)):
            st = ledger.sessions[sid]
            session = agb.get(sid).unwrap()
            started = time.monotonic()
            for path, ps in sorted(st.paths.items()):
                result = session.file.read(path, format="bytes")
                if n == 0 and not first_call_s:
                    first_call_s = time.monotonic() - started  # includes starting the sandbox again
                if ps.acked is None and not result.success:
                    continue
                assert result.success, f"{sid}:{path}: {result.error_message}"
                before = len(ledger.mismatches)
                check_read(ledger, st, path, result.content)
                assert len(ledger.mismatches) == before, ledger.mismatches[-1]
                counts["files"] += ps.acked is not None
            if st.markers_acked or st.markers_unacked:
                log = session.file.read("/home/user/appends.log")
                if not log.success and not st.markers_acked:
                    continue  # only unacknowledged appends, none of which ran
                assert log.success, log.error_message
                before = len(ledger.mismatches)
                check_markers(ledger, st, log.content)
                assert len(ledger.mismatches) == before, ledger.mismatches[-1]
                counts["markers"] += len(st.markers_acked)
    # The restart started every sandbox afresh: files kept, interpreter state lost (as documented), so the
    # next cell of each session finds a new kernel and counts from 1 again.
    for st in ledger.sessions.values():
        st.counter = 0
        st.python_started = False
    rows = dict(registry_rows(server.data_dir))
    assert acked_live <= set(rows)
    return {**counts, "first_call_s": first_call_s}
