"""Network by choice: no network by default; an image with network = "egress" reaches the internet (the
package index) through slirp4netns, and never the host's own services, whatever they listen on."""

from __future__ import annotations

import asyncio
import ipaddress
import json
import os
import ssl
import subprocess
import urllib.request
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest
import pytest_asyncio

from agb_local.sandbox import SandboxManager, network

from .helpers import IMAGE, new_id, py, sh

pytestmark = pytest.mark.asyncio(loop_scope="session")

EGRESS_PROBLEM = network.available()
needs_egress = pytest.mark.skipif(EGRESS_PROBLEM is not None, reason=f"egress unavailable: {EGRESS_PROBLEM}")
EGRESS_IMAGE = replace(IMAGE, id="egress-test", network="egress")
PROBE = """
import socket
for host, port in {targets!r}:
    try:
        socket.create_connection((host, port), 3).close()
        print(host, port, "CONNECTED")
    except OSError as exc:
        print(host, port, "failed", exc.errno)
"""


def _host_ipv6_addresses() -> list[str]:
    out = subprocess.run(["ip", "-j", "-6", "addr", "show"], capture_output=True, text=True, check=False).stdout
    found = [str(a["local"]) for link in json.loads(out or "[]") for a in link.get("addr_info", []) if "local" in a]
    return [a for a in found if not ipaddress.ip_address(a).is_loopback and not ipaddress.ip_address(a).is_link_local]


def _index_problem() -> str | None:
    try:
        context = ssl.create_default_context(cafile=os.environ.get("PIP_CERT") or None)
        urllib.request.urlopen("https://pypi.org/simple/six/", timeout=15, context=context).close()
    except OSError as exc:
        return f"the package index is unreachable from this machine: {exc}"
    return None


async def test_no_network_by_default(manager: SandboxManager, session: str) -> None:
    assert IMAGE.network == "none"
    result = await py(manager, session, PROBE.format(targets=[("1.1.1.1", 443), ("10.0.2.2", 80)]))
    assert "".join(result["stdout"]) == "1.1.1.1 443 failed 101\n10.0.2.2 80 failed 101\n"  # ENETUNREACH
    lookup = await sh(manager, session, "python -c 'import socket; socket.getaddrinfo(\"pypi.org\", 443)' 2>&1")
    assert "gaierror" in lookup["stdout"], lookup


@pytest_asyncio.fixture(loop_scope="session")
async def egress(manager: SandboxManager) -> AsyncIterator[str]:
    if EGRESS_PROBLEM is not None:
        pytest.skip(f"egress unavailable: {EGRESS_PROBLEM}")
    sid = new_id("net")
    await manager.create(sid, EGRESS_IMAGE)
    yield sid
    await manager.destroy(sid)


@needs_egress
async def test_egress_installs_from_the_index(manager: SandboxManager, egress: str) -> None:
    problem = await asyncio.to_thread(_index_problem)
    if problem is not None:
        pytest.skip(problem)
    installed = await sh(manager, egress, "pip install --no-cache-dir six 2>&1", timeout_ms=180_000)
    assert installed["exit_code"] == 0, installed
    result = await py(manager, egress, "import six; six.__file__")
    assert result["result"][0]["text/plain"].startswith("'/opt/agb/venv/")


@needs_egress
async def test_egress_never_reaches_the_host(manager: SandboxManager, egress: str) -> None:
    accepted: list[str] = []

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        accepted.append(str(writer.get_extra_info("peername")))
        writer.close()

    # Listening on every host address, as a careless service would.
    server = await asyncio.start_server(handler, None, 0)  # None: every IPv4 and IPv6 address
    port = server.sockets[0].getsockname()[1]
    try:
        hosts = [*network.host_addresses(), network.GATEWAY, "10.0.2.3", "169.254.169.254", "172.17.0.1"]
        hosts += _host_ipv6_addresses()  # the namespace has no IPv6 route out at all
        targets = [(host, port) for host in hosts]
        result = await py(manager, egress, PROBE.format(targets=targets), timeout_s=60)
        lines = "".join(result["stdout"]).splitlines()
        assert len(lines) == len(targets) and all(" failed " in line for line in lines), lines
        # The routes that keep the host out cannot be removed from inside.
        removed = await sh(manager, egress, "ip route del prohibit 10.0.0.0/8 2>&1; ip route | grep -c prohibit")
        assert "Operation not permitted" in removed["stdout"], removed
    finally:
        server.close()
        await server.wait_closed()
    assert accepted == []


@needs_egress
async def test_slirp4netns_goes_with_its_sandbox(manager: SandboxManager) -> None:
    sid = new_id("net")
    await manager.create(sid, EGRESS_IMAGE)
    egress = manager._sessions[sid].egress
    assert egress is not None and egress.proc.returncode is None
    await manager.destroy(sid)
    assert egress.proc.returncode is not None
