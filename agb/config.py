"""Client configuration: endpoint, timeout and API key, from arguments or the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass

from .errors import AuthenticationError, InvalidParameterError

__all__ = ["DEFAULT_ENDPOINT", "DEFAULT_TIMEOUT_MS", "Config"]

DEFAULT_ENDPOINT = "sdk-api.agb.cloud"
DEFAULT_TIMEOUT_MS = 60_000


@dataclass(frozen=True)
class Config:
    """Where the AGB API is and how long one HTTP request may take.

    ``endpoint`` without a scheme means ``https://``; an explicit ``http://`` is honoured (the local backend).
    ``timeout_ms`` bounds each HTTP request; tool calls get their own tool timeout plus a margin on top.
    A ``Config`` you pass is used as is; without one, ``AGB_ENDPOINT`` and ``AGB_TIMEOUT_MS`` override the
    defaults.
    """

    endpoint: str = DEFAULT_ENDPOINT
    timeout_ms: int = DEFAULT_TIMEOUT_MS

    @classmethod
    def from_env(cls) -> Config:
        """The defaults, overridden by ``AGB_ENDPOINT`` and ``AGB_TIMEOUT_MS`` where set."""
        endpoint = os.environ.get("AGB_ENDPOINT", "").strip() or DEFAULT_ENDPOINT
        raw = os.environ.get("AGB_TIMEOUT_MS", "").strip()
        if not raw:
            return cls(endpoint=endpoint)
        try:
            timeout_ms = int(raw)
        except ValueError:
            raise InvalidParameterError(f"AGB_TIMEOUT_MS must be a whole number of milliseconds, got {raw!r}") from None
        return cls(endpoint=endpoint, timeout_ms=timeout_ms)


def base_url(endpoint: str) -> str:
    """The base URL for `endpoint`: ``https://`` when no scheme is given, no trailing slash."""
    if not isinstance(endpoint, str) or not endpoint.strip():
        raise InvalidParameterError("the endpoint is empty; pass Config(endpoint=...) or set AGB_ENDPOINT")
    url = endpoint.strip().rstrip("/")
    if "?" in url or "#" in url:  # the operations' paths are appended to it
        raise InvalidParameterError(f"the endpoint must have no query or fragment, got {endpoint!r}")
    scheme, sep, rest = url.partition("://")
    if not sep:
        return "https://" + url
    if scheme.lower() not in ("http", "https") or not rest:
        raise InvalidParameterError(f"the endpoint must be a host name or an http(s) URL, got {endpoint!r}")
    return url


def timeout_seconds(timeout_ms: object) -> float:
    """`timeout_ms` checked and converted to seconds."""
    if isinstance(timeout_ms, bool) or not isinstance(timeout_ms, int) or timeout_ms <= 0:
        raise InvalidParameterError(f"timeout_ms must be a positive whole number of milliseconds, got {timeout_ms!r}")
    return timeout_ms / 1000


def resolve_api_key(api_key: object) -> str:
    """The explicit key, else ``AGB_API_KEY``; raises ``AuthenticationError`` when there is none."""
    if not isinstance(api_key, str):
        raise AuthenticationError(f"api_key must be a string, got {type(api_key).__name__}")
    key = api_key.strip() or os.environ.get("AGB_API_KEY", "").strip()
    if not key:
        raise AuthenticationError(
            "no API key: pass AGB(api_key=...), set the AGB_API_KEY environment variable, "
            "or use AGB.local() to run against the local backend"
        )
    return key


def mask(secret: str) -> str:
    """A form of `secret` safe to show: its last four characters at most, and only for long keys."""
    return "****" + secret[-4:] if len(secret) >= 16 else "****"
