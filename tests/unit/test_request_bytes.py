"""The request bytes do not depend on the installed httpx: the driver encodes JSON bodies and query strings
itself (httpx 0.28 changed both: compact, non-ASCII JSON; ``+`` for spaces in queries)."""

from __future__ import annotations

from typing import Any

from agb._flow import _query

from .conftest import Wire, call, ok, query


def test_query_strings_are_written_as_httpx_0_28_writes_them() -> None:
    params = {"a": True, "b": False, "c": None, "d": [1, 2], "e": 'x y:{"é"}', "f": 1.5}
    assert _query(params) == "a=true&b=false&c=&d=1&d=2&e=x+y%3A%7B%22%C3%A9%22%7D&f=1.5"


async def test_json_bodies_are_compact_utf8_with_a_content_type(agb: Any, wire: Wire) -> None:
    wire.script(ok({"sessionId": "s-ü"}))
    await call(agb.get("s-ü"))
    assert wire.last.content == '{"sessionId":"s-ü"}'.encode()
    assert wire.last.headers["content-type"] == "application/json"
    assert wire.last.headers["content-length"] == str(len(wire.last.content))


async def test_a_labels_query_keeps_its_spaces_as_plus(agb: Any, wire: Wire) -> None:
    wire.script(ok({"data": [], "maxResults": 10}))
    await call(agb.list(labels={"k": "v w"}))
    assert b"labels=%7B%22k%22%3A+%22v+w%22%7D" in wire.last.url.query
    assert ("labels", '{"k": "v w"}') in query(wire.last)
