"""Helpers shared by the end-to-end tests: one test body for both faces."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from agb import AGB, AsyncAGB, Config
from agb.session_params import CreateSessionParams
from tests.faces import call as call
from tests.faces import collect as collect


def client_for(face: str, api_key: str, endpoint: str, timeout_ms: int = 60_000) -> AGB | AsyncAGB:
    cls = AGB if face == "sync" else AsyncAGB
    return cls(api_key=api_key, cfg=Config(endpoint=endpoint, timeout_ms=timeout_ms))


def unique(prefix: str = "t") -> str:
    """A label value no other test uses, so listings by it see only this test's sessions."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


@asynccontextmanager
async def fresh(agb: AGB | AsyncAGB, params: CreateSessionParams | None = None) -> AsyncIterator[Any]:
    """A new session of `agb`, deleted afterwards unless the test deleted it."""
    created = await call(agb.create(params))
    assert created.success, created.error_message
    session = created.session
    try:
        yield session
    finally:
        await call(session.delete())  # a failed result if the test deleted it already
