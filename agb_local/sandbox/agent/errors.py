"""The one exception type tools raise to answer with a tool error (``isError: true``)."""


class ToolError(Exception):
    """A tool failed in a way the caller should see as a tool error; ``str(exc)`` is the text."""


class Saturated(ToolError):
    """The sandbox's process limit left no room to start what the call needs (nothing ran): the manager
    tries again for a moment, then restarts the sandbox."""
