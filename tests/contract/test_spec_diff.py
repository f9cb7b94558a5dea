"""`agb-spec diff`: each rule on a pair of small specs, classified for clients and for servers."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from agb_contract.spec_cli import main
from agb_contract.spec_diff import Change, diff

ROOT = Path(__file__).resolve().parents[2]


def make_spec(**schemas: Any) -> dict[str, Any]:
    """One operation, POST /op, whose JSON body is `Req` and whose 200 reply is `Rep`; `x-agb-tools` with one
    tool `t` (args `Args`, output `Out`); a `name` query parameter."""
    base: dict[str, Any] = {
        "Req": {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}, "b": {"type": "string"}}},
        "Rep": {"type": "object", "required": ["x"], "properties": {"x": {"type": "string"}, "y": {"type": "integer"}}},
        "Args": {"type": "object", "properties": {"path": {"type": "string"}}},
        "Out": {"type": "object", "required": ["ok"], "properties": {"ok": {"type": "boolean"}}},
    }
    base.update(schemas)
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/op": {
                "post": {
                    "operationId": "op",
                    "parameters": [{"name": "name", "in": "query", "required": False, "schema": {"type": "string"}}],
                    "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Req"}}}},
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Rep"}}},
                        }
                    },
                    "x-agb-tools": {
                        "t": {
                            "args": {"$ref": "#/components/schemas/Args"},
                            "output": {"$ref": "#/components/schemas/Out"},
                            "x-agb-read-only": True,
                            "x-agb-writes": False,
                        }
                    },
                }
            }
        },
        "components": {"schemas": base},
    }


def only(changes: list[Change], rule: str) -> Change:
    found = [c for c in changes if c.rule == rule]
    assert len(found) == 1, changes
    return found[0]


def classified(change: Change) -> tuple[bool, bool]:
    return change.breaks_clients, change.breaks_servers


OLD = make_spec()
CLIENTS, SERVERS, BOTH, NEITHER = (True, False), (False, True), (True, True), (False, False)


def changed(edit: Any) -> list[Change]:
    new = copy.deepcopy(OLD)
    edit(new)
    return diff(OLD, new)


def schemas(spec: dict[str, Any]) -> dict[str, Any]:
    return spec["components"]["schemas"]  # type: ignore[no-any-return]


def op(spec: dict[str, Any]) -> dict[str, Any]:
    return spec["paths"]["/op"]["post"]  # type: ignore[no-any-return]


def add_field(name: str, field: str, *, required: bool) -> Any:
    def edit(spec: dict[str, Any]) -> None:
        schemas(spec)[name]["properties"][field] = {"type": "string"}
        if required:
            schemas(spec)[name].setdefault("required", []).append(field)

    return edit


def drop_field(name: str, field: str) -> Any:
    def edit(spec: dict[str, Any]) -> None:
        schemas(spec)[name]["properties"].pop(field)
        schemas(spec)[name]["required"] = [f for f in schemas(spec)[name].get("required", []) if f != field]

    return edit


def add_param(name: str, *, required: bool) -> Any:
    return lambda s: op(s)["parameters"].append({"name": name, "in": "query", "required": required})


NEW_PATH = {"/new": {"get": {"operationId": "new", "responses": {}}}}


def test_no_change_no_report() -> None:
    assert diff(OLD, copy.deepcopy(OLD)) == []
    real = yaml.safe_load((ROOT / "openapi" / "agb.yaml").read_text())
    assert diff(real, copy.deepcopy(real)) == []


@pytest.mark.parametrize(
    ("edit", "rule", "expected"),
    [
        # operations and paths
        (lambda s: s["paths"].pop("/op"), "operation-removed", CLIENTS),
        (
            lambda s: s["paths"].update({"/new": {"get": {"operationId": "new", "responses": {}}}}),
            "operation-added",
            SERVERS,
        ),
        (lambda s: op(s).update(operationId="renamed"), "operation-renamed", CLIENTS),
        # parameters
        (lambda s: op(s).update(parameters=[]), "parameter-removed", CLIENTS),
        (
            lambda s: op(s)["parameters"].append({"name": "n2", "in": "query", "required": True}),
            "parameter-added",
            CLIENTS,
        ),
        (lambda s: op(s)["parameters"].append({"name": "n3", "in": "query"}), "parameter-added", NEITHER),
        (lambda s: op(s)["parameters"][0].update(required=True), "made-required", CLIENTS),
        # request fields
        (lambda s: schemas(s)["Req"]["properties"].pop("b"), "field-removed", CLIENTS),
        (
            lambda s: (schemas(s)["Req"]["properties"].pop("a"), schemas(s)["Req"].update(required=[])),
            "field-removed",
            BOTH,
        ),
        (
            lambda s: (
                schemas(s)["Req"]["properties"].update(c={"type": "string"}),
                schemas(s)["Req"]["required"].append("c"),
            ),
            "field-added",
            CLIENTS,
        ),
        (lambda s: schemas(s)["Req"]["properties"].update(c={"type": "string"}), "field-added", NEITHER),
        (lambda s: schemas(s)["Req"].update(required=["a", "b"]), "made-required", CLIENTS),
        (lambda s: schemas(s)["Req"].update(required=[]), "made-optional", SERVERS),
        # reply fields
        (drop_field("Rep", "y"), "field-removed", CLIENTS),
        (lambda s: schemas(s)["Rep"].update(required=[]), "made-optional", CLIENTS),
        (lambda s: schemas(s)["Rep"]["properties"]["x"].update(nullable=True), "made-nullable", CLIENTS),
        (
            lambda s: (
                schemas(s)["Rep"]["properties"].update(z={"type": "string"}),
                schemas(s)["Rep"]["required"].append("z"),
            ),
            "field-added",
            SERVERS,
        ),
        (lambda s: schemas(s)["Rep"]["properties"].update(z={"type": "string"}), "field-added", NEITHER),
        # types and constraints
        (lambda s: schemas(s)["Rep"]["properties"]["y"].update(type="string"), "type-changed", BOTH),
        (lambda s: schemas(s)["Req"]["properties"]["a"].update(maxLength=10), "constraint-tightened", CLIENTS),
        (lambda s: schemas(s)["Rep"]["properties"]["x"].update(maxLength=10), "constraint-tightened", SERVERS),
        (lambda s: schemas(s)["Req"]["properties"]["a"].update(pattern="^a"), "constraint-tightened", CLIENTS),
        (lambda s: schemas(s)["Req"]["properties"]["a"].update(nullable=True), "made-nullable", SERVERS),
        # x-agb-tools: args are requests, outputs replies
        (lambda s: schemas(s)["Args"].update(required=["path"]), "made-required", CLIENTS),
        (lambda s: schemas(s)["Out"]["properties"].pop("ok"), "field-removed", CLIENTS),
        (lambda s: op(s)["x-agb-tools"].pop("t"), "tool-removed", CLIENTS),
        (lambda s: op(s)["x-agb-tools"].update(u={"args": {}, "output": {}}), "tool-added", SERVERS),
        (lambda s: op(s)["x-agb-tools"]["t"].update({"x-agb-read-only": False}), "tool-semantics-changed", CLIENTS),
        (lambda s: op(s)["x-agb-tools"]["t"].update({"x-agb-writes": True}), "tool-semantics-changed", CLIENTS),
        # responses
        (lambda s: op(s)["responses"].update({"201": {"description": "new"}}), "response-added", CLIENTS),
    ],
)
def test_rule(edit: Any, rule: str, expected: tuple[bool, bool]) -> None:
    assert classified(only(changed(edit), rule)) == expected


def test_constraints_loosened_and_tightened_by_direction() -> None:
    tight = make_spec()
    schemas(tight)["Req"]["properties"]["a"]["maxLength"] = 10
    schemas(tight)["Rep"]["properties"]["x"]["maxLength"] = 10
    loose = copy.deepcopy(tight)
    schemas(loose)["Req"]["properties"]["a"]["maxLength"] = 20
    schemas(loose)["Rep"]["properties"]["x"]["maxLength"] = 20
    loosened = [c for c in diff(tight, loose) if c.rule == "constraint-loosened"]
    by_where = {c.where.split(".")[-1]: classified(c) for c in loosened}
    assert by_where == {"a": SERVERS, "x": CLIENTS}  # old servers refuse more; old clients read more
    assert {classified(c) for c in diff(loose, tight) if c.rule == "constraint-tightened"} == {CLIENTS, SERVERS}


def test_enum_values_by_direction() -> None:
    old = make_spec()
    schemas(old)["Req"]["properties"]["b"]["enum"] = ["p", "q"]
    schemas(old)["Rep"]["properties"]["x"]["enum"] = ["p", "q"]
    removed = copy.deepcopy(old)
    schemas(removed)["Req"]["properties"]["b"]["enum"] = ["p"]
    schemas(removed)["Rep"]["properties"]["x"]["enum"] = ["p"]
    assert {c.where.split(".")[-1]: classified(c) for c in diff(old, removed)} == {"b": CLIENTS, "x": SERVERS}
    assert {c.where.split(".")[-1]: classified(c) for c in diff(removed, old)} == {"b": SERVERS, "x": CLIENTS}


def test_rename_is_a_removal_with_a_hint() -> None:
    changes = changed(lambda s: schemas(s)["Rep"]["properties"].update(z=schemas(s)["Rep"]["properties"].pop("y")))
    removed = only(changes, "field-removed")
    assert "renamed to z?" in removed.what and classified(removed) == CLIENTS
    assert classified(only(changes, "field-added")) == NEITHER


def test_json_inside_strings_is_compared() -> None:
    old = make_spec(Inner={"type": "object", "properties": {"k": {"type": "string"}}})
    schemas(old)["Rep"]["properties"]["x"]["x-agb-json-schema"] = {"$ref": "#/components/schemas/Inner"}
    new = copy.deepcopy(old)
    schemas(new)["Inner"]["properties"].pop("k")
    change = only(diff(old, new), "field-removed")
    assert "(JSON in the string).k" in change.where and classified(change) == CLIENTS


def test_allof_parts_are_merged() -> None:
    old = make_spec(Env={"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}})
    schemas(old)["Rep"] = {"allOf": [{"$ref": "#/components/schemas/Env"}, schemas(old)["Rep"]]}
    new = copy.deepcopy(old)
    schemas(new)["Env"]["required"] = []
    assert classified(only(diff(old, new), "made-optional")) == CLIENTS


def test_real_spec_rename_of_a_reply_field_breaks_clients() -> None:
    real = yaml.safe_load((ROOT / "openapi" / "agb.yaml").read_text())
    new = copy.deepcopy(real)
    summary = new["components"]["schemas"]["SessionSummary"]["properties"]
    summary["sessionState"] = summary.pop("sessionStatus")
    removed = only(diff(real, new), "field-removed")
    assert "sessionStatus" in removed.where and classified(removed) == CLIENTS


def test_command_text_json_and_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old_path, new_path, same_path = tmp_path / "old.yaml", tmp_path / "new.yaml", tmp_path / "same.yaml"
    new = copy.deepcopy(OLD)
    schemas(new)["Rep"]["properties"].pop("y")
    schemas(new)["Req"]["properties"]["c"] = {"type": "string"}
    old_path.write_text(yaml.safe_dump(OLD))
    new_path.write_text(yaml.safe_dump(new))
    same_path.write_text(yaml.safe_dump(OLD))

    assert main(["diff", str(old_path), str(same_path)]) == 0
    capsys.readouterr()
    assert main(["diff", str(old_path), str(new_path)]) == 1
    text = capsys.readouterr().out
    assert "Breaking for clients generated from OLD: 1" in text and "Not breaking: 1" in text
    assert main(["diff", str(old_path), str(new_path), "--fail-on", "servers"]) == 0
    capsys.readouterr()
    assert main(["diff", str(old_path), str(new_path), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert {(c["rule"], c["breaks_clients"], c["breaks_servers"], c["breaking"]) for c in report} == {
        ("field-removed", True, False, True),
        ("field-added", False, False, False),
    }
    assert main(["diff", str(old_path), str(tmp_path / "missing.yaml")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_installed_command(tmp_path: Path) -> None:
    """`agb-spec` is a console script of the package (installed by pip with the project)."""
    exe = Path(sys.executable).parent / "agb-spec"
    assert exe.exists(), "agb-spec is not installed: pip install -e '.[contract]'"
    spec = str(ROOT / "openapi" / "agb.yaml")
    done = subprocess.run([str(exe), "diff", spec, spec], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert done.returncode == 0 and "Breaking for clients generated from OLD: 0" in done.stdout


def test_allow_breaking_reports_and_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old_path, new_path = tmp_path / "old.yaml", tmp_path / "new.yaml"
    new = copy.deepcopy(OLD)
    schemas(new)["Rep"]["properties"].pop("y")
    old_path.write_text(yaml.safe_dump(OLD))
    new_path.write_text(yaml.safe_dump(new))
    assert main(["diff", str(old_path), str(new_path), "--allow-breaking"]) == 0
    assert "Breaking for clients generated from OLD: 1" in capsys.readouterr().out
    assert main(["diff", str(old_path), str(new_path), "--allow-breaking", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["breaking"] is True


def set_enum(values: list[str]) -> Any:
    return lambda s: schemas(s)["Req"]["properties"]["b"].update(enum=values)


@pytest.mark.parametrize(
    ("edit", "named", "exit_code"),
    [
        (drop_field("Rep", "y"), "POST /op reply 200.y: reply field removed", 1),
        (add_field("Req", "c", required=True), "POST /op request body.c: required request field added", 1),
        (set_enum(["p"]), "POST /op request body.b: enum values removed: ['q']", 1),
        (add_field("Rep", "z", required=False), "POST /op reply 200.z: optional reply field added", 0),
    ],
    ids=["reply-field-removed", "required-request-field", "request-enum-value-removed", "optional-reply-field"],
)
def test_installed_command_outside_the_checkout(tmp_path: Path, edit: Any, named: str, exit_code: int) -> None:
    """The installed `agb-spec diff`, run elsewhere: each breaking change named, the harmless one passes."""
    old = copy.deepcopy(OLD)
    schemas(old)["Req"]["properties"]["b"]["enum"] = ["p", "q"]
    new = copy.deepcopy(old)
    edit(new)
    (tmp_path / "old.yaml").write_text(yaml.safe_dump(old))
    (tmp_path / "new.yaml").write_text(yaml.safe_dump(new))
    exe = Path(sys.executable).parent / "agb-spec"
    done = subprocess.run(
        [str(exe), "diff", "old.yaml", "new.yaml"], capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert done.returncode == exit_code, done.stdout + done.stderr
    assert f"  - {named}" in done.stdout
    section = done.stdout.split("Not breaking")[0] if exit_code else done.stdout.split("Not breaking")[1]
    assert named in section
