"""`agb-contract-test`: check a running AGB backend against the spec, from the command line.

Exit status: 0 when everything passed, 1 on any failure or error, 2 when the run cannot start (the key is
rejected, the URL is unreachable, bad arguments).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

import agb_spec

from .backend import CannotStart
from .guard import install_socket_guard
from .options import DEFAULT_IMAGES, DEFAULT_SEED, Options
from .suite import run_suite

PROG = "agb-contract-test"


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=PROG,
        description="Check an AGB backend against the AGB OpenAPI spec (schemathesis + hypothesis): every operation, "
        "the AGB envelope and session rules, every tool's arguments and outputs. Exit 0 when everything passed, "
        "1 on any failure, 2 when the run cannot start.",
    )
    p.add_argument("--url", required=True, help="the backend, e.g. http://127.0.0.1:8787 or https://sdk-api.agb.cloud")
    p.add_argument("--api-key", required=True, help="a key the backend accepts (sent as authorization: Bearer KEY)")
    p.add_argument("--max-examples", type=int, default=100, help="fuzzing examples per operation (default 100)")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"the run's seed (default {DEFAULT_SEED})")
    p.add_argument("--json", action="store_true", help="print the report as one JSON document instead of the table")
    p.add_argument("--junit", type=Path, metavar="PATH", help="also write a JUnit XML report to PATH")
    p.add_argument("--report", choices=["junit"], help="also write a JUnit report to --report-path (as --junit)")
    p.add_argument("--report-path", type=Path, default=Path("contract-test.junit.xml"))
    p.add_argument(
        "--image-id",
        action="append",
        dest="image_ids",
        help=f"an image the backend offers (repeatable; default {', '.join(DEFAULT_IMAGES)})",
    )
    p.add_argument("--stateful-examples", type=int, help="stateful scenarios (default: 1.5 x --max-examples)")
    p.add_argument("--payload-examples", type=int, help="examples per tool (default: half of --max-examples)")
    p.add_argument("--other-api-key", help="a second key of the same backend: sessions must never leak across keys")
    p.add_argument("--max-sessions", type=int, default=8, help="live sessions the run keeps at most (default 8)")
    p.add_argument("--no-schemathesis", action="store_true", help="only the tool payload checks")
    p.add_argument("--no-payloads", action="store_true", help="only the schemathesis run")
    p.add_argument("--spec", type=Path, help="another OpenAPI document (default: the spec installed with agb_spec)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    scheme = urlsplit(args.url).scheme
    if scheme not in ("http", "https") or not urlsplit(args.url).hostname:
        print(f"{PROG}: --url must be an http(s) URL, not {args.url!r}", file=sys.stderr)
        return 2
    if not args.api_key.strip():
        print(f"{PROG}: --api-key is empty", file=sys.stderr)
        return 2
    spec = args.spec or agb_spec.spec_path()
    if not spec.is_file():
        print(f"{PROG}: no spec at {spec}", file=sys.stderr)
        return 2
    options = Options(
        max_examples=args.max_examples,
        seed=args.seed,
        image_ids=tuple(args.image_ids or DEFAULT_IMAGES),
        max_sessions=args.max_sessions,
        stateful_examples=args.stateful_examples,
        other_api_key=args.other_api_key,
        payload_examples=args.payload_examples
        if args.payload_examples is not None
        else max(10, args.max_examples // 2),
        schemathesis=not args.no_schemathesis,
        payloads=not args.no_payloads,
        spec_path=spec,
    )
    # With --json, stdout holds the document only; the progress lines go to stderr.
    say = sys.stderr if args.json else sys.stdout
    install_socket_guard(args.url)
    print(f"{PROG}: {args.url} against {spec} (seed {options.seed}, {options.max_examples} examples)", file=say)
    try:
        report = run_suite(args.url, args.api_key, options)
    except CannotStart as exc:
        print(f"{PROG}: not started: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report.as_json(), indent=2, ensure_ascii=False))
    else:
        print(report.table())
        if report.failed:
            print("\nFAILURES\n\n" + report.details())
    junit = args.junit or (args.report_path if args.report == "junit" else None)
    if junit is not None:
        junit.write_text(report.junit(), encoding="utf-8")
        print(f"{PROG}: wrote {junit}", file=say)
    print(f"{PROG}: FAILED" if report.failed else f"{PROG}: passed", file=say)
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
