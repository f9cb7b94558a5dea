"""Bounded collection of command and code output.

Output beyond the limit is counted but not kept, and the kept text ends with one marker line so
the caller can tell that (and how much) was cut: ``\\n[... output truncated: N bytes omitted]``.
"""

from __future__ import annotations

import threading

# What a runner (Node's, JShell's, R's) writes to its stdout and stderr after each cell, so the agent can cut
# the streams per cell.
SENTINEL = b"\x00\x1eAGB-END\x1e\x00"


def split_at_sentinels(data: bytes) -> tuple[list[bytes], bytes, bytes]:
    """``data`` read from a runner's stream (after what was held back last time): the pieces that each end a
    cell's segment, then the text that follows them, then a tail to hold back (a possible start of the
    sentinel split across reads)."""
    ended = []
    while (i := data.find(SENTINEL)) >= 0:
        ended.append(data[:i])
        data = data[i + len(SENTINEL) :]
    hold = 0
    for k in range(min(len(SENTINEL) - 1, len(data)), 0, -1):
        if data.endswith(SENTINEL[:k]):
            hold = k
            break
    return ended, data[: len(data) - hold], data[len(data) - hold :]


def truncation_marker(omitted: int) -> str:
    return f"\n[... output truncated: {omitted} bytes omitted]"


def cut_utf8(data: bytes, limit: int) -> bytes:
    """The longest prefix of ``data`` of at most ``limit`` bytes that does not split a UTF-8 char."""
    if len(data) <= limit:
        return data
    end = limit
    # Step back over continuation bytes (at most 3) so the cut lands on a character start.
    back = 0
    while end > 0 and back < 4 and (data[end] & 0xC0) == 0x80:
        end -= 1
        back += 1
    if back == 4:  # not UTF-8 at all; cut where asked
        end = limit
    return data[:end]


def _ends_mid_char(data: bytes) -> bool:
    """True when ``data`` ends inside a multi-byte UTF-8 sequence."""
    for back in range(1, min(4, len(data)) + 1):
        byte = data[-back]
        if byte & 0xC0 == 0x80:
            continue  # continuation byte: keep looking for the lead byte
        if byte < 0x80:
            return False
        need = 2 if byte >= 0xC0 and byte < 0xE0 else 3 if byte < 0xF0 else 4
        return need > back
    return False


class CappedBytes:
    """Collects a byte stream up to ``limit`` bytes; thread-safe so reader threads can share one."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._chunks: list[bytes] = []
        self._kept = 0
        self.omitted = 0
        self._lock = threading.Lock()

    def add(self, data: bytes) -> None:
        with self._lock:
            room = self._limit - self._kept
            if room >= len(data):
                self._chunks.append(data)
                self._kept += len(data)
                return
            if room > 0:
                self._chunks.append(data[:room])
                self._kept += room
            self.omitted += len(data) - max(room, 0)

    def text(self) -> str:
        with self._lock:
            data = b"".join(self._chunks)
            omitted = self.omitted
        if omitted:
            # The cut at the byte limit may have split a character; drop its partial bytes.
            kept = cut_utf8(data, len(data) - 1) if _ends_mid_char(data) else data
            omitted += len(data) - len(kept)
            return kept.decode("utf-8", errors="replace") + truncation_marker(omitted)
        return data.decode("utf-8", errors="replace")


class CappedTextList:
    """A list of text pieces (stream chunks, as printed) sharing one byte budget."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._used = 0
        self.items: list[str] = []
        self.omitted = 0

    def add(self, text: str) -> None:
        data = text.encode("utf-8", errors="surrogatepass")
        if self.omitted:
            self.omitted += len(data)
            return
        room = self._limit - self._used
        if len(data) <= room:
            self.items.append(text)
            self._used += len(data)
            return
        kept = cut_utf8(data, room)
        if kept:
            self.items.append(kept.decode("utf-8", errors="replace"))
        self._used = self._limit
        self.omitted += len(data) - len(kept)

    def clear(self) -> None:
        self._used = 0
        self.items.clear()
        self.omitted = 0

    def finish(self) -> list[str]:
        if self.omitted:
            return [*self.items, truncation_marker(self.omitted)]
        return list(self.items)
