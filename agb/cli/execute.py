"""``agb exec [--session ID | --image IMAGE] [--cwd DIR] [--env K=V] -- COMMAND...``: run a shell command;
its stdout and stderr are passed through and its exit status becomes agb's."""

from __future__ import annotations

import shlex
import sys
from typing import TYPE_CHECKING, Any

from .connect import client, pairs, working_session
from .errors import USAGE, CliError, from_sdk
from .output import print_json, write_through

if TYPE_CHECKING:
    import argparse


def command_line(words: list[str]) -> str:
    """One word is a shell command line as is (``agb exec -- 'ls | wc -l'``); several are quoted one by one,
    so ``agb exec -- touch 'a b'`` makes one file."""
    if words and words[0] == "--":
        words = words[1:]
    if not words:
        raise CliError("no command: agb exec [options] -- COMMAND [ARG...]", status=USAGE)
    return words[0] if len(words) == 1 else shlex.join(words)


def execute(args: argparse.Namespace) -> int:
    command = command_line(args.command)
    envs = pairs(args.env, "--env")
    options: dict[str, Any] = {"cwd": args.cwd, "envs": envs or None}
    if args.timeout is not None:
        options["timeout_ms"] = int(args.timeout * 1000)
    with client(args) as agb, working_session(agb, args) as session:
        result = session.command.execute(command, **options)
        session_id = session.session_id
    if result.exit_code is None and not result.success:
        raise from_sdk(result.error, session_id) if result.error else CliError(result.error_message)
    status = result.exit_code if result.exit_code is not None else 0
    if args.json:
        print_json({"session_id": session_id, "exit_code": status, "stdout": result.stdout, "stderr": result.stderr})
    else:
        write_through(sys.stdout, result.stdout)
        write_through(sys.stderr, result.stderr)
    # A status a shell cannot report (negative, or past 255) still means failure.
    return status if 0 <= status <= 255 else 1
