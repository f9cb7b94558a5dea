from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import agb_spec

ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = ROOT / "openapi" / "agb.yaml"


@pytest.fixture(scope="session")
def spec() -> dict[str, Any]:
    return dict(agb_spec.load(SPEC_PATH))
