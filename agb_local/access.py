"""Session tokens, port-link tokens and the identity fields of a session, all derived from one secret.

A session's token (`data.token`, sent back as `X-Access-Token` on the LinkUrl route and the WebSocket) is
`<session id>.<MAC>`, the MAC keyed by a secret kept in the data directory and bound to the session and the
key that owns it: the token names its session, survives a restart, cannot be made for another session or
key, and needs no registry column. A port link's secret path segment is made the same way, bound to the
port too. `appInstanceId` and `resourceId` are stable functions of the session id.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
from collections.abc import Mapping
from contextvars import ContextVar
from pathlib import Path
from typing import Any
from urllib.parse import quote

SECRET_FILE = "session-secret"
_MAC_CHARS = 32

# The scheme and authority the current request reached us at (`http://127.0.0.1:8787`): the URLs a reply
# hands out (wsUrl, linkUrl, links) point back where the client already connects.
current_base_url: ContextVar[str] = ContextVar("agb_local_base_url", default="http://127.0.0.1")


def base_url_of(scope: Mapping[str, Any]) -> str:
    """`http(s)://host[:port]` of an ASGI HTTP or WebSocket scope, from its Host header."""
    secure = scope.get("scheme") in ("https", "wss")
    host = ""
    for name, value in scope.get("headers", []):
        if name == b"host":
            host = value.decode("latin-1")
            break
    if not host or any(c in host for c in "/?#@\\ "):
        server = scope.get("server")
        if isinstance(server, (tuple, list)) and len(server) == 2:
            h, p = server
            host = f"[{h}]:{p}" if ":" in str(h) else f"{h}:{p}"
        else:
            host = "127.0.0.1"
    return f"{'https' if secure else 'http'}://{host}"


def load_secret(data_dir: Path) -> bytes:
    """The data directory's secret, made on first use (0600, written atomically)."""
    path = data_dir / SECRET_FILE
    with contextlib.suppress(FileNotFoundError):
        secret = path.read_bytes()
        if len(secret) >= 32:
            return secret
    data_dir.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_bytes(32)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(secret)
    os.replace(tmp, path)
    return path.read_bytes()


class Access:
    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def _mac(self, *parts: str) -> str:
        message = "\x00".join(parts).encode("utf-8")
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()[:_MAC_CHARS]

    # -- session tokens ------------------------------------------------------------------------------

    def session_token(self, owner: str, session_id: str) -> str:
        return f"{session_id}.{self._mac('session-token', owner, session_id)}"

    @staticmethod
    def token_session(token: str) -> str | None:
        """The session a token names (not yet verified), or None for what is no token of ours."""
        session_id, dot, mac = token.rpartition(".")
        return session_id if dot and session_id and len(mac) == _MAC_CHARS else None

    def token_valid(self, token: str, owner: str, session_id: str) -> bool:
        return hmac.compare_digest(token.encode(), self.session_token(owner, session_id).encode())

    # -- port links -----------------------------------------------------------------------------------

    def link_token(self, owner: str, session_id: str, port: int) -> str:
        return f"{session_id}.{port}.{self._mac('port-link', owner, session_id, str(port))}"

    @staticmethod
    def link_parts(token: str) -> tuple[str, int] | None:
        """The session and port a link token names (not yet verified)."""
        head, dot, mac = token.rpartition(".")
        session_id, dot2, port = head.rpartition(".")
        if not (dot and dot2 and session_id and port.isdigit() and len(mac) == _MAC_CHARS):
            return None
        return session_id, int(port)

    def link_valid(self, token: str, owner: str, session_id: str, port: int) -> bool:
        return hmac.compare_digest(token.encode(), self.link_token(owner, session_id, port).encode())

    # -- identity ------------------------------------------------------------------------------------

    @staticmethod
    def resource_id(session_id: str) -> str:
        return "p-" + hashlib.sha256(session_id.encode()).hexdigest()[:16]

    @staticmethod
    def app_instance_id(session_id: str) -> str:
        return "ai-" + hashlib.sha256(session_id.encode()).hexdigest()[:16]

    @classmethod
    def resource_url(cls, base: str, session_id: str) -> str:
        # The cloud's live-view URL carries a fresh auth code on every call and the resource id.
        code = secrets.token_urlsafe(12)
        return f"{base}/resource?authcode={code}&resourceId={quote(cls.resource_id(session_id))}&resourceType=local"
