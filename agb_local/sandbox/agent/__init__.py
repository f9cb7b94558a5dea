"""The in-sandbox agent.

This package runs *inside* a sandbox as a long-lived process that serves tool calls sent as
JSON lines on its stdin and answers on its stdout (see ``server.py``).  It is bound read-only into
the sandbox as a top-level package, so its modules import each other only relatively and import
nothing but the standard library at start-up (``zmq``, for the Jupyter kernel, is imported on the first
Python ``run_code`` or kernel start ahead).  Keeping it that small keeps an idle sandbox small.
"""
