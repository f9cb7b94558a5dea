"""The options of a run."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import agb_spec

# The images the spec says are offered by default (x-agb-images); override with --image-id.
DEFAULT_IMAGES = tuple(agb_spec.default_images())
DEFAULT_SEED = 20261124


@dataclasses.dataclass
class Options:
    """What a run does, and how much of it."""

    max_examples: int = 100
    seed: int = DEFAULT_SEED
    image_ids: tuple[str, ...] = DEFAULT_IMAGES
    max_sessions: int = 8
    payload_examples: int = 50
    max_steps: int = 15
    stateful_examples: int | None = None
    schemathesis: bool = True
    payloads: bool = True
    spec_path: Path | None = None  # None: the spec shipped with agb_spec
    other_api_key: str | None = None  # a second tenant of the same backend, for agb_tenant_isolation
