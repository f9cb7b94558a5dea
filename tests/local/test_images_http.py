"""Images through the HTTP API: a catalogue image whose environment cannot be built refuses sessions with
the package named, while the other images keep working."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from agb_local.embedded import EmbeddedServer, start


@pytest.fixture(scope="module")
def broken_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedServer]:
    root = tmp_path_factory.mktemp("broken-images")
    catalogue = root / "images.toml"
    catalogue.write_text(
        '[images.broken]\nlanguages = ["python"]\npackages = ["agb-no-such-package>=1"]\n'
        '[images.plain]\nlanguages = ["python"]\n'
    )
    (root / "wheels").mkdir()
    # An empty wheelhouse and an images directory of its own: every build fails fast and offline (the default
    # image's too), so "the other images keep working" is shown with the image that needs no build.
    srv = start(pool_size=0, images_file=catalogue, images_dir=root / "images", wheelhouse=root / "wheels")
    yield srv
    srv.stop()


def _create(server: EmbeddedServer, image_id: str) -> httpx.Response:
    with httpx.Client(base_url=server.endpoint, headers={"authorization": f"Bearer {server.api_key}"}) as http:
        return http.post("/mcp/createSession", params={"imageId": image_id}, json={}, timeout=120)


def test_a_broken_image_refuses_sessions_naming_the_package(broken_server: EmbeddedServer, tmp_path: Path) -> None:
    reply = _create(broken_server, "broken")
    assert reply.status_code == 500, reply.text
    message = reply.json()["message"]
    assert "image 'broken' cannot start sessions" in message
    assert "package 'agb-no-such-package>=1': no matching distribution found" in message, message
    # The failure is remembered: the next create fails the same way.
    again = _create(broken_server, "broken")
    assert again.status_code == 500 and again.json()["message"] == message
    assert _create(broken_server, "plain").status_code == 200
