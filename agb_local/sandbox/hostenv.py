"""What the host offers sandboxes: the Python prefixes to bind, the agent code, node, and which
languages can actually run here."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from .environments import Interpreter

AGENT_DIR = Path(__file__).resolve().with_name("agent")
SANDBOX_AGENT_PARENT = "/opt/agb/lib"  # the agent package appears as /opt/agb/lib/agent
SANDBOX_RUNTIME_DIR = "/run/agb"  # tmpfs for kernel sockets and runner scratch
SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# Sandbox paths we own; a host prefix that falls under one of them is bound elsewhere.
_RESERVED = ("/home/user", "/tmp", "/run/agb", "/proc", "/dev", "/opt/agb", "/etc")


def _under(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")


@dataclass(frozen=True)
class HostRuntime:
    binds: tuple[tuple[str, str], ...]  # (host path, sandbox path), read-only
    python_host: str  # interpreter for the agent and kernel, host path
    python_sandbox: str  # the same interpreter as seen inside the sandbox
    venv_bin_sandbox: str | None  # put first on PATH so `python` is the server's interpreter
    base_python_sandbox: str  # the base interpreter (outside any venv) as seen inside: image envs use it
    node: str | None
    java: str | None  # the `java` of a JDK (one with jshell: Java cells run in JShell)
    r: str | None
    languages: tuple[str, ...]  # runtimes present on this machine

    @classmethod
    def detect(cls) -> HostRuntime:
        prefixes: list[str] = []
        for prefix in (sys.base_prefix, sys.prefix):
            real = os.path.realpath(prefix)
            if real not in prefixes:
                prefixes.append(real)
        binds: list[tuple[str, str]] = []
        for n, prefix in enumerate(prefixes):
            if _under(prefix, "/usr"):
                continue  # /usr is bound anyway
            target = prefix
            if any(_under(prefix, r) for r in _RESERVED):
                # e.g. a venv in /tmp: binding it there would hide it under the session's /tmp
                target = f"/opt/agb/prefix{n}"
            binds.append((prefix, target))

        python_host = sys.executable or os.path.join(sys.prefix, "bin", "python3")
        python_sandbox = map_path(python_host, binds)
        venv_bin = None
        if sys.prefix != sys.base_prefix:
            venv_bin = map_path(os.path.join(os.path.realpath(sys.prefix), "bin"), binds)

        base_python_sandbox = map_path(Interpreter.current().executable, binds)

        node = shutil.which("node")
        if node is not None:
            node = os.path.realpath(node)
            if not _under(node, "/usr"):
                node_prefix = os.path.dirname(os.path.dirname(node))
                binds.append((node_prefix, node_prefix))

        java, r = _jdk_java(), _r()
        languages = []
        if importlib.util.find_spec("IPython"):
            languages.append("python")
        if node:
            languages.append("javascript")
        if java:
            languages.append("java")
        if r:
            languages.append("r")
        return cls(
            tuple(binds), python_host, python_sandbox, venv_bin, base_python_sandbox, node, java, r, tuple(languages)
        )


def _jdk_java() -> str | None:
    """The `java` next to `jshell` (a JRE alone has no JShell and no compiler), when it is under /usr (bound
    into every sandbox): Debian's /usr/bin/jshell -> /usr/lib/jvm/<jdk>/bin/jshell."""
    jshell = shutil.which("jshell")
    if jshell is None:
        return None
    java = os.path.join(os.path.dirname(os.path.realpath(jshell)), "java")
    return java if os.access(java, os.X_OK) and _under(java, "/usr") else None


def _r() -> str | None:
    """R's front end, when it is under /usr (bound into every sandbox)."""
    r = shutil.which("R")
    if r is None:
        return None
    r = os.path.realpath(r)
    return r if _under(r, "/usr") else None


def map_path(host_path: str, binds: list[tuple[str, str]]) -> str:
    """Where ``host_path`` appears inside the sandbox, given the prefix binds.

    sys.executable is usually a symlink *path* inside the venv (``.venv/bin/python``); it must
    stay that path, not its resolved target, or Python would not find the venv's pyvenv.cfg."""
    candidates = [host_path]
    # The unresolved path may go through symlinked parents (/tmp -> /private/tmp elsewhere).
    parent_real = os.path.join(os.path.realpath(os.path.dirname(host_path)), os.path.basename(host_path))
    candidates.append(parent_real)
    for candidate in candidates:
        for host, target in sorted(binds, key=lambda b: -len(b[0])):
            if _under(candidate, host):
                return target + candidate[len(host) :]
        if _under(candidate, "/usr"):
            return candidate
    return host_path
