"""Connecting to a port on a sandbox's own loopback, from the host.

A bubblewrap sandbox has a network namespace of its own with only a loopback in it, so nothing outside can
reach a server listening there, and the sandbox reaches nothing outside. A port link needs the first
without the second: a short-lived thread enters the sandbox's namespace (setns affects only the calling
thread), connects a socket to 127.0.0.1:port there, and ends. The socket stays in the sandbox's namespace,
the server's threads never leave their own, and the sandbox gains no route anywhere.
"""

from __future__ import annotations

import ctypes
import os
import socket
import threading

CLONE_NEWNET = 0x40000000


class PortClosed(Exception):
    """Nothing listens on the port inside the sandbox (or the sandbox is gone)."""


def _connect_in(netns_path: str | None, port: int, timeout_s: float, out: list[object]) -> None:
    try:
        if netns_path is not None:
            libc = ctypes.CDLL(None, use_errno=True)
            fd = os.open(netns_path, os.O_RDONLY | os.O_CLOEXEC)
            try:
                if libc.setns(fd, CLONE_NEWNET) != 0:
                    err = ctypes.get_errno()
                    raise OSError(err, f"setns into the sandbox's network failed: {os.strerror(err)}")
            finally:
                os.close(fd)
        sock = socket.create_connection(("127.0.0.1", port), timeout=timeout_s)
        sock.settimeout(None)
        out.append(sock)
    except BaseException as exc:  # handed to the caller's thread
        out.append(exc)


def connect(netns_pid: int | None, port: int, timeout_s: float = 5.0) -> socket.socket:
    """A socket connected to 127.0.0.1:``port`` in the network namespace of ``netns_pid`` (the host's own
    when None: a sandbox without isolation). Blocking; run it off the event loop."""
    path = f"/proc/{netns_pid}/ns/net" if netns_pid is not None else None
    out: list[object] = []
    thread = threading.Thread(target=_connect_in, args=(path, port, timeout_s, out), name="agb-netns", daemon=True)
    thread.start()
    thread.join()
    result = out[0] if out else PortClosed("the connection thread failed")
    if isinstance(result, socket.socket):
        return result
    if isinstance(result, (ConnectionRefusedError, FileNotFoundError, ProcessLookupError)):
        raise PortClosed(f"nothing listens on port {port} in the session") from result
    if isinstance(result, BaseException):
        raise result
    raise PortClosed(f"nothing listens on port {port} in the session")
