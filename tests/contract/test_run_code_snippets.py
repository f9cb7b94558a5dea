"""The run_code snippets the payload phase steers generated calls to (agb_contract/payloads.py), each sent once
on purpose: the payload phase draws a few of them at random, so a language could go unchecked in a run.
Every reply must pass the contract's tool-reply checks (a RunCodeOutput for a call that ran), and a language
the machine has must run, not answer a tool error."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from agb_contract.backend import Backend
from agb_contract.contract import Contract, load_spec
from agb_contract.outputs import tool_reply_problems, tool_text
from agb_contract.payloads import SNIPPETS
from agb_local.embedded import EmbeddedServer
from tests.runtimes import PRESENT


@pytest.fixture(scope="module")
def backend_and_session(embedded: EmbeddedServer) -> Iterator[tuple[Backend, str]]:
    backend = Backend(embedded.endpoint, embedded.api_key)
    sid = backend.create_session("agb-code-space-2")
    yield backend, sid
    backend.release(sid)


def test_the_snippets_cover_every_language_of_the_spec() -> None:
    languages = load_spec()["components"]["schemas"]["RunCodeArgs"]["properties"]["language"]["x-agb-languages"]
    assert {language for _, language in SNIPPETS} == set(languages)


@pytest.mark.parametrize(("code", "language"), SNIPPETS, ids=[f"{lang}-{n}" for n, (_, lang) in enumerate(SNIPPETS)])
def test_each_snippet_gets_a_valid_reply(backend_and_session: tuple[Backend, str], code: str, language: str) -> None:
    backend, sid = backend_and_session
    args = json.dumps({"code": code, "language": language, "timeout_s": 30})
    status, body = backend.tool(sid, "run_code", args)
    assert status == 200 and isinstance(body, dict), body
    assert tool_reply_problems(Contract(load_spec()), {"name": "run_code", "args": args}, body) == []
    if language in ("python", "javascript", *PRESENT):
        assert body["data"]["isError"] is False, tool_text(body["data"])
        output = json.loads(tool_text(body["data"]) or "")
        assert output["stdout"] or output["result"] or output["error"], output
    else:
        assert "Unsupported language" in (tool_text(body["data"]) or "")
