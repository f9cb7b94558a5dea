"""The released spec: what CI allows `openapi/agb.yaml` to change since the last release.

`openapi/released/` keeps the spec of each released version (`0.1.0.yaml`, ...). The working spec is compared
with the latest of them (`agb-spec diff`), and the policy is:

* **Breaking for clients** (clients generated from the released spec would break: a reply field removed or
  made optional, a new required request field, a request enum value removed, an operation removed, a type
  changed, ...): the package version must have bumped its breaking component since that release (the
  leftmost non-zero one, as Cargo reads semver: 0.1.0 -> 0.2.0, 1.4.2 -> 2.0.0), and CHANGELOG.md must name
  each change under `## [Unreleased]` or `## [<new version>]`.
* **Breaking for servers only** (additions clients may use but servers implementing the released spec do
  not serve yet: a new operation or tool, a required reply field, a looser request): no version bump is
  required (a backend's contract test fails until it serves them, which is what the changelog tells its
  team), but CHANGELOG.md must name each one the same way.
* **Not breaking**: nothing is required.

A change is named when its subject (the field, parameter, tool or path; an operation's operationId also
counts) appears in the section's text.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .spec_diff import BadInput, Change, diff, load

VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")
HEADING = re.compile(r"^## \[([^\]]+)\].*$", re.M)
# Words of a change's `where` that name no subject of their own.
NOT_SUBJECTS = frozenset(
    {"GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "reply", "request", "body", "query"}
    | {"path", "header", "cookie", "parameter", "tool", "args", "output", "(JSON", "in", "the", "string)"}
    | {"(oneOf)", "(anyOf)"}
)


def parse_version(text: str) -> tuple[int, int, int]:
    m = VERSION.match(text.strip())
    if not m:
        raise BadInput(f"{text!r} is not a version MAJOR.MINOR.PATCH")
    return int(m.group(1)), int(m.group(2)), int(m.group(3))


def breaking_bump(old: str, new: str) -> bool:
    """Whether `new` bumps the breaking component of `old`: the leftmost non-zero one (0.1.3 -> 0.2.0, 1.4.2 ->
    2.0.0, 0.0.3 -> 0.0.4), or a component left of it."""
    before, after = parse_version(old), parse_version(new)
    if after <= before:
        return False
    leftmost = next((i for i, part in enumerate(before) if part), 2)
    return after[: leftmost + 1] != before[: leftmost + 1]


def released_versions(released: Path) -> list[tuple[tuple[int, int, int], Path]]:
    """The released specs, oldest first."""
    found = []
    for path in released.glob("*.yaml"):
        if VERSION.match(path.stem):
            found.append((parse_version(path.stem), path))
    return sorted(found)


def changelog_sections(text: str) -> dict[str, str]:
    """The sections of a Keep a Changelog file, by the name in their heading (`Unreleased`, `0.2.0`)."""
    heads = list(HEADING.finditer(text))
    return {
        m.group(1): text[m.end() : heads[i + 1].start() if i + 1 < len(heads) else len(text)]
        for i, m in enumerate(heads)
    }


def subjects(change: Change) -> set[str]:
    """The names of which one must appear in the changelog for `change` to count as said: the last name of its
    `where` (a field, parameter, tool or path), and for an operation its operationId."""
    words = [w for w in re.split(r"[\s.]+", change.where) if w and w not in NOT_SUBJECTS and not w.isdigit()]
    names = {words[-1].removesuffix("[]").removesuffix("{*}")} if words else {change.where}
    added_or_removed = re.match(r"operation (\S+) (added|removed)", change.what)
    if added_or_removed:
        names.add(added_or_removed.group(1))
    renamed = re.search(r"renamed from (\S+) to (\S+)", change.what)
    if renamed:
        names |= {renamed.group(1), renamed.group(2)}
    return names


def mentions(text: str, name: str) -> bool:
    """`name` in `text` as a word of its own (`size` is not in `maxSize`, `/mcp` is not in `/mcp/x`)."""
    return re.search(rf"(?<![\w/]){re.escape(name)}(?![\w/])", text) is not None


@dataclasses.dataclass
class Verdict:
    released: str
    version: str
    changes: list[Change]
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def check(spec: Mapping[str, Any], released: Path, version: str, changelog: str) -> Verdict:
    """The release policy applied to the working spec, the package version and the changelog's text."""
    versions = released_versions(released)
    if not versions:
        raise BadInput(f"no released spec in {released} (files named MAJOR.MINOR.PATCH.yaml)")
    latest_key, latest_path = versions[-1]
    latest = ".".join(map(str, latest_key))
    if parse_version(version) < latest_key:
        raise BadInput(f"the package version {version} is older than the latest released spec {latest}")
    changes = diff(load(latest_path), spec)
    sections = changelog_sections(changelog)
    names = ["Unreleased"] + ([version] if version != latest else [])
    said = "\n".join(sections.get(name, "") for name in names)
    where_to = " or ".join(f"`## [{name}]`" for name in names)
    problems: list[str] = []
    for_clients = [c for c in changes if c.breaks_clients]
    for_servers = [c for c in changes if c.breaks_servers and not c.breaks_clients]
    if for_clients and not breaking_bump(latest, version):
        major, minor, _ = latest_key
        bumped = f"{major + 1}.0.0" if major else f"0.{minor + 1}.0"
        problems.append(
            f"{len(for_clients)} change(s) since the released {latest} break clients generated from it: bump the "
            f'version in pyproject.toml to {bumped} (version = "{bumped}") and say what broke in CHANGELOG.md'
        )
    for kind, items in (("breaks clients", for_clients), ("breaks servers implementing it", for_servers)):
        missing = [c for c in items if not any(mentions(said, name) for name in subjects(c))]
        if missing:
            lines = [f"  - {' or '.join(sorted(subjects(c)))}  ({c.where}: {c.what})" for c in missing]
            problems.append(
                f"CHANGELOG.md does not name {len(missing)} change(s) since the released {latest} that {kind}; "
                f"under {where_to}, mention each of:\n" + "\n".join(lines)
            )
    return Verdict(latest, version, changes, problems)


def summary(changes: Sequence[Change], released: str) -> str:
    """One line of counts, then the breaking changes."""
    clients = [c for c in changes if c.breaks_clients]
    servers = [c for c in changes if c.breaks_servers and not c.breaks_clients]
    quiet = len(changes) - len(clients) - len(servers)
    lines = [
        f"since the released {released}: {len(clients)} change(s) breaking clients, {len(servers)} breaking "
        f"servers only, {quiet} not breaking"
    ]
    lines += [f"  clients: {c.where}: {c.what} [{c.rule}]" for c in clients]
    lines += [f"  servers: {c.where}: {c.what} [{c.rule}]" for c in servers]
    return "\n".join(lines)


def project_version(pyproject: Path) -> str:
    import tomllib

    try:
        return str(tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError) as exc:
        raise BadInput(f"cannot read the version of {pyproject}: {exc}") from None
