"""Copies of the spec with operations agb_local has no handler for, as a maintainer adding them would write them."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

import agb_spec

# A cloud operation agb_local does not serve, marked so.
UNSUPPORTED_PATH = "/mcp/getLinkExample"
UNSUPPORTED: dict[str, Any] = {
    "post": {
        "tags": ["sessions"],
        "operationId": "getLinkExample",
        "x-agb-idempotent": False,
        "summary": "A cloud feature",
        "description": "An operation of the AGB cloud that agb_local does not serve.",
        "x-agb-local": "unsupported",
        "security": [{"bearerAuth": []}],
        "requestBody": {"$ref": "#/components/requestBodies/SessionIdBody"},
        "responses": {
            "200": {
                "description": "Done.",
                "headers": {"x-request-id": {"$ref": "#/components/headers/RequestId"}},
                "content": {
                    "application/json": {
                        "schema": {"$ref": "#/components/schemas/EmptyDataResponse"},
                        "example": {"success": True, "code": "ok", "message": "", "requestId": "R", "data": None},
                    }
                },
            },
            "400": {"$ref": "#/components/responses/BadRequest"},
            "401": {"$ref": "#/components/responses/Unauthorized"},
            "404": {"$ref": "#/components/responses/SessionNotFound"},
            "500": {"$ref": "#/components/responses/ServerError"},
            "501": {"$ref": "#/components/responses/NotOffered"},
        },
    }
}
# A new operation nobody has implemented or marked yet, with a parameter kind agb_local's router does not take.
UNMARKED_PATH = "/sdk/NewOperationExample"
UNMARKED: dict[str, Any] = {
    "get": {
        "tags": ["sessions"],
        "operationId": "newOperationExample",
        "x-agb-idempotent": True,
        "summary": "Not implemented yet",
        "description": "Added to the spec before agb_local.",
        "parameters": [{"name": "x-thing", "in": "header", "schema": {"type": "string"}}],
        "responses": {"401": {"$ref": "#/components/responses/Unauthorized"}},
    }
}


def spec_with_extra_operations(dest: Path, *, unmarked: bool = True) -> Path:
    """openapi/agb.yaml with UNSUPPORTED (and UNMARKED) added, written to `dest`/agb.yaml."""
    doc = copy.deepcopy(dict(agb_spec.load()))
    doc["paths"][UNSUPPORTED_PATH] = copy.deepcopy(UNSUPPORTED)
    if unmarked:
        doc["paths"][UNMARKED_PATH] = copy.deepcopy(UNMARKED)
    path = dest / "agb.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
