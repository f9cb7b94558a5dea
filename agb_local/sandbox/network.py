"""Egress for the sandboxes of images that allow it (``network = "egress"``), with the host kept out.

Every sandbox has its own network namespace with only a loopback.  For an egress image, slirp4netns (user-mode
networking: the sandbox's packets become ordinary sockets of the slirp4netns process on the host) is attached
to that namespace when the sandbox is configured, before any call of the session runs:

* ``--disable-host-loopback``: the slirp gateway (10.0.2.2) does not lead to the host's 127.0.0.1;
* inside the namespace, ``prohibit`` routes cover every address of the host's interfaces, the gateway, and the
  private, link-local (cloud metadata) and shared ranges, so the host's own services and its neighbours stay
  unreachable whatever they listen on; only 10.0.2.3 (slirp's DNS forwarder) is left in the slirp subnet.
  The sandbox user has no capabilities in the namespace, so it cannot change the routes;
* slirp4netns runs with its own sandbox and seccomp filter, and exits when the server does (``--exit-fd``).

IPv6 is not enabled: the namespace has no IPv6 route out.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import os
import shutil
import subprocess
from dataclasses import dataclass

from .config import SandboxError

TAP = "tap0"
GATEWAY = "10.0.2.2"  # slirp's host side; DNS is 10.0.2.3
BLOCKED_RANGES = (
    "0.0.0.0/8",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "198.18.0.0/15",
    "224.0.0.0/3",
)
INSTALL_HINT = "install it with `apt-get install -y slirp4netns` (tools/setup.sh does where apt can reach Debian)"
READY_TIMEOUT_S = 10.0


def available() -> str | None:
    """Why egress cannot work here, or None when it can."""
    if shutil.which("slirp4netns") is None:
        return f"slirp4netns is not installed: {INSTALL_HINT}"
    if shutil.which("nsenter") is None or shutil.which("ip") is None:
        return "nsenter (util-linux) and ip (iproute2) are needed to configure a sandbox's routes"
    if os.geteuid() != 0:
        return "egress needs the server to run as root (it configures the sandbox's network namespace)"
    return None


def host_addresses() -> list[str]:
    """Every IPv4 address of the host's interfaces (a sandbox must reach none of them)."""
    out = subprocess.run(["ip", "-j", "-4", "addr", "show"], capture_output=True, text=True, check=False).stdout
    addresses = []
    for link in json.loads(out or "[]"):
        for info in link.get("addr_info", []):
            if info.get("local"):
                addresses.append(str(info["local"]))
    return addresses


def blocked_routes() -> list[str]:
    routes = list(BLOCKED_RANGES) + [f"{a}/32" for a in host_addresses()] + [f"{GATEWAY}/32"]
    # A host address inside a blocked range needs no route of its own; 127/8 is the sandbox's own loopback.
    return [r for r in dict.fromkeys(routes) if not ipaddress.ip_network(r, strict=False).is_loopback]


@dataclass
class Egress:
    proc: asyncio.subprocess.Process
    exit_fd: int  # slirp4netns exits when this (our end of a pipe) is closed, e.g. when the server dies

    async def close(self) -> None:
        if self.exit_fd >= 0:
            with contextlib.suppress(OSError):
                os.close(self.exit_fd)
            self.exit_fd = -1
        with contextlib.suppress(ProcessLookupError):
            self.proc.kill()
        await self.proc.wait()


def sandbox_init_pid(bwrap_pid: int) -> int:
    """The first process inside the sandbox's namespaces: the outer bwrap's child."""
    try:
        with open(f"/proc/{bwrap_pid}/task/{bwrap_pid}/children") as fh:
            children = fh.read().split()
    except OSError as exc:
        raise SandboxError(f"cannot find the sandbox's namespace: {exc}") from exc
    if not children:
        raise SandboxError("cannot find the sandbox's namespace: bubblewrap has no child")
    return int(children[0])


async def attach(bwrap_pid: int) -> Egress:
    """Give the sandbox of ``bwrap_pid`` egress to the internet, without the host.  Raises SandboxError."""
    problem = available()
    if problem is not None:
        raise SandboxError(f"this image allows network egress, but {problem}")
    pid = sandbox_init_pid(bwrap_pid)
    ready_r, ready_w = os.pipe()
    exit_r, exit_w = os.pipe()
    os.set_inheritable(exit_w, False)
    try:
        proc = await asyncio.create_subprocess_exec(
            "slirp4netns",
            "--configure",
            "--mtu=65520",
            "--disable-host-loopback",
            "--enable-sandbox",
            "--enable-seccomp",
            f"--ready-fd={ready_w}",
            f"--exit-fd={exit_r}",
            str(pid),
            TAP,
            pass_fds=(ready_w, exit_r),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as exc:
        for fd in (ready_r, ready_w, exit_r, exit_w):
            os.close(fd)
        raise SandboxError(f"slirp4netns did not start: {exc}") from exc
    os.close(ready_w)
    os.close(exit_r)
    egress = Egress(proc, exit_w)
    try:
        ready = await asyncio.wait_for(asyncio.to_thread(os.read, ready_r, 1), READY_TIMEOUT_S)
        if ready != b"1":
            raise SandboxError(f"slirp4netns could not configure the sandbox's network (exit status {proc.returncode})")
        script = "".join(f"route add prohibit {route}\n" for route in blocked_routes())
        routes = await asyncio.create_subprocess_exec(
            "nsenter",
            f"--net=/proc/{pid}/ns/net",
            "--",
            "ip",
            "-batch",
            "-",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        _, err = await routes.communicate(script.encode())
        if routes.returncode != 0:
            raise SandboxError(f"cannot keep the host out of the sandbox's network: {err.decode().strip()}")
    except BaseException:
        await egress.close()
        raise
    finally:
        os.close(ready_r)
    return egress
