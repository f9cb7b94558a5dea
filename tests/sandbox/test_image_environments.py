"""Sessions on an image with a Python environment (the default image's data stack): the data stack and
inline figures in run_code, pip installing into the session's own environment while the image stays
read-only and shared, both with bubblewrap and without isolation, and a session refused on a broken image."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from agb_local.sandbox import Image, SandboxError, SandboxManager

from .helpers import IMAGE, new_id, ok, py, sh, test_config

pytestmark = pytest.mark.asyncio(loop_scope="session")

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def make_wheel(name: str = "agbdemo", version: str = "1.0") -> str:
    """A shell command making a wheel in /tmp inside the sandbox (no network there): one module."""
    dist = f"{name}-{version}.dist-info"
    return f"""python - <<'EOF'
import zipfile
with zipfile.ZipFile('/tmp/{name}-{version}-py3-none-any.whl', 'w') as z:
    z.writestr('{name}/__init__.py', 'VALUE = 42\\n')
    z.writestr('{dist}/METADATA', 'Metadata-Version: 2.1\\nName: {name}\\nVersion: {version}\\n')
    z.writestr('{dist}/WHEEL', 'Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n')
    z.writestr('{dist}/RECORD', '')
EOF"""


PLOT = """
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
df = pd.DataFrame({"x": np.arange(5), "y": np.arange(5) ** 2})
fig, ax = plt.subplots(figsize=(1.5, 1), dpi=40)  # small: the test limits output to 10 kB
df.plot(x="x", y="y", ax=ax)
plt.show()
int(df.y.sum())
"""


def _png(result: dict[str, object]) -> bytes:
    pngs = [r["image/png"] for r in result["result"] if isinstance(r, dict) and "image/png" in r]  # type: ignore[attr-defined]
    assert len(pngs) == 1, result
    return base64.b64decode(str(pngs[0]))


async def test_the_data_stack_and_an_inline_figure(manager: SandboxManager, session: str) -> None:
    assert IMAGE.packages  # the default image's environment, not the server's interpreter
    result = await py(manager, session, PLOT, timeout_s=60)
    assert result["error"] is None, result
    assert _png(result).startswith(PNG_MAGIC)
    main = [r for r in result["result"] if r.get("isMainResult")]
    assert main and main[0]["text/plain"] == "30"
    where = await py(manager, session, "import sys, pandas; print(sys.prefix, pandas.__file__)")
    prefix, pandas_file = "".join(where["stdout"]).split()
    assert prefix == "/opt/agb/venv" and pandas_file.startswith("/opt/agb/images/")


async def test_pip_installs_a_wheel_offline_into_the_session(manager: SandboxManager, session: str) -> None:
    made = await sh(manager, session, make_wheel())
    assert made["exit_code"] == 0, made
    # The kernel is already running: what pip installs must still be importable in it.
    assert (await py(manager, session, "1"))["error"] is None
    installed = await sh(manager, session, "pip install /tmp/agbdemo-1.0-py3-none-any.whl", timeout_ms=60_000)
    assert installed["exit_code"] == 0, installed
    assert "Successfully installed agbdemo-1.0" in installed["stdout"]
    result = await py(manager, session, "import agbdemo; print(agbdemo.VALUE, agbdemo.__file__)")
    assert result["error"] is None, result
    value, path = "".join(result["stdout"]).split()
    assert value == "42" and path.startswith("/opt/agb/venv/lib/")
    shell = await sh(manager, session, "python -c 'import agbdemo; print(agbdemo.VALUE)'")
    assert shell["stdout"] == "42\n", shell
    # On the host: in the session's directory, not in the shared image.
    assert list((manager.session_dir(session) / "venv").glob("lib/python3*/site-packages/agbdemo/__init__.py"))
    images_dir = manager.images.images_dir
    assert not list(images_dir.glob("*/lib/python3*/site-packages/agbdemo"))

    # Another session of the same image does not see it; this one keeps it across a restart.
    other = new_id()
    await manager.create(other, IMAGE)
    try:
        missing = await py(manager, other, "import agbdemo")
        assert missing["error"]["name"] == "ModuleNotFoundError"
    finally:
        await manager.destroy(other)
    await manager.stop(session)
    again = await py(manager, session, "import agbdemo; agbdemo.VALUE")
    assert again["result"][0]["text/plain"] == "42", again


async def test_pip_cannot_change_the_image(manager: SandboxManager, session: str) -> None:
    """An upgrade of an image package (cycler, of matplotlib) shadows it in the session instead of touching
    the shared copy."""
    made = await sh(manager, session, make_wheel("cycler", "99.0"))
    assert made["exit_code"] == 0, made
    result = await sh(manager, session, "pip install /tmp/cycler-99.0-py3-none-any.whl 2>&1", timeout_ms=60_000)
    assert "Successfully installed cycler-99.0" in result["stdout"], result
    shown = await sh(manager, session, "python -c 'import cycler; print(cycler.VALUE, cycler.__file__)'")
    assert shown["stdout"].startswith("42 /opt/agb/venv/lib/"), shown
    image_sites = list(manager.images.images_dir.glob("*/lib/python3*/site-packages"))
    assert image_sites and all((site / "cycler" / "__init__.py").exists() for site in image_sites)
    assert not [site for site in image_sites if list(site.glob("cycler-99.0.dist-info"))]


async def test_a_session_is_not_started_on_a_broken_image(tmp_path: Path) -> None:
    wheelhouse = tmp_path / "empty-wheelhouse"
    wheelhouse.mkdir()
    mgr = SandboxManager(
        test_config(tmp_path / "data", pool_size=0, images_dir=tmp_path / "images", wheelhouse=wheelhouse)
    )
    await mgr.start()
    try:
        broken = Image("broken", packages=("agb-no-such-package",))
        with pytest.raises(SandboxError, match=r"image 'broken' cannot start sessions.*'agb-no-such-package'"):
            await mgr.create("s1", broken)
        assert not mgr.session_dir("s1").exists()
        # The catalogue's other images are unaffected: one without packages starts at once.
        await mgr.create("s2", Image("plain"))
        assert json.loads(await ok(mgr, "s2", "shell", command="echo hi"))["stdout"] == "hi\n"
    finally:
        await mgr.close()


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def plain(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[SandboxManager]:
    mgr = SandboxManager(test_config(tmp_path_factory.mktemp("agb-none-env"), isolation="none", pool_size=1))
    await mgr.start()
    yield mgr
    await mgr.close()


async def test_without_isolation_too(plain: SandboxManager) -> None:
    sid = new_id()
    await plain.create(sid, IMAGE)
    try:
        venv = plain.session_dir(sid) / "venv"
        result = await py(plain, sid, PLOT, timeout_s=60)
        assert _png(result).startswith(PNG_MAGIC)
        assert (await sh(plain, sid, make_wheel()))["exit_code"] == 0
        installed = await sh(plain, sid, "pip install /tmp/agbdemo-1.0-py3-none-any.whl", timeout_ms=60_000)
        assert installed["exit_code"] == 0, installed
        where = await py(plain, sid, "import sys, agbdemo; print(sys.prefix, agbdemo.__file__)")
        prefix, path = "".join(where["stdout"]).split()
        assert prefix == str(venv) and path.startswith(str(venv))
    finally:
        await plain.destroy(sid)


async def test_a_damaged_session_environment_is_repaired_at_restart(manager: SandboxManager, session: str) -> None:
    broken = await sh(
        manager, session, "rm -rf /opt/agb/venv/bin /opt/agb/venv/pyvenv.cfg && mkfifo /opt/agb/venv/pyvenv.cfg"
    )
    assert broken["exit_code"] == 0, broken
    await manager.stop(session)
    result = await py(manager, session, "import sys, pandas; sys.prefix")
    assert result["error"] is None and result["result"][0]["text/plain"] == "'/opt/agb/venv'", result
