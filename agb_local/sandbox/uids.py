"""Hands out one host uid per running sandbox, so RLIMIT_NPROC and file ownership are per sandbox."""

from __future__ import annotations

from .config import SandboxError


class UidAllocator:
    def __init__(self, base: int, count: int) -> None:
        self._base = base
        self._count = count
        self._used: set[int] = set()
        self._next = base

    def owns(self, uid: int) -> bool:
        return self._base <= uid < self._base + self._count

    def acquire(self, preferred: int | None = None) -> int:
        """A free uid; ``preferred`` (the owner of an existing session directory) if free, which
        spares a recursive chown when a sandbox restarts on its old files."""
        if preferred is not None and self.owns(preferred) and preferred not in self._used:
            self._used.add(preferred)
            return preferred
        for _ in range(self._count):
            uid = self._next
            self._next = self._base + (self._next - self._base + 1) % self._count
            if uid not in self._used:
                self._used.add(uid)
                return uid
        raise SandboxError(f"no free sandbox uid left in [{self._base}, {self._base + self._count})")

    def release(self, uid: int) -> None:
        self._used.discard(uid)
