"""Every command of ``agb``, its options and its help. Stdlib only: ``agb --help`` imports nothing else."""

from __future__ import annotations

import argparse

from agb import __version__

DESCRIPTION = """\
The AGB command line: see and clean up sessions (sandboxes), run code and shell commands in them, copy files.

Configuration: AGB_API_KEY (or --api-key), AGB_ENDPOINT (or --endpoint; default sdk-api.agb.cloud),
AGB_TIMEOUT_MS (per HTTP request, default 60000). For a local backend: `agb local serve`, then
AGB_ENDPOINT=http://127.0.0.1:8787 AGB_API_KEY=$(cat .agb-local/api-key).
"""

EPILOG = """\
exit status: 0 ok, 1 failure (one line on stderr), 2 usage error, 130 interrupted;
`agb exec` exits with the command's own status. `--json` output is documented in the README.
"""

_LABEL_HELP = "only sessions with this label (repeatable; a session must have them all)"


def _connection(suppress: bool) -> argparse.ArgumentParser:
    """--endpoint/--api-key, accepted before or after the command (the subcommand's copy must not reset a
    value given before it, hence SUPPRESS there)."""
    parent = argparse.ArgumentParser(add_help=False)
    default = argparse.SUPPRESS if suppress else None
    group = parent.add_argument_group("connection")
    group.add_argument(
        "--endpoint", default=default, help="the AGB API (default: AGB_ENDPOINT, else sdk-api.agb.cloud)"
    )
    group.add_argument(
        "--api-key", default=default, help="the API key (default: AGB_API_KEY; an option is visible to `ps`)"
    )
    return parent


def _session_choice(parser: argparse.ArgumentParser) -> None:
    """Where `run` and `exec` work: an existing session, or a new one deleted at the end."""
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--session", metavar="ID", help="run in this existing session (it is left running)")
    where.add_argument(
        "--image", metavar="IMAGE", help="create the session from this image (default: the service's default image)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the session agb created (its id goes to stderr)")


def build_parser() -> argparse.ArgumentParser:
    common = _connection(suppress=True)
    parser = argparse.ArgumentParser(
        prog="agb",
        description=DESCRIPTION,
        epilog=EPILOG,
        parents=[_connection(suppress=False)],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"agb {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    sessions = commands.add_parser("sessions", help="list, inspect, delete, keep alive sessions")
    verbs = sessions.add_subparsers(dest="verb", metavar="VERB", required=True)
    listing = verbs.add_parser(
        "list",
        parents=[common],
        help="list live sessions",
        description="List live sessions: a table (ID, IMAGE, LABELS, STATUS) on a terminal, tab-separated "
        "lines without a header when piped, JSON with --json. The service does not report a session's image: "
        "IMAGE is '-' (null in JSON).",
    )
    listing.add_argument("--label", action="append", metavar="KEY=VALUE", help=_LABEL_HELP)
    listing.add_argument(
        "--json", action="store_true", help='print {"sessions": [{"id", "image", "labels", "status"}]}'
    )
    listing.set_defaults(handler="sessions:list_sessions")

    info = verbs.add_parser("info", parents=[common], help="show one session", description="Show one session.")
    info.add_argument("id", metavar="ID")
    info.add_argument("--json", action="store_true", help="print id, image, labels, status, resource_url as JSON")
    info.set_defaults(handler="sessions:info")

    delete = verbs.add_parser(
        "delete",
        parents=[common],
        help="delete sessions by id or by label",
        description="Delete sessions and wait until each is gone. Deleting by label or several ids asks first "
        "(on a terminal) unless --yes; without a terminal it refuses unless --yes.",
    )
    delete.add_argument("ids", nargs="*", metavar="ID")
    delete.add_argument("--label", action="append", metavar="KEY=VALUE", help="delete every session with these labels")
    delete.add_argument("--yes", "-y", action="store_true", help="do not ask")
    delete.add_argument("--json", action="store_true", help='print {"deleted": [ID...], "failed": [{"id", "error"}]}')
    delete.set_defaults(handler="sessions:delete")

    alive = verbs.add_parser(
        "keep-alive", parents=[common], help="reset a session's idle timer", description="Reset a session's idle timer."
    )
    alive.add_argument("id", metavar="ID")
    alive.set_defaults(handler="sessions:keep_alive")

    run = commands.add_parser(
        "run",
        parents=[common],
        help="run code (a file or stdin) in a session",
        description="Run code in a session: print its stdout and stderr, then its results; rich results "
        "(PNG, JPEG, SVG, HTML) are saved as DIR/result-N.EXT with --out DIR. Exits 1 when the code raised "
        "(its traceback on stderr). Without --session, a new session is created and deleted at the end.",
    )
    run.add_argument("file", metavar="FILE", help="the code to run; - reads stdin")
    run.add_argument(
        "--language",
        "-l",
        help="python, javascript, ... (default: from FILE's extension: .js is javascript, else python)",
    )
    _session_choice(run)
    run.add_argument("--out", metavar="DIR", help="save rich results here (created if missing)")
    run.add_argument("--timeout", type=int, metavar="SECONDS", help="interrupt the code after this long (default 60)")
    run.add_argument("--json", action="store_true", help="print one JSON document instead (see the README)")
    run.set_defaults(handler="run:run")

    execute = commands.add_parser(
        "exec",
        parents=[common],
        help="run a shell command in a session",
        description="Run a shell command (bash -c) in a session; its stdout and stderr are passed through and "
        "its exit status becomes agb's. One word after -- is a command line as is ('ls | wc -l'); several are "
        "quoted word by word. Without --session, a new session is created and deleted at the end.",
    )
    _session_choice(execute)
    execute.add_argument("--cwd", metavar="DIR", help="working directory in the session")
    execute.add_argument("--env", action="append", metavar="KEY=VALUE", help="an environment variable (repeatable)")
    execute.add_argument(
        "--timeout", type=float, metavar="SECONDS", help="kill the command after this long (default 60)"
    )
    execute.add_argument("--json", action="store_true", help="print {session_id, exit_code, stdout, stderr} instead")
    execute.add_argument("command", nargs=argparse.REMAINDER, metavar="-- COMMAND...")
    execute.set_defaults(handler="execute:execute")

    cp = commands.add_parser(
        "cp",
        parents=[common],
        help="copy a file to or from a session",
        description="Copy one file, bytes exact: agb cp LOCAL ID:PATH uploads, agb cp ID:PATH LOCAL downloads. "
        "- is stdin or stdout. A directory destination keeps the file's name. A progress bar shows on a "
        "terminal, none when stderr is piped.",
    )
    cp.add_argument("source", metavar="SOURCE")
    cp.add_argument("destination", metavar="DESTINATION")
    cp.set_defaults(handler="cp:cp")

    local = commands.add_parser("local", help="the local backend (agb_local)")
    local_verbs = local.add_subparsers(dest="verb", metavar="VERB", required=True)
    # Its options are agb-local's own, parsed by agb-local: `agb local serve --help` lists them.
    local_verbs.add_parser(
        "serve", add_help=False, help="run a local AGB backend, as `agb-local serve` (--help lists its options)"
    ).set_defaults(handler="local:serve")
    return parser
