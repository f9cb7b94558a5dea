"""The session model: the sessions a run created, as the backend must see them, from the replies it gave."""

from __future__ import annotations

import dataclasses
import json
import threading
import time
from collections.abc import Callable
from typing import Any

import agb_spec

from .contract import Contract, Operation

# The service's idle-release timeout for sessions created without `timeout` (x-agb-limits).
DEFAULT_IDLE_TIMEOUT_S = agb_spec.limits()["idleTimeoutDefaultS"].value
# Calls that may still answer 2xx while a session is being released.
RELEASE_TOLERANT = {"getSessionInfo", "releaseSession", "releaseSessionAsync"}
# Calls that certainly reset a session's idle timer (getSessionInfo polling may not, releases do not).
USING_OPERATIONS = {"getSession", "getMcpResource", "refreshSessionIdleTime", "setLabel", "getLabel", "callTool"}


def _code(body: Any) -> object:
    return body.get("code") if isinstance(body, dict) else None


@dataclasses.dataclass
class SessionState:
    status: str  # live | releasing (async release accepted) | closing (released by this run) | released
    labels: dict[str, str] | None  # None: unknown
    idle_timeout: float  # seconds of inactivity after which the backend may release it on its own
    last_used: float

    def may_have_expired(self, now: float) -> bool:
        # Any call resets the idle timer; the slack covers the time a reply takes to reach us.
        return now - self.last_used > self.idle_timeout - 2


def _decode_labels(text: Any) -> dict[str, str] | None:
    if text in (None, ""):
        return {}
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return None
    return value if isinstance(value, dict) else None


class SessionModel:
    """The sessions this run created, as the backend must see them, from the responses it gave.

    Verdicts are computed before a response updates the model; the `agb_session_lifecycle` check reports them.
    The run also releases what it creates: sessions of a stateful scenario when the scenario ends, the others
    first in, first out beyond `max_live`, and the rest at the end. A session the run itself is releasing is
    "closing" and checked no more until its release has answered.
    """

    def __init__(self, contract: Contract, max_live: int, release: Callable[[str], int | None]) -> None:
        self.contract = contract
        self.sessions: dict[str, SessionState] = {}
        self.fifo: list[str] = []  # live sessions created outside stateful scenarios, oldest first
        self.created_by_case: dict[str, str] = {}  # case id -> session id, for stateful scenarios
        self.max_live = max_live
        self._release = release
        self.lock = threading.RLock()
        self.verdicts: dict[str, list[str]] = {}
        self.prior: dict[str, str | None] = {}  # case id -> the session's state when its response came

    def gone_before(self, case: Any) -> bool:
        """Whether the session a call named was already released (or being released) when the call was made."""
        with self.lock:
            return self.prior.get(case.id) in ("releasing", "closing", "released")

    def session_of(self, case: Any, op: Operation) -> str | None:
        where = op.session_id_in
        container = case.body if where == "body" else case.query if where == "query" else None
        value = container.get("sessionId") if isinstance(container, dict) else None
        return value if isinstance(value, str) else None

    def observe(self, case: Any, status: int, body: Any) -> None:
        op = self.contract.op_of(case)
        if op is None:
            return
        with self.lock:
            problems = self._verify(case, op, status, body)
            self.verdicts[case.id] = problems
            sid = self.session_of(case, op)
            self.prior[case.id] = self.sessions[sid].status if sid in self.sessions else None
            self._update(case, op, status, body)
        self._release_surplus()

    # ------------------------------------------------------------------ verification
    def _verify(self, case: Any, op: Operation, status: int, body: Any) -> list[str]:
        data = body.get("data") if isinstance(body, dict) else None
        sid = self.session_of(case, op)
        state = self.sessions.get(sid) if sid else None
        problems: list[str] = []
        if state is not None:
            ok = 200 <= status < 300
            # A 404 about something else (a context not mounted in the session) says nothing of the session.
            about_session = status == 409 or (status == 404 and _code(body) == "InvalidMcpSession.NotFound")
            if state.status == "live" and about_session and not state.may_have_expired(time.monotonic()):
                problems.append(
                    f"{op.operation_id} answered {status} for session {sid}, which this run created and has not "
                    "released (a created session must stay available until it is released)"
                )
            elif state.status == "released" and ok:
                problems.append(
                    f"{op.operation_id} answered {status} for session {sid}, which was released (use after release: "
                    "every call on a released session is a 404 InvalidMcpSession.NotFound)"
                )
            elif state.status == "releasing" and ok and op.operation_id not in RELEASE_TOLERANT:
                problems.append(
                    f"{op.operation_id} answered {status} for session {sid} after releaseSessionAsync succeeded "
                    "(a session being released takes no more calls: 409, then 404)"
                )
            if ok and op.operation_id == "getLabel" and state.labels is not None and state.status == "live":
                got = _decode_labels(data.get("labels")) if isinstance(data, dict) else None
                if got is not None and got != state.labels:
                    problems.append(
                        f"GetLabel for {sid} returned {got!r}, but the labels set last were {state.labels!r}"
                    )
        if op.operation_id == "listSessions" and status == 200 and isinstance(data, list):
            problems += self._verify_listing(case, body, data)
        return problems

    def _verify_listing(self, case: Any, body: dict[str, Any], data: list[Any]) -> list[str]:
        query = case.query if isinstance(case.query, dict) else {}
        wanted = _decode_labels(query.get("labels"))
        if wanted is None:
            return []
        listed: set[str] = {
            item["sessionId"] for item in data if isinstance(item, dict) and isinstance(item.get("sessionId"), str)
        }
        problems = []
        for sid in listed:
            state = self.sessions.get(sid)
            if state is None or state.status == "closing":
                continue
            if state.status == "released":
                problems.append(f"ListSession listed {sid}, which was released")
            elif state.labels is not None and not all(state.labels.get(k) == v for k, v in wanted.items()):
                problems.append(f"ListSession filter {wanted!r} listed {sid}, whose labels are {state.labels!r}")
        if not query.get("nextToken") and not body.get("nextToken"):  # the whole listing is on this page
            now = time.monotonic()
            for sid, state in self.sessions.items():
                if (
                    state.status == "live"
                    and not state.may_have_expired(now)
                    and state.labels is not None
                    and all(state.labels.get(k) == v for k, v in wanted.items())
                    and sid not in listed
                ):
                    problems.append(
                        f"ListSession filter {wanted!r} (one page, no nextToken) omitted live session {sid} "
                        f"with labels {state.labels!r}"
                    )
        return problems

    # ------------------------------------------------------------------ update
    def _update(self, case: Any, op: Operation, status: int, body: Any) -> None:
        data = body.get("data") if isinstance(body, dict) else None
        sid = self.session_of(case, op)
        if op.operation_id == "createSession" and status == 200 and isinstance(data, dict):
            new = data.get("sessionId")
            if isinstance(new, str) and new:
                request = case.body if isinstance(case.body, dict) else {}
                timeout = request.get("timeout")
                idle = timeout if isinstance(timeout, int) and timeout > 0 else DEFAULT_IDLE_TIMEOUT_S
                self.sessions[new] = SessionState("live", _decode_labels(request.get("labels")), idle, time.monotonic())
                phase = getattr(getattr(case.meta, "phase", None), "name", None)
                if getattr(phase, "value", phase) == "stateful":
                    self.created_by_case[case.id] = new
                else:
                    self.fifo.append(new)
            return
        state = self.sessions.get(sid) if sid else None
        if state is None or state.status == "closing":
            return
        if 200 <= status < 300 and op.operation_id in USING_OPERATIONS:
            state.last_used = time.monotonic()
        gone = status == 404 and _code(body) == "InvalidMcpSession.NotFound"
        if gone or (op.operation_id == "releaseSession" and status == 200):
            state.status = "released"
        elif op.operation_id == "releaseSessionAsync" and status == 200 and state.status == "live":
            state.status = "releasing"
        elif op.operation_id == "setLabel" and status == 200:
            state.labels = _decode_labels(case.query.get("Labels")) if isinstance(case.query, dict) else None

    # ------------------------------------------------------------------ cleanup
    def _release_surplus(self) -> None:
        while True:
            with self.lock:
                self.fifo = [sid for sid in self.fifo if self.sessions[sid].status in ("live", "releasing")]
                if len(self.fifo) <= self.max_live:
                    return
                sid = self.fifo.pop(0)
            self.release(sid)

    def release_scenario(self, case_ids: Any) -> None:
        """Release the sessions a finished stateful scenario created."""
        with self.lock:
            sids = [self.created_by_case.pop(cid) for cid in case_ids if cid in self.created_by_case]
        for sid in sids:
            self.release(sid)

    def release(self, sid: str) -> None:
        with self.lock:
            state = self.sessions.get(sid)
            if state is None or state.status not in ("live", "releasing"):
                return
            state.status = "closing"
        status = self._release(sid)
        with self.lock:
            # Done (200), or gone already (404); anything else leaves it unchecked from here on.
            if status in (200, 404):
                state.status = "released"

    def release_all(self) -> None:
        with self.lock:
            pending = [sid for sid, state in self.sessions.items() if state.status in ("live", "releasing")]
        for sid in pending:
            self.release(sid)
