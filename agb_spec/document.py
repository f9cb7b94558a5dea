"""The spec document: where it is, loading it once, following its `$ref`s, walking its operations."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

Spec = Mapping[str, Any]
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def spec_path() -> Path:
    """openapi/agb.yaml, shipped as this package's agb.yaml (a link to it in a checkout)."""
    return Path(str(files("agb_spec").joinpath("agb.yaml"))).resolve()


def load(path: str | Path | None = None) -> Spec:
    """The spec at `path` (default: the package's), parsed once per file and shared: do not change it."""
    return _load(str(Path(path).resolve()) if path is not None else str(spec_path()))


@functools.lru_cache(maxsize=8)
def _load(path: str) -> Spec:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser when PyYAML has it: 10x faster
    with open(path, encoding="utf-8") as f:
        doc = yaml.load(f, Loader=loader)
    if not isinstance(doc, dict) or "paths" not in doc:
        raise ValueError(f"{path} is not an OpenAPI document")
    return doc


def pointer(spec: Spec, ref: str) -> Any:
    """The node a local reference (`#/components/schemas/X`) names."""
    if not ref.startswith("#/"):
        raise ValueError(f"only local $refs are supported, not {ref!r}")
    node: Any = spec
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def resolve(spec: Spec, node: Any) -> Any:
    """`node` with its `$ref` chain followed (a parameter, a request body, a response or a schema)."""
    seen = 0
    while isinstance(node, Mapping) and "$ref" in node:
        seen += 1
        if seen > 32:
            raise ValueError(f"$ref loop at {node['$ref']!r}")
        node = pointer(spec, node["$ref"])
    return node


def operations(spec: Spec) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
    """(path, method, operation) for every operation of the spec, in document order."""
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation
