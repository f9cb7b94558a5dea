"""The protocol facts: each recorded once in the spec, read through agb_spec, generated into agb_api.facts, and
not copied by hand anywhere else; and the one OpenAPI -> JSON Schema conversion every reader uses."""

from __future__ import annotations

import ast
import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft4Validator

import agb_spec

from .conftest import ROOT, SPEC_PATH

# ----------------------------------------------------------------------------- the facts in the spec


def test_the_loader_reads_what_pyyaml_reads() -> None:
    # agb_spec parses with PyYAML's C loader when it has one (8x faster); it must give the same document.
    assert agb_spec.load(SPEC_PATH) == yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    assert agb_spec.load() is agb_spec.load(agb_spec.spec_path()), "parsed once, shared"


def test_every_tool_says_whether_it_only_reads_and_whether_it_writes(spec: dict[str, Any]) -> None:
    for name, entry in spec["paths"]["/mcp"]["post"]["x-agb-tools"].items():
        for flag in ("x-agb-read-only", "x-agb-writes"):
            assert isinstance(entry.get(flag), bool), f"x-agb-tools.{name} has no boolean {flag}"
        assert not (entry["x-agb-read-only"] and entry["x-agb-writes"]), f"{name} cannot only read and write"


def test_every_operation_says_whether_it_may_be_retried(spec: dict[str, Any]) -> None:
    for path, method, op in agb_spec.operations(spec):
        assert isinstance(op.get("x-agb-idempotent"), bool), f"{method.upper()} {path} has no boolean x-agb-idempotent"
    idempotent = agb_spec.idempotent_operations(spec)
    assert "getSession" in idempotent and "createSession" not in idempotent and "callTool" not in idempotent


def test_languages_aliases_images_and_limits_are_read(spec: dict[str, Any]) -> None:
    aliases = agb_spec.language_aliases(spec)
    assert set(aliases.values()) == set(agb_spec.languages(spec))
    assert all(aliases[name] == name for name in agb_spec.languages(spec))
    assert all(alias == alias.strip().lower() for alias in aliases), "aliases are matched trimmed and lower case"
    assert agb_spec.default_image_id(spec) in agb_spec.default_images(spec)
    limits = agb_spec.limits(spec)
    assert limits["labelsMaxChars"].value == spec["components"]["schemas"]["LabelsJson"]["maxLength"]
    assert limits["labelsMaxChars"].where == "components.schemas.LabelsJson.maxLength"
    assert limits["listPageSizeMax"].where == "paths./sdk/ListSession.get.parameters[maxResults].schema.maximum"


def test_a_limit_name_must_name_a_constraint_the_schema_has(spec: dict[str, Any]) -> None:
    broken = {**spec, "x-agb-limits": {}, "components": {"schemas": {"X": {"x-agb-limit-names": {"maximum": "xMax"}}}}}
    with pytest.raises(ValueError, match="x-agb-limit-names names maximum"):
        agb_spec.limits(broken)


def test_unsupported_operations_document_the_not_offered_reply(spec: dict[str, Any]) -> None:
    example = spec["components"]["responses"]["NotOffered"]["content"]["application/json"]["example"]
    assert example["code"] == agb_spec.LOCAL_NOT_OFFERED_CODE
    assert example["httpStatusCode"] == agb_spec.LOCAL_NOT_OFFERED_STATUS
    for path, method, op in agb_spec.operations(spec):
        if agb_spec.unsupported_locally(op):
            assert op["responses"].get(str(agb_spec.LOCAL_NOT_OFFERED_STATUS)) == {
                "$ref": "#/components/responses/NotOffered"
            }, f"{method} {path} is not served by agb_local: it must document the NotOffered reply"
        assert op.get(agb_spec.facts.LOCAL_EXTENSION, agb_spec.facts.LOCAL_UNSUPPORTED) == "unsupported", (
            f"{method} {path}: x-agb-local has one value, 'unsupported'"
        )


def test_image_families_and_capabilities_are_read(spec: dict[str, Any]) -> None:
    documented = agb_spec.documented_images(spec)
    # The vendor's documented ids (its docs and examples), each in one family; the offered ones among them.
    for image in ("agb-code-space-2", "agb-browser-use-1", "agb-computer-use-ubuntu-2204", "agb-computer-use-1"):
        assert image in documented
    assert documented["browser_latest"] == "browser-use" and set(agb_spec.default_images(spec)) <= set(documented)
    families = agb_spec.image_families(spec)
    assert families[documented[agb_spec.default_image_id(spec)]].capabilities == ()
    capabilities = agb_spec.capabilities(spec)
    assert {"initBrowser", "getCdpLink"} == set(capabilities["browser"].operations)
    assert {"click_mouse", "input_text", "system_screenshot"} <= set(capabilities["desktop"].tools)
    assert all(c.description for c in capabilities.values()) and all(f.description for f in families.values())


def test_capability_operations_are_not_served_locally(spec: dict[str, Any]) -> None:
    # agb_local has no browser or desktop: every operation of a capability must be marked so.
    by_id = {op["operationId"]: op for _, _, op in agb_spec.operations(spec)}
    for capability in agb_spec.capabilities(spec).values():
        for operation_id in capability.operations:
            assert agb_spec.unsupported_locally(by_id[operation_id]), f"{operation_id} needs x-agb-local: unsupported"


@pytest.mark.parametrize(
    "change, error",
    [
        (lambda s: s["x-agb-capabilities"]["browser"]["operations"].append("noSuchOp"), "no operation 'noSuchOp'"),
        (lambda s: s["x-agb-capabilities"]["desktop"]["tools"].update(shell="x"), "'shell' is a tool of x-agb-tools"),
        (lambda s: s["x-agb-capabilities"]["desktop"]["tools"].update(stopChrome="x"), "of browser and desktop"),
        (lambda s: s["x-agb-images"]["families"]["code-space"]["capabilities"].append("gpu"), "no capability 'gpu'"),
        (lambda s: s["x-agb-images"]["families"]["code-space"]["images"].append("browser_latest"), "in code-space"),
    ],
)
def test_a_malformed_family_or_capability_is_refused(spec: dict[str, Any], change: Any, error: str) -> None:
    broken = copy.deepcopy(spec)
    change(broken)
    with pytest.raises(ValueError, match=re.escape(error)):
        agb_spec.image_families(broken)


# ----------------------------------------------------------------------------- the generated facts


def test_the_generated_facts_agree_with_the_spec(spec: dict[str, Any]) -> None:
    from agb_api import facts

    assert agb_spec.idempotent_operations(spec) == facts.IDEMPOTENT_OPERATIONS
    assert frozenset(agb_spec.tools(spec)) == facts.TOOLS
    assert agb_spec.read_only_tools(spec) == facts.READ_ONLY_TOOLS
    assert agb_spec.writing_tools(spec) == facts.WRITING_TOOLS
    assert agb_spec.languages(spec) == facts.LANGUAGES
    assert agb_spec.language_aliases(spec) == facts.LANGUAGE_ALIASES
    assert agb_spec.default_image_id(spec) == facts.DEFAULT_IMAGE_ID
    assert agb_spec.default_images(spec) == facts.DEFAULT_IMAGES
    assert agb_spec.documented_images(spec) == facts.IMAGE_FAMILIES
    families = agb_spec.image_families(spec)
    assert {name: family.capabilities for name, family in families.items()} == facts.FAMILY_CAPABILITIES
    capabilities = agb_spec.capabilities(spec)
    assert {name: frozenset(c.operations) for name, c in capabilities.items()} == facts.CAPABILITY_OPERATIONS
    assert {name: frozenset(c.tools) for name, c in capabilities.items()} == facts.CAPABILITY_TOOLS
    limits = agb_spec.limits(spec)
    assert limits
    for limit in limits.values():
        assert getattr(facts, limit.constant) == limit.value, limit.where
    source = (ROOT / "generated" / "agb_api" / "facts.py").read_text()
    for limit in limits.values():
        assert f"{limit.constant}: Final[int] = {limit.value}  # {limit.where}\n" in source


# ----------------------------------------------------------------------------- no second copy


SEARCHED = [
    *sorted((ROOT / "agb").rglob("*.py")),
    *sorted((ROOT / "agb_contract").rglob("*.py")),
    *sorted((ROOT / "agb_local").rglob("*.py")),
    *sorted(
        p for p in (ROOT / "tools").iterdir() if p.is_file() and p.read_bytes().startswith(b"#!/usr/bin/env python")
    ),
    *sorted((ROOT / "tests" / "spec").glob("*.py")),
]


def _strings(node: ast.AST) -> list[str]:
    elements = node.elts if isinstance(node, ast.Set | ast.List | ast.Tuple) else []
    return [e.value for e in elements if isinstance(e, ast.Constant) and isinstance(e.value, str)]


def copies_of_facts(source: str, spec: dict[str, Any]) -> list[str]:
    """Literals that restate a fact: a collection naming three tools or two aliases, a dict of aliases to their
    languages. (A dict from tool names to their implementations, like the agent's dispatch table, is code, not a
    copy: its values are functions.)"""
    tool_names = set(agb_spec.tools(spec))
    aliases = {k: v for k, v in agb_spec.language_aliases(spec).items() if k != v}
    found = []
    for node in ast.walk(ast.parse(source)):
        names = _strings(node)
        if len([n for n in names if n in tool_names]) >= 3:
            found.append(f"line {node.lineno}: a collection of tool names {sorted(set(names) & tool_names)}")
        if len([n for n in names if n in aliases]) >= 2:
            found.append(f"line {node.lineno}: a collection of language aliases {sorted(set(names) & set(aliases))}")
        if isinstance(node, ast.Dict):
            pairs = [
                (k.value, v.value)
                for k, v in zip(node.keys, node.values, strict=True)
                if isinstance(k, ast.Constant) and isinstance(v, ast.Constant) and isinstance(v.value, str)
            ]
            if len([k for k, v in pairs if aliases.get(k) == v]) >= 2:
                found.append(f"line {node.lineno}: a table of language aliases")
            values = [v for v in node.values if isinstance(v, ast.Constant)]
            keys = [k.value for k in node.keys if isinstance(k, ast.Constant)]
            if len([k for k in keys if k in tool_names]) >= 3 and len(values) == len(node.values):
                found.append(f"line {node.lineno}: a table of tool names to values {sorted(set(keys) & tool_names)}")
    return found


def test_the_search_finds_a_copy(spec: dict[str, Any]) -> None:
    copies = [
        'WRITING = frozenset({"write_file", "edit_file", "shell"})',
        'ALIASES = {"py": "python", "js": "javascript"}',
        '_PYTHON = ("python", "py", "python3")',
        'RETRY = {"read_file": True, "get_file_info": True, "list_directory": True}',
    ]
    for source in copies:
        assert copies_of_facts(source, spec), source
    dispatch = 'TOOLS = {"shell": run_shell, "read_file": lambda a: read(a), "write_file": write}'
    assert copies_of_facts(dispatch, spec) == []


@pytest.mark.parametrize("path", SEARCHED, ids=lambda p: str(Path(p).relative_to(ROOT)))
def test_no_source_restates_the_tool_sets_or_aliases(spec: dict[str, Any], path: Path) -> None:
    found = copies_of_facts(path.read_text(), spec)
    assert not found, f"{path.relative_to(ROOT)} restates facts of the spec (read them through agb_spec): {found}"


def test_no_source_restates_the_default_image(spec: dict[str, Any]) -> None:
    default = agb_spec.default_image_id(spec)
    for path in SEARCHED:
        if path.parent.name == "spec" and path.parent.parent.name == "tests":
            continue  # the tests name images on purpose
        for node in ast.walk(ast.parse(path.read_text())):
            assert not (isinstance(node, ast.Constant) and node.value == default), (
                f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', '?')} names the default image {default!r}; "
                "read it with agb_spec.default_image_id()"
            )


def test_the_sdk_restates_no_limit(spec: dict[str, Any]) -> None:
    """The SDK's limits come from agb_api.facts: no number of agb/ equals a limit of the spec (the small ones,
    like 1 or 10, are too common to search for)."""
    limits = {limit.value for limit in agb_spec.limits(spec).values() if isinstance(limit.value, int)}
    distinctive = {value for value in limits if value >= 1000}
    assert distinctive
    for path in sorted((ROOT / "agb").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and type(node.value) is int:
                assert node.value not in distinctive, (
                    f"{path.relative_to(ROOT)}:{node.lineno} restates the limit {node.value}; use agb_api.facts"
                )


# ----------------------------------------------------------------------------- OpenAPI -> JSON Schema


def errors(spec: Any, schema: dict[str, Any], value: Any) -> list[str]:
    return [e.message for e in Draft4Validator(agb_spec.json_schema(spec, schema)).iter_errors(value)]


def test_nullable_allows_null_and_only_null_besides_the_type(spec: dict[str, Any]) -> None:
    output = {"$ref": "#/components/schemas/RunCodeOutput"}
    base = {"result": [], "stdout": [], "stderr": []}
    assert errors(spec, output, {**base, "executionError": None, "error": None, "execution_count": None}) == []
    assert errors(spec, output, {**base, "execution_count": "1"})
    assert errors(spec, output, {**base, "error": {"name": "E"}}), "a non-null error keeps its required fields"
    assert errors(spec, output, {**base, "execution_time": None}), "not nullable"


def test_nullable_beside_combinators_and_enums() -> None:
    doc: dict[str, Any] = {
        "paths": {},
        "components": {
            "schemas": {
                "Obj": {"type": "object", "required": ["a"]},
                "Both": {"allOf": [{"$ref": "#/components/schemas/Obj"}], "nullable": True},
                "Color": {"type": "string", "enum": ["red"], "nullable": True},
            }
        },
    }
    both, color = {"$ref": "#/components/schemas/Both"}, {"$ref": "#/components/schemas/Color"}
    assert errors(doc, both, None) == [] and errors(doc, both, {"a": 1}) == [] and errors(doc, both, {})
    assert errors(doc, color, None) == [] and errors(doc, color, "red") == [] and errors(doc, color, "blue")


def test_keywords_are_dropped_but_property_names_kept() -> None:
    doc: dict[str, Any] = {
        "paths": {},
        "components": {
            "schemas": {
                "Named": {
                    "type": "object",
                    "example": {"example": 1},
                    "x-agb-json-schema": {"$ref": "#/components/schemas/Named"},
                    "properties": {"example": {"type": "integer"}, "nullable": {"type": "string", "example": "x"}},
                }
            }
        },
    }
    assert agb_spec.json_schema(doc, {"$ref": "#/components/schemas/Named"}) == {
        "type": "object",
        "properties": {"example": {"type": "integer"}, "nullable": {"type": "string"}},
    }


def test_a_recursive_schema_is_refused() -> None:
    doc: dict[str, Any] = {
        "paths": {},
        "components": {"schemas": {"Loop": {"items": {"$ref": "#/components/schemas/Loop"}}}},
    }
    with pytest.raises(ValueError, match="recursive"):
        agb_spec.json_schema(doc, {"$ref": "#/components/schemas/Loop"})
