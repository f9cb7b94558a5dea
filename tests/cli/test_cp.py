"""`agb cp`: uploads and downloads, bytes exact; stdin/stdout; directories; the progress bar; errors."""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from agb import AGB

from .runner import Ran, one_error_line, run_on_terminal

PIECE = 1024 * 1024  # agb/cli/transfer.py's upload piece: sizes around it cross piece boundaries


def payloads() -> dict[str, bytes]:
    rng = random.Random(16)
    text = "héllo wörld ✓ 🎉\n" * (PIECE // 20)  # multi-byte characters across piece boundaries
    return {
        "empty": b"",
        "one-byte": b"\xff",
        "binary": rng.randbytes(PIECE + 12345),  # not UTF-8: every byte value, several pieces
        "utf8": text.encode("utf-8"),
        "crlf-and-nul": b"a\r\nb\x00c\rd\n" * 1000,
    }


@pytest.mark.parametrize("name", list(payloads()))
def test_round_trip_is_byte_exact(
    agb: Callable[..., Ran], sdk: AGB, session_id: str, tmp_path: Path, name: str
) -> None:
    data = payloads()[name]
    source, back = tmp_path / name, tmp_path / f"{name}.back"
    source.write_bytes(data)
    remote = f"/home/user/cp/{name}.bin"
    up = agb("cp", str(source), f"{session_id}:{remote}")
    assert (up.status, up.stdout, up.stderr) == (0, "", "")  # piped: no progress bar
    assert sdk.get(session_id).unwrap().file.read(remote, format="bytes").unwrap() == data  # checked by the SDK
    down = agb("cp", f"{session_id}:{remote}", str(back))
    assert (down.status, down.stdout, down.stderr) == (0, "", "")
    assert back.read_bytes() == data


def test_stdin_and_stdout(agb: Callable[..., Ran], session_id: str) -> None:
    data = bytes(range(256)) * 3
    assert agb("cp", "-", f"{session_id}:/tmp/from-stdin", stdin=data).status == 0
    ran = agb("cp", f"{session_id}:/tmp/from-stdin", "-")
    assert ran.status == 0
    assert ran.out == data


def test_directory_destinations_keep_the_name(agb: Callable[..., Ran], session_id: str, tmp_path: Path) -> None:
    source = tmp_path / "named.txt"
    source.write_bytes(b"content\n")
    assert agb("cp", str(source), f"{session_id}:/home/user/").status == 0
    assert agb("exec", "--session", session_id, "--", "mkdir -p /home/user/d").status == 0
    assert agb("cp", str(source), f"{session_id}:/home/user/d").status == 0
    into = tmp_path / "into"
    into.mkdir()
    assert agb("cp", f"{session_id}:/home/user/d/named.txt", str(into)).status == 0
    assert (into / "named.txt").read_bytes() == b"content\n"
    assert agb("exec", "--session", session_id, "--", "cat /home/user/named.txt").stdout == "content\n"


def test_upload_replaces_the_file(agb: Callable[..., Ran], session_id: str, tmp_path: Path) -> None:
    source = tmp_path / "f"
    for content in (b"a much longer first version\n", b"short\n"):
        source.write_bytes(content)
        assert agb("cp", str(source), f"{session_id}:/tmp/replaced").status == 0
    assert agb("cp", f"{session_id}:/tmp/replaced", "-").out == b"short\n"


def test_progress_bar_on_a_terminal(env: dict[str, str], session_id: str, tmp_path: Path) -> None:
    source = tmp_path / "big"
    source.write_bytes(os.urandom(3 * PIECE))
    status, screen, piped = run_on_terminal(["cp", str(source), f"{session_id}:/tmp/big"], env, streams="2")
    assert status == 0, screen
    assert "100%" in screen and "3.0 MiB/3.0 MiB" in screen and "[" + "#" * 30 + "]" in screen
    assert piped == ""
    status, screen, _ = run_on_terminal(["cp", f"{session_id}:/tmp/big", str(tmp_path / "b")], env, streams="2")
    assert status == 0 and "100%" in screen
    assert (tmp_path / "b").read_bytes() == source.read_bytes()


def test_errors(agb: Callable[..., Ran], session_id: str, tmp_path: Path) -> None:
    missing_local = agb("cp", str(tmp_path / "nope"), f"{session_id}:/tmp/x")
    assert missing_local.status == 1
    assert "nope" in one_error_line(missing_local)
    missing_remote = agb("cp", f"{session_id}:/tmp/does-not-exist", str(tmp_path / "x"))
    assert missing_remote.status == 1
    assert "/tmp/does-not-exist" in one_error_line(missing_remote)
    assert not (tmp_path / "x").exists()
    directory = agb("cp", f"{session_id}:/home/user", str(tmp_path / "x"))
    assert directory.status == 1
    assert "is a directory" in one_error_line(directory)
    local_directory = agb("cp", str(tmp_path), f"{session_id}:/tmp/x")  # refused before any request
    assert local_directory.status == 1
    assert str(tmp_path) in one_error_line(local_directory)
    for args in ([str(tmp_path / "a"), str(tmp_path / "b")], [f"{session_id}:/a", f"{session_id}:/b"]):
        both = agb("cp", *args)
        assert both.status == 2
        assert "ID:PATH" in one_error_line(both)


def test_unknown_session(agb: Callable[..., Ran], tmp_path: Path) -> None:
    source = tmp_path / "f"
    source.write_bytes(b"x")
    for args in ([str(source), "s-doesnotexist005:/tmp/x"], ["s-doesnotexist005:/tmp/x", str(tmp_path / "y")]):
        ran = agb("cp", *args)
        assert ran.status == 1
        assert "session s-doesnotexist005 not found" in one_error_line(ran)
