"""A reply field renamed in the spec, after regenerating, fails mypy where the SDK reads it.

This is what a maintainer does: rename a field consistently in `openapi/agb.yaml` (schema, `required`,
examples), run `tools/regenerate`, run the gates. On a copy of the tree under a temporary directory, several
fields of different operations and tool outputs are renamed at once; mypy (strict, the project's config) must
fail, naming each field's Python attribute.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COPIED = ("agb", "agb_spec", "agb_contract", "generated", "openapi", "tools", "pyproject.toml")

# wire name -> (new wire name, the attribute the SDK reads, which mypy must name)
RENAMES = {
    "sessionStatus": ("sessionState", "session_status"),  # listSessions items
    "appInstanceId": ("appInstance", "app_instance_id"),  # createSession / getSession data
    "exit_code": ("exitStatus", "exit_code"),  # the shell tool's JSON output
    "isMainResult": ("isPrimaryResult", "is_main_result"),  # run_code result items
    "isError": ("failed", "is_error"),  # every tool call's data
}


@pytest.mark.slow
def test_renamed_reply_fields_fail_mypy(tmp_path: Path) -> None:
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, tmp_path / name)
    spec = tmp_path / "openapi" / "agb.yaml"
    text = spec.read_text()
    for old, (new, _attribute) in RENAMES.items():
        assert old in text, f"{old} is no longer in the spec: pick another field for this test"
        text = text.replace(old, new)
    spec.write_text(text)

    regenerate = subprocess.run(
        [sys.executable, str(tmp_path / "tools" / "regenerate")], capture_output=True, text=True, timeout=300
    )
    assert regenerate.returncode == 0, regenerate.stderr
    # Regenerating says what the change breaks since the released spec, naming the fields.
    assert "since the released 0.1.0: " in regenerate.stdout and "0 change(s) breaking clients" not in regenerate.stdout
    assert "reply field removed (renamed to sessionState?)" in regenerate.stdout, regenerate.stdout
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / ".mypy_cache"), "agb"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert mypy.returncode != 0, "mypy passed although reply fields the SDK reads were renamed:\n" + mypy.stdout
    for old, (_new, attribute) in RENAMES.items():
        assert f'attribute "{attribute}"' in mypy.stdout, f"mypy did not name {attribute} ({old}):\n{mypy.stdout}"
