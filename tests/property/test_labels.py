"""Labels of any Unicode text survive create -> get_labels -> list(labels=...) and set_labels unchanged."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from agb import AGB
from agb.session_params import CreateSessionParams
from agb_local.embedded import EmbeddedServer

from .conftest import SETTINGS, client

# Any text but lone surrogates (not text: the SDK refuses them before sending); keys must not be blank.
TEXT = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=12)
KEYS = TEXT.filter(lambda key: key.strip() != "")
LABELS = st.dictionaries(KEYS, TEXT, min_size=1, max_size=4)


@pytest.fixture(scope="module")
def agb(server: EmbeddedServer) -> Iterator[AGB]:
    with client(server, 0) as sdk:
        yield sdk


def listed(agb: AGB, labels: dict[str, str]) -> list[str]:
    ids: list[str] = agb.list(labels=labels, limit=100).unwrap()
    return ids


@SETTINGS
@given(labels=LABELS, replacement=LABELS)
# Characters that mean something in a query string, a JSON string or a SQL LIKE, always tried first.
@example(labels={"a&b=c": "x+y %20", "#?/": '"quoted" \\ back'}, replacement={"%": "_", "\x00": "\u2028"})
@example(labels={"emoji 🎉": "東京", " padded ": " "}, replacement={"emoji 🎉": "東京"})
def test_labels_round_trip(agb: AGB, labels: dict[str, str], replacement: dict[str, str]) -> None:
    # This key holds no other session, so a listing shows exactly the sessions it should.
    session = agb.create(CreateSessionParams(labels=labels)).unwrap()
    try:
        assert session.labels == labels
        assert session.get_labels().unwrap() == labels
        assert listed(agb, labels) == [session.session_id]
        for key, value in labels.items():
            assert listed(agb, {key: value}) == [session.session_id]
            assert listed(agb, {key: value + "~"}) == []

        session.set_labels(replacement).unwrap()
        assert session.get_labels().unwrap() == replacement
        assert listed(agb, replacement) == [session.session_id]
        still = labels.items() <= replacement.items()
        assert listed(agb, labels) == ([session.session_id] if still else [])

        again = agb.get(session.session_id).unwrap()
        assert again.get_labels().unwrap() == replacement
    finally:
        session.delete(wait=False).unwrap()  # out of every listing at once; the sandbox goes in the background
    assert listed(agb, {}) == []
