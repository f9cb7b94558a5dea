"""``agb``'s entry point: parse, run the command's handler, turn failures into one line and an exit status."""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable

from .errors import FAILURE, INTERRUPTED, CliError, one_line
from .parser import build_parser


def _handler(name: str) -> Callable[..., int]:
    """``module:function`` of this package, imported only when its command runs (the SDK, and httpx with
    it, load on the first command that needs a client, never for ``--help``)."""
    module, _, function = name.partition(":")
    handler: Callable[..., int] = getattr(importlib.import_module(f".{module}", __package__), function)
    return handler


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    is_serve = args.handler == "local:serve"
    if extra and not is_serve:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        return _handler(args.handler)(extra) if is_serve else _handler(args.handler)(args)
    except CliError as exc:
        print(f"agb: {one_line(exc.message)}", file=sys.stderr)
        return exc.status
    except KeyboardInterrupt:
        print("agb: interrupted", file=sys.stderr)
        return INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`agb sessions list | head -1`): not an error worth a message. Point stdout at
        # /dev/null so the interpreter's last flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return FAILURE
    except OSError as exc:  # local I/O the commands do not handle themselves: a full disk under stdout...
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"agb: {one_line(exc.strerror or str(exc))}{where}", file=sys.stderr)
        return FAILURE
    except Exception as exc:  # anything else is a bug of ours or the SDK's: still one line, never a traceback
        from agb import AGBError

        if isinstance(exc, AGBError):
            print(f"agb: {one_line(exc.message)}", file=sys.stderr)
        else:
            print(f"agb: unexpected {type(exc).__name__}: {one_line(str(exc))}", file=sys.stderr)
        return FAILURE


if __name__ == "__main__":
    sys.exit(main())
