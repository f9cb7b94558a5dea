"""``agb cp LOCAL ID:PATH`` and ``agb cp ID:PATH LOCAL``: one file, bytes exact; ``-`` is stdin/stdout."""

from __future__ import annotations

import os
import posixpath
import sys
from typing import TYPE_CHECKING

from . import transfer
from .connect import client, open_session
from .errors import USAGE, CliError
from .progress import Progress

if TYPE_CHECKING:
    import argparse


def remote(arg: str) -> tuple[str, str] | None:
    """``ID:PATH`` as (id, path), or None for a local path. As with scp, a colon after a slash is part of a
    local path (``./a:b`` is local)."""
    session_id, sep, path = arg.partition(":")
    if sep and session_id and "/" not in session_id and path:
        return session_id, path
    return None


def _read_local(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror or exc}") from None


def _write_local(path: str, data: bytes) -> None:
    if path == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        with open(path, "wb") as handle:
            handle.write(data)
    except OSError as exc:
        raise CliError(f"cannot write {path}: {exc.strerror or exc}") from None


def cp(args: argparse.Namespace) -> int:
    source, destination = remote(args.source), remote(args.destination)
    if (source is None) == (destination is None):
        raise CliError("one side of agb cp must be ID:PATH (a session's file) and the other a local path", status=USAGE)
    with client(args) as agb:
        if destination is not None:
            session_id, path = destination
            data = _read_local(args.source)  # before any request: a missing local file costs no round trip
            session = open_session(agb, session_id)
            if path.endswith("/") or transfer.is_remote_dir(session, path):
                if args.source == "-":
                    raise CliError(f"{session_id}:{path} is a directory: name the file to write stdin to")
                path = posixpath.join(path, os.path.basename(args.source))
            with Progress(f"{args.source} -> {session_id}:{path}") as progress:
                transfer.upload(session, data, path, progress)
        else:
            assert source is not None
            session_id, path = source
            local = args.destination
            if local != "-" and os.path.isdir(local):
                local = os.path.join(local, posixpath.basename(path.rstrip("/")))
            session = open_session(agb, session_id)
            with Progress(f"{session_id}:{path} -> {local}") as progress:
                data = transfer.download(session, path, progress)
            _write_local(local, data)
    return 0
