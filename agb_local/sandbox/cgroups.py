"""Per-sandbox cgroup v1 groups for memory, pids and cpu.

Groups are made under the server's *own* cgroup of each controller
(``/sys/fs/cgroup/<ctrl>/<own path>/agb_local/<name>``; that is ``/sys/fs/cgroup/<ctrl>/agb_local``
when the server runs in the root group), so limits that apply to the server still apply to its
sandboxes, and nothing escapes the accounting of whoever started the server.  The cpu group only
groups: a fork bomb's hundreds of busy processes then share one sandbox's CPU weight instead of
each competing with the server.  For each sandbox to weigh as one process, the parent ``agb_local``
group weighs as many processes as it holds sandboxes (``cpu.shares`` = 1024 per child group): at its
default 1024 all sandboxes together weighed one process, and on a busy machine 64 sandboxes shared
the CPU time of one (a kernel start took 28 s at p50 under the 64-client load).
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

CGROUP_ROOT = Path("/sys/fs/cgroup")
PARENT_NAME = "agb_local"
NAME_PREFIX = "sbx-"
TASK_SHARES = 1024  # cgroup v1 cpu.shares of one nice-0 process
MAX_SHARES = 262_144  # the kernel's limit


def _own_path(controller: str) -> str | None:
    """The server's group in a v1 hierarchy, from /proc/self/cgroup."""
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        parts = line.split(":", 2)
        if len(parts) == 3 and controller in parts[1].split(","):
            return parts[2]
    return None


@dataclass
class CgroupSupport:
    """Which controllers we can use, and where our parent group lives for each."""

    bases: dict[str, Path]

    @classmethod
    def detect(cls, controllers: tuple[str, ...] = ("memory", "pids", "cpu")) -> CgroupSupport:
        bases: dict[str, Path] = {}
        for ctrl in controllers:
            mount = CGROUP_ROOT / ctrl
            own = _own_path(ctrl)
            if own is None or not (mount / "cgroup.procs").exists():
                continue
            base = mount / own.lstrip("/") / PARENT_NAME
            try:
                base.mkdir(exist_ok=True)
                if ctrl == "memory":
                    # v1 needs hierarchical accounting for a parent's limit to cover children.
                    _try_write(base / "memory.use_hierarchy", "1")
            except OSError as exc:
                log.info("cgroup controller %s unusable at %s: %s", ctrl, base, exc)
                continue
            bases[ctrl] = base
        return cls(bases)

    @property
    def memory(self) -> bool:
        return "memory" in self.bases

    @property
    def pids(self) -> bool:
        return "pids" in self.bases

    def remove_stale(self) -> None:
        """Remove empty groups left by a server that died without cleaning up."""
        for base in self.bases.values():
            try:
                children = list(base.iterdir())
            except OSError:
                continue
            for child in children:
                if not (child.is_dir() and child.name.startswith(NAME_PREFIX)):
                    continue
                owner = child.name[len(NAME_PREFIX) :].split("-", 1)[0]
                if owner.isdigit() and os.path.exists(f"/proc/{owner}"):
                    continue  # its server is alive: the group may be about to be joined
                with contextlib.suppress(OSError):
                    child.rmdir()  # fails with EBUSY while a sandbox is still inside

    def create(self, name: str, *, memory_bytes: int, pids_max: int) -> SandboxCgroup:
        group = SandboxCgroup({})
        try:
            for ctrl, base in self.bases.items():
                path = base / name
                path.mkdir()  # never join an existing group: it would belong to someone else
                group.paths[ctrl] = path
            if "memory" in group.paths:
                mem = group.paths["memory"]
                (mem / "memory.limit_in_bytes").write_text(str(memory_bytes))
                # memsw (memory + swap) must be >= the memory limit, so it is set second.
                _try_write(mem / "memory.memsw.limit_in_bytes", str(memory_bytes))
            if "pids" in group.paths:
                (group.paths["pids"] / "pids.max").write_text(str(pids_max))
        except OSError:
            group.remove()
            raise
        self.weigh_sandboxes()
        return group

    def weigh_sandboxes(self) -> None:
        """Give the parent cpu group one process's weight per sandbox group in it (every server using
        this parent counts, so the count is taken from the directory, not kept)."""
        base = self.bases.get("cpu")
        if base is None:
            return
        try:
            n = sum(1 for child in os.scandir(base) if child.name.startswith(NAME_PREFIX) and child.is_dir())
        except OSError:
            return
        _try_write(base / "cpu.shares", str(min(MAX_SHARES, TASK_SHARES * max(1, n))))


def _try_write(path: Path, value: str) -> bool:
    try:
        path.write_text(value)
        return True
    except OSError:
        return False


@dataclass
class SandboxCgroup:
    paths: dict[str, Path]

    def procs_files(self) -> list[str]:
        return [str(p / "cgroup.procs") for p in self.paths.values()]

    def pids(self) -> set[int]:
        found: set[int] = set()
        for path in self.paths.values():
            with contextlib.suppress(OSError, ValueError):
                found.update(int(x) for x in (path / "cgroup.procs").read_text().split())
        return found

    def memory_usage(self) -> int | None:
        path = self.paths.get("memory")
        if path is None:
            return None
        try:
            return int((path / "memory.usage_in_bytes").read_text())
        except (OSError, ValueError):
            return None

    def kill_all(self, timeout_s: float = 2.0) -> None:
        """SIGKILL every process in the group until it is empty."""
        end = time.monotonic() + timeout_s
        while time.monotonic() < end:
            pids = self.pids()
            if not pids:
                return
            for pid in pids:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.005)

    def remove(self) -> None:
        for path in self.paths.values():
            for _ in range(100):
                try:
                    path.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError as exc:
                    if exc.errno != errno.EBUSY:
                        log.warning("cannot remove cgroup %s: %s", path, exc)
                        break
                    time.sleep(0.01)  # killed tasks take a moment to leave the group
