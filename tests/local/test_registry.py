"""The registry survives upgrades: old data dirs open with every session intact, newer ones are refused.

`data-dir-v0/` is a data dir written by the registry as it was before its schema had a version (see its
README.md); it is copied before each use, so the committed file never changes.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from agb_local import registry
from agb_local.embedded import start
from agb_local.registry import DELETING, RUNNING, SCHEMA_VERSION, Registry, SchemaTooNew, SessionRecord, owner_of

FIXTURE = Path(__file__).parent / "data-dir-v0"
KEY_A = "akm-fixture-key-a-000000000000000000"
KEY_B = "akm-fixture-key-b-000000000000000000"
A, B = owner_of(KEY_A), owner_of(KEY_B)


def record(sid: str, owner: str, labels: dict[str, str], created: float, **other: Any) -> SessionRecord:
    values: dict[str, Any] = {"image_id": "code_latest", "status": RUNNING, "policy_id": None, "idle_timeout": 300}
    values.update(other)
    return SessionRecord(sid, owner, labels=labels, created_at=created, last_used_at=created + 10, **values)


# Everything the fixture holds, as its maker wrote it.
FIXTURE_RECORDS = [
    record("s-018f00000001a1a1a1a1a1a1", A, {"project": "demo", "env": "prod"}, 1717000000.25),
    record(
        "s-018f00000002a2a2a2a2a2a2",
        A,
        {"ünïcode ✓": 'värde "quoted" 日本', "project": "other"},
        1717000001.5,
        image_id="agb-code-space-1",
        policy_id="policy-7",
        idle_timeout=1200,
    ),
    record("s-018f00000003a3a3a3a3a3a3", A, {"relabelled": "yes"}, 1717000002.0, idle_timeout=60),
    record("s-018f00000004b4b4b4b4b4b4", B, {"project": "demo"}, 1717000003.0),
    record("s-018f00000005a5a5a5a5a5a5", A, {"project": "demo"}, 1717000004.0, status=DELETING),
]


@pytest.fixture
def old_data_dir(tmp_path: Path) -> Path:
    data_dir = tmp_path / "data"
    shutil.copytree(FIXTURE, data_dir, ignore=shutil.ignore_patterns("*.md"))
    return data_dir


def user_version(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return int(db.execute("PRAGMA user_version").fetchone()[0])


def test_the_fixture_is_unversioned() -> None:
    assert user_version(FIXTURE / "registry.sqlite3") == 0


def test_a_new_registry_is_at_the_current_version(tmp_path: Path) -> None:
    Registry(tmp_path / "registry.sqlite3").close()
    assert user_version(tmp_path / "registry.sqlite3") == SCHEMA_VERSION >= 1


def test_a_data_dir_of_the_unversioned_code_opens_intact(old_data_dir: Path) -> None:
    path = old_data_dir / "registry.sqlite3"
    reg = Registry(path)
    try:
        assert list(reg.all()) == FIXTURE_RECORDS
        assert [r.id for r in reg.live_of(A)] == [r.id for r in FIXTURE_RECORDS[:3]]
        assert reg.count_live(B) == 1
    finally:
        reg.close()
    assert user_version(path) == SCHEMA_VERSION
    reg = Registry(path)  # and opens again, already migrated
    try:
        assert list(reg.all()) == FIXTURE_RECORDS
    finally:
        reg.close()


def test_a_server_on_an_old_data_dir_serves_its_sessions(old_data_dir: Path) -> None:
    server = start(old_data_dir, KEY_A, extra_api_keys=(KEY_B,), pool_size=0)
    try:
        with (
            httpx.Client(base_url=server.endpoint, headers={"authorization": f"Bearer {KEY_A}"}, timeout=60) as a,
            httpx.Client(base_url=server.endpoint, headers={"authorization": f"Bearer {KEY_B}"}, timeout=60) as b,
        ):

            def listed(client: httpx.Client, labels: str | None = None) -> list[str]:
                params = {"maxResults": 50, **({"labels": labels} if labels else {})}
                r = client.get("/sdk/ListSession", params=params)
                assert r.status_code == 200, r.text
                return [s["sessionId"] for s in r.json()["data"]]

            # The interrupted release (DELETING) is finished at start; every live session stays its owner's.
            assert listed(a) == [r.id for r in FIXTURE_RECORDS[:3]]
            assert listed(a, '{"project": "demo"}') == [FIXTURE_RECORDS[0].id]
            assert listed(b) == [FIXTURE_RECORDS[3].id]
            for expected in FIXTURE_RECORDS[:3]:
                r = a.get("/sdk/GetLabel", params={"sessionId": expected.id})
                assert r.status_code == 200, r.text
                assert json.loads(r.json()["data"]["labels"]) == expected.labels
            assert b.get("/sdk/GetLabel", params={"sessionId": FIXTURE_RECORDS[0].id}).status_code == 404
    finally:
        server.stop()


def newer_registry(path: Path) -> None:
    Registry(path).close()
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")


def test_a_newer_registry_is_refused_naming_both_versions(tmp_path: Path) -> None:
    path = tmp_path / "registry.sqlite3"
    newer_registry(path)
    with pytest.raises(SchemaTooNew) as caught:
        Registry(path)
    message = str(caught.value)
    assert f"schema version {SCHEMA_VERSION + 1}" in message and f"version {SCHEMA_VERSION} that" in message
    assert str(path) in message
    assert user_version(path) == SCHEMA_VERSION + 1  # left as it was


def test_agb_local_serve_refuses_a_newer_data_dir(tmp_path: Path) -> None:
    newer_registry(tmp_path / "registry.sqlite3")
    run = subprocess.run(
        [sys.executable, "-m", "agb_local", "serve", "--data-dir", str(tmp_path), "--api-key", KEY_A, "--port", "0"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2, run.stderr
    assert f"schema version {SCHEMA_VERSION + 1}, newer than version {SCHEMA_VERSION}" in run.stderr
    assert "Traceback" not in run.stderr


def test_migrations_run_in_order_each_all_or_nothing(old_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A later step that adds a column: a failing step leaves the file at the version before it, and once a
    step succeeds, reads and writes go on by column name."""
    path = old_data_dir / "registry.sqlite3"
    broken = ("ALTER TABLE sessions ADD COLUMN note TEXT NOT NULL DEFAULT ''", "SELECT no_such_function()")
    monkeypatch.setattr(registry, "MIGRATIONS", (*registry.MIGRATIONS, broken))
    monkeypatch.setattr(registry, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(sqlite3.OperationalError, match="no_such_function"):
        Registry(path)
    assert user_version(path) == SCHEMA_VERSION  # the first step stays done, the broken one left no trace
    with sqlite3.connect(path) as db:
        assert "note" not in [row[1] for row in db.execute("PRAGMA table_info(sessions)")]

    monkeypatch.setattr(registry, "MIGRATIONS", (*registry.MIGRATIONS[:-1], broken[:1]))
    reg = Registry(path)
    try:
        assert user_version(path) == SCHEMA_VERSION + 1
        assert list(reg.all()) == FIXTURE_RECORDS
        new = SessionRecord("s-018f00000009c9c9c9c9c9c9", B, "code_latest", {"k": "v"}, RUNNING, None, 5, 1.0, 2.0)
        reg.add(new)
        assert reg.get(new.id) == new
    finally:
        reg.close()
