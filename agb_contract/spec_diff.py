"""``agb-spec diff OLD NEW``: what a change of an OpenAPI spec breaks, for clients and for servers.

Two audiences read a spec change differently. **Clients generated from OLD** send what OLD allows and read
what OLD promises: they break when a reply field goes away or may now be missing or null, when a request
needs something they never send, when the values they send are no longer accepted, or when replies carry
values they were never told about. **Servers implementing OLD** accept what OLD allows and send what OLD
promises: they break when clients may now send more (a looser request, a new enum value, a new operation or
tool to serve) or when replies must now carry more.

Every rule below is classified for both. Schemas are compared in a *direction*: request (parameters, bodies,
tool arguments) or reply (responses, tool outputs), including the schemas of JSON carried inside strings
(``x-agb-json-schema``) and the tools of ``x-agb-tools``, which are part of the wire.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

import agb_spec
from agb_spec import METHODS

Direction = Literal["request", "reply"]
# Constraint keywords: which way is tighter. Upper bounds tighten by going down, lower bounds by going up.
UPPER_BOUNDS = ("maxLength", "maximum", "maxItems", "maxProperties")
LOWER_BOUNDS = ("minLength", "minimum", "minItems", "minProperties")


@dataclass(frozen=True)
class Change:
    """One difference: where, what, the rule it falls under, and whom it breaks."""

    where: str
    what: str
    rule: str
    breaks_clients: bool
    breaks_servers: bool

    @property
    def breaking(self) -> bool:
        return self.breaks_clients or self.breaks_servers


def _tightened(direction: Direction) -> tuple[bool, bool]:
    """(clients, servers) broken by a constraint that accepts less: old clients may send what is refused;
    old servers may send what new clients refuse."""
    return (True, False) if direction == "request" else (False, True)


def _loosened(direction: Direction) -> tuple[bool, bool]:
    """(clients, servers) broken by a constraint that accepts more: old servers may be sent what they refuse;
    old clients may read what they cannot handle."""
    return (False, True) if direction == "request" else (True, False)


class _Differ:
    def __init__(self, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
        self.old, self.new = old, new
        self.changes: list[Change] = []
        self._seen: set[tuple[int, int, str]] = set()

    def add(self, where: str, what: str, rule: str, breaks: tuple[bool, bool]) -> None:
        self.changes.append(Change(where, what, rule, breaks[0], breaks[1]))

    # ---------------------------------------------------------------- schemas

    def resolve(self, spec: Mapping[str, Any], node: Any) -> Any:
        depth = 0
        while isinstance(node, Mapping) and "$ref" in node and depth < 64:
            ref = node["$ref"]
            if not isinstance(ref, str) or not ref.startswith("#/"):
                return node
            target: Any = spec
            for part in ref[2:].split("/"):
                target = target.get(part, {}) if isinstance(target, Mapping) else {}
            node, depth = target, depth + 1
        return node

    def flatten(self, spec: Mapping[str, Any], schema: Any) -> dict[str, Any]:
        """`schema` resolved, with ``allOf`` parts merged (properties and required lists joined)."""
        schema = self.resolve(spec, schema)
        if not isinstance(schema, Mapping):
            return {}
        merged = {k: v for k, v in schema.items() if k != "allOf"}
        for part in schema.get("allOf", []):
            flat = self.flatten(spec, part)
            merged.setdefault("properties", {})
            merged["properties"] = {**flat.get("properties", {}), **merged["properties"]}
            merged["required"] = sorted(set(merged.get("required", [])) | set(flat.get("required", [])))
            for key, value in flat.items():
                if key not in ("properties", "required"):
                    merged.setdefault(key, value)
        return merged

    def schema(self, old_raw: Any, new_raw: Any, where: str, direction: Direction) -> None:
        old, new = self.flatten(self.old, old_raw), self.flatten(self.new, new_raw)
        key = (id(self.resolve(self.old, old_raw)), id(self.resolve(self.new, new_raw)), direction)
        if key in self._seen:
            return
        self._seen.add(key)
        self._type(old, new, where)
        self._nullable(old, new, where, direction)
        self._enum(old, new, where, direction)
        self._bounds(old, new, where, direction)
        self._properties(old, new, where, direction)
        if "items" in old and "items" in new:
            self.schema(old["items"], new["items"], f"{where}[]", direction)
        old_extra, new_extra = old.get("additionalProperties"), new.get("additionalProperties")
        if isinstance(old_extra, Mapping) and isinstance(new_extra, Mapping):
            self.schema(old_extra, new_extra, f"{where}{{*}}", direction)
        for keyword in ("oneOf", "anyOf"):
            self._alternatives(old.get(keyword), new.get(keyword), f"{where} ({keyword})", direction)
        old_json, new_json = old.get("x-agb-json-schema"), new.get("x-agb-json-schema")
        if old_json is not None and new_json is not None:
            self.schema(old_json, new_json, f"{where} (JSON in the string)", direction)
        elif old_json is not None:
            self.add(where, "no longer declares the JSON it carries", "json-schema-removed", (True, True))

    def _type(self, old: Mapping[str, Any], new: Mapping[str, Any], where: str) -> None:
        if "type" in old and "type" in new and old["type"] != new["type"]:
            self.add(where, f"type changed from {old['type']} to {new['type']}", "type-changed", (True, True))
        elif "type" in old and "type" not in new and not any(k in new for k in ("oneOf", "anyOf", "allOf")):
            self.add(where, f"type {old['type']} no longer declared", "type-changed", (True, True))

    def _nullable(self, old: Mapping[str, Any], new: Mapping[str, Any], where: str, direction: Direction) -> None:
        was, now = old.get("nullable") is True, new.get("nullable") is True
        if now and not was:
            self.add(where, "made nullable", "made-nullable", _loosened(direction))
        elif was and not now:
            self.add(where, "no longer nullable", "made-non-nullable", _tightened(direction))

    def _enum(self, old: Mapping[str, Any], new: Mapping[str, Any], where: str, direction: Direction) -> None:
        if "enum" not in old and "enum" not in new:
            return
        if "enum" not in old:
            self.add(where, f"restricted to {new['enum']}", "enum-added", _tightened(direction))
            return
        if "enum" not in new:
            self.add(where, "no longer restricted to an enum", "enum-removed", _loosened(direction))
            return
        removed = [v for v in old["enum"] if v not in new["enum"]]
        added = [v for v in new["enum"] if v not in old["enum"]]
        if removed:
            self.add(where, f"enum values removed: {removed}", "enum-values-removed", _tightened(direction))
        if added:
            self.add(where, f"enum values added: {added}", "enum-values-added", _loosened(direction))

    def _bounds(self, old: Mapping[str, Any], new: Mapping[str, Any], where: str, direction: Direction) -> None:
        for key in (*UPPER_BOUNDS, *LOWER_BOUNDS):
            before, after = old.get(key), new.get(key)
            if before == after:
                continue
            upper = key in UPPER_BOUNDS
            if before is None:
                tighter = True
            elif after is None:
                tighter = False
            else:
                tighter = after < before if upper else after > before
            text = f"{key} {'added' if before is None else 'removed' if after is None else 'changed'}"
            text += f": {before} -> {after}"
            if tighter:
                self.add(where, f"{text} (tightened)", "constraint-tightened", _tightened(direction))
            else:
                self.add(where, f"{text} (loosened)", "constraint-loosened", _loosened(direction))
        before, after = old.get("pattern"), new.get("pattern")
        if before != after:
            if before is None:
                self.add(where, "pattern added (tightened)", "constraint-tightened", _tightened(direction))
            elif after is None:
                self.add(where, "pattern removed (loosened)", "constraint-loosened", _loosened(direction))
            else:
                self.add(where, "pattern changed", "pattern-changed", (True, True))

    def _properties(self, old: Mapping[str, Any], new: Mapping[str, Any], where: str, direction: Direction) -> None:
        old_props, new_props = old.get("properties") or {}, new.get("properties") or {}
        old_required, new_required = set(old.get("required") or []), set(new.get("required") or [])
        removed = [name for name in old_props if name not in new_props]
        added = [name for name in new_props if name not in old_props]
        renamed = len(removed) == 1 and len(added) == 1
        for name in removed:
            hint = f" (renamed to {added[0]}?)" if renamed else ""
            at = f"{where}.{name}"
            if direction == "reply":
                self.add(at, f"reply field removed{hint}", "field-removed", (True, False))
            else:
                required = name in old_required
                self.add(at, f"request field removed{hint}", "field-removed", (True, required))
        for name in added:
            at = f"{where}.{name}"
            required = name in new_required
            if direction == "request":
                kind = "required request field added" if required else "optional request field added"
                self.add(at, kind, "field-added", (required, False))
            else:
                kind = "required reply field added" if required else "optional reply field added"
                self.add(at, kind, "field-added", (False, required))
        for name in old_props:
            if name not in new_props:
                continue
            at = f"{where}.{name}"
            was, now = name in old_required, name in new_required
            if was and not now:
                rule_breaks = (True, False) if direction == "reply" else (False, True)
                self.add(at, "made optional", "made-optional", rule_breaks)
            elif now and not was:
                rule_breaks = (True, False) if direction == "request" else (False, True)
                self.add(at, "made required", "made-required", rule_breaks)
            self.schema(old_props[name], new_props[name], at, direction)

    def _alternatives(self, old: Any, new: Any, where: str, direction: Direction) -> None:
        if not isinstance(old, list) or not isinstance(new, list):
            if isinstance(old, list) != isinstance(new, list) and (old or new):
                self.add(where, "alternatives added or removed", "alternatives-changed", (True, True))
            return
        for index, (before, after) in enumerate(zip(old, new, strict=False)):
            self.schema(before, after, f"{where} #{index}", direction)
        if len(new) > len(old):
            self.add(where, f"{len(new) - len(old)} alternative(s) added", "alternatives-added", _loosened(direction))
        elif len(new) < len(old):
            what = f"{len(old) - len(new)} alternative(s) removed"
            self.add(where, what, "alternatives-removed", _tightened(direction))

    # ---------------------------------------------------------------- operations

    def operations(self) -> None:
        old_ops, new_ops = dict(_operations(self.old)), dict(_operations(self.new))
        for key, op in old_ops.items():
            label = f"{key[0].upper()} {key[1]}"
            if key not in new_ops:
                self.add(label, f"operation {op.get('operationId', '')} removed", "operation-removed", (True, False))
                continue
            self.operation(label, op, new_ops[key])
        for key, op in new_ops.items():
            if key not in old_ops:
                label = f"{key[0].upper()} {key[1]}"
                what = f"operation {op.get('operationId', '')} added (servers must serve it)"
                self.add(label, what, "operation-added", (False, True))

    def operation(self, label: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
        if old.get("operationId") != new.get("operationId"):
            what = f"operationId renamed from {old.get('operationId')} to {new.get('operationId')}"
            self.add(label, what, "operation-renamed", (True, False))
        self.parameters(label, old, new)
        old_body = self._body_schema(self.old, old.get("requestBody"))
        new_body = self._body_schema(self.new, new.get("requestBody"))
        if old_body is not None and new_body is not None:
            self.schema(old_body, new_body, f"{label} request body", "request")
        elif old_body is None and new_body is not None:
            required = bool(self.resolve(self.new, new.get("requestBody")).get("required"))
            self.add(f"{label} request body", "request body added", "field-added", (required, False))
        elif old_body is not None:
            self.add(f"{label} request body", "request body removed", "field-removed", (True, False))
        old_responses, new_responses = old.get("responses") or {}, new.get("responses") or {}
        for status, response in old_responses.items():
            where = f"{label} reply {status}"
            if status not in new_responses:
                self.add(where, "response removed", "response-removed", (False, str(status).startswith("2")))
                continue
            before = self._body_schema(self.old, response)
            after = self._body_schema(self.new, new_responses[status])
            if before is not None and after is not None:
                self.schema(before, after, where, "reply")
        for status in new_responses:
            if status not in old_responses:
                self.add(f"{label} reply {status}", "response added", "response-added", (True, False))
        self.tools(label, old.get("x-agb-tools") or {}, new.get("x-agb-tools") or {})

    def parameters(self, label: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
        def by_key(spec: Mapping[str, Any], op: Mapping[str, Any]) -> dict[tuple[str, str], Mapping[str, Any]]:
            found = {}
            for raw in op.get("parameters") or []:
                param = self.resolve(spec, raw)
                found[(param.get("in", ""), param.get("name", ""))] = param
            return found

        old_params, new_params = by_key(self.old, old), by_key(self.new, new)
        for key, param in old_params.items():
            where = f"{label} {key[0]} parameter {key[1]}"
            if key not in new_params:
                self.add(where, "parameter removed", "parameter-removed", (True, param.get("required") is True))
                continue
            now = new_params[key]
            was_required, is_required = param.get("required") is True, now.get("required") is True
            if is_required and not was_required:
                self.add(where, "made required", "made-required", (True, False))
            elif was_required and not is_required:
                self.add(where, "made optional", "made-optional", (False, True))
            self.schema(param.get("schema", {}), now.get("schema", {}), where, "request")
        for key, param in new_params.items():
            if key not in old_params:
                where = f"{label} {key[0]} parameter {key[1]}"
                required = param.get("required") is True
                kind = "required parameter added" if required else "optional parameter added"
                self.add(where, kind, "parameter-added", (required, False))

    def tools(self, label: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
        for name, tool in old.items():
            where = f"{label} tool {name}"
            if name not in new:
                self.add(where, "tool removed", "tool-removed", (True, False))
                continue
            after = new[name]
            if "args" in tool and "args" in after:
                self.schema(tool["args"], after["args"], f"{where} args", "request")
            if "output" in tool and "output" in after:
                self.schema(tool["output"], after["output"], f"{where} output", "reply")
            for flag, unsafe_when in (("x-agb-read-only", False), ("x-agb-writes", True)):
                if flag in tool and flag in after and tool[flag] != after[flag]:
                    # A tool that stops being read-only (or starts writing) is retried unsafely by old clients.
                    breaks_clients = after[flag] is unsafe_when
                    self.add(
                        where, f"{flag} changed to {after[flag]}", "tool-semantics-changed", (breaks_clients, False)
                    )
        for name in new:
            if name not in old:
                self.add(f"{label} tool {name}", "tool added (servers must offer it)", "tool-added", (False, True))

    def _body_schema(self, spec: Mapping[str, Any], body: Any) -> Any:
        body = self.resolve(spec, body)
        if not isinstance(body, Mapping):
            return None
        content = body.get("content") or {}
        media = content.get("application/json") or next(iter(content.values()), None)
        return media.get("schema") if isinstance(media, Mapping) else None


def _operations(spec: Mapping[str, Any]) -> Iterator[tuple[tuple[str, str], Mapping[str, Any]]]:
    for path, item in (spec.get("paths") or {}).items():
        for method in METHODS:
            if isinstance(item, Mapping) and method in item:
                yield (method, path), item[method]


def diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """Every difference between two specs that the rules above classify, in spec order."""
    differ = _Differ(old, new)
    differ.operations()
    return differ.changes


# ---------------------------------------------------------------- the command


class BadInput(Exception):
    """A file that cannot be read, or is not what the command needs."""


def load(path: str | Path) -> Mapping[str, Any]:
    """An OpenAPI document (YAML or JSON); BadInput when it cannot be read or has no `paths`."""
    if not Path(path).is_file():
        raise BadInput(f"cannot read {path}: no such file")
    try:
        return agb_spec.load(path)
    except (OSError, yaml.YAMLError) as exc:
        raise BadInput(f"cannot read {path}: {exc}") from None
    except ValueError:
        raise BadInput(f"{path} is not an OpenAPI document (no `paths`)") from None


def as_json(changes: Sequence[Change]) -> list[dict[str, Any]]:
    return [{**asdict(c), "breaking": c.breaking} for c in changes]


def render(changes: Sequence[Change]) -> str:
    """The three lists as text: breaking for clients, breaking for servers, not breaking."""
    sections = (
        ("Breaking for clients generated from OLD", [c for c in changes if c.breaks_clients]),
        ("Breaking for servers implementing OLD", [c for c in changes if c.breaks_servers]),
        ("Not breaking", [c for c in changes if not c.breaking]),
    )
    lines = []
    for title, items in sections:
        lines.append(f"{title}: {len(items)}")
        lines += [f"  - {c.where}: {c.what} [{c.rule}]" for c in items]
    return "\n".join(lines)
