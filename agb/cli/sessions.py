"""``agb sessions list | info | delete | keep-alive``: see and clean up what is running."""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from .connect import client, open_session, pairs, unwrap
from .errors import USAGE, CliError, from_sdk
from .output import is_terminal, labels_text, print_json, table

if TYPE_CHECKING:
    import argparse

    from agb import AGB

# Labels need one getLabel call per session (a listing carries ids and statuses only); these run side by
# side so a long listing against the cloud takes a few round trips, not one per session.
_WORKERS = 8
_PAGE = 100
# The service does not report a session's image (neither listSessions nor getSession carry it).
UNKNOWN_IMAGE = None


def _listed(agb: AGB, labels: dict[str, str]) -> list[tuple[str, str]]:
    """(id, status) of every live session matching `labels`, over all pages."""
    found: list[tuple[str, str]] = []
    token = ""
    while True:
        page = agb.list(labels=labels, limit=_PAGE, next_token=token or None)
        unwrap(page)
        found += [(item.session_id, item.status) for item in page.sessions]
        if not page.next_token or page.next_token == token:
            return found
        token = page.next_token


def _labels_of(agb: AGB, session_id: str) -> dict[str, str] | None:
    """The session's labels, or None when it is gone by now (released between the listing and this call)."""
    from agb import SessionNotFoundError

    got = agb.get(session_id)
    if isinstance(got.error, SessionNotFoundError):
        return None
    labels = unwrap(got, session_id).get_labels()
    if isinstance(labels.error, SessionNotFoundError):
        return None
    return dict(unwrap(labels, session_id))


def _record(session_id: str, status: str, labels: dict[str, str]) -> dict[str, Any]:
    """One session as ``--json`` prints it (documented in the README: keep the keys stable)."""
    return {"id": session_id, "image": UNKNOWN_IMAGE, "labels": labels, "status": status}


def list_sessions(args: argparse.Namespace) -> int:
    labels = pairs(args.label, "--label")
    with client(args) as agb:
        listed = _listed(agb, labels)
        with ThreadPoolExecutor(_WORKERS) as pool:
            all_labels = list(pool.map(lambda item: _labels_of(agb, item[0]), listed))
    records = [
        _record(sid, status, lab) for (sid, status), lab in zip(listed, all_labels, strict=True) if lab is not None
    ]
    if args.json:
        print_json({"sessions": records})
        return 0
    rows = [[r["id"], r["image"] or "-", labels_text(r["labels"]), r["status"] or "-"] for r in records]
    table(["ID", "IMAGE", "LABELS", "STATUS"], rows)
    if not rows and is_terminal(sys.stdout):
        print("no sessions" + (f" with labels {labels_text(labels)}" if labels else ""), file=sys.stderr)
    return 0


def info(args: argparse.Namespace) -> int:
    with client(args) as agb:
        session = open_session(agb, args.id)
        status = unwrap(session.get_status(), args.id)
        labels = unwrap(session.get_labels(), args.id)
        resource = unwrap(session.info(), args.id)
    record = _record(session.session_id, status, dict(labels))
    record["resource_url"] = resource.get("resource_url", "")
    if args.json:
        print_json(record)
        return 0
    table(
        ["FIELD", "VALUE"],
        [
            ["id", record["id"]],
            ["image", record["image"] or "-"],
            ["labels", labels_text(record["labels"])],
            ["status", record["status"] or "-"],
            ["resource_url", record["resource_url"] or "-"],
        ],
    )
    return 0


def _confirm(ids: list[str], by_label: bool, yes: bool) -> None:
    """Ask before deleting by label or several sessions; without a terminal to ask on, refuse."""
    if yes or (len(ids) == 1 and not by_label):
        return
    what = f"{len(ids)} session{'s' if len(ids) != 1 else ''}"
    if not is_terminal(sys.stdin):
        raise CliError(f"not deleting {what} without confirmation (stdin is not a terminal): pass --yes")
    shown = ", ".join(ids[:10]) + (f" and {len(ids) - 10} more" if len(ids) > 10 else "")
    print(f"delete {what}: {shown}? [y/N] ", end="", file=sys.stderr, flush=True)
    answer = sys.stdin.readline().strip().lower()
    if answer not in ("y", "yes"):
        raise CliError("nothing deleted")


def delete(args: argparse.Namespace) -> int:
    if bool(args.ids) == bool(args.label):
        raise CliError("give session ids or --label KEY=VALUE filters (one of the two)", status=USAGE)
    labels = pairs(args.label, "--label")
    with client(args) as agb:
        ids = list(dict.fromkeys(args.ids)) if args.ids else [sid for sid, _ in _listed(agb, labels)]
        if not ids:
            if args.json:
                print_json({"deleted": [], "failed": []})
            else:
                print(f"no sessions with labels {labels_text(labels)}", file=sys.stderr)
            return 0
        _confirm(ids, bool(labels), args.yes)
        with ThreadPoolExecutor(_WORKERS) as pool:
            results = list(pool.map(agb.delete, ids))
    deleted = [sid for sid, result in zip(ids, results, strict=True) if result.success]
    failed = [
        {"id": sid, "error": from_sdk(result.error, sid).message if result.error else result.error_message}
        for sid, result in zip(ids, results, strict=True)
        if not result.success
    ]
    if args.json:
        print_json({"deleted": deleted, "failed": failed})
    else:
        for sid in deleted:
            print(f"deleted {sid}")
    for item in failed:
        print(f"agb: {item['error']}", file=sys.stderr)
    return 1 if failed else 0


def keep_alive(args: argparse.Namespace) -> int:
    with client(args) as agb:
        session = open_session(agb, args.id)
        unwrap(session.keep_alive(), args.id)
    print(f"idle timer of {args.id} reset")
    return 0
