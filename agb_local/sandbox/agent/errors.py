"""The one exception type tools raise to answer with a tool error (``isError: true``)."""


class ToolError(Exception):
    """A tool failed in a way the caller should see as a tool error; ``str(exc)`` is the text."""
