"""Image environments: the Python virtual environment of each image, built once and shared read-only.

An image that lists ``packages`` runs its kernel and ``python`` in a virtual environment holding those
packages plus the kernel's own (``KERNEL_PACKAGES``).  The environment is content-addressed: its directory
name is a hash of the package list, the kernel packages and the interpreter (version, path, machine), so
two images with the same list share one build, and a changed list or a new Python gets a new one.

Layout, under the images directory (``DATA_DIR/images`` by default):

* ``<key>/``: the finished environment (a venv, with ``agb-image.json`` written last);
* ``.build-<key>-<pid>/``: a build in progress, renamed to ``<key>`` when it succeeds;
* ``.locks/<key>.lock``: held while building, so servers sharing the directory build each key once;
* ``.logs/<key>.log``: pip's output of the last build of that key.

The directory is bound read-only at ``/opt/agb/images`` in every sandbox; a sandbox's writable
per-session environment (``/opt/agb/venv``, see agent/pyenv.py) puts the image's site-packages on its path.
A venv is not relocatable as pip writes it (script shebangs name its path), so the build rewrites the
scripts to find their interpreter next to themselves.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

log = logging.getLogger(__name__)

# What the in-sandbox Python runner needs besides the image's own packages (agent/py_runner.py is IPython's
# shell; matplotlib-inline, its figures' inline backend, comes with IPython).
KERNEL_PACKAGES = ("ipython>=8.18,<10",)
FORMAT = 1  # bump when the layout of a built environment changes: old builds are then not reused
MANIFEST = "agb-image.json"
SANDBOX_IMAGES_DIR = "/opt/agb/images"  # where the images directory appears inside a sandbox
SANDBOX_VENV = "/opt/agb/venv"  # the session's writable environment inside a sandbox
# A script's first lines after the rewrite: sh runs it and execs the python beside it, Python reads the
# same two lines as a string expression.  (pip writes the same trick, with an absolute path, for long paths.)
_TRAMPOLINE = "#!/bin/sh\n'''exec' \"$(dirname -- \"$0\")/python\" \"$0\" \"$@\"\n' '''\n"

IMAGES_DIR_VARIABLE = "AGB_LOCAL_IMAGES_DIR"  # shares one cache among servers (tests, embedded servers)

Progress = Callable[[str], None]


def images_dir_for(data_dir: Path, configured: Path | None = None) -> Path:
    """Where a server's image environments live: the configured directory, else $AGB_LOCAL_IMAGES_DIR,
    else DATA_DIR/images."""
    if configured is not None:
        return Path(configured).resolve()
    return Path(os.environ.get(IMAGES_DIR_VARIABLE) or Path(data_dir) / "images").resolve()


class BuildFailed(Exception):
    """An environment could not be built; the message names the package and the reason."""


@dataclass(frozen=True)
class Interpreter:
    """The base Python that environments are made from (the server's own, outside any venv)."""

    executable: str  # host path, resolved
    version: str  # "3.11.7"

    @property
    def tag(self) -> str:  # "python3.11": the directory name under lib/
        return "python" + ".".join(self.version.split(".")[:2])

    @classmethod
    def current(cls) -> Interpreter:
        major, minor = sys.version_info[:2]
        candidate = os.path.join(sys.base_prefix, "bin", f"python{major}.{minor}")
        if not os.path.exists(candidate):
            candidate = sys.executable
        return cls(os.path.realpath(candidate), platform.python_version())


def normalized(packages: tuple[str, ...]) -> list[str]:
    """The package list as the key sees it: order and repeated spaces do not matter."""
    return sorted({" ".join(p.split()) for p in packages})


def environment_key(packages: tuple[str, ...], interpreter: Interpreter) -> str:
    doc = {
        "format": FORMAT,
        "packages": normalized(packages),
        "kernel": list(KERNEL_PACKAGES),
        "python": interpreter.version,
        "executable": interpreter.executable,
        "machine": platform.machine(),
    }
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()[:20]


@dataclass(frozen=True)
class Environment:
    """A finished environment: ``root`` is its directory as some viewer sees it (host or sandbox)."""

    key: str
    root: str
    tag: str

    @property
    def site_packages(self) -> str:
        return f"{self.root}/lib/{self.tag}/site-packages"

    @property
    def bin(self) -> str:
        return f"{self.root}/bin"

    def seen_from(self, images_dir: str) -> Environment:
        return Environment(self.key, f"{images_dir}/{self.key}", self.tag)


def built(images_dir: Path, key: str) -> bool:
    return (images_dir / key / MANIFEST).is_file()


def manifest(images_dir: Path, key: str) -> dict[str, object] | None:
    try:
        data = json.loads((images_dir / key / MANIFEST).read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def prepare_images_dir(images_dir: Path) -> None:
    images_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(images_dir, 0o755)  # bound into sandboxes, where other uids read it
    for sub in (".locks", ".logs"):
        (images_dir / sub).mkdir(exist_ok=True)
        os.chmod(images_dir / sub, 0o700)


def build(
    images_dir: Path,
    packages: tuple[str, ...],
    *,
    interpreter: Interpreter | None = None,
    wheelhouse: Path | None = None,
    progress: Progress | None = None,
    procs: set[subprocess.Popen[str]] | None = None,
) -> Environment:
    """Build (or find) the environment of ``packages``; blocking.  Raises BuildFailed.  The build's
    processes are kept in ``procs`` while they run, for a caller that may have to kill them."""
    interpreter = interpreter or Interpreter.current()
    key = environment_key(packages, interpreter)
    env = Environment(key, str(images_dir / key), interpreter.tag)
    if built(images_dir, key):
        return env
    prepare_images_dir(images_dir)
    say = progress or (lambda line: None)
    with open(images_dir / ".locks" / f"{key}.lock", "w") as lock:
        if not _try_lock(lock):
            say("another process is building this environment; waiting for it")
            fcntl.flock(lock, fcntl.LOCK_EX)
        if built(images_dir, key):  # built by whoever held the lock
            return env
        for stale in images_dir.glob(f".build-{key}-*"):
            shutil.rmtree(stale, ignore_errors=True)
        final = images_dir / key
        if final.exists():  # a directory without its manifest: an interrupted rename or a damaged build
            shutil.rmtree(final)
        work = images_dir / f".build-{key}-{os.getpid()}"
        log_path = images_dir / ".logs" / f"{key}.log"
        started = time.monotonic()
        try:
            with open(log_path, "w") as log_file:
                _build_into(work, packages, interpreter, wheelhouse, say, _Output(log_file, procs), log_path)
            seconds = round(time.monotonic() - started, 1)
            installed = _freeze(work)
            _make_relocatable(work)
            (work / MANIFEST).write_text(
                json.dumps(
                    {
                        "key": key,
                        "packages": list(packages),
                        "kernel_packages": list(KERNEL_PACKAGES),
                        "python": interpreter.version,
                        "executable": interpreter.executable,
                        "source": str(wheelhouse) if wheelhouse else "package index",
                        "built_at": time.time(),
                        "build_seconds": seconds,
                        "installed": installed,
                    },
                    indent=1,
                )
            )
            os.rename(work, final)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
        say(f"built in {seconds:g} s: {len(installed)} distributions")
        return env


def _try_lock(lock: TextIO) -> bool:
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _build_into(
    work: Path,
    packages: tuple[str, ...],
    interpreter: Interpreter,
    wheelhouse: Path | None,
    say: Progress,
    out: _Output,
    log_path: Path,
) -> None:
    say(f"creating a virtual environment with Python {interpreter.version}")
    venv = _run([interpreter.executable, "-m", "venv", str(work)], out, lambda line: None)
    if venv.returncode != 0:
        detail = venv.tail[-1] if venv.tail else f"exit status {venv.returncode}"
        raise BuildFailed(
            f"`{interpreter.executable} -m venv` failed ({detail}); on Debian install python3-venv "
            f"(tools/setup.sh does). Log: {log_path}"
        )
    source = f"the wheelhouse {wheelhouse}" if wheelhouse else "the package index"
    say(f"installing {', '.join(packages)} (and {', '.join(KERNEL_PACKAGES)}) from {source}")
    command = [str(work / "bin" / "python"), "-m", "pip", "install", "--disable-pip-version-check", "--no-input"]
    command += ["--progress-bar", "off", "--no-warn-script-location"]
    if wheelhouse is not None:
        command += ["--no-index", "--find-links", str(wheelhouse)]
    # The image's own packages first: pip reports the first requirement it cannot satisfy.
    command += [*packages, *KERNEL_PACKAGES]

    def step(line: str) -> None:
        if line.startswith(("Collecting ", "Downloading ", "Installing collected", "Building wheel for ")):
            say(line.strip())

    pip = _run(command, out, step)
    if pip.returncode != 0:
        raise BuildFailed(f"{explain_pip_failure(pip.tail, source)}. Full log: {log_path}")


@dataclass
class _Result:
    returncode: int
    tail: list[str]  # the last lines of output


@dataclass
class _Output:
    log_file: TextIO
    procs: set[subprocess.Popen[str]] | None


def _run(command: list[str], out: _Output, on_line: Progress) -> _Result:
    env = {**os.environ, "PIP_NO_INPUT": "1"}
    tail: list[str] = []
    proc = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
        env=env,
    )
    assert proc.stdout is not None
    if out.procs is not None:
        out.procs.add(proc)
    try:
        with proc:
            for line in proc.stdout:
                out.log_file.write(line)
                tail.append(line.rstrip("\n"))
                del tail[:-60]
                on_line(line)
    finally:
        if out.procs is not None:
            out.procs.discard(proc)
    return _Result(proc.returncode, tail)


_NO_MATCH = re.compile(r"No matching distribution found for (\S+)")
_NO_VERSION = re.compile(r"Could not find a version that satisfies the requirement (\S+)")
_NO_BUILD = re.compile(r"(?:Failed building wheel for|Failed to build|Could not build wheels for) (\S+)")
_CONFLICT = re.compile(r"Cannot install (.+?) because these package versions have conflicting dependencies")
_INVALID = re.compile(r"Invalid requirement: '?([^':]+)'?")


def explain_pip_failure(lines: list[str], source: str) -> str:
    """One sentence naming the package pip could not install, and why, from the end of its output."""
    text = "\n".join(lines)
    if m := _NO_MATCH.search(text) or _NO_VERSION.search(text):
        return f"package {m.group(1)!r}: no matching distribution found in {source}"
    if m := _INVALID.search(text):
        return f"package {m.group(1).strip()!r}: invalid requirement"
    if m := _NO_BUILD.search(text):
        return f"package {m.group(1).rstrip(',')!r}: its wheel could not be built"
    if m := _CONFLICT.search(text):
        return f"packages {m.group(1)}: conflicting dependencies"
    errors = [line for line in lines if line.startswith("ERROR:")]
    return f"pip failed: {(errors or lines or ['no output'])[-1]}"


def _freeze(root: Path) -> list[str]:
    result = subprocess.run(
        [str(root / "bin" / "python"), "-m", "pip", "list", "--format=freeze", "--disable-pip-version-check"],
        capture_output=True,
        text=True,
        check=False,
    )
    return sorted(result.stdout.split())


def _make_relocatable(root: Path) -> None:
    """Scripts find their python beside themselves; the activate scripts (which hard-code the build
    path, and which nobody runs in a sandbox) go."""
    bin_dir = root / "bin"
    own = f"#!{bin_dir}/python".encode()
    for entry in bin_dir.iterdir():
        if entry.name.startswith("activate") or entry.name == "Activate.ps1":
            entry.unlink()
            continue
        if entry.is_symlink() or not entry.is_file():
            continue
        with entry.open("rb") as fh:
            first = fh.readline()
            if not first.startswith(own):
                continue
            rest = fh.read()
        mode = entry.stat().st_mode
        entry.write_bytes(_TRAMPOLINE.encode() + rest)
        os.chmod(entry, mode)
