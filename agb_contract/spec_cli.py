"""`agb-spec`: versions of the AGB OpenAPI spec, from the command line.

    agb-spec diff OLD NEW [--json] [--fail-on any|clients|servers|none] [--allow-breaking]
    agb-spec release-check [--spec FILE] [--released DIR] [--pyproject FILE] [--changelog FILE]

Exit status: 0 when nothing fails, 1 when something breaks (diff) or the release policy is not met
(release-check), 2 when an input cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from . import release
from .spec_diff import BadInput, as_json, diff, load, render

PROG = "agb-spec"


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=PROG, description="Tools for versions of the AGB OpenAPI spec.")
    commands = p.add_subparsers(dest="command", required=True)
    compare = commands.add_parser(
        "diff",
        help="what changing OLD into NEW breaks, for clients and for servers",
        description="Report the changes from OLD to NEW, classified as breaking for clients generated from OLD, "
        "for servers implementing OLD, or not breaking. Exit 0 when nothing breaks the side(s) asked for (or "
        "with --allow-breaking), 1 when something does, 2 on bad input.",
    )
    compare.add_argument("old", help="the previous spec (YAML or JSON)")
    compare.add_argument("new", help="the new spec")
    compare.add_argument("--json", action="store_true", help="print the changes as a JSON array")
    compare.add_argument(
        "--fail-on", choices=("any", "clients", "servers", "none"), default="any", help="what makes the exit 1"
    )
    compare.add_argument(
        "--allow-breaking", action="store_true", help="report breaking changes but exit 0 (as --fail-on none)"
    )
    gate = commands.add_parser(
        "release-check",
        help="the release policy: the spec against the latest released one, the version and CHANGELOG.md",
        description=(release.__doc__ or "").split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    gate.add_argument("--spec", type=Path, default=Path("openapi/agb.yaml"), help="default openapi/agb.yaml")
    gate.add_argument("--released", type=Path, default=Path("openapi/released"), help="default openapi/released")
    gate.add_argument("--pyproject", type=Path, default=Path("pyproject.toml"), help="where the version is")
    gate.add_argument("--changelog", type=Path, default=Path("CHANGELOG.md"), help="default CHANGELOG.md")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        if args.command == "diff":
            return _diff(args)
        return _release_check(args)
    except BadInput as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 2


def _diff(args: argparse.Namespace) -> int:
    changes = diff(load(args.old), load(args.new))
    if args.json:
        print(json.dumps(as_json(changes), indent=2))
    else:
        print(render(changes))
    failing = {
        "any": any(c.breaking for c in changes),
        "clients": any(c.breaks_clients for c in changes),
        "servers": any(c.breaks_servers for c in changes),
        "none": False,
    }[args.fail_on]
    return 1 if failing and not args.allow_breaking else 0


def _release_check(args: argparse.Namespace) -> int:
    try:
        changelog = args.changelog.read_text(encoding="utf-8")
    except OSError as exc:
        raise BadInput(f"cannot read {args.changelog}: {exc}") from None
    version = release.project_version(args.pyproject)
    verdict = release.check(load(args.spec), args.released, version, changelog)
    print(f"{PROG}: {args.spec} (version {version}) " + release.summary(verdict.changes, verdict.released))
    for problem in verdict.problems:
        print(f"{PROG}: {problem}")
    print(f"{PROG}: release check " + ("passed" if verdict.ok else "FAILED"))
    return 0 if verdict.ok else 1


if __name__ == "__main__":
    sys.exit(main())
