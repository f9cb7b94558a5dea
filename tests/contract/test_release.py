"""The release policy of `agb-spec release-check` (CI's step), on small specs: what needs the breaking version
bump, what needs a CHANGELOG entry, and what needs nothing."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from agb_contract.release import breaking_bump, changelog_sections, check, mentions
from agb_contract.spec_cli import main
from agb_contract.spec_diff import BadInput

from .test_spec_diff import OLD, op, schemas

ROOT = Path(__file__).resolve().parents[2]


def released_dir(tmp_path: Path, version: str = "0.1.0") -> Path:
    released = tmp_path / "released"
    released.mkdir(parents=True, exist_ok=True)
    (released / f"{version}.yaml").write_text(yaml.safe_dump(OLD))
    return released


def changelog(unreleased: str = "", version_section: tuple[str, str] | None = None) -> str:
    text = f"# Changelog\n\n## [Unreleased]\n\n{unreleased}\n"
    if version_section:
        text += f"\n## [{version_section[0]}] - 2026-12-02\n\n{version_section[1]}\n"
    return text + "\n## [0.1.0] - 2026-12-01\n\n- The first release.\n"


def edited(edit: Any) -> dict[str, Any]:
    new = copy.deepcopy(OLD)
    edit(new)
    return new


def drop_reply_field(spec: dict[str, Any]) -> None:
    schemas(spec)["Rep"]["properties"].pop("y")


def add_operation(spec: dict[str, Any]) -> None:
    spec["paths"]["/contexts"] = {"post": {"operationId": "createContext", "responses": {}}}


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("0.1.0", "0.2.0", True),
        ("0.1.0", "0.1.1", False),
        ("0.1.0", "0.1.0", False),
        ("0.1.3", "1.0.0", True),
        ("1.4.2", "2.0.0", True),
        ("1.4.2", "1.5.0", False),
        ("0.0.3", "0.0.4", True),
        ("0.2.0", "0.1.0", False),
    ],
)
def test_breaking_bump(old: str, new: str, expected: bool) -> None:
    assert breaking_bump(old, new) is expected


def test_an_unchanged_spec_needs_nothing(tmp_path: Path) -> None:
    verdict = check(copy.deepcopy(OLD), released_dir(tmp_path), "0.1.0", changelog())
    assert verdict.ok and verdict.changes == []


def test_a_change_that_breaks_nothing_needs_nothing(tmp_path: Path) -> None:
    new = edited(lambda s: schemas(s)["Rep"]["properties"].update(z={"type": "string"}))
    verdict = check(new, released_dir(tmp_path), "0.1.0", changelog())
    assert verdict.ok and len(verdict.changes) == 1


def test_breaking_clients_needs_the_bump_and_the_entry(tmp_path: Path) -> None:
    released = released_dir(tmp_path)
    new = edited(drop_reply_field)
    verdict = check(new, released, "0.1.0", changelog())
    assert not verdict.ok
    bump, entry = verdict.problems
    assert 'version = "0.2.0"' in bump and "break clients" in bump
    assert "mention each of:\n  - y  (POST /op reply 200.y: reply field removed" in entry

    # Bumped but not said: still failing, on the entry alone.
    verdict = check(new, released, "0.2.0", changelog("### Removed\n\n- the reply's `x` only"))
    assert [p.split(";")[0] for p in verdict.problems] == [
        "CHANGELOG.md does not name 1 change(s) since the released 0.1.0 that breaks clients"
    ]
    # Said but not bumped (a patch release is not a breaking bump).
    verdict = check(new, released, "0.1.1", changelog("### Removed\n\n- `y` of the op reply"))
    assert len(verdict.problems) == 1 and "bump the version" in verdict.problems[0]
    # Both: under Unreleased, or under the new version's own section.
    assert check(new, released, "0.2.0", changelog("### Removed\n\n- `y` of the op reply")).ok
    assert check(new, released, "0.2.0", changelog(version_section=("0.2.0", "- removed `y`"))).ok
    # The released version's own section does not count: it describes the release, not this change.
    assert not check(new, released, "0.2.0", changelog().replace("- The first release.", "- y")).ok


def test_breaking_servers_only_needs_the_entry(tmp_path: Path) -> None:
    """A new operation: clients are unaffected, servers implementing the release do not serve it yet."""
    released = released_dir(tmp_path)
    new = edited(add_operation)
    verdict = check(new, released, "0.1.0", changelog())
    assert len(verdict.problems) == 1
    assert "breaks servers implementing it" in verdict.problems[0]
    assert "/contexts or createContext" in verdict.problems[0]
    assert check(new, released, "0.1.0", changelog("### Added\n\n- `createContext` (POST /contexts)")).ok
    assert check(new, released, "0.1.0", changelog("### Added\n\n- POST /contexts")).ok
    assert not check(new, released, "0.1.0", changelog("### Added\n\n- createContexts")).ok


def test_a_new_tool_is_named_by_its_name(tmp_path: Path) -> None:
    new = edited(lambda s: op(s)["x-agb-tools"].update(grep={"args": {}, "output": {}}))
    assert not check(new, released_dir(tmp_path), "0.1.0", changelog()).ok
    assert check(new, released_dir(tmp_path), "0.1.0", changelog("- the `grep` tool")).ok


def test_the_latest_release_is_the_reference(tmp_path: Path) -> None:
    released = released_dir(tmp_path)
    (released / "0.2.0.yaml").write_text(yaml.safe_dump(edited(drop_reply_field)))
    (released / "notes.yaml").write_text("not a version")
    assert check(edited(drop_reply_field), released, "0.2.0", changelog()).released == "0.2.0"
    with pytest.raises(BadInput, match=r"older than the latest released spec 0\.2\.0"):
        check(copy.deepcopy(OLD), released, "0.1.0", changelog())
    with pytest.raises(BadInput, match="no released spec"):
        check(copy.deepcopy(OLD), tmp_path / "nothing", "0.1.0", changelog())


def test_mentions_are_words() -> None:
    assert mentions("- `size` removed", "size")
    assert not mentions("- maxSize removed", "size")
    assert not mentions("- /mcp/getLink added", "/mcp")
    assert mentions("POST /mcp/getLink", "/mcp/getLink")


def test_changelog_sections() -> None:
    sections = changelog_sections(changelog("- a", ("0.2.0", "- b")))
    assert list(sections) == ["Unreleased", "0.2.0", "0.1.0"]
    assert sections["0.2.0"].strip() == "- b"


def project(tmp_path: Path, version: str, spec: dict[str, Any], log: str) -> list[str]:
    released_dir(tmp_path)
    (tmp_path / "agb.yaml").write_text(yaml.safe_dump(spec))
    (tmp_path / "pyproject.toml").write_text(f'[project]\nname = "x"\nversion = "{version}"\n')
    (tmp_path / "CHANGELOG.md").write_text(log)
    return [
        "release-check",
        *("--spec", str(tmp_path / "agb.yaml"), "--released", str(tmp_path / "released")),
        *("--pyproject", str(tmp_path / "pyproject.toml"), "--changelog", str(tmp_path / "CHANGELOG.md")),
    ]


def test_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = project(tmp_path / "a", "0.1.0", edited(drop_reply_field), changelog())
    assert main(args) == 1
    out = capsys.readouterr().out
    assert "1 change(s) breaking clients" in out and "release check FAILED" in out and "- y  (" in out
    args = project(tmp_path / "b", "0.2.0", edited(drop_reply_field), changelog("- removed `y`"))
    assert main(args) == 0
    assert "release check passed" in capsys.readouterr().out
    args = project(tmp_path / "c", "0.2", copy.deepcopy(OLD), changelog())
    assert main(args) == 2
    assert "is not a version" in capsys.readouterr().err


def test_the_repository_passes_its_own_check() -> None:
    """What CI runs (.ci/run): the working spec, the package version and CHANGELOG.md of this tree."""
    exe = Path(sys.executable).parent / "agb-spec"
    done = subprocess.run([str(exe), "release-check"], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (ROOT / "openapi" / "released" / "0.1.0.yaml").is_file()
    ci = (ROOT / ".ci" / "run").read_text()
    assert ".venv/bin/agb-spec release-check" in ci
