"""``get_file_change``: what changed under a path since the previous call for that path.

There is no inotify across the sandbox boundary we could rely on, so this polls: each call takes a
snapshot (path -> type, size, mtime) and diffs it with the previous one.  The first call for a path
only records the baseline and returns ``[]``.
"""

from __future__ import annotations

import json
import os
import stat
import threading
from typing import Any

from . import args as A
from .context import AgentContext
from .files import os_errors

MAX_ENTRIES = 50_000

Snapshot = dict[str, tuple[bool, int, int]]  # real path -> (is_dir, size, mtime_ns)


class ChangeWatcher:
    def __init__(self) -> None:
        self._snapshots: dict[str, Snapshot] = {}
        self._lock = threading.Lock()

    def _snapshot(self, root: str) -> Snapshot:
        snap: Snapshot = {}
        st = os.lstat(root)
        if not stat.S_ISDIR(st.st_mode):
            snap[root] = (False, st.st_size, st.st_mtime_ns)
            return snap
        stack = [root]
        while stack and len(snap) < MAX_ENTRIES:
            directory = stack.pop()
            try:
                with os.scandir(directory) as it:
                    for entry in it:
                        try:
                            est = entry.stat(follow_symlinks=False)
                        except OSError:
                            continue
                        is_dir = stat.S_ISDIR(est.st_mode)
                        snap[entry.path] = (is_dir, est.st_size, est.st_mtime_ns)
                        if is_dir:
                            stack.append(entry.path)
            except OSError:
                continue
        return snap

    def changes(self, ctx: AgentContext, args: dict[str, Any]) -> str:
        path = A.get_str(args, "path")
        assert path is not None
        real = ctx.real(path)
        with os_errors(path):
            current = self._snapshot(real)
        with self._lock:
            previous = self._snapshots.get(real)
            self._snapshots[real] = current
        if previous is None:
            return "[]"
        events: list[dict[str, str]] = []

        def event(kind: str, p: str, is_dir: bool) -> None:
            events.append({"eventType": kind, "path": ctx.display(p), "pathType": "directory" if is_dir else "file"})

        for p in sorted(current.keys() | previous.keys()):
            now, before = current.get(p), previous.get(p)
            if before is None and now is not None:
                event("create", p, now[0])
            elif now is None and before is not None:
                event("delete", p, before[0])
            elif now is not None and before is not None:
                if now[0] != before[0]:
                    event("delete", p, before[0])
                    event("create", p, now[0])
                elif not now[0] and now[1:] != before[1:]:
                    # Directory mtimes change whenever a child does; only files report "modify".
                    event("modify", p, False)
        return json.dumps(events, ensure_ascii=False)
