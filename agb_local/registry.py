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
from dataclasses import asdict, dataclass, fields
from pathlib import Path

RUNNING = "RUNNING"
DELETING = "DELETING"

# The schema's history, oldest first: migration i takes a registry from version i to i + 1 (its statements run
# in one transaction), and the version is the file's `PRAGMA user_version`. Append new steps; never edit a
# released one, since data dirs made by it exist. The code below reads and writes columns by name only, so an
# added column breaks no query.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 0 -> 1: the sessions table. Registries made before the schema had a version have this very table at
    # version 0, hence IF NOT EXISTS.
    (
        """CREATE TABLE IF NOT EXISTS sessions (
            id            TEXT PRIMARY KEY,
            owner         TEXT NOT NULL,
            image_id      TEXT NOT NULL,
            labels        TEXT NOT NULL DEFAULT '{}',
            status        TEXT NOT NULL,
            policy_id     TEXT,
            idle_timeout  INTEGER NOT NULL,
            created_at    REAL NOT NULL,
            last_used_at  REAL NOT NULL
        )""",
        "CREATE INDEX IF NOT EXISTS sessions_owner ON sessions(owner, id)",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)


class SchemaTooNew(Exception):
    """The registry was written by a newer agb_local: this one would misread it, so it does not open it."""

    def __init__(self, path: Path, found: int) -> None:
        super().__init__(
            f"the session registry {path} has schema version {found}, newer than version {SCHEMA_VERSION} that "
            "this agb_local understands: run the newer agb_local on this data dir, or use another data dir"
        )
        self.path = path
        self.found = found


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


_COLUMNS = tuple(f.name for f in fields(SessionRecord))
_SELECT = f"SELECT {', '.join(_COLUMNS)} FROM sessions"
_INSERT = f"INSERT INTO sessions ({', '.join(_COLUMNS)}) VALUES ({', '.join(':' + c for c in _COLUMNS)})"


class Registry:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        try:
            _migrate(self._db, path)
            self._db.execute("PRAGMA journal_mode=WAL")
        except BaseException:
            self._db.close()
            raise
        self._db.execute("PRAGMA synchronous=NORMAL")
        os.chmod(path, 0o600)

    def close(self) -> None:
        self._db.close()

    def add(self, record: SessionRecord) -> None:
        self._db.execute(_INSERT, {**asdict(record), "labels": json.dumps(record.labels)})

    def get(self, session_id: str) -> SessionRecord | None:
        row = self._db.execute(f"{_SELECT} WHERE id = ?", (session_id,)).fetchone()
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
        rows = self._db.execute(f"{_SELECT} WHERE owner = ? AND status = ? ORDER BY id", (owner, RUNNING)).fetchall()
        return [_record(r) for r in rows]

    def count_live(self, owner: str) -> int:
        return int(
            self._db.execute(
                "SELECT count(*) FROM sessions WHERE owner = ? AND status = ?", (owner, RUNNING)
            ).fetchone()[0]
        )

    def all(self) -> Iterator[SessionRecord]:
        for row in self._db.execute(f"{_SELECT} ORDER BY id").fetchall():
            yield _record(row)

    def idle(self, now: float) -> list[SessionRecord]:
        rows = self._db.execute(
            f"{_SELECT} WHERE status = ? AND last_used_at + idle_timeout < ?", (RUNNING, now)
        ).fetchall()
        return [_record(r) for r in rows]


def _record(row: sqlite3.Row) -> SessionRecord:
    return SessionRecord(
        id=row["id"],
        owner=row["owner"],
        image_id=row["image_id"],
        labels=json.loads(row["labels"]),
        status=row["status"],
        policy_id=row["policy_id"],
        idle_timeout=row["idle_timeout"],
        created_at=row["created_at"],
        last_used_at=row["last_used_at"],
    )


def schema_version(db: sqlite3.Connection) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def _migrate(db: sqlite3.Connection, path: Path) -> None:
    """Bring the registry to SCHEMA_VERSION, one migration per transaction (DDL is transactional in SQLite),
    so a failed step leaves the file at the version before it; refuse a registry newer than this code."""
    while True:
        found = schema_version(db)
        if found > SCHEMA_VERSION:
            raise SchemaTooNew(path, found)
        if found == SCHEMA_VERSION:
            return
        # IMMEDIATE takes the write lock before the version is read again: two servers starting on one data
        # dir cannot both run a step.
        db.execute("BEGIN IMMEDIATE")
        try:
            if schema_version(db) == found:
                for statement in MIGRATIONS[found]:
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {found + 1}")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
