"""The SDK client from the command line's options and the environment, and the sessions commands work in."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeVar

from .errors import USAGE, CliError, from_sdk

if TYPE_CHECKING:
    import argparse

    from agb import AGB, Session
    from agb.results import ApiResult

T = TypeVar("T")

# Sessions `run` and `exec` create carry this label, so leaked ones are easy to find and remove:
# `agb sessions delete --label created-by=agb-cli`.
CREATED_BY = {"created-by": "agb-cli"}

NO_KEY = (
    "no API key: set AGB_API_KEY (export AGB_API_KEY=...) or pass --api-key KEY; for a local backend run "
    "`agb local serve` and use AGB_ENDPOINT=http://127.0.0.1:8787 AGB_API_KEY=$(cat .agb-local/api-key)"
)


def client(args: argparse.Namespace) -> AGB:
    """An ``AGB`` from ``--api-key``/``--endpoint``, else ``AGB_API_KEY``/``AGB_ENDPOINT``/``AGB_TIMEOUT_MS``."""
    from agb import AGB, AGBError, Config

    key = (getattr(args, "api_key", None) or os.environ.get("AGB_API_KEY", "")).strip()
    if not key:
        raise CliError(NO_KEY)
    try:
        cfg = Config.from_env()
        endpoint = getattr(args, "endpoint", None)
        if endpoint:
            cfg = replace(cfg, endpoint=endpoint)
        return AGB(api_key=key, cfg=cfg)
    except AGBError as exc:
        raise from_sdk(exc) from None


def check(result: ApiResult[Any], session_id: str = "") -> None:
    """Nothing when the call succeeded; else the CLI failure for its error."""
    if not result.success:
        from agb import AGBError

        raise from_sdk(result.error or AGBError(result.error_message or "the call failed"), session_id)


def unwrap(result: ApiResult[T], session_id: str = "") -> T:
    """The result's payload, or the CLI failure for its error."""
    check(result, session_id)
    return result.unwrap()


def open_session(agb: AGB, session_id: str) -> Session:
    """The live session `session_id`; an unknown one fails naming it."""
    if not session_id.strip():
        raise CliError("the session id is empty")
    session: Session = unwrap(agb.get(session_id), session_id)
    return session


@contextmanager
def working_session(agb: AGB, args: argparse.Namespace) -> Iterator[Session]:
    """``--session ID`` as it is, or a new session of ``--image`` deleted at the end unless ``--keep``.

    The new session is deleted on any exit, Ctrl-C included: a sandbox left running is what people
    complain about most.
    """
    from agb import CreateSessionParams

    if args.session:
        yield open_session(agb, args.session)
        return
    session: Session = unwrap(agb.create(CreateSessionParams(labels=dict(CREATED_BY), image_id=args.image)))
    try:
        yield session
    finally:
        if args.keep:
            print(f"agb: kept session {session.session_id}", file=sys.stderr)
        else:
            deleted = session.delete()
            if not deleted.success:
                print(f"agb: could not delete session {session.session_id}: {deleted.error_message}", file=sys.stderr)


def pairs(items: list[str] | None, what: str) -> dict[str, str]:
    """``K=V`` arguments as a dict; one without ``=`` or with an empty key is a usage error."""
    out: dict[str, str] = {}
    for item in items or ():
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise CliError(f"{what} must look like KEY=VALUE, got {item!r}", status=USAGE)
        out[key] = value
    return out
