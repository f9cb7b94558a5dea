"""`agb sessions list | info | delete | keep-alive` against a live agb_local."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator

import pytest

from agb import AGB, CreateSessionParams
from agb_local.embedded import EmbeddedServer

from .conftest import OTHER_KEY
from .runner import Ran, environment, one_error_line, run, run_on_terminal


def unique() -> str:
    return f"cli-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def labelled(sdk: AGB) -> Iterator[Callable[..., str]]:
    """``labelled(**labels)``: a new session with these labels, deleted after the test if still there."""
    made = []

    def make(**labels: str) -> str:
        session = sdk.create(CreateSessionParams(labels=labels)).unwrap()
        made.append(session)
        return session.session_id

    yield make
    for session in made:
        session.delete(wait=False)


def alive(sdk: AGB, session_id: str) -> bool:
    return sdk.get(session_id).success


def test_list_piped_is_tab_separated_without_header(agb: Callable[..., Ran], labelled: Callable[..., str]) -> None:
    tag = unique()
    first, second = labelled(t=tag, role="a"), labelled(t=tag, role="b")
    ran = agb("sessions", "list", "--label", f"t={tag}")
    assert ran.status == 0, ran.stderr
    rows = sorted(line.split("\t") for line in ran.stdout.splitlines())
    assert rows == sorted([[first, "-", f"role=a,t={tag}", "RUNNING"], [second, "-", f"role=b,t={tag}", "RUNNING"]])


def test_list_filters_by_every_label(agb: Callable[..., Ran], labelled: Callable[..., str]) -> None:
    tag = unique()
    wanted = labelled(t=tag, role="a")
    labelled(t=tag, role="b")
    ran = agb("sessions", "list", "--label", f"t={tag}", "--label", "role=a")
    assert [line.split("\t")[0] for line in ran.stdout.splitlines()] == [wanted]
    assert agb("sessions", "list", "--label", f"t={unique()}").stdout == ""


def test_list_json_is_the_documented_shape(agb: Callable[..., Ran], labelled: Callable[..., str]) -> None:
    tag = unique()
    sid = labelled(t=tag)
    ran = agb("sessions", "list", "--label", f"t={tag}", "--json")
    assert json.loads(ran.stdout) == {
        "sessions": [{"id": sid, "image": None, "labels": {"t": tag}, "status": "RUNNING"}]
    }
    assert json.loads(agb("sessions", "list", "--label", f"t={unique()}", "--json").stdout) == {"sessions": []}


def test_list_on_a_terminal_is_a_table(env: dict[str, str], labelled: Callable[..., str]) -> None:
    tag = unique()
    sid = labelled(t=tag, role="x")
    status, screen, _ = run_on_terminal(["sessions", "list", "--label", f"t={tag}"], env)
    assert status == 0, screen
    header, row = screen.splitlines()
    assert header.split() == ["ID", "IMAGE", "LABELS", "STATUS"]
    assert row.split() == [sid, "-", f"role=x,t={tag}", "RUNNING"]
    assert row.index("RUNNING") == header.index("STATUS")  # columns line up


def test_list_bad_label_is_a_usage_error(agb: Callable[..., Ran]) -> None:
    ran = agb("sessions", "list", "--label", "novalue")
    assert ran.status == 2
    assert "KEY=VALUE" in one_error_line(ran)


def test_info_text_and_json(agb: Callable[..., Ran], labelled: Callable[..., str]) -> None:
    tag = unique()
    sid = labelled(t=tag)
    text = agb("sessions", "info", sid)
    assert text.status == 0, text.stderr
    fields = dict(line.split("\t") for line in text.stdout.splitlines())
    assert "resourceId=" in fields.pop("resource_url")  # agb_local's resource URL, fresh auth code each time
    assert fields == {"id": sid, "image": "-", "labels": f"t={tag}", "status": "RUNNING"}
    as_json = json.loads(agb("sessions", "info", sid, "--json").stdout)
    assert "resourceId=" in as_json.pop("resource_url")
    assert as_json == {"id": sid, "image": None, "labels": {"t": tag}, "status": "RUNNING"}


@pytest.mark.parametrize("verb", ["info", "keep-alive", "delete"])
def test_unknown_session_exits_1_naming_it(agb: Callable[..., Ran], verb: str) -> None:
    ran = agb("sessions", verb, "s-doesnotexist000")
    assert ran.status == 1
    assert "session s-doesnotexist000 not found" in one_error_line(ran)
    assert ran.stdout == ""


def test_keep_alive(agb: Callable[..., Ran], labelled: Callable[..., str]) -> None:
    sid = labelled(t=unique())
    ran = agb("sessions", "keep-alive", sid)
    assert ran.status == 0, ran.stderr
    assert sid in ran.stdout


def test_delete_one_id_needs_no_confirmation(agb: Callable[..., Ran], sdk: AGB, labelled: Callable[..., str]) -> None:
    sid = labelled(t=unique())
    ran = agb("sessions", "delete", sid)
    assert ran.status == 0, ran.stderr
    assert ran.stdout == f"deleted {sid}\n"
    assert not alive(sdk, sid)


def test_delete_many_without_a_terminal_refuses_and_deletes_nothing(
    agb: Callable[..., Ran], sdk: AGB, labelled: Callable[..., str]
) -> None:
    tag = unique()
    ids = [labelled(t=tag), labelled(t=tag)]
    for args in (["--label", f"t={tag}"], ids):
        ran = agb("sessions", "delete", *args, stdin=b"y\n")  # piped answers do not count
        assert ran.status == 1
        assert "--yes" in one_error_line(ran)
    assert all(alive(sdk, sid) for sid in ids)


def test_delete_by_label_with_yes_json(agb: Callable[..., Ran], sdk: AGB, labelled: Callable[..., str]) -> None:
    tag = unique()
    ids = {labelled(t=tag), labelled(t=tag), labelled(t=tag)}
    keep = labelled(t=unique())
    ran = agb("sessions", "delete", "--label", f"t={tag}", "--yes", "--json")
    assert ran.status == 0, ran.stderr
    result = json.loads(ran.stdout)
    assert set(result["deleted"]) == ids and result["failed"] == []
    assert not any(alive(sdk, sid) for sid in ids)
    assert alive(sdk, keep)
    nothing = agb("sessions", "delete", "--label", f"t={tag}", "--yes", "--json")
    assert nothing.status == 0 and json.loads(nothing.stdout) == {"deleted": [], "failed": []}


@pytest.mark.parametrize(("answer", "deleted"), [("y\n", True), ("n\n", False), ("\n", False)])
def test_delete_asks_on_a_terminal(
    env: dict[str, str], sdk: AGB, labelled: Callable[..., str], answer: str, deleted: bool
) -> None:
    tag = unique()
    ids = [labelled(t=tag), labelled(t=tag)]
    status, screen, _ = run_on_terminal(["sessions", "delete", "--label", f"t={tag}"], env, typed=answer)
    assert "delete 2 sessions" in screen and "[y/N]" in screen
    assert status == (0 if deleted else 1), screen
    assert [alive(sdk, sid) for sid in ids] == [not deleted] * 2
    if not deleted:
        assert "nothing deleted" in screen


def test_delete_reports_each_unknown_id_and_deletes_the_rest(
    agb: Callable[..., Ran], sdk: AGB, labelled: Callable[..., str]
) -> None:
    sid = labelled(t=unique())
    ran = agb("sessions", "delete", sid, "s-doesnotexist001", "--yes")
    assert ran.status == 1
    assert ran.stdout == f"deleted {sid}\n"
    assert "session s-doesnotexist001 not found" in one_error_line(ran)
    assert not alive(sdk, sid)


def test_delete_needs_ids_or_labels_not_both(agb: Callable[..., Ran]) -> None:
    assert agb("sessions", "delete").status == 2
    assert agb("sessions", "delete", "s-1", "--label", "a=b").status == 2


def test_a_wrong_key_exits_1_saying_so(server: EmbeddedServer, labelled: Callable[..., str]) -> None:
    sid = labelled(t=unique())
    ran = run(["sessions", "info", sid], environment(server.endpoint, "akm-wrong-key-0000000000000000"))
    assert ran.status == 1
    assert "API key" in one_error_line(ran)


def test_another_keys_session_is_not_found(server: EmbeddedServer, labelled: Callable[..., str]) -> None:
    sid = labelled(t=unique())
    ran = run(["sessions", "info", sid], environment(server.endpoint, OTHER_KEY))
    assert ran.status == 1
    assert f"session {sid} not found" in one_error_line(ran)
