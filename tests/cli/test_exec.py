"""`agb exec`: output passed through, the command's exit status, cwd, env, quoting, its session."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections.abc import Callable

from agb import AGB

from .runner import AGB as AGB_COMMAND
from .runner import Ran, one_error_line

CREATED_BY = {"created-by": "agb-cli"}  # the label agb puts on the sessions it creates


def test_output_passes_through_and_the_status_is_the_commands(agb: Callable[..., Ran], session_id: str) -> None:
    ran = agb("exec", "--session", session_id, "--", "printf 'a\\nb'; printf 'é\\n' >&2; exit 7")
    assert ran.status == 7
    assert ran.out == b"a\nb"  # no newline added
    assert ran.stderr == "é\n"


def test_success_is_0(agb: Callable[..., Ran], session_id: str) -> None:
    ran = agb("exec", "--session", session_id, "--", "true")
    assert (ran.status, ran.stdout, ran.stderr) == (0, "", "")


def test_several_words_are_quoted_one_by_one(agb: Callable[..., Ran], session_id: str) -> None:
    agb("exec", "--session", session_id, "--cwd", "/tmp", "--", "touch", "a b; echo injected")
    listed = agb("exec", "--session", session_id, "--", "ls /tmp")
    assert "a b; echo injected" in listed.stdout.splitlines()
    assert agb("exec", "--session", session_id, "--", "echo", "$HOME", "*").stdout == "$HOME *\n"


def test_one_word_is_a_shell_line(agb: Callable[..., Ran], session_id: str) -> None:
    assert agb("exec", "--session", session_id, "--", "echo one two | wc -w").stdout.strip() == "2"


def test_cwd_and_env(agb: Callable[..., Ran], session_id: str) -> None:
    ran = agb(
        "exec", "--session", session_id, "--cwd", "/tmp", "--env", "A=1", "--env", "B=x=y", "--", "pwd; echo $A $B"
    )
    assert ran.stdout == "/tmp\n1 x=y\n"
    bad = agb("exec", "--session", session_id, "--env", "NOEQUALS", "--", "true")
    assert bad.status == 2
    assert "KEY=VALUE" in one_error_line(bad)


def test_options_after_dashdash_belong_to_the_command(agb: Callable[..., Ran], session_id: str) -> None:
    assert agb("exec", "--session", session_id, "--", "echo", "--cwd", "--help").stdout == "--cwd --help\n"


def test_timeout(agb: Callable[..., Ran], session_id: str) -> None:
    assert agb("exec", "--session", session_id, "--timeout", "1", "--", "sleep 20").status == 124


def test_json(agb: Callable[..., Ran], session_id: str) -> None:
    ran = agb("exec", "--session", session_id, "--json", "--", "echo out; echo err >&2; exit 3")
    assert ran.status == 3
    assert json.loads(ran.stdout) == {"session_id": session_id, "exit_code": 3, "stdout": "out\n", "stderr": "err\n"}


def test_a_new_session_is_deleted_unless_kept(agb: Callable[..., Ran], sdk: AGB) -> None:
    made = json.loads(agb("exec", "--json", "--", "echo $HOME").stdout)
    assert made["stdout"] == "/home/user\n"
    assert not sdk.get(made["session_id"]).success
    kept = agb("exec", "--keep", "--json", "--", "true")
    session_id = json.loads(kept.stdout)["session_id"]
    assert f"kept session {session_id}" in kept.stderr
    assert sdk.get(session_id).unwrap().get_labels().unwrap() == {"created-by": "agb-cli"}
    sdk.delete(session_id)


def test_errors(agb: Callable[..., Ran]) -> None:
    unknown = agb("exec", "--session", "s-doesnotexist003", "--", "true")
    assert unknown.status == 1
    assert "session s-doesnotexist003 not found" in one_error_line(unknown)
    nothing = agb("exec", "--session", "s-1", "--")
    assert nothing.status == 2
    assert "no command" in one_error_line(nothing)


def test_ctrl_c_deletes_the_session_it_created(env: dict[str, str], sdk: AGB) -> None:
    before = set(sdk.list_all(labels=CREATED_BY))
    proc = subprocess.Popen([str(AGB_COMMAND), "exec", "--", "sleep 60"], env=env, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        new: set[str] = set()
        while not new and time.monotonic() < deadline:
            new = set(sdk.list_all(labels=CREATED_BY)) - before
            time.sleep(0.1)
        assert len(new) == 1
        time.sleep(0.5)  # let the command start in the sandbox
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130
    assert stderr.decode().strip() == "agb: interrupted"
    assert not sdk.get(new.pop()).success
