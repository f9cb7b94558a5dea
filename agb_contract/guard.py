"""The network guard: a run talks to the backend under test and nowhere else.

Two layers: every HTTP request made with `requests` (schemathesis' and ours) is checked against the backend's
origin, redirects included; and the command line installs a process-wide audit hook that refuses IP connections
to any other address, for whatever does not go through `requests`.
"""

from __future__ import annotations

import contextlib
import socket
import sys
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import requests
import requests.adapters


class OffTargetRequest(RuntimeError):
    """A request to anywhere but the backend under test."""


def origin_of(url: str) -> tuple[str, str, int]:
    parts = urlsplit(url)
    scheme = (parts.scheme or "").lower()
    port = parts.port or {"http": 80, "https": 443}.get(scheme, 0)
    return scheme, (parts.hostname or "").lower(), port


@contextlib.contextmanager
def only_traffic_to(base_url: str) -> Iterator[None]:
    """Refuse every HTTP request (schemathesis' and ours, all on `requests`) to another origin, redirects too."""
    allowed = origin_of(base_url)
    original = requests.adapters.HTTPAdapter.send

    def guarded_send(
        self: requests.adapters.HTTPAdapter, request: requests.PreparedRequest, *args: Any, **kwargs: Any
    ) -> requests.Response:
        if origin_of(request.url or "") != allowed:
            raise OffTargetRequest(f"refused a request to {request.url}: this run may only talk to {base_url}")
        return original(self, request, *args, **kwargs)

    requests.adapters.HTTPAdapter.send = guarded_send  # type: ignore[method-assign]
    try:
        yield
    finally:
        requests.adapters.HTTPAdapter.send = original  # type: ignore[method-assign]


def install_socket_guard(base_url: str) -> None:
    """Process-wide and irreversible (an audit hook): IP connections only to the addresses of URL's host."""
    _, host, port = origin_of(base_url)

    def resolve() -> set[tuple[str, int]]:
        try:
            return {
                (str(info[4][0]), int(info[4][1])) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            }
        except OSError:
            return set()

    allowed = resolve()

    def hook(event: str, args: tuple[Any, ...]) -> None:
        nonlocal allowed
        if event != "socket.connect":
            return
        sock, address = args
        if getattr(sock, "family", None) not in (socket.AF_INET, socket.AF_INET6):
            return  # unix sockets (e.g. an embedded server's own plumbing) are not network traffic
        target = (address[0], address[1])
        if target not in allowed:
            allowed = allowed | resolve()  # DNS may have rotated
            if target not in allowed:
                raise OffTargetRequest(f"refused a connection to {target[0]}:{target[1]}: only {base_url} is allowed")

    sys.addaudithook(hook)
