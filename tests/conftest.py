"""Shared by every suite: one cache of image environments per checkout.

Every server the tests start (sandbox managers, embedded servers, `agb-local serve` subprocesses, which
inherit the environment) builds and finds image environments in `.cache/agb-images`, so the data stack of
the built-in images is built once per checkout (a fresh CI checkout: once per run), before the first test
that needs it, instead of once per server.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from agb_local.sandbox.environments import IMAGES_DIR_VARIABLE, BuildFailed, build, images_dir_for
from agb_local.sandbox.images import load_images

REPO = Path(__file__).resolve().parents[1]
os.environ.setdefault(IMAGES_DIR_VARIABLE, str(REPO / ".cache" / "agb-images"))
# Suites that start no sandbox and so need no image environment.
_NO_SANDBOX = ("spec", "unit")


def pytest_collection_finish(session: pytest.Session) -> None:
    if session.config.option.collectonly:
        return
    tests = REPO / "tests"
    needed = any(
        not any(Path(item.path).is_relative_to(tests / name) for name in _NO_SANDBOX) for item in session.items
    )
    if not needed:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    images_dir = images_dir_for(REPO)
    started = time.monotonic()
    keys = set()
    for image in load_images(None).values():
        if not image.packages:
            continue
        try:
            env = build(images_dir, image.packages)
        except BuildFailed as exc:  # the tests that create sessions on it fail with this message too
            if reporter is not None:
                reporter.write_line(f"image {image.id}: its environment failed to build: {exc}")
            continue
        keys.add(env.key)
    elapsed = time.monotonic() - started
    if reporter is not None and elapsed > 1:
        reporter.write_line(f"built the image environments {sorted(keys)} in {images_dir} in {elapsed:.0f} s")
