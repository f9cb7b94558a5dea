"""The session's own Python environment, over the image's.

The image's environment is read-only and shared by every session of the image.  Each session gets a
small virtual environment of its own in a writable per-session directory (``/opt/agb/venv`` inside
bubblewrap): its interpreter is the base Python, its site-packages comes first on ``sys.path``, and a
``.pth`` file there adds the image's site-packages after it.  So ``pip install`` (which installs into
``sys.prefix``) lands in the session's directory, sees the image's packages as installed, and an upgrade of an
image package shadows it instead of trying to change the image ("not uninstalling ... outside environment").
"""

from __future__ import annotations

import os

IMAGE_PTH = "_agb_image.pth"
# pip as the session's interpreter runs it, whichever pip is on PATH after it.
_PIP = '#!/bin/sh\nexec "$(dirname -- "$0")/python" -m pip "$@"\n'


def prepare(venv: str, base_python: str, version: str, image_site: str) -> str:
    """Write (or refresh) the session environment in ``venv``; returns its interpreter's path."""
    tag = "python" + ".".join(version.split(".")[:2])
    bin_dir = os.path.join(venv, "bin")
    site = os.path.join(venv, "lib", tag, "site-packages")
    os.makedirs(bin_dir, exist_ok=True)
    os.makedirs(site, exist_ok=True)  # before the kernel starts: a later mkdir would not reach its sys.path
    _write(
        os.path.join(venv, "pyvenv.cfg"),
        f"home = {os.path.dirname(base_python)}\ninclude-system-site-packages = false\nversion = {version}\n",
    )
    for name in ("python", "python3", tag):
        _symlink(base_python, os.path.join(bin_dir, name))
    for name in ("pip", "pip3"):
        _write(os.path.join(bin_dir, name), _PIP, 0o755)
    # addsitedir (not a bare path line) so the image's own .pth files are processed too.
    _write(os.path.join(site, IMAGE_PTH), f"import site; site.addsitedir({image_site!r})\n")
    return os.path.join(bin_dir, "python")


def _write(path: str, text: str, mode: int = 0o644) -> None:
    # The directory is the session's to change: read back only a plain file (a FIFO put there would block).
    if os.path.isfile(path) and not os.path.islink(path):
        try:
            with open(path) as fh:
                if fh.read(len(text) + 1) == text:
                    return
        except (OSError, UnicodeDecodeError):
            pass
    tmp = f"{path}.agb-tmp"
    with open(tmp, "w") as fh:
        fh.write(text)
    os.chmod(tmp, mode)
    os.replace(tmp, path)


def _symlink(target: str, path: str) -> None:
    if os.path.islink(path) and os.readlink(path) == target:
        return
    tmp = f"{path}.agb-tmp"
    if os.path.lexists(tmp):
        os.unlink(tmp)
    os.symlink(target, tmp)
    os.replace(tmp, path)
