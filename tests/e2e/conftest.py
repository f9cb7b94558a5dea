"""A live agb_local per test module, and SDK clients of both faces talking to it over real HTTP.

Every test that takes `agb` (or `session`) runs twice: against `AGB`, then `AsyncAGB`. Test bodies are
written once as coroutines and pass each call through `call()` (helpers.py), which awaits what the async
face returns and passes the sync face's results through. The modules mark their tests with a module-scoped
event loop, so one `AsyncAGB` (and its connection pool) serves a whole module.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
import pytest_asyncio

from agb import AGB, AsyncAGB
from agb.session_params import CreateSessionParams
from agb_local.embedded import EmbeddedServer, start

from .helpers import call, client_for

# A second key the server accepts: its sessions are another tenant's.
OTHER_KEY = "akm-e2e-other-tenant-000000000000000"


@pytest.fixture(scope="module")
def server() -> Iterator[EmbeddedServer]:
    srv = start(extra_api_keys=(OTHER_KEY,), pool_size=2, max_sessions_per_key=60)
    yield srv
    srv.stop()


@pytest.fixture(scope="module", params=["sync", "async"])
def face(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def agb(server: EmbeddedServer, face: str) -> AsyncIterator[AGB | AsyncAGB]:
    client = client_for(face, server.api_key, server.endpoint)
    yield client
    await call(client.close())


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def other(server: EmbeddedServer, face: str) -> AsyncIterator[AGB | AsyncAGB]:
    """A client of the same server with another tenant's key."""
    client = client_for(face, OTHER_KEY, server.endpoint)
    yield client
    await call(client.close())


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def session(agb: AGB | AsyncAGB) -> AsyncIterator[Any]:
    """One session per module and face, for tests that only need a sandbox to work in."""
    created = await call(agb.create(CreateSessionParams(labels={"suite": "e2e"})))
    assert created.success, created.error_message
    yield created.session
    deleted = await call(created.session.delete())
    assert deleted.success, deleted.error_message
