"""agb_local when the spec has operations it does not serve: it starts, and answers them with the documented
NotOffered reply (501, NotImplemented.LocalBackend) after the bearer check; everything else works as before."""

from __future__ import annotations

from pathlib import Path

import httpx

import agb_spec
from agb_local.context_api import ContextHandlers
from agb_local.embedded import EmbeddedServer, start

from ..spec_copy import UNMARKED_PATH, UNSUPPORTED_PATH, spec_with_extra_operations
from .test_http_api import envelope_of


def test_starts_and_answers_operations_it_does_not_serve(tmp_path: Path) -> None:
    spec_file = spec_with_extra_operations(tmp_path)
    with start(tmp_path / "data", spec_file=spec_file, pool_size=0) as srv:
        auth = {"authorization": f"Bearer {srv.api_key}"}
        with httpx.Client(base_url=srv.endpoint, timeout=30) as c:
            envelope_of(c.post(UNSUPPORTED_PATH, json={"sessionId": "s-1"}), 401, "InvalidApiKey")
            for r in (
                c.post(UNSUPPORTED_PATH, json={"sessionId": "s-1"}, headers=auth),
                c.post(UNSUPPORTED_PATH, content=b"not json", headers=auth),  # whatever the request
                c.get(UNMARKED_PATH, headers={**auth, "x-thing": "1"}),
            ):
                body = envelope_of(r, agb_spec.LOCAL_NOT_OFFERED_STATUS, agb_spec.LOCAL_NOT_OFFERED_CODE)
                assert "does not offer" in body["message"] and body["data"] is None
            envelope_of(c.get("/sdk/ListSession", headers=auth), 200)
            served = c.get("/openapi.json").json()
            assert UNSUPPORTED_PATH in served["paths"] and UNMARKED_PATH in served["paths"]


def test_every_operation_the_spec_does_not_mark_has_a_handler(server: EmbeddedServer) -> None:
    handlers = ContextHandlers(server.service)  # what the app routes to: api.py's handlers and context_api's
    for path, method, op in agb_spec.operations(agb_spec.load()):
        # Presigned URLs are streamed by agb_local/presigned.py, outside the routed handlers.
        if not agb_spec.unsupported_locally(op) and not op.get("x-agb-presigned"):
            assert handlers.resolve(op["operationId"]), f"{method.upper()} {path}"
