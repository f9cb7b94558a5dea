"""A one-line progress bar on stderr, drawn only when stderr is a terminal (nothing at all when piped)."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from .output import is_terminal

_WIDTH = 30
_REDRAW_S = 0.1  # at most ten redraws a second: a redraw per small chunk would flood a slow terminal


def human(size: int) -> str:
    """`size` bytes as ``512 B``, ``1.5 KiB``, ``3.2 MiB``..."""
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{int(value)} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


class Progress:
    """``update(done)`` as bytes move; ``finish()`` ends the line. Silent unless `stream` is a terminal."""

    def __init__(self, label: str, total: int | None = None, stream: TextIO | None = None) -> None:
        self.stream = sys.stderr if stream is None else stream
        self.enabled = is_terminal(self.stream)
        self.label = label if len(label) <= 40 else "…" + label[-39:]
        self.total = total
        self.done = 0
        self._drawn_at = 0.0

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.finish()

    def update(self, done: int) -> None:
        self.done = done
        now = time.monotonic()
        if self.enabled and (now - self._drawn_at >= _REDRAW_S or done == self.total):
            self._drawn_at = now
            self._draw()

    def finish(self) -> None:
        """End the line (also when the transfer failed, so the error starts on a line of its own)."""
        if self.enabled and self._drawn_at:
            self._draw()
            self.stream.write("\n")
            self.stream.flush()

    def _draw(self) -> None:
        if self.total:
            share = min(self.done / self.total, 1.0)
            filled = int(share * _WIDTH)
            bar = "#" * filled + "-" * (_WIDTH - filled)
            line = f"{self.label} [{bar}] {int(share * 100):3d}% {human(self.done)}/{human(self.total)}"
        else:
            line = f"{self.label} {human(self.done)}"
        self.stream.write("\r" + line + "\x1b[K")  # \x1b[K clears what a longer previous line left
        self.stream.flush()
