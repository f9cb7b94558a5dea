"""The image catalogue: which sandbox flavours exist, what languages they offer, the Python packages
their environment holds (built by environments.py), extra env."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import agb_spec

BUILTIN_FILE = Path(__file__).with_name("images.toml")
DEFAULT_IMAGE_ID = agb_spec.default_image_id()  # the spec's (x-agb-images), unless a user file sets `default`
KNOWN_LANGUAGES = agb_spec.languages()  # the spec's (x-agb-languages of RunCodeArgs.language)
NETWORK_MODES = ("none", "egress")  # egress: the internet, never the host (see network.py)
# A requirement string as pip takes it (``pandas>=2``, ``numpy==2.1.*``, ``pkg[extra]; python_version>"3"``).
# It must start with a project name: anything starting with "-" would be a pip option, not a package.
_REQUIREMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9._, -]*\])?\s*([<>=!~;@ (].*)?$")


@dataclass(frozen=True)
class Image:
    id: str
    description: str = ""
    languages: tuple[str, ...] = ("python", "javascript")
    env: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}), hash=False)
    # Requirement strings of the image's Python environment.  Empty: the sandbox runs on the server's own
    # interpreter and whatever it holds (no build needed).
    packages: tuple[str, ...] = ()
    network: str = "none"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "description": self.description,
            "languages": list(self.languages),
            "env": dict(self.env),
            "packages": list(self.packages),
            "network": self.network,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Image:
        return cls(
            id=str(data["id"]),
            description=str(data.get("description", "")),
            languages=tuple(data.get("languages", ())),
            env=MappingProxyType(dict(data.get("env", {}))),
            packages=tuple(str(p) for p in data.get("packages", ())),
            network=str(data.get("network", "none")),
        )


def _parse(path: Path) -> tuple[dict[str, Image], str | None]:
    try:
        with path.open("rb") as fh:
            doc = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{path}: cannot read image catalogue: {exc}") from exc
    images: dict[str, Image] = {}
    table = doc.get("images", {})
    if not isinstance(table, dict):
        raise ValueError(f"{path}: [images] must be a table")
    for image_id, spec in table.items():
        where = f"{path}: images.{image_id}"
        if not isinstance(spec, dict):
            raise ValueError(f"{where} must be a table")
        languages = spec.get("languages", ["python", "javascript"])
        if not isinstance(languages, list) or not all(isinstance(x, str) for x in languages):
            raise ValueError(f"{where}.languages must be a list of strings")
        unknown = [x for x in languages if x not in KNOWN_LANGUAGES]
        if unknown:
            raise ValueError(f"{where}.languages: unknown {unknown}; known: {', '.join(KNOWN_LANGUAGES)}")
        env = spec.get("env", {})
        if not isinstance(env, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in env.items()):
            raise ValueError(f"{where}.env must map strings to strings")
        description = spec.get("description", "")
        if not isinstance(description, str):
            raise ValueError(f"{where}.description must be a string")
        packages = spec.get("packages", [])
        if not isinstance(packages, list) or not all(isinstance(x, str) for x in packages):
            raise ValueError(f"{where}.packages must be a list of requirement strings")
        bad = [x for x in packages if not _REQUIREMENT.match(x.strip()) or "\n" in x]
        if bad:
            raise ValueError(f"{where}.packages: {bad[0]!r} is not a requirement string (e.g. 'pandas>=2')")
        network = spec.get("network", "none")
        if network not in NETWORK_MODES:
            raise ValueError(f"{where}.network must be one of {', '.join(NETWORK_MODES)}")
        images[image_id] = Image(
            image_id,
            description,
            tuple(languages),
            MappingProxyType(dict(env)),
            tuple(x.strip() for x in packages),
            network,
        )
    default = doc.get("default")
    if default is not None and not isinstance(default, str):
        raise ValueError(f"{path}: default must be a string")
    return images, default


def load_images(extra_path: Path | None = None) -> dict[str, Image]:
    """The built-in images, then those of ``extra_path`` (same TOML format), which win by id."""
    images, _ = _parse(BUILTIN_FILE)
    if extra_path is not None:
        extra, _ = _parse(Path(extra_path))
        images.update(extra)
    return images


def default_image_id(extra_path: Path | None = None) -> str:
    """The default image id: the user file's ``default`` if set, else the spec's."""
    _, default = _parse(BUILTIN_FILE)
    if extra_path is not None:
        _, extra_default = _parse(Path(extra_path))
        default = extra_default or default
    return default or DEFAULT_IMAGE_ID
