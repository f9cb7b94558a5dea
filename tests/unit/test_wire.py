"""The protocol's encodings: labels and args as JSON inside strings, and the tolerant envelope reader."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qsl

import httpx
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from agb import InvalidParameterError
from agb._wire import Envelope, Reply, check_labels, dumps_args, dumps_labels

SPEC = yaml.safe_load((Path(__file__).resolve().parents[2] / "openapi" / "agb.yaml").read_text())
LABELS_PATTERN = re.compile(SPEC["components"]["schemas"]["LabelsJson"]["pattern"])

text = st.text(alphabet=st.characters(exclude_categories=["Cs"]), min_size=1, max_size=20)
labels_strategy = st.dictionaries(text.filter(str.strip), text, max_size=6)


def test_labels_use_json_dumps_defaults() -> None:
    assert dumps_labels({"project": "demo", "env": "ü t"}) == '{"project": "demo", "env": "\\u00fc t"}'
    assert dumps_labels({"e": "😀"}) == '{"e": "\\ud83d\\ude00"}'
    assert dumps_labels({}) == "{}"


def test_args_keep_non_ascii_and_refuse_what_json_cannot_carry() -> None:
    assert dumps_args({"command": "echo ü", "n": 1}) == '{"command": "echo ü", "n": 1}'
    for bad in ({"x": float("nan")}, {"x": object()}, {"x": b"bytes"}):
        with pytest.raises(InvalidParameterError, match="JSON"):
            dumps_args(bad)


@given(labels_strategy)
def test_labels_round_trip_and_match_the_spec_grammar(labels: dict[str, str]) -> None:
    checked = check_labels(labels, allow_empty=True)
    encoded = dumps_labels(checked)
    assert json.loads(encoded) == labels
    assert LABELS_PATTERN.fullmatch(encoded)
    # Through a query string (SetLabel, ListSession) and back.
    url = httpx.Request("GET", "http://x/sdk/SetLabel", params={"Labels": encoded}).url
    assert dict(parse_qsl(url.query.decode()))["Labels"] == encoded


def _utf8(value: str) -> bool:
    return not any(0xD800 <= ord(char) <= 0xDFFF for char in value)  # no lone surrogate


@given(st.dictionaries(st.text(max_size=3), st.text(max_size=3), min_size=1, max_size=3))
def test_labels_check_refuses_exactly_blank_keys_empty_values_and_lone_surrogates(labels: dict[str, str]) -> None:
    valid = all(key.strip() and value and _utf8(key) and _utf8(value) for key, value in labels.items())
    if valid:
        assert LABELS_PATTERN.fullmatch(dumps_labels(check_labels(labels, allow_empty=False)))
    else:
        with pytest.raises(InvalidParameterError):
            check_labels(labels, allow_empty=False)


def test_envelope_reader_is_tolerant() -> None:
    pascal = Envelope.read({"Success": True, "Code": "ok", "Message": "m", "RequestId": "r", "HttpStatusCode": 200}, "")
    assert (pascal.success, pascal.code, pascal.message, pascal.request_id, pascal.http_status_code) == (
        True,
        "ok",
        "m",
        "r",
        200,
    )
    nested = Envelope.read({"body": {"success": False, "code": "X", "requestId": "r2"}, "headers": {}}, "h")
    assert (nested.success, nested.code, nested.request_id) == (False, "X", "r2")
    nested_pascal = Envelope.read({"body": {"Success": True, "RequestId": "r3"}}, "h")
    assert (nested_pascal.success, nested_pascal.request_id) == (True, "r3")
    odd = Envelope.read({"success": True, "code": 5, "message": None, "httpStatusCode": True, "data": [1]}, "hdr")
    assert (odd.code, odd.message, odd.http_status_code, odd.request_id) == ("", "", None, "hdr")
    # Only the variants the spec names: a snake_case request id or a doubly nested envelope is not one.
    assert Envelope.read({"body": {"success": True, "request_id": "r4"}}, "h").request_id == "h"
    assert Envelope.read({"body": {"body": {"success": True}}}, "h").success is None


@pytest.mark.parametrize("content", [b"", b"<html>", b'{"a":', b"[1]", b"\xff\xfe", b"[" * 100000])
def test_reply_without_a_json_object_has_no_envelope(content: bytes) -> None:
    reply = Reply(200, httpx.Headers({"x-request-id": "h"}), content)
    assert reply.envelope is None and reply.request_id == "h"
