"""The handlers and the spec agree: each handler takes exactly what the app passes for its operation."""

from __future__ import annotations

import inspect
from pathlib import Path

from agb_local.app import create_app
from agb_local.config import ServerConfig
from agb_local.sandbox.config import SandboxConfig


def test_every_handler_takes_its_operations_arguments_and_the_caller(tmp_path: Path) -> None:
    app = create_app(ServerConfig(SandboxConfig(data_dir=tmp_path), api_keys=("akm-handlers-test",)))
    operations = [op for methods in app.operations.values() for op in methods.values()]
    assert len(operations) >= 11
    for op in operations:
        params = inspect.signature(op.handler).parameters
        if not op.offered:  # answered NotOffered whatever it is sent (the browser's initBrowser, getCdpLink)
            assert [p.kind for p in params.values()] == [inspect.Parameter.VAR_KEYWORD], op.operation_id
            continue
        sent = {p.name for p in op.query} | ({"body"} if op.body is not None else set())
        # A secured operation's handler gets the caller as `owner`: the registry's name of its key; one
        # authorised by a session token (the LinkUrl route) also gets that session and the token.
        expected = sent | ({"owner"} if op.secured else set())
        if op.scheme == "accessToken":
            expected |= {"session", "access_token"}
        assert set(params) == expected, op.operation_id
