"""What commands print: aligned tables on a terminal, tab-separated lines when piped, and JSON."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from typing import Any, TextIO


def is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # replaced or closed streams
        return False


def labels_text(labels: Mapping[str, str] | None) -> str:
    """Labels as ``k=v,k2=v2`` in key order; ``-`` for none."""
    if not labels:
        return "-"
    return ",".join(f"{key}={labels[key]}" for key in sorted(labels))


def table(header: Sequence[str], rows: Sequence[Sequence[str]], out: TextIO | None = None) -> None:
    """`rows` under `header`, in columns, on a terminal; tab-separated without a header when piped, so
    ``cut -f1`` and ``xargs`` work on it."""
    out = sys.stdout if out is None else out
    if not is_terminal(out):
        for row in rows:
            print("\t".join(row), file=out)
        return
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=False)]
    for row in (header, *rows):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip(), file=out)


def print_json(value: Any, out: TextIO | None = None) -> None:
    """`value` as indented JSON with keys in a fixed order (the order the command built them in)."""
    print(json.dumps(value, indent=2, ensure_ascii=False), file=sys.stdout if out is None else out)


def write_through(stream: TextIO, text: str) -> None:
    """`text` as UTF-8 whatever the locale, unbuffered: what a sandbox printed is passed on as it was."""
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        stream.write(text)
    else:
        stream.flush()
        buffer.write(text.encode("utf-8", "replace"))
        buffer.flush()
    stream.flush()
