"""`agb-local serve` with one deliberate contract bug, to show that agb-contract-test catches it.

    python tests/contract/broken_agb_local.py MODE serve --host ... (the arguments of `agb-local serve`)

MODE:
  label-500       SetLabel answers 500 to a label string with a non-ASCII character (a naive label parser)
  no-request-id   GetLabel replies without `requestId`
  redirect=URL    createSession answers 307 to URL (traffic the contract test must never follow)
  shared-sessions any API key may use any session (no tenant isolation)
"""

from __future__ import annotations

import json
import sys
from typing import Any

from starlette.responses import RedirectResponse, Response

from agb_local import cli
from agb_local.api import Handlers


def break_set_label() -> None:
    original = Handlers.set_label

    async def set_label(self: Handlers, owner: str, sessionId: str, Labels: str, body: Any = None) -> Response:
        if not Labels.isascii():
            raise RuntimeError("labels must be ASCII")  # the bug: a crash, i.e. a 500
        return await original(self, owner, sessionId, Labels, body)

    Handlers.set_label = set_label  # type: ignore[method-assign]


def break_get_label() -> None:
    original = Handlers.get_label

    async def get_label(
        self: Handlers, owner: str, sessionId: str, maxResults: Any = None, nextToken: Any = None
    ) -> Response:
        reply = await original(self, owner, sessionId, maxResults, nextToken)
        body = json.loads(reply.body)
        body.pop("requestId")
        return Response(json.dumps(body), status_code=reply.status_code, media_type="application/json")

    Handlers.get_label = get_label  # type: ignore[method-assign]


def break_create_session(target: str) -> None:
    async def create_session(
        self: Handlers, owner: str, body: Any = None, imageId: Any = None, sdkStats: Any = None
    ) -> Response:
        return RedirectResponse(target, status_code=307)

    Handlers.create_session = create_session  # type: ignore[method-assign]


def share_sessions() -> None:
    from agb_local.service import AgbService

    original = AgbService.lookup

    def lookup(self: AgbService, owner: str, session_id: str, *, allow_releasing: bool = False) -> Any:
        record = self.registry.get(session_id)
        if record is not None:
            owner = record.owner  # the bug: whoever asks is taken for the owner
        return original(self, owner, session_id, allow_releasing=allow_releasing)

    AgbService.lookup = lookup  # type: ignore[method-assign]


def main(argv: list[str]) -> int:
    mode, rest = argv[0], argv[1:]
    if mode == "label-500":
        break_set_label()
    elif mode == "no-request-id":
        break_get_label()
    elif mode == "shared-sessions":
        share_sessions()
    elif mode.startswith("redirect="):
        break_create_session(mode.removeprefix("redirect="))
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    return cli.main(rest)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
