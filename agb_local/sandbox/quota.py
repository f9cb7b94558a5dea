"""Disk usage of a session directory, for the periodic quota check."""

from __future__ import annotations

import os
import stat


def directory_usage(path: str, max_entries: int = 2_000_000) -> int:
    """Bytes allocated on disk under ``path`` (st_blocks, so sparse files count what they use).

    Symlinks are not followed; hard links are counted once."""
    total = 0
    seen: set[tuple[int, int]] = set()
    stack = [path]
    entries = 0
    while stack and entries < max_entries:
        current = stack.pop()
        try:
            with os.scandir(current) as it:
                for entry in it:
                    entries += 1
                    try:
                        st = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    if st.st_nlink > 1 and not stat.S_ISDIR(st.st_mode):
                        key = (st.st_dev, st.st_ino)
                        if key in seen:
                            continue
                        seen.add(key)
                    total += st.st_blocks * 512
                    if stat.S_ISDIR(st.st_mode):
                        stack.append(entry.path)
        except OSError:
            continue
    return total
