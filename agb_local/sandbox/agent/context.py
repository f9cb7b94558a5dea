"""What the agent knows about its sandbox: where home and tmp are, the environment for user
processes, the languages on offer and the output limit; and how tool paths map to real paths."""

from __future__ import annotations

import os
import posixpath
import threading
from typing import Any

from .errors import ToolError

VIRTUAL_HOME = "/home/user"
VIRTUAL_TMP = "/tmp"


class AgentContext:
    """Plain attributes (no dataclass: `dataclasses` imports `inspect` and `ast`, a megabyte and a half of
    every idle sandbox's memory)."""

    def __init__(
        self,
        *,
        mode: str,  # "bwrap": we live inside the container; "none": a plain process on the host
        home: str,  # real path of /home/user
        tmp: str,  # real path of /tmp
        runtime_dir: str,  # private scratch for kernel sockets and node runner state
        python: str,  # interpreter that runs the Python kernel (py_runner.py)
        node: str | None,
        output_limit: int,
        read_limit: int,
        base_env: dict[str, str],
        kernel_rlimit_as: int | None = None,
        image_id: str = "",
        languages: list[str] | None = None,
        image_env: dict[str, str] | None = None,
        java: str | None = None,
        r: str | None = None,
    ) -> None:
        self.mode = mode
        self.home = home
        self.tmp = tmp
        self.runtime_dir = runtime_dir
        self.python = python
        self.node = node
        self.java = java  # the JDK's `java`, whose JShell runs Java cells
        self.r = r  # `R`
        self.output_limit = output_limit
        self.read_limit = read_limit
        self.base_env = base_env
        self.kernel_rlimit_as = kernel_rlimit_as
        self.image_id = image_id
        self.languages = list(languages or [])
        self.image_env = dict(image_env or {})
        self.lock = threading.Lock()

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AgentContext:
        return cls(
            mode=data["mode"],
            home=data["home"],
            tmp=data["tmp"],
            runtime_dir=data["runtime_dir"],
            python=data["python"],
            node=data.get("node"),
            java=data.get("java"),
            r=data.get("r"),
            output_limit=int(data["output_limit"]),
            read_limit=int(data["read_limit"]),
            base_env=dict(data["base_env"]),
            kernel_rlimit_as=data.get("kernel_rlimit_as"),
            languages=list(data.get("languages", [])),
        )

    def configure(self, image_id: str, languages: list[str], env: dict[str, str], python: str | None = None) -> None:
        """``python``: the interpreter of the image's environment, when it has one (else the agent's)."""
        with self.lock:
            self.image_id = image_id
            self.languages = list(languages)
            self.image_env = dict(env)
            if python is not None:
                self.python = python

    def relocate(self, home: str, tmp: str, base_env: dict[str, str]) -> None:
        with self.lock:
            self.home, self.tmp = home, tmp
            if base_env:
                self.base_env = base_env
        os.chdir(home)

    def user_env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        """Environment for user processes: base, then the image's, then the call's."""
        with self.lock:
            env = {**self.base_env, **self.image_env}
        if extra:
            env.update(extra)
        return env

    # -- paths -------------------------------------------------------------------------------

    @property
    def contained(self) -> bool:
        """True when the OS (bubblewrap) confines paths; False when we must check them."""
        return self.mode == "bwrap"

    def virtual(self, path: str) -> str:
        """The absolute path as the user sees it (relative paths are relative to /home/user)."""
        if not path:
            raise ToolError("Invalid path: empty string")
        if "\x00" in path:
            raise ToolError("Invalid path: contains a NUL byte")
        if not path.startswith("/"):
            path = posixpath.join(VIRTUAL_HOME, path)
        return path

    def real(self, path: str) -> str:
        """Map a tool path to the path the agent opens.

        Inside bubblewrap this is the path itself: the container is the boundary, so ``..`` and
        symlinks resolve within the sandbox's own view.  Without isolation the path is mapped
        into the session directory and refused if it resolves (through ``..`` or symlinks)
        anywhere else.
        """
        vpath = self.virtual(path)
        if self.contained:
            return vpath
        norm = posixpath.normpath(vpath)
        if norm == VIRTUAL_HOME or norm.startswith(VIRTUAL_HOME + "/"):
            host = self.home + norm[len(VIRTUAL_HOME) :]
        elif norm == VIRTUAL_TMP or norm.startswith(VIRTUAL_TMP + "/"):
            host = self.tmp + norm[len(VIRTUAL_TMP) :]
        else:
            raise ToolError(f"Access denied: {path} is outside the sandbox (only /home/user and /tmp exist)")
        resolved = os.path.realpath(host)
        if not self._inside_roots(resolved):
            raise ToolError(f"Access denied: {path} resolves outside the sandbox")
        return host

    def _inside_roots(self, resolved: str) -> bool:
        for root in (os.path.realpath(self.home), os.path.realpath(self.tmp)):
            if resolved == root or resolved.startswith(root + "/"):
                return True
        return False

    def display(self, real_path: str) -> str:
        """The user-visible path for a real path produced by the agent (search, watch)."""
        if self.contained:
            return real_path
        for root, vroot in ((self.home, VIRTUAL_HOME), (self.tmp, VIRTUAL_TMP)):
            if real_path == root or real_path.startswith(root + "/"):
                return vroot + real_path[len(root) :]
        return real_path

    def real_cwd(self, cwd: str | None) -> str:
        return self.real(cwd) if cwd else self.home
