"""How the command line fails: one line on stderr and an exit status.

Exit statuses: 0 success; 1 a failure (the service refused, a session is unknown, the code raised, a file
could not be read); 2 a usage error (argparse's own); 130 interrupted. ``agb exec`` exits with the command's
own status instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agb import AGBError

FAILURE = 1
USAGE = 2
INTERRUPTED = 130


class CliError(Exception):
    """A failure to report as ``agb: <message>`` with exit status `status`."""

    def __init__(self, message: str, status: int = FAILURE) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def one_line(text: str) -> str:
    """`text` on one line: a message that spans lines would read as several errors."""
    return " ".join(text.split())


def from_sdk(error: AGBError, session_id: str = "") -> CliError:
    """The CLI failure for an SDK error; an unknown session is named by its id, whatever the message says."""
    from agb import SessionNotFoundError, SessionReleasingError

    message = one_line(error.message) or type(error).__name__
    if isinstance(error, SessionNotFoundError) and not isinstance(error, SessionReleasingError) and session_id:
        # The SDK's message names the operation and HTTP details; a person wants the id and the likely causes.
        message = f"session {session_id} not found (released, expired, or another API key's)"
    elif isinstance(error, SessionNotFoundError) and session_id and session_id not in message:
        message = f"session {session_id}: {message}"
    return CliError(message)
