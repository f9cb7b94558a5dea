"""A state machine of create / set_labels / delete / list against agb_local, through the SDK.

The model is the set of this key's live sessions and their labels. Every listing, walked page by page (with
``next_token``, with ``page=`` or with ``list_all``), must return exactly the live sessions carrying every
filter label: no duplicates, no gaps, full pages but the last, and the right ``total_count`` on each page.
The machine runs on a key of its own, so no other test's sessions can appear in its listings.
"""

from __future__ import annotations

import math
from collections import Counter

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from agb import AGB, InvalidParameterError, Session, SessionNotFoundError
from agb.session_params import CreateSessionParams, ListSessionParams
from agb_local.embedded import EmbeddedServer

from .conftest import SETTINGS, client

# Few keys and values, so filters often match some sessions and not others.
LABEL_KEYS = st.sampled_from(["env", "team", "tier"])
LABEL_VALUES = st.sampled_from(["a", "b", "ü ✓"])
LABEL_MAPS = st.dictionaries(LABEL_KEYS, LABEL_VALUES, max_size=3)
FILTERS = st.dictionaries(LABEL_KEYS, LABEL_VALUES, max_size=2)
MAX_LIVE = 7

# What the runs exercised, checked after them so a machine that only ever listed nothing cannot pass.
SEEN: Counter[str] = Counter()


class Listings(RuleBasedStateMachine):
    def __init__(self, agb: AGB) -> None:
        super().__init__()
        self.agb = agb
        self.live: dict[str, Session] = {}
        self.labels: dict[str, dict[str, str]] = {}
        self.deleted: dict[str, bool] = {}  # id -> whether the delete waited until the session was gone

    def expected(self, wanted: dict[str, str]) -> set[str]:
        return {sid for sid, labels in self.labels.items() if wanted.items() <= labels.items()}

    def pick(self, data: st.DataObject) -> str:
        return data.draw(st.sampled_from(sorted(self.live)), label="session")

    # ---------------------------------------------------------------- changes

    @precondition(lambda self: len(self.live) < MAX_LIVE)
    @rule(labels=LABEL_MAPS)
    def create(self, labels: dict[str, str]) -> None:
        session = self.agb.create(CreateSessionParams(labels=labels or None)).unwrap()
        assert session.session_id not in self.live and session.session_id not in self.deleted
        self.live[session.session_id] = session
        self.labels[session.session_id] = dict(labels)

    @precondition(lambda self: bool(self.live))
    @rule(data=st.data(), labels=LABEL_MAPS.filter(bool))
    def set_labels(self, data: st.DataObject, labels: dict[str, str]) -> None:
        sid = self.pick(data)
        self.live[sid].set_labels(labels).unwrap()
        self.labels[sid] = dict(labels)
        SEEN["set labels"] += 1

    @precondition(lambda self: bool(self.live))
    @rule(data=st.data(), wait=st.booleans(), by_id=st.booleans())
    def delete(self, data: st.DataObject, wait: bool, by_id: bool) -> None:
        sid = self.pick(data)
        session = self.live.pop(sid)
        del self.labels[sid]
        self.agb.delete(sid if by_id else session, wait=wait).unwrap()
        self.deleted[sid] = wait

    @precondition(lambda self: any(self.deleted.values()))
    @rule(data=st.data())
    def delete_again(self, data: st.DataObject) -> None:
        sid = data.draw(st.sampled_from(sorted(s for s, waited in self.deleted.items() if waited)))
        result = self.agb.delete(sid)
        assert isinstance(result.error, SessionNotFoundError), result
        SEEN["delete again"] += 1

    # ---------------------------------------------------------------- listings

    def check_pages(self, pages: list[list[str]], totals: list[int], wanted: dict[str, str], limit: int) -> None:
        expected = self.expected(wanted)
        ids = [sid for page in pages for sid in page]
        assert len(ids) == len(set(ids)), f"duplicates across pages: {pages}"
        assert set(ids) == expected, f"filter {wanted}: listed {sorted(ids)}, live matching {sorted(expected)}"
        assert len(pages) == max(1, math.ceil(len(expected) / limit)), pages
        assert all(len(page) == limit for page in pages[:-1]) and len(pages[-1]) <= limit, pages
        assert totals == [len(expected)] * len(pages), totals
        SEEN["several pages"] += len(pages) > 1
        SEEN["a filter that left some out"] += 0 < len(expected) < len(self.live)

    @rule(wanted=FILTERS, limit=st.integers(1, 4))
    def list_with_next_token(self, wanted: dict[str, str], limit: int) -> None:
        pages, totals, token = [], [], ""
        while True:
            result = self.agb.list(ListSessionParams(labels=wanted, limit=limit, next_token=token or None))
            assert result.success, result.error_message
            pages.append(result.session_ids)
            totals.append(result.total_count)
            token = result.next_token
            if not token:
                break
            assert len(pages) <= MAX_LIVE + 1, "the pages never end"
        self.check_pages(pages, totals, wanted, limit)

    @rule(wanted=FILTERS, limit=st.integers(1, 4))
    def list_by_page_number(self, wanted: dict[str, str], limit: int) -> None:
        pages, totals, number = [], [], 1
        while True:
            result = self.agb.list(labels=wanted, limit=limit, page=number)
            assert result.success, result.error_message
            pages.append(result.session_ids)
            totals.append(result.total_count)
            if not result.next_token:
                break
            number += 1
            assert number <= MAX_LIVE + 1, "the pages never end"
        self.check_pages(pages, totals, wanted, limit)
        beyond = self.agb.list(labels=wanted, limit=limit, page=number + 1)
        assert isinstance(beyond.error, InvalidParameterError), beyond

    @rule(wanted=FILTERS, page_size=st.integers(1, 4))
    def list_all(self, wanted: dict[str, str], page_size: int) -> None:
        ids = list(self.agb.list_all(labels=wanted, page_size=page_size))
        assert len(ids) == len(set(ids)) and set(ids) == self.expected(wanted), (wanted, ids)

    @invariant()
    def total_count_is_the_live_count(self) -> None:
        unfiltered = self.agb.list(limit=1)
        assert unfiltered.success and unfiltered.total_count == len(self.live), unfiltered

    def teardown(self) -> None:
        for session in self.live.values():
            session.delete(wait=False)
        assert list(self.agb.list_all()) == []


def test_listings_match_the_model(server: EmbeddedServer) -> None:
    SEEN.clear()
    with client(server, 1) as agb:
        run_state_machine_as_test(
            lambda: Listings(agb), settings=settings(SETTINGS, max_examples=30, stateful_step_count=25)
        )
    for what in ("several pages", "a filter that left some out", "delete again", "set labels"):
        assert SEEN[what] >= 5, f"the runs rarely did this: {what} ({SEEN})"
