"""The context registry: its own SQLite file under the data dir (`contexts.sqlite3`), beside the session registry.

Holds what must survive a restart: each context's owner (the key's hash, as for sessions), name, times, state,
the bytes its files take, and the mounts of live sessions (which context syncs with which sandbox path, under
which policy), so a session released after a restart still uploads its mounts. The files themselves live in a
directory tree per context (context_files.py). Same durability and threading rules as registry.py.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

AVAILABLE = "available"
CLEARING = "clearing"
FILE_TRANSFER = "file_transfer"  # the one internal context type: a session's file transfer area

_SCHEMA = """
CREATE TABLE IF NOT EXISTS contexts (
    id            TEXT PRIMARY KEY,
    owner         TEXT NOT NULL,
    name          TEXT NOT NULL,
    state         TEXT NOT NULL,
    created_at    REAL NOT NULL,
    last_used_at  REAL NOT NULL,
    bytes         INTEGER NOT NULL DEFAULT 0,
    session_id    TEXT,            -- set for a session's internal context, deleted with the session
    kind          TEXT             -- the internal context's type
);
CREATE UNIQUE INDEX IF NOT EXISTS contexts_name ON contexts(owner, name);
CREATE INDEX IF NOT EXISTS contexts_session ON contexts(session_id);
CREATE TABLE IF NOT EXISTS mounts (
    session_id    TEXT NOT NULL,
    seq           INTEGER NOT NULL,
    context_id    TEXT NOT NULL,
    path          TEXT NOT NULL,   -- the sandbox folder
    prefix        TEXT NOT NULL,   -- the context folder it syncs with (the path, or the mapping policy's)
    policy        TEXT NOT NULL,   -- the decoded SyncPolicy, as JSON
    PRIMARY KEY (session_id, seq)
);
"""


def new_context_id() -> str:
    return f"ctx-{int(time.time() * 1000):012x}{os.urandom(6).hex()}"


@dataclass
class ContextRecord:
    id: str
    owner: str
    name: str
    state: str
    created_at: float
    last_used_at: float
    bytes: int
    session_id: str | None
    kind: str | None


@dataclass(frozen=True)
class Mount:
    session_id: str
    context_id: str
    path: str
    prefix: str
    policy: dict[str, Any]

    def part(self, section: str, key: str, default: Any) -> Any:
        """A policy value (``part("uploadPolicy", "autoUpload", True)``), the default when it is not given."""
        value = self.policy.get(section)
        return value.get(key, default) if isinstance(value, dict) else default


class ContextStore:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        os.chmod(path, 0o600)

    def close(self) -> None:
        self._db.close()

    # -- contexts ------------------------------------------------------------------------------------

    def add(self, record: ContextRecord) -> None:
        self._db.execute(
            "INSERT INTO contexts VALUES (?,?,?,?,?,?,?,?,?)",
            (
                record.id,
                record.owner,
                record.name,
                record.state,
                record.created_at,
                record.last_used_at,
                record.bytes,
                record.session_id,
                record.kind,
            ),
        )

    def get(self, context_id: str) -> ContextRecord | None:
        row = self._db.execute("SELECT * FROM contexts WHERE id = ?", (context_id,)).fetchone()
        return _record(row) if row else None

    def by_name(self, owner: str, name: str) -> ContextRecord | None:
        row = self._db.execute("SELECT * FROM contexts WHERE owner = ? AND name = ?", (owner, name)).fetchone()
        return _record(row) if row else None

    def of_owner(self, owner: str) -> list[ContextRecord]:
        """The owner's own contexts (not sessions' internal ones) in id (= creation) order."""
        rows = self._db.execute(
            "SELECT * FROM contexts WHERE owner = ? AND session_id IS NULL ORDER BY id", (owner,)
        ).fetchall()
        return [_record(r) for r in rows]

    def all(self) -> list[ContextRecord]:
        return [_record(r) for r in self._db.execute("SELECT * FROM contexts ORDER BY id")]

    def internal(self, session_id: str, kind: str) -> ContextRecord | None:
        row = self._db.execute(
            "SELECT * FROM contexts WHERE session_id = ? AND kind = ?", (session_id, kind)
        ).fetchone()
        return _record(row) if row else None

    def internal_of(self, session_id: str) -> list[ContextRecord]:
        return [_record(r) for r in self._db.execute("SELECT * FROM contexts WHERE session_id = ?", (session_id,))]

    def all_internal(self) -> list[ContextRecord]:
        return [_record(r) for r in self._db.execute("SELECT * FROM contexts WHERE session_id IS NOT NULL")]

    def rename(self, context_id: str, name: str) -> None:
        self._db.execute("UPDATE contexts SET name = ? WHERE id = ?", (name, context_id))

    def set_state(self, context_id: str, state: str) -> None:
        self._db.execute("UPDATE contexts SET state = ? WHERE id = ?", (state, context_id))

    def set_bytes(self, context_id: str, size: int) -> None:
        self._db.execute("UPDATE contexts SET bytes = ? WHERE id = ?", (size, context_id))

    def touch(self, context_id: str, now: float) -> None:
        self._db.execute("UPDATE contexts SET last_used_at = ? WHERE id = ?", (now, context_id))

    def used_bytes(self, owner: str) -> int:
        """What the owner's contexts take, internal ones included (the quota counts them all)."""
        row = self._db.execute("SELECT coalesce(sum(bytes), 0) FROM contexts WHERE owner = ?", (owner,)).fetchone()
        return int(row[0])

    def remove(self, context_id: str) -> None:
        self._db.execute("DELETE FROM contexts WHERE id = ?", (context_id,))

    # -- mounts --------------------------------------------------------------------------------------

    def add_mounts(self, mounts: list[Mount]) -> None:
        self._db.execute("BEGIN")
        try:
            self._db.executemany(
                "INSERT INTO mounts VALUES (?,?,?,?,?,?)",
                [(m.session_id, i, m.context_id, m.path, m.prefix, json.dumps(m.policy)) for i, m in enumerate(mounts)],
            )
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def mounts(self, session_id: str) -> list[Mount]:
        rows = self._db.execute(
            "SELECT session_id, context_id, path, prefix, policy FROM mounts WHERE session_id = ? ORDER BY seq",
            (session_id,),
        ).fetchall()
        return [Mount(str(s), str(c), str(p), str(x), json.loads(str(pol))) for s, c, p, x, pol in rows]

    def mounted_sessions(self) -> list[str]:
        return [str(r[0]) for r in self._db.execute("SELECT DISTINCT session_id FROM mounts")]

    def remove_mounts(self, session_id: str) -> None:
        self._db.execute("DELETE FROM mounts WHERE session_id = ?", (session_id,))

    def remove_mounts_of_context(self, context_id: str) -> None:
        self._db.execute("DELETE FROM mounts WHERE context_id = ?", (context_id,))


def _record(row: tuple[Any, ...]) -> ContextRecord:
    cid, owner, name, state, created, used, size, session, kind = row
    return ContextRecord(
        id=str(cid),
        owner=str(owner),
        name=str(name),
        state=str(state),
        created_at=float(created),
        last_used_at=float(used),
        bytes=int(size),
        session_id=None if session is None else str(session),
        kind=None if kind is None else str(kind),
    )
