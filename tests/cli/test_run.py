"""`agb run`: code from a file or stdin, its output, results, rich results and errors, and its session."""

from __future__ import annotations

import base64
import json
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from agb import AGB
from tests.runtimes import needs_java, needs_r

from .runner import Ran, one_error_line


def tiny_png() -> bytes:
    """A valid 1x1 PNG, built here so the test knows every byte the file must have."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    header = (1).to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 0])
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="2" height="2"><rect width="1" height="1"/></svg>'
HTML = "<table><tr><td>héllo</td></tr></table>"
RICH_CODE = f"""
from IPython.display import display
display({{"image/png": {base64.b64encode(tiny_png()).decode()!r}, "text/plain": "<png>"}}, raw=True)
display({{"image/svg+xml": {SVG!r}, "text/plain": "<svg>"}}, raw=True)
display({{"text/html": {HTML!r}, "text/plain": "<html>"}}, raw=True)
print("drawn")
"""


def test_file_output_and_main_result(agb: Callable[..., Ran], tmp_path: Path) -> None:
    code = tmp_path / "job.py"
    code.write_text("import sys\nprint('to stdout')\nprint('to stderr', file=sys.stderr)\n6 * 7\n")
    ran = agb("run", str(code))
    assert ran.status == 0, ran.stderr
    assert ran.stdout == "to stdout\n42\n"
    assert ran.stderr == "to stderr\n"


def test_stdin(agb: Callable[..., Ran]) -> None:
    ran = agb("run", "-", stdin="print('é' * 3)\n".encode())
    assert ran.status == 0, ran.stderr
    assert ran.stdout == "ééé\n"


def test_javascript_by_extension_and_by_flag(agb: Callable[..., Ran], tmp_path: Path) -> None:
    script = tmp_path / "hello.js"
    script.write_text("console.log('from node', 1 + 2)\n")
    by_extension = agb("run", str(script))
    assert by_extension.status == 0, by_extension.stderr
    assert "from node 3" in by_extension.stdout
    by_flag = agb("run", "--language", "javascript", "-", stdin=b"console.log(typeof process)\n")
    assert "object" in by_flag.stdout


@pytest.mark.parametrize(
    ("name", "code", "printed"),
    [
        pytest.param("Hello.java", 'int n = 3;\nSystem.out.println("java " + n);\n', "java 3\n", marks=needs_java),
        pytest.param("hello.jsh", 'System.out.println("jsh");\n', "jsh\n", marks=needs_java),
        pytest.param("hello.R", "n <- 3\ncat('r', n, '\\n')\nn * 2\n", "r 3 \n[1] 6\n", marks=needs_r),
    ],
)
def test_java_and_r_by_extension(agb: Callable[..., Ran], tmp_path: Path, name: str, code: str, printed: str) -> None:
    script = tmp_path / name
    script.write_text(code)
    ran = agb("run", str(script))
    assert ran.status == 0, ran.stderr
    assert ran.stdout == printed


def test_exception_exits_1_with_the_traceback(agb: Callable[..., Ran]) -> None:
    ran = agb("run", "-", stdin=b"print('before')\n1 / 0\n")
    assert ran.status == 1
    assert ran.stdout == "before\n"
    assert "ZeroDivisionError" in ran.stderr and "Traceback" in ran.stderr


def test_rich_results_are_saved_byte_exact_with_out(agb: Callable[..., Ran], tmp_path: Path) -> None:
    out = tmp_path / "results" / "nested"
    ran = agb("run", "--out", str(out), "-", stdin=RICH_CODE.encode())
    assert ran.status == 0, ran.stderr
    assert (out / "result-1.png").read_bytes() == tiny_png()
    assert (out / "result-2.svg").read_text() == SVG
    assert (out / "result-3.html").read_text(encoding="utf-8") == HTML
    assert sorted(p.name for p in out.iterdir()) == ["result-1.png", "result-2.svg", "result-3.html"]
    assert ran.stdout == "drawn\n"  # the placeholders (<png>...) are not printed
    for name in ("result-1.png", "result-2.svg", "result-3.html"):
        assert f"saved {out / name}" in ran.stderr


def test_rich_results_without_out_are_named_not_printed(agb: Callable[..., Ran]) -> None:
    ran = agb("run", "-", stdin=RICH_CODE.encode())
    assert ran.status == 0
    assert ran.stdout == "drawn\n"
    assert "png, svg, html" in ran.stderr and "--out" in ran.stderr


def test_json_document(agb: Callable[..., Ran], tmp_path: Path) -> None:
    ran = agb("run", "--json", "--out", str(tmp_path), "-", stdin=(RICH_CODE + "'done'\n").encode())
    assert ran.status == 0, ran.stderr
    doc = json.loads(ran.stdout)
    assert set(doc) == {"session_id", "success", "stdout", "stderr", "results", "error"}
    assert doc["success"] is True and doc["error"] is None
    assert doc["stdout"] == "drawn\n" and doc["stderr"] == ""
    assert [r["formats"] for r in doc["results"]] == [["text", "png"], ["text", "svg"], ["text", "html"], ["text"]]
    assert doc["results"][0]["files"] == [str(tmp_path / "result-1.png")]
    assert doc["results"][-1] == {"main": True, "formats": ["text"], "text": "'done'", "files": []}
    failed = json.loads(agb("run", "--json", "-", stdin=b"raise KeyError('k')\n").stdout)
    assert failed["success"] is False
    assert failed["error"]["name"] == "KeyError" and "KeyError" in failed["error"]["traceback"]


def test_the_session_it_created_is_deleted(agb: Callable[..., Ran], sdk: AGB) -> None:
    ran = agb("run", "--json", "-", stdin=b"1\n")
    session_id = json.loads(ran.stdout)["session_id"]
    assert not sdk.get(session_id).success


def test_keep_leaves_it_running_and_says_which(agb: Callable[..., Ran], sdk: AGB) -> None:
    ran = agb("run", "--keep", "-", stdin=b"kept = 41\n")
    assert ran.status == 0, ran.stderr
    session_id = ran.stderr.split("kept session ")[1].split()[0]
    try:
        again = agb("run", "--session", session_id, "-", stdin=b"kept + 1\n")  # the kernel's state is still there
        assert again.stdout == "42\n"
        assert sdk.get(session_id).success  # --session never deletes
    finally:
        sdk.delete(session_id)


def test_image_choice(agb: Callable[..., Ran]) -> None:
    assert agb("run", "--image", "agb-code-space-1", "-", stdin=b"print(1)\n").stdout == "1\n"
    ran = agb("run", "--image", "no-such-image", "-", stdin=b"1\n")
    assert ran.status == 1
    assert "no-such-image" in one_error_line(ran)


def test_errors(agb: Callable[..., Ran], tmp_path: Path) -> None:
    unknown = agb("run", "--session", "s-doesnotexist002", "-", stdin=b"1\n")
    assert unknown.status == 1
    assert "session s-doesnotexist002 not found" in one_error_line(unknown)
    missing = agb("run", str(tmp_path / "nope.py"))
    assert missing.status == 1
    assert "nope.py" in one_error_line(missing)
    assert agb("run", "--session", "s-1", "--image", "x", "-").status == 2
    slow = agb("run", "--timeout", "1", "-", stdin=b"import time\ntime.sleep(30)\n")
    assert slow.status == 1 and slow.stderr  # interrupted: the run reports why


def test_output_is_written_as_the_code_prints_it(env: dict[str, str], tmp_path: Path) -> None:
    import subprocess
    import time

    from .runner import AGB as COMMAND

    code = tmp_path / "slow.py"
    code.write_text("import time\nprint('first', flush=True)\ntime.sleep(3)\nprint('last')\n")
    started = time.monotonic()
    proc = subprocess.Popen([str(COMMAND), "run", str(code)], stdout=subprocess.PIPE, env=env)
    assert proc.stdout is not None
    first = proc.stdout.readline()
    seen = time.monotonic() - started
    rest, _ = proc.communicate(timeout=60)
    total = time.monotonic() - started
    assert (first, rest, proc.returncode) == (b"first\n", b"last\n", 0)
    assert seen < total - 2  # the first line came while the cell slept, not with the result
