"""The image catalogue: built-ins from the packaged TOML, user extensions, validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from agb_local.sandbox import DEFAULT_IMAGE_ID, Image, default_image_id, load_images


def test_builtins() -> None:
    images = load_images(None)
    assert {"code_latest", "agb-code-space-1"} <= set(images)
    assert DEFAULT_IMAGE_ID == "code_latest" == default_image_id()
    latest = images["code_latest"]
    assert isinstance(latest, Image) and latest.languages == ("python", "javascript")
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
