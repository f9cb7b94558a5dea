"""`agb-local serve`: run a local AGB backend; `agb-local images list|build`: the image environments."""

from __future__ import annotations

import argparse
import logging
import os
import sqlite3
import sys
from pathlib import Path

from .config import ServerConfig
from .sandbox.config import SandboxConfig

# The flags' defaults are the config's: one definition of each.
_DEFAULT = ServerConfig(SandboxConfig(data_dir=Path(".")))

log = logging.getLogger("agb_local")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="agb-local", description="A local AGB backend with real sandboxes.")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the AGB API over HTTP")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8787)
    _add_data_options(serve)
    serve.add_argument(
        "--api-key",
        action="append",
        default=[],
        dest="api_keys",
        help="an accepted API key (repeatable); default: AGB_LOCAL_API_KEYS (comma-separated), "
        "else a key generated once and kept in DATA_DIR/api-key",
    )
    serve.add_argument(
        "--isolation",
        choices=["bwrap", "none"],
        default=_DEFAULT.sandbox.isolation,
        help="bwrap (default): one bubblewrap sandbox per session; none: no isolation at all",
    )
    serve.add_argument(
        "--idle-timeout",
        type=int,
        default=_DEFAULT.idle_timeout_s,
        help="seconds of inactivity before a session is released, unless it set its own",
    )
    serve.add_argument("--max-sessions-per-key", type=int, default=_DEFAULT.max_sessions_per_key)
    serve.add_argument(
        "--pool-size", type=int, default=_DEFAULT.sandbox.pool_size, help="warm sandboxes kept ready for fast creates"
    )
    serve.add_argument("--memory-limit-mb", type=int, default=_DEFAULT.sandbox.memory_limit_mb, help="per sandbox")
    serve.add_argument("--pids-limit", type=int, default=_DEFAULT.sandbox.pids_limit, help="processes per sandbox")
    serve.add_argument("--disk-limit-mb", type=int, default=_DEFAULT.sandbox.disk_limit_mb, help="per sandbox")
    serve.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])

    images = sub.add_parser("images", help="the image catalogue and its Python environments")
    images_sub = images.add_subparsers(dest="images_command", required=True)
    listing = images_sub.add_parser("list", help="every image: its packages and whether its environment is built")
    _add_data_options(listing)
    build = images_sub.add_parser("build", help="build image environments now (default: every image's)")
    build.add_argument("ids", nargs="*", metavar="ID", help="image ids (default: all)")
    _add_data_options(build)
    return parser


def _add_data_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=Path(os.environ.get("AGB_LOCAL_DATA_DIR", ".agb-local")),
        help="sessions, their files and the registry live here (default .agb-local)",
    )
    parser.add_argument("--images", type=Path, help="a TOML file of extra images (see agb_local/sandbox/images.toml)")
    parser.add_argument(
        "--images-dir",
        type=Path,
        help="where image environments are built and cached (default: $AGB_LOCAL_IMAGES_DIR, else DATA_DIR/images)",
    )
    parser.add_argument(
        "--wheelhouse",
        type=Path,
        help="build image environments from the wheels in this directory only, without the package index",
    )


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "images":
        from .image_cli import run_images_command

        return run_images_command(args)
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from .registry import SchemaTooNew
    from .sandbox import IsolationUnavailable
    from .server import bind, persistent_api_key, uvicorn_config

    data_dir = args.data_dir.resolve()
    keys = list(args.api_keys) or [k for k in os.environ.get("AGB_LOCAL_API_KEYS", "").split(",") if k]
    generated = not keys
    if generated:
        keys = [persistent_api_key(data_dir)]
    sandbox = SandboxConfig(
        data_dir=data_dir,
        isolation=args.isolation,
        pool_size=args.pool_size,
        memory_limit_mb=args.memory_limit_mb,
        pids_limit=args.pids_limit,
        disk_limit_mb=args.disk_limit_mb,
    )
    config = ServerConfig(
        sandbox,
        api_keys=tuple(keys),
        idle_timeout_s=args.idle_timeout,
        max_sessions_per_key=args.max_sessions_per_key,
        images_file=args.images,
        images_dir=args.images_dir,
        wheelhouse=args.wheelhouse,
    )
    import uvicorn

    from .app import create_app

    try:
        app = create_app(config)
    except (IsolationUnavailable, SchemaTooNew) as exc:
        print(f"agb-local: {exc}", file=sys.stderr)
        return 2
    except sqlite3.Error as exc:  # most often a full disk: SQLite cannot even open its write-ahead log
        print(
            f"agb-local: cannot open the session registry {config.registry_path}: {exc}. "
            f"Is the disk under {data_dir} full? Free some space and start again; sessions and files are kept.",
            file=sys.stderr,
        )
        return 2
    sock = bind(args.host, args.port)
    host, port = sock.getsockname()[:2]
    print(f"agb-local: serving the AGB API on http://{host}:{port} (data in {data_dir})", flush=True)
    # The key itself is never printed or logged: output like this ends up in CI logs and terminals.
    key_hint = f"$(cat {data_dir / 'api-key'})" if generated else "<one of your --api-key values>"
    print(f"agb-local: connect with AGB_ENDPOINT=http://{host}:{port} AGB_API_KEY={key_hint}", flush=True)
    uvicorn.Server(uvicorn_config(app, log_level=args.log_level)).run(sockets=[sock])
    return 0


if __name__ == "__main__":
    sys.exit(main())
