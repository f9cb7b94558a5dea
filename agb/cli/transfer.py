"""Moving bytes between this machine and a session: the one place ``agb cp`` does I/O with the service.

Today this uses the SDK's file tools: uploads go in pieces of ``PIECE`` bytes (``file.write`` with
``mode="append"`` after the first), which is what lets the progress bar move; downloads are one
``file.read(format="bytes")`` (the SDK reads in 50 KiB requests but reports nothing until the end, so the
bar jumps from 0 to 100 %). A faster path (direct upload/download) replaces the bodies of ``upload`` and
``download`` and nothing else: their callers pass bytes and a ``Progress``, and get bytes back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .connect import check
from .errors import CliError

if TYPE_CHECKING:
    from agb import Session

    from .progress import Progress

# Large enough that the SDK's per-piece overhead (for bytes that are not UTF-8, one staging shell call) is
# small, small enough that the bar moves every second or so.
PIECE = 1024 * 1024


def _cut(data: bytes, end: int) -> int:
    """`end`, moved back (at most 3 bytes) to a UTF-8 character start, so pieces of a UTF-8 file stay valid
    UTF-8 and travel as text (bytes that are not UTF-8 cost the SDK a base64 detour)."""
    if end >= len(data):
        return len(data)
    for back in range(4):
        if data[end - back] & 0xC0 != 0x80:
            return end - back
    return end


def upload(session: Session, data: bytes, path: str, progress: Progress) -> None:
    """Write `data` to `path` in the session, replacing the file."""
    progress.total = len(data)
    offset, mode = 0, "overwrite"
    while True:
        end = _cut(data, offset + PIECE)
        check(session.file.write(path, data[offset:end], mode=mode), session.session_id)
        offset, mode = end, "append"
        progress.update(offset)
        if offset >= len(data):
            return


def remote_size(session: Session, path: str) -> int | None:
    """The size of the file at `path`; None when it does not exist. A directory is an error."""
    described = session.file.info(path)
    if not described.success:
        return None
    info = described.file_info
    if info.get("isDirectory") is True:
        raise CliError(f"{session.session_id}:{path} is a directory; agb cp copies single files")
    size = info.get("size")
    return size if isinstance(size, int) and not isinstance(size, bool) else None


def is_remote_dir(session: Session, path: str) -> bool:
    described = session.file.info(path)
    return described.success and described.file_info.get("isDirectory") is True


def download(session: Session, path: str, progress: Progress) -> bytes:
    """The bytes of the file at `path` in the session."""
    progress.total = remote_size(session, path)
    progress.update(0)
    read = session.file.read(path, format="bytes")
    check(read, session.session_id)
    data = read.content if isinstance(read.content, bytes) else read.content.encode("utf-8")  # bytes asked
    progress.update(len(data))
    return data
