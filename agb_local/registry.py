"""The session registry: one SQLite file under the data dir.

Holds what must survive a server restart: each session's owner (a hash of the API key, never the key),
image, labels, status and times. WAL mode with synchronous=NORMAL survives a killed process (only a power
loss can drop the last commits). All access happens on the event loop thread; each statement takes
microseconds, so no thread pool is needed.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

RUNNING = "RUNNING"
DELETING = "DELETING"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id            TEXT PRIMARY KEY,
    owner         TEXT NOT NULL,
    image_id      TEXT NOT NULL,
    labels        TEXT NOT NULL DEFAULT '{}',
    status        TEXT NOT NULL,
    policy_id     TEXT,
    idle_timeout  INTEGER NOT NULL,
    created_at    REAL NOT NULL,
    last_used_at  REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_owner ON sessions(owner, id);
"""


def owner_of(api_key: str) -> str:
    """The registry's name for an API key: a hash, so the database never holds a usable key."""
    return hashlib.sha256(api_key.encode()).hexdigest()[:32]


def new_session_id() -> str:
    # Time-ordered (ms since epoch, then randomness) so that listing by id lists by creation.
    return f"s-{int(time.time() * 1000):012x}{os.urandom(6).hex()}"


@dataclass
class SessionRecord:
    id: str
    owner: str
    image_id: str
    labels: dict[str, str]
    status: str
    policy_id: str | None
    idle_timeout: int
    created_at: float
    last_used_at: float

    def matches(self, wanted: Mapping[str, str]) -> bool:
        return all(self.labels.get(k) == v for k, v in wanted.items())


class Registry:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        os.chmod(path, 0o600)

    def close(self) -> None:
        self._db.close()

    def add(self, record: SessionRecord) -> None:
        self._db.execute(
            "INSERT INTO sessions VALUES (?,?,?,?,?,?,?,?,?)",
            (
                record.id,
                record.owner,
                record.image_id,
                json.dumps(record.labels),
                record.status,
                record.policy_id,
                record.idle_timeout,
                record.created_at,
                record.last_used_at,
            ),
        )

    def get(self, session_id: str) -> SessionRecord | None:
        row = self._db.execute("SELECT * FROM sessions WHERE id = ?", (session_id,)).fetchone()
        return _record(row) if row else None

    def remove(self, session_id: str) -> None:
        self._db.execute("DELETE FROM sessions WHERE id = ?", (session_id,))

    def set_status(self, session_id: str, status: str) -> None:
        self._db.execute("UPDATE sessions SET status = ? WHERE id = ?", (status, session_id))

    def set_labels(self, session_id: str, labels: Mapping[str, str]) -> None:
        self._db.execute("UPDATE sessions SET labels = ? WHERE id = ?", (json.dumps(dict(labels)), session_id))

    def touch_many(self, times: Iterable[tuple[str, float]]) -> None:
        # One transaction for the batch (the connection is in autocommit mode otherwise).
        self._db.execute("BEGIN")
        try:
            self._db.executemany(
                "UPDATE sessions SET last_used_at = max(last_used_at, ?) WHERE id = ?", [(t, sid) for sid, t in times]
            )
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def touch_all(self, now: float) -> None:
        """After a restart: downtime is not idleness, so every idle clock starts again."""
        self._db.execute("UPDATE sessions SET last_used_at = ?", (now,))

    def live_of(self, owner: str) -> list[SessionRecord]:
        """The owner's live sessions in id (= creation) order."""
        rows = self._db.execute(
            "SELECT * FROM sessions WHERE owner = ? AND status = ? ORDER BY id", (owner, RUNNING)
        ).fetchall()
        return [_record(r) for r in rows]

    def count_live(self, owner: str) -> int:
        return int(
            self._db.execute(
                "SELECT count(*) FROM sessions WHERE owner = ? AND status = ?", (owner, RUNNING)
            ).fetchone()[0]
        )

    def all(self) -> Iterator[SessionRecord]:
        for row in self._db.execute("SELECT * FROM sessions ORDER BY id").fetchall():
            yield _record(row)

    def idle(self, now: float) -> list[SessionRecord]:
        rows = self._db.execute(
            "SELECT * FROM sessions WHERE status = ? AND last_used_at + idle_timeout < ?", (RUNNING, now)
        ).fetchall()
        return [_record(r) for r in rows]


def _record(row: tuple[object, ...]) -> SessionRecord:
    sid, owner, image, labels, status, policy, idle, created, used = row
    return SessionRecord(
        id=str(sid),
        owner=str(owner),
        image_id=str(image),
        labels=json.loads(str(labels)),
        status=str(status),
        policy_id=None if policy is None else str(policy),
        idle_timeout=int(idle),  # type: ignore[call-overload]
        created_at=float(created),
        last_used_at=float(used),  # type: ignore[arg-type]
    )
