"""The bubblewrap command line for one sandbox, and the check that bubblewrap works here.

How the pieces fit (see README.md for the why):

* As root, bwrap runs privileged (it can bind prefixes under /root, which an unprivileged uid
  cannot even traverse) and unshares every namespace but the user namespace: with a user
  namespace, the sandbox uid would map back to host root.  The command it runs is
  ``setpriv --reuid U --regid U`` to the sandbox's own uid, with no capabilities and no_new_privs.
* Not as root, bwrap runs unprivileged with ``--unshare-all`` and the sandbox keeps our uid.
* The options go through ``--args FD``, so /proc/1/cmdline in the sandbox shows no host paths
  (the command after ``--`` has only sandbox paths); /etc/passwd, group, hosts and hostname are
  synthesized with ``--ro-bind-data``.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
from dataclasses import dataclass, field

from .config import IsolationUnavailable
from .environments import SANDBOX_IMAGES_DIR, SANDBOX_VENV
from .hostenv import AGENT_DIR, SANDBOX_AGENT_PARENT, SANDBOX_RUNTIME_DIR, SYSTEM_PATH, HostRuntime

HOSTNAME = "agb-sandbox"
SANDBOX_HOME = "/home/user"
INSTALL_HINT = "install it with `apt-get install -y bubblewrap`, or pass --isolation none to run without isolation"

# Host /etc pieces programs commonly need (TLS roots, dynamic linker, time zone, name service
# switch, mime types).  Everything else in /etc stays invisible.
ETC_PIECES = (
    "ssl",
    "ca-certificates",
    "ca-certificates.conf",
    "alternatives",
    "ld.so.cache",
    "ld.so.conf",
    "ld.so.conf.d",
    "localtime",
    "timezone",
    "nsswitch.conf",
    "mime.types",
    "protocols",
    "services",
    "bash.bashrc",
    "inputrc",
    "profile",
    "fonts",
    "os-release",
    "debian_version",
    "terminfo",
    "magic",
    "R",  # R's own configuration (R_HOME/etc links here on Debian)
)
# The JDKs' configuration (their conf/ files are links into these): Java cells run on the host's JDK.
ETC_GLOBS = ("java-*-openjdk",)
_ROOT_LINKS = ("bin", "sbin", "lib", "lib32", "lib64", "libx32")
NAMESPACES_PRIVILEGED = ("--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try")


def bwrap_path() -> str | None:
    return shutil.which("bwrap")


def privileged() -> bool:
    return os.geteuid() == 0


def sandbox_env(runtime: HostRuntime, image_env: dict[str, str] | None = None) -> dict[str, str]:
    path = SYSTEM_PATH
    if runtime.venv_bin_sandbox:
        path = f"{runtime.venv_bin_sandbox}:{path}"
    env = {
        "HOME": SANDBOX_HOME,
        "USER": "user",
        "LOGNAME": "user",
        "SHELL": "/bin/bash",
        "PATH": path,
        "LANG": "C.UTF-8",
        "TMPDIR": "/tmp",
        "TERM": "dumb",
        "HOSTNAME": HOSTNAME,
    }
    env.update(image_env or {})
    return env


@dataclass
class _Plan:
    args: list[str] = field(default_factory=list)
    dirs: set[str] = field(default_factory=lambda: {"/"})

    def parents(self, dest: str) -> None:
        # Privileged bwrap creates missing parents mode 0700 (root-only); make them 0755 first.
        parts = dest.strip("/").split("/")[:-1]
        for i in range(1, len(parts) + 1):
            d = "/" + "/".join(parts[:i])
            if d not in self.dirs:
                self.args += ["--perms", "0755", "--dir", d]
                self.dirs.add(d)

    def add(self, option: str, src: str, dest: str) -> None:
        self.parents(dest)
        self.args += [option, src, dest]
        self.dirs.add(dest)


@dataclass
class BwrapCommand:
    args: list[str]  # options, passed with --args FD (bwrap reads only options from there)
    data: dict[str, bytes]  # sandbox path -> contents, each bound with --ro-bind-data FD
    command: list[str]  # what runs inside, after "--" on the real command line


def build(
    runtime: HostRuntime,
    *,
    home: str,
    tmp: str,
    uid: int,
    command: list[str],
    images: str | None = None,
    venv: str | None = None,
) -> BwrapCommand:
    """Arguments for one sandbox.  ``data`` files get their FD numbers filled in by the caller
    (placeholders ``{fd:<path>}`` in ``args``).  ``images`` (the host's image environments, read-only) and
    ``venv`` (the session's writable environment) appear at SANDBOX_IMAGES_DIR and SANDBOX_VENV."""
    p = _Plan()
    p.args += ["--die-with-parent", "--new-session", "--clearenv", "--hostname", HOSTNAME]
    p.args += list(NAMESPACES_PRIVILEGED) if privileged() else ["--unshare-all"]

    p.add("--ro-bind", "/usr", "/usr")
    for name in _ROOT_LINKS:
        host = f"/{name}"
        if os.path.islink(host):
            p.args += ["--symlink", os.readlink(host), host]
        elif os.path.isdir(host):
            p.add("--ro-bind", host, host)

    p.args += ["--perms", "0755", "--dir", "/etc"]
    p.dirs.add("/etc")
    for piece in ETC_PIECES:
        host = f"/etc/{piece}"
        if os.path.exists(host):
            p.args += ["--ro-bind", host, host]
    for pattern in ETC_GLOBS:
        for host in sorted(glob.glob(f"/etc/{pattern}")):
            p.args += ["--ro-bind", host, host]
    data = {
        "/etc/passwd": (
            "root:x:0:0:root:/root:/usr/sbin/nologin\n"
            f"user:x:{uid}:{uid}:sandbox user:{SANDBOX_HOME}:/bin/bash\n"
            "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
        ).encode(),
        "/etc/group": f"root:x:0:\nuser:x:{uid}:\nnogroup:x:65534:\n".encode(),
        "/etc/hosts": f"127.0.0.1\tlocalhost {HOSTNAME}\n::1\tlocalhost ip6-localhost ip6-loopback\n".encode(),
        "/etc/hostname": f"{HOSTNAME}\n".encode(),
        # slirp's DNS forwarder, for sandboxes given egress (network.py); without it, lookups fail at once.
        "/etc/resolv.conf": b"nameserver 10.0.2.3\n",
    }
    for path in data:
        p.args += ["--perms", "0644", "--ro-bind-data", f"{{fd:{path}}}", path]  # default is 0600 root

    p.args += ["--proc", "/proc", "--dev", "/dev"]
    p.args += ["--perms", "1777", "--size", str(256 << 20), "--tmpfs", "/dev/shm"]
    p.add("--bind", home, SANDBOX_HOME)
    p.add("--bind", tmp, "/tmp")
    p.args += ["--perms", "0755", "--dir", "/var", "--symlink", "../tmp", "/var/tmp"]
    p.dirs.add("/var")
    p.parents(SANDBOX_RUNTIME_DIR)
    p.args += ["--perms", "1777", "--size", str(64 << 20), "--tmpfs", SANDBOX_RUNTIME_DIR]
    p.dirs.add(SANDBOX_RUNTIME_DIR)
    # After /tmp and /home/user: a later mount there would hide these (bind order matters).
    for host, target in runtime.binds:
        p.add("--ro-bind", host, target)
    p.add("--ro-bind", str(AGENT_DIR), f"{SANDBOX_AGENT_PARENT}/agent")
    # Every image's environment, whichever this session uses: a warm sandbox does not know its image yet,
    # and environments built after it started appear in it too (a bind shows the directory live).
    if images is not None:
        p.add("--ro-bind", images, SANDBOX_IMAGES_DIR)
    if venv is not None:
        p.add("--bind", venv, SANDBOX_VENV)

    p.args += ["--chdir", SANDBOX_HOME]
    for key, value in sandbox_env(runtime).items():
        p.args += ["--setenv", key, value]
    argv: list[str] = []
    if privileged():
        p.args += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
        argv += [
            "/usr/bin/setpriv",
            f"--reuid={uid}",
            f"--regid={uid}",
            "--clear-groups",
            "--inh-caps=-all",
            "--bounding-set=-all",
            "--no-new-privs",
            "--",
        ]
    return BwrapCommand(p.args, data, argv + command)


def probe() -> None:
    """Raise IsolationUnavailable unless a minimal sandbox starts (and drops to a uid) here."""
    bwrap = bwrap_path()
    if bwrap is None:
        raise IsolationUnavailable(f"bubblewrap (bwrap) is not installed: {INSTALL_HINT}")
    args = [bwrap, "--die-with-parent", "--new-session", "--clearenv"]
    args += list(NAMESPACES_PRIVILEGED) if privileged() else ["--unshare-all"]
    args += ["--ro-bind", "/usr", "/usr"]
    for name in _ROOT_LINKS:
        host = f"/{name}"
        if os.path.islink(host):
            args += ["--symlink", os.readlink(host), host]
        elif os.path.isdir(host):
            args += ["--ro-bind", host, host]
    args += ["--proc", "/proc", "--dev", "/dev"]
    if privileged():
        if not os.path.exists("/usr/bin/setpriv"):
            raise IsolationUnavailable(
                "setpriv (util-linux) is missing, so sandboxes cannot drop to their own uid: "
                "install it with `apt-get install -y util-linux`, or pass --isolation none"
            )
        args += [
            "--cap-add",
            "CAP_SETUID",
            "--cap-add",
            "CAP_SETGID",
            "--",
            "/usr/bin/setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "--inh-caps=-all",
            "--bounding-set=-all",
            "--no-new-privs",
            "--",
        ]
    args += ["/bin/sh", "-c", 'test "$(id -u)" != 0']
    try:
        result = subprocess.run(args, capture_output=True, timeout=20, env={"PATH": "/usr/bin:/bin"})
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise IsolationUnavailable(f"bubblewrap (bwrap) does not run here ({exc}): {INSTALL_HINT}") from exc
    if result.returncode != 0:
        detail = result.stderr.decode(errors="replace").strip() or f"exit status {result.returncode}"
        raise IsolationUnavailable(f"bubblewrap (bwrap) does not work here ({detail}): {INSTALL_HINT}")
