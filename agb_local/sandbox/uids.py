"""Hands out one host uid per running sandbox, so RLIMIT_NPROC and file ownership are per sandbox.

RLIMIT_NPROC counts every process of a uid on the machine, so a uid must not be given to two running
sandboxes of different managers either: every manager (another server, a second manager in the same process,
as tests and embedded servers make) starts from the same ``uid_base`` by default. A uid is therefore reserved
machine-wide with an exclusive ``flock`` on ``<lock_dir>/<uid>`` for as long as its sandbox runs: a lock held
by another manager makes ``acquire`` skip that uid, and the lock goes away with its holder, however it ends.
A uid that owns a process is skipped too: a server that takes no locks (an older one) may be using it, or a
process may have outlived its sandbox.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from pathlib import Path

from . import procs
from .config import SandboxError

# Root-only (uids are switched to only by a server running as root); /run is cleared at boot, as the locks
# should be.
DEFAULT_LOCK_DIR = Path("/run/agb-local/uids")


def default_lock_dir() -> Path:
    """DEFAULT_LOCK_DIR, or a directory in the temporary directory where /run cannot be written."""
    for candidate in (DEFAULT_LOCK_DIR, Path(tempfile.gettempdir()) / f"agb-local-uids-{os.geteuid()}"):
        with contextlib.suppress(OSError):
            candidate.mkdir(mode=0o700, parents=True, exist_ok=True)
            if os.access(candidate, os.W_OK):
                return candidate
    raise SandboxError(f"cannot create a directory for sandbox uid locks ({DEFAULT_LOCK_DIR})")


class UidAllocator:
    def __init__(self, base: int, count: int, lock_dir: Path | None = None) -> None:
        self._base = base
        self._count = count
        self._locks: dict[int, int] = {}  # uid -> the fd holding its lock
        self._next = base
        self._lock_dir = lock_dir

    def owns(self, uid: int) -> bool:
        return self._base <= uid < self._base + self._count

    def acquire(self, preferred: int | None = None) -> int:
        """A uid no running sandbox has, here or in another manager; ``preferred`` (the owner of an existing
        session directory) if free, which spares a recursive chown when a sandbox restarts on its old files."""
        busy = procs.owners()
        if preferred is not None and self.owns(preferred) and preferred not in busy and self._reserve(preferred):
            return preferred
        for _ in range(self._count):
            uid = self._next
            self._next = self._base + (self._next - self._base + 1) % self._count
            if uid not in busy and self._reserve(uid):
                return uid
        raise SandboxError(f"no free sandbox uid left in [{self._base}, {self._base + self._count})")

    def release(self, uid: int) -> None:
        fd = self._locks.pop(uid, None)
        if fd is not None:
            os.close(fd)  # drops the lock

    def close(self) -> None:
        for uid in list(self._locks):
            self.release(uid)

    def _reserve(self, uid: int) -> bool:
        if uid in self._locks:
            return False
        if self._lock_dir is None:
            self._lock_dir = default_lock_dir()
        fd = os.open(self._lock_dir / str(uid), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            # flock locks belong to the open file: a second manager in this process is refused like another
            # process is.
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        except BaseException:
            os.close(fd)
            raise
        self._locks[uid] = fd
        return True
