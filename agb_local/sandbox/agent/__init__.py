"""The in-sandbox agent.

This package runs *inside* a sandbox as a long-lived process that serves tool calls sent as
JSON lines on its stdin and answers on its stdout (see ``server.py``).  It is bound read-only into
the sandbox as a top-level package, so its modules import each other only relatively and import
nothing but the standard library (each language's runtime is a process of its own: IPython's shell for
Python runs in ``py_runner.py``, which the agent never imports).  Keeping it that small keeps an idle sandbox
small.
"""
