"""``agb``: the command line of the SDK (sessions, run, exec, cp, local serve).

Kept apart from the SDK proper: ``import agb`` never imports this package, and this package imports the
SDK (and through it httpx) only once a command needs a client, so ``agb --help`` costs an interpreter start
and argparse. Module map: ``parser`` (every command and its help), ``main`` (dispatch and exit codes),
``connect`` (the client from options and environment), ``errors`` (one-line failures), ``output`` (tables
and JSON), ``sessions``, ``run``, ``execute``, ``cp`` with ``transfer`` and ``progress``, ``local``.
"""

from .main import main

__all__ = ["main"]
