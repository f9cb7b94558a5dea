"""Every model of the generated client round-trips values generated from its schema in the spec.

For each model in ``agb_api.models`` the spec's schema (a component, or the inline schema the generator
named the model after) is turned into JSON Schema, and hypothesis draws values from it. Each value is
first checked against the spec's own schema (OpenAPI 3.0 rules), then must decode and encode back to the
same JSON (``to_dict(from_dict(v)) == v``, compared as JSON text so ``1``, ``1.0`` and ``true`` differ),
and the decoded model must survive another trip unchanged (``from_dict(to_dict(m)) == m``). Every model
is covered: a new one without a schema here fails the run. The values come from spec_values.py.
"""

from __future__ import annotations

import copy
import importlib
import inspect
import json
import re
from typing import Any

import agb_api.models as models
import pytest
from hypothesis import given
from hypothesis import strategies as st

from .conftest import SETTINGS
from .spec_values import COMPONENTS, INLINE, spec_errors, values_of


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def codec(model: str) -> tuple[Any, Any]:
    """(decode, encode) of `model`: ``from_dict``/``to_dict`` of an attrs class; for an enum (a ``Literal``
    alias) its generated ``check_...`` function, and the identity, as the generated code encodes it."""
    obj = getattr(models, model)
    if inspect.isclass(obj):
        return obj.from_dict, lambda decoded: decoded.to_dict()
    module = importlib.import_module(f"agb_api.models.{snake(model)}")
    check = getattr(module, f"check_{snake(model)}")
    return check, lambda decoded: decoded


def as_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, allow_nan=False)


def test_every_model_has_a_schema() -> None:
    missing = [name for name in models.__all__ if name not in COMPONENTS and name not in INLINE]
    assert missing == [], "models with no schema to generate values from"
    assert set(INLINE) <= set(models.__all__), "stale entries"


@pytest.mark.parametrize("model", sorted(models.__all__))
@SETTINGS
@given(data=st.data())
def test_decode_encode_round_trip(model: str, data: st.DataObject) -> None:
    value = data.draw(values_of(model), label=model)
    assert spec_errors(model, value) == [], "the generated value does not fit the spec"
    original = copy.deepcopy(value)
    decode, encode = codec(model)
    decoded = decode(value)
    encoded = encode(decoded)
    assert as_json(encoded) == as_json(original), "to_dict(from_dict(v)) != v"
    assert as_json(value) == as_json(original), "from_dict changed its input"
    assert decode(copy.deepcopy(encoded)) == decoded, "from_dict(to_dict(m)) != m"
