"""The protocol facts the spec records, read from it: which operations and tools are safe to retry, languages,
images, limits, and the operations agb_local does not serve.

Every accessor takes the spec (default: the package's), so a tool can read a copy under change. Where a fact
lives in the spec is said in the spec's own description ("Protocol facts").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from .document import Spec, load, operations, resolve

LOCAL_EXTENSION = "x-agb-local"
LOCAL_UNSUPPORTED = "unsupported"
LOCAL_NOT_OFFERED_STATUS = 501
LOCAL_NOT_OFFERED_CODE = "NotImplemented.LocalBackend"


@dataclass(frozen=True)
class Tool:
    """One entry of the `/mcp` operation's `x-agb-tools`."""

    name: str
    description: str
    args: Mapping[str, Any]  # the `*Args` schema node (a $ref)
    output: Mapping[str, Any]  # the `*Output` schema node (a $ref)
    read_only: bool  # changes nothing: safe to retry
    writes: bool  # stores data in the session: refused while it is over its disk quota


@dataclass(frozen=True)
class Limit:
    """A number the protocol bounds or defaults, with the name code knows it by."""

    name: str  # camelCase, as in the spec (`labelsMaxChars`)
    value: int
    where: str  # where in the spec, e.g. `components.schemas.LabelsJson.maxLength`

    @property
    def constant(self) -> str:
        """The UPPER_SNAKE name of the generated constant (`LABELS_MAX_CHARS`)."""
        return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", self.name).upper()


def _spec(spec: Spec | None) -> Spec:
    return load() if spec is None else spec


def _flag(entry: Mapping[str, Any], key: str, tool: str) -> bool:
    value = entry.get(key)
    if not isinstance(value, bool):
        raise ValueError(f"x-agb-tools.{tool} must say {key}: true or false, not {value!r}")
    return value


def tools(spec: Spec | None = None) -> dict[str, Tool]:
    """The tools of the code images, by name, in the spec's order."""
    declared = _spec(spec)["paths"]["/mcp"]["post"]["x-agb-tools"]
    return {
        name: Tool(
            name=name,
            description=str(entry.get("description", "")),
            args=entry["args"],
            output=entry["output"],
            read_only=_flag(entry, "x-agb-read-only", name),
            writes=_flag(entry, "x-agb-writes", name),
        )
        for name, entry in declared.items()
    }


def read_only_tools(spec: Spec | None = None) -> frozenset[str]:
    return frozenset(name for name, tool in tools(spec).items() if tool.read_only)


def writing_tools(spec: Spec | None = None) -> frozenset[str]:
    return frozenset(name for name, tool in tools(spec).items() if tool.writes)


def idempotent_operations(spec: Spec | None = None) -> frozenset[str]:
    """The operationIds a client may retry after the request left (`x-agb-idempotent: true`)."""
    found = set()
    for path, method, op in operations(_spec(spec)):
        flag = op.get("x-agb-idempotent")
        if not isinstance(flag, bool):
            raise ValueError(f"{method.upper()} {path} must say x-agb-idempotent: true or false, not {flag!r}")
        if flag:
            found.add(str(op["operationId"]))
    return frozenset(found)


def _languages(spec: Spec | None) -> Mapping[str, list[str]]:
    schema = resolve(_spec(spec), {"$ref": "#/components/schemas/RunCodeArgs"})
    declared: Mapping[str, list[str]] = schema["properties"]["language"]["x-agb-languages"]
    return declared


def languages(spec: Spec | None = None) -> tuple[str, ...]:
    """The canonical language names `run_code` takes, as sent on the wire."""
    return tuple(_languages(spec))


def language_aliases(spec: Spec | None = None) -> dict[str, str]:
    """Every accepted name (lower case) to its canonical name; a canonical name maps to itself."""
    out: dict[str, str] = {}
    for canonical, aliases in _languages(spec).items():
        for name in (canonical, *aliases):
            if name in out:
                raise ValueError(f"x-agb-languages: {name!r} names two languages")
            out[name] = canonical
    return out


def default_images(spec: Spec | None = None) -> dict[str, str]:
    """The images offered by default, id to description."""
    offered: Mapping[str, str] = _spec(spec)["x-agb-images"]["offered"]
    return dict(offered)


def default_image_id(spec: Spec | None = None) -> str:
    """The image a session starts from when the request names none."""
    images = _spec(spec)["x-agb-images"]
    default = images["default"]
    if default not in images["offered"]:
        raise ValueError(f"x-agb-images.default {default!r} is not one of the offered images")
    return str(default)


@dataclass(frozen=True)
class Capability:
    """One entry of `x-agb-capabilities`: what a family with it offers beyond the code tools."""

    name: str  # `browser`, `desktop`
    description: str
    operations: tuple[str, ...]  # operationIds
    tools: Mapping[str, str]  # tool name to description


@dataclass(frozen=True)
class ImageFamily:
    """One entry of `x-agb-images.families`: image ids of the vendor's docs and the capabilities they have."""

    name: str
    description: str
    images: tuple[str, ...]
    capabilities: tuple[str, ...]


def capabilities(spec: Spec | None = None) -> dict[str, Capability]:
    """The capabilities by name; their operations exist and their tools are not code tools."""
    doc = _spec(spec)
    operation_ids = {str(op["operationId"]) for _, _, op in operations(doc)}
    code_tools = set(tools(doc))
    found: dict[str, Capability] = {}
    owner: dict[str, str] = {}
    for name, entry in (doc.get("x-agb-capabilities") or {}).items():
        ops = tuple(str(o) for o in entry.get("operations") or ())
        named = {str(k): str(v) for k, v in (entry.get("tools") or {}).items()}
        for op in ops:
            if op not in operation_ids:
                raise ValueError(f"x-agb-capabilities.{name}: no operation {op!r}")
        for tool in named:
            if tool in code_tools:
                raise ValueError(f"x-agb-capabilities.{name}: {tool!r} is a tool of x-agb-tools")
            if tool in owner:
                raise ValueError(f"x-agb-capabilities: {tool!r} is a tool of {owner[tool]} and {name}")
            owner[tool] = name
        found[name] = Capability(name, str(entry.get("description", "")), ops, MappingProxyType(named))
    return found


def image_families(spec: Spec | None = None) -> dict[str, ImageFamily]:
    """The image families by name; each image is in one family, each capability is defined."""
    doc = _spec(spec)
    known = capabilities(doc)
    found: dict[str, ImageFamily] = {}
    family_of: dict[str, str] = {}
    for name, entry in (doc["x-agb-images"].get("families") or {}).items():
        images = tuple(str(i) for i in entry.get("images") or ())
        caps = tuple(str(c) for c in entry.get("capabilities") or ())
        for cap in caps:
            if cap not in known:
                raise ValueError(f"x-agb-images.families.{name}: no capability {cap!r} in x-agb-capabilities")
        for image in images:
            if image in family_of:
                raise ValueError(f"x-agb-images.families: {image!r} is in {family_of[image]} and {name}")
            family_of[image] = name
        found[name] = ImageFamily(name, str(entry.get("description", "")), images, caps)
    return found


def documented_images(spec: Spec | None = None) -> dict[str, str]:
    """Every image id of the families, to its family's name."""
    return {image: family.name for family in image_families(spec).values() for image in family.images}


def limits(spec: Spec | None = None) -> dict[str, Limit]:
    """Every limit by name: the field constraints named by `x-agb-limit-names`, then `x-agb-limits`."""
    doc = _spec(spec)
    found: dict[str, Limit] = {}

    def add(limit: Limit) -> None:
        if limit.name in found:
            raise ValueError(f"the limit {limit.name} is defined twice: {found[limit.name].where}, {limit.where}")
        if isinstance(limit.value, bool) or not isinstance(limit.value, int):
            raise ValueError(f"the limit {limit.name} ({limit.where}) is not a whole number: {limit.value!r}")
        found[limit.name] = limit

    def walk(node: Any, where: str) -> None:
        if isinstance(node, Mapping):
            for keyword, name in (node.get("x-agb-limit-names") or {}).items():
                if keyword not in node:
                    raise ValueError(f"{where}: x-agb-limit-names names {keyword}, which the schema does not have")
                add(Limit(name, node[keyword], f"{where}.{keyword}"))
            for key, value in node.items():
                if key.startswith("x-agb-limit"):
                    continue
                walk(value, f"{where}.{key}" if where else key)
        elif isinstance(node, list):
            for index, value in enumerate(node):
                named = value.get("name") if isinstance(value, Mapping) else None
                walk(value, f"{where}[{named}]" if isinstance(named, str) else f"{where}[{index}]")

    walk({k: v for k, v in doc.items() if not k.startswith("x-")}, "")
    for name, entry in (doc.get("x-agb-limits") or {}).items():
        add(Limit(name, entry["value"], f"x-agb-limits.{name}"))
    return found


def unsupported_locally(operation: Mapping[str, Any]) -> bool:
    """Whether agb_local leaves this operation (a cloud feature) unserved, answering it with `NotOffered`."""
    return operation.get(LOCAL_EXTENSION) == LOCAL_UNSUPPORTED


def locally_unsupported_operations(spec: Spec | None = None) -> list[str]:
    """The operationIds marked `x-agb-local: unsupported`."""
    return [str(op["operationId"]) for _, _, op in operations(_spec(spec)) if unsupported_locally(op)]
