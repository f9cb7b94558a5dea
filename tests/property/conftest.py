"""Property tests: against a live agb_local (one embedded server per module that asks for `server`, each
property on an API key of its own), and of the SDK's and the generated client's encoders and parsers.

Every property uses `SETTINGS` (or a copy with other counts): derandomized, so CI runs the same examples
every time, and no deadline, since the live examples make real HTTP calls into real sandboxes.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

from agb import AGB, Config
from agb_local.embedded import EmbeddedServer, start

# Keys the module server accepts besides its own: a property that counts sessions takes one for itself.
KEYS = tuple(f"akm-property-key-{n}-000000000000000000" for n in range(3))

SETTINGS = settings(
    deadline=None,
    derandomize=True,
    database=None,
    max_examples=25,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module")
def server() -> Iterator[EmbeddedServer]:
    srv = start(extra_api_keys=KEYS, pool_size=2, max_sessions_per_key=30)
    yield srv
    srv.stop()


def client(server: EmbeddedServer, key_index: int) -> AGB:
    """A sync client of `server` on the extra key number `key_index`."""
    return AGB(api_key=KEYS[key_index], cfg=Config(endpoint=server.endpoint))
