"""A live agb_local for the command-line tests, and `agb` run as the installed command against it.

The tests drive the console script in a subprocess, as people do. They use the SDK only to set up and check
state (create labelled sessions, read files back) where going through `agb` would test `agb` with itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from agb import AGB, Config
from agb_local.embedded import EmbeddedServer, start

from .runner import Ran, environment, run

# A second key the server accepts: its sessions are another tenant's.
OTHER_KEY = "akm-cli-other-tenant-0000000000000000"


@pytest.fixture(scope="package")
def server() -> Iterator[EmbeddedServer]:
    srv = start(pool_size=2, max_sessions_per_key=60, extra_api_keys=(OTHER_KEY,))
    yield srv
    srv.stop()


@pytest.fixture(scope="package")
def env(server: EmbeddedServer) -> dict[str, str]:
    """The environment `agb` runs in: this server's endpoint and key, nothing else of AGB_*."""
    return environment(server.endpoint, server.api_key)


@pytest.fixture
def agb(env: dict[str, str]) -> Callable[..., Ran]:
    """``agb(*args, stdin=b"")``: run the installed command against the test server."""

    def invoke(*args: str, stdin: bytes = b"", extra_env: dict[str, str] | None = None) -> Ran:
        return run(list(args), {**env, **(extra_env or {})}, stdin=stdin)

    return invoke


@pytest.fixture(scope="package")
def sdk(server: EmbeddedServer) -> Iterator[AGB]:
    with AGB(api_key=server.api_key, cfg=Config(endpoint=server.endpoint)) as client:
        yield client


@pytest.fixture(scope="package")
def session_id(sdk: AGB) -> Iterator[str]:
    """One session the tests that need an existing sandbox share."""
    session = sdk.create().unwrap()
    yield session.session_id
    session.delete()
