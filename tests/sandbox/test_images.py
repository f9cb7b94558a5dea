"""The image catalogue (built-ins, user extensions, validation), building image environments, and the
`agb-local images` commands."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from agb_local import cli
from agb_local.sandbox import DEFAULT_IMAGE_ID, Image, default_image_id, load_images
from agb_local.sandbox.environments import (
    KERNEL_PACKAGES,
    BuildFailed,
    Interpreter,
    build,
    environment_key,
    explain_pip_failure,
    manifest,
)


def test_builtins() -> None:
    images = load_images(None)
    assert {"code_latest", "agb-code-space-1"} <= set(images)
    assert DEFAULT_IMAGE_ID == "code_latest" == default_image_id()
    latest = images["code_latest"]
    assert isinstance(latest, Image) and latest.languages == ("python", "javascript", "java", "r")
    for image_id in ("agb-code-space-1", "agb-code-space-2"):  # the code-space family offers all four
        assert images[image_id].languages == latest.languages
    assert Image.from_json(latest.to_json()) == latest


def test_user_file_extends_and_overrides(tmp_path: Path) -> None:
    extra = tmp_path / "images.toml"
    extra.write_text(
        'default = "data-science"\n'
        '[images.data-science]\ndescription = "py only"\nlanguages = ["python"]\nenv = { MPLBACKEND = "Agg" }\n'
        '[images.code_latest]\nlanguages = ["javascript"]\n'
    )
    images = load_images(extra)
    assert images["data-science"].env == {"MPLBACKEND": "Agg"}
    assert images["data-science"].languages == ("python",)
    assert images["code_latest"].languages == ("javascript",)
    assert "agb-code-space-1" in images
    assert default_image_id(extra) == "data-science"


@pytest.mark.parametrize(
    "body, message",
    [
        ('[images.x]\nlanguages = ["cobol"]\n', "unknown"),
        ("[images.x]\nlanguages = 3\n", "languages"),
        ("[images.x]\nenv = { A = 1 }\n", "env"),
        ("[images\n", "cannot read"),
    ],
)
def test_invalid_files_name_the_problem(tmp_path: Path, body: str, message: str) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(body)
    with pytest.raises(ValueError, match=message):
        load_images(bad)


def test_builtin_code_images_hold_the_data_stack() -> None:
    images = load_images(None)
    for image_id in ("code_latest", "agb-code-space-1"):
        assert {"numpy", "pandas", "matplotlib"} <= set(images[image_id].packages)
    image = images["code_latest"]
    assert Image.from_json(image.to_json()).packages == image.packages


def test_network_is_none_unless_an_image_asks_for_egress(tmp_path: Path) -> None:
    extra = tmp_path / "images.toml"
    extra.write_text('[images.online]\nnetwork = "egress"\n[images.bad]\nnetwork = "host"\n')
    with pytest.raises(ValueError, match=r"images.bad.network must be one of none, egress"):
        load_images(extra)
    extra.write_text('[images.online]\nnetwork = "egress"\n')
    images = load_images(extra)
    assert images["online"].network == "egress" and images["code_latest"].network == "none"
    assert Image.from_json(images["online"].to_json()) == images["online"]


@pytest.mark.parametrize(
    "packages, message",
    [
        ('"six"', "list of requirement strings"),
        ('["--index-url=http://example.invalid"]', "not a requirement string"),
        ('["-r /etc/passwd"]', "not a requirement string"),
        ('["six\\n--pre"]', "not a requirement string"),
    ],
)
def test_package_lists_are_requirements_not_pip_options(tmp_path: Path, packages: str, message: str) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(f"[images.x]\npackages = {packages}\n")
    with pytest.raises(ValueError, match=message):
        load_images(bad)


def test_environment_key_is_the_package_list_and_the_python() -> None:
    here = Interpreter.current()
    key = environment_key(("numpy", "pandas>=2"), here)
    assert key == environment_key(("pandas>=2", "numpy", "numpy"), here)  # order and repeats do not matter
    assert key != environment_key(("numpy", "pandas>=2.1"), here)
    assert key != environment_key(("numpy", "pandas>=2"), Interpreter(here.executable, "3.12.0"))
    assert key != environment_key(("numpy", "pandas>=2"), Interpreter("/other/python3.11", here.version))


def test_a_broken_package_list_fails_the_build_naming_the_package(tmp_path: Path) -> None:
    """Offline and fast: an empty wheelhouse instead of the index, so pip cannot find the package."""
    wheelhouse = tmp_path / "wheels"
    wheelhouse.mkdir()
    with pytest.raises(
        BuildFailed, match=r"package 'agb-no-such-package': no matching distribution found in the wheel"
    ):
        build(tmp_path / "images", ("agb-no-such-package", "six"), wheelhouse=wheelhouse)
    # Nothing half-built is left to be taken for an environment, and the log says what pip said.
    images = tmp_path / "images"
    assert sorted(p.name for p in images.iterdir()) == [".locks", ".logs"]
    (log,) = (images / ".logs").iterdir()
    assert "agb-no-such-package" in log.read_text()


def test_explain_pip_failure_names_the_package() -> None:
    assert explain_pip_failure(["ERROR: Failed building wheel for lxml"], "the package index") == (
        "package 'lxml': its wheel could not be built"
    )
    conflict = "ERROR: Cannot install a==1 and b==2 because these package versions have conflicting dependencies."
    assert "conflicting dependencies" in explain_pip_failure([conflict], "x")
    assert explain_pip_failure(["something", "ERROR: boom"], "x") == "pip failed: ERROR: boom"


def test_a_wheelhouse_builds_without_the_index(tmp_path: Path) -> None:
    """The wheels are fetched first (skipped without the index); the build itself uses only them."""
    wheelhouse = tmp_path / "wheels"
    fetch = subprocess.run(
        [sys.executable, "-m", "pip", "download", "-q", "-d", str(wheelhouse), "six", *KERNEL_PACKAGES],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if fetch.returncode != 0:
        pytest.skip(f"the package index is unreachable: {fetch.stderr.strip()[-300:]}")
    lines: list[str] = []
    env = build(tmp_path / "images", ("six",), wheelhouse=wheelhouse, progress=lines.append)
    assert any("from the wheelhouse" in line for line in lines), lines
    info = manifest(tmp_path / "images", env.key)
    assert info is not None and info["source"] == str(wheelhouse)
    assert any(str(x).startswith("six==") for x in info["installed"])  # type: ignore[attr-defined]
    # Relocatable: the scripts run from a copy elsewhere (the sandbox sees the directory at another path).
    copy = tmp_path / "elsewhere"
    shutil.copytree(env.root, copy, symlinks=True)
    version = subprocess.run([str(copy / "bin" / "pip"), "--version"], capture_output=True, text=True, check=True)
    assert str(copy) in version.stdout
    assert not list((copy / "bin").glob("activate*"))
    # A second build of the same list is the cached one.
    again: list[str] = []
    assert build(tmp_path / "images", ("six",), wheelhouse=wheelhouse, progress=again.append) == env
    assert again == []


def test_cli_images_list_and_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    catalogue = tmp_path / "images.toml"
    catalogue.write_text(
        '[images.broken]\npackages = ["agb-no-such-package"]\n[images.plain]\nlanguages = ["python"]\n'
    )
    wheelhouse = tmp_path / "wheels"
    wheelhouse.mkdir()
    common = ["--images", str(catalogue), "--images-dir", str(tmp_path / "images"), "--data-dir", str(tmp_path)]

    assert cli.main(["images", "list", *common]) == 0
    listing = capsys.readouterr().out
    key = environment_key(("agb-no-such-package",), Interpreter.current())
    assert re.search(rf"^broken +{key} not built +agb-no-such-package$", listing, re.M), listing
    assert re.search(r"^plain +none: the server's own interpreter +-$", listing, re.M), listing
    assert "code_latest" in listing and "numpy pandas matplotlib" in listing

    assert cli.main(["images", "build", "broken", "plain", *common, "--wheelhouse", str(wheelhouse)]) == 1
    out, err = capsys.readouterr()
    assert "broken: FAILED: package 'agb-no-such-package': no matching distribution found" in err
    assert "plain: no packages" in out
    assert cli.main(["images", "build", "nope", *common]) == 2
    assert "unknown image 'nope'" in capsys.readouterr().err
