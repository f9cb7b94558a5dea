"""openapi/agb.yaml as a package: the spec itself (package data), its schemas as JSON Schema, and the protocol
facts it records (tool semantics, languages, images and their families, capabilities, limits, what agb_local
does not serve).

agb_local, the contract tool, the spec tests and tools/regenerate (which writes `agb_api.facts` for the SDK)
read the spec through this package. It imports none of agb, agb_api or agb_local, and needs only PyYAML.
"""

from __future__ import annotations

from .document import METHODS, Spec, load, operations, pointer, resolve, spec_path
from .facts import (
    LOCAL_NOT_OFFERED_CODE,
    LOCAL_NOT_OFFERED_STATUS,
    Capability,
    ImageFamily,
    Limit,
    Tool,
    capabilities,
    default_image_id,
    default_images,
    documented_images,
    idempotent_operations,
    image_families,
    language_aliases,
    languages,
    limits,
    locally_unsupported_operations,
    read_only_tools,
    tools,
    unsupported_locally,
    writing_tools,
)
from .schemas import json_schema

__all__ = [
    "LOCAL_NOT_OFFERED_CODE",
    "LOCAL_NOT_OFFERED_STATUS",
    "METHODS",
    "Capability",
    "ImageFamily",
    "Limit",
    "Spec",
    "Tool",
    "capabilities",
    "default_image_id",
    "default_images",
    "documented_images",
    "idempotent_operations",
    "image_families",
    "json_schema",
    "language_aliases",
    "languages",
    "limits",
    "load",
    "locally_unsupported_operations",
    "operations",
    "pointer",
    "read_only_tools",
    "resolve",
    "spec_path",
    "tools",
    "unsupported_locally",
    "writing_tools",
]
