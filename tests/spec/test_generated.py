"""The generated client exposes every operation and round-trips every example payload of the spec."""

from __future__ import annotations

import importlib
import inspect
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT
from .helpers import operations, resolve, schema_examples, snake


def model_for(spec: dict[str, Any], schema: dict[str, Any]) -> type | None:
    """The generated attrs class of a `$ref` schema, if the generator made one (objects only)."""
    import agb_api.models as models

    ref = schema.get("$ref", "")
    name = ref.rsplit("/", 1)[-1]
    target = resolve(spec, schema)
    is_object = target.get("type") == "object" or "allOf" in target
    if not name or not is_object:
        return None
    return getattr(models, name, None)


def test_every_operation_has_sync_and_async_functions(spec: dict[str, Any]) -> None:
    for _path, _method, op in operations(spec):
        module = importlib.import_module(f"agb_api.api.{op['tags'][0]}.{snake(op['operationId'])}")
        for fn in ("sync_detailed", "sync", "asyncio_detailed", "asyncio"):
            assert callable(getattr(module, fn)), f"{op['operationId']}.{fn}"
        assert inspect.iscoroutinefunction(module.asyncio_detailed)


def test_examples_round_trip_through_generated_models(spec: dict[str, Any]) -> None:
    checked = 0
    for where, schema, example in schema_examples(spec):
        model = model_for(spec, schema)
        if model is None or not isinstance(example, dict):
            continue
        assert model.from_dict(example).to_dict() == example, where
        checked += 1
    assert checked >= 40


def test_unknown_fields_are_kept(spec: dict[str, Any]) -> None:
    from agb_api.models import CallToolResponse

    raw = {"success": True, "requestId": "r", "data": {"isError": False, "content": []}, "newField": {"x": 1}}
    assert CallToolResponse.from_dict(raw).to_dict() == raw


def _copy_generation_inputs(dest: Path) -> None:
    for part in ("openapi", "generated", "tools", "agb_spec"):
        # symlinks kept: agb_spec/agb.yaml links to the copy's own openapi/agb.yaml
        ignore = shutil.ignore_patterns("__pycache__", ".ruff_cache")
        shutil.copytree(ROOT / part, dest / part, ignore=ignore, symlinks=True)


def _check(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(tree / "tools" / "regenerate"), "--check"], capture_output=True, text=True, timeout=120
    )


def test_regenerate_check_passes_on_this_tree() -> None:
    proc = _check(ROOT)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize(
    "edit",
    [
        # a word in a schema that changes generated code (a property name)
        (
            "openapi/agb.yaml",
            "        exit_code:\n          type: integer\n",
            "        exitCod:\n          type: integer\n",
        ),
        # a constraint-only change: no generated line differs, the spec hash does
        ("openapi/agb.yaml", "maxLength: 8192", "maxLength: 8193"),
        # a hand edit of generated code
        ("generated/agb_api/models/shell_output.py", "class ShellOutput:", "class ShellOutput:  # edited"),
        # a file dropped into generated/
        ("generated/agb_api/extra.py", None, "x = 1\n"),
        # a protocol fact: agb_api/facts.py differs
        ("openapi/agb.yaml", "x-agb-read-only: true", "x-agb-read-only: false"),
        # agb_spec's code is a generator input: the hash differs
        ("agb_spec/facts.py", "def tools(", "# reworded\ndef tools("),
    ],
    ids=["schema-word", "constraint-only", "hand-edit", "stray-file", "fact", "agb-spec-code"],
)
def test_regenerate_check_catches_drift(tmp_path: Path, edit: tuple[str, str | None, str]) -> None:
    _copy_generation_inputs(tmp_path)
    name, old, new = edit
    target = tmp_path / name
    if old is None:
        target.write_text(new)
    else:
        text = target.read_text()
        assert old in text
        target.write_text(text.replace(old, new, 1))
    proc = _check(tmp_path)
    assert proc.returncode == 1
    assert "tools/regenerate" in proc.stderr and "generated/" in proc.stderr


def test_regenerate_check_names_an_invalid_spec(tmp_path: Path) -> None:
    _copy_generation_inputs(tmp_path)
    spec = tmp_path / "openapi" / "agb.yaml"
    spec.write_text(spec.read_text().replace("openapi: 3.0.3", "openapi: 3.0.3\nnot_a_field: 1", 1))
    proc = _check(tmp_path)
    assert proc.returncode == 1
    assert "openapi/agb.yaml" in proc.stderr


def test_regenerate_names_a_missing_fact(tmp_path: Path) -> None:
    _copy_generation_inputs(tmp_path)
    spec = tmp_path / "openapi" / "agb.yaml"
    text = spec.read_text()
    assert text.count("x-agb-writes: false\n") > 1
    spec.write_text(text.replace("          x-agb-writes: false\n", "", 1))
    proc = _check(tmp_path)
    assert proc.returncode == 1
    assert "x-agb-writes" in proc.stderr and "protocol facts" in proc.stderr
