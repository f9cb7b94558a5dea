"""Any bytes and any text round-trip through a live sandbox: write / read, append, read_batch.

The SDK's chunk size is patched down to 64 bytes (``agb.filesystem.CHUNK_SIZE``), so a few hundred bytes
already take several chunked reads and writes, and multi-byte characters land on chunk boundaries often.
Sizes go from 0 to several chunks; an ASCII pad before the text shifts every character across the
boundaries from one example to the next.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

import agb.filesystem
from agb import Session
from agb_local.embedded import EmbeddedServer

from .conftest import SETTINGS, client

CHUNK = 64
CHARS = st.characters(exclude_categories=["Cs"])  # any text: lone surrogates are not text
MULTI_BYTE = st.characters(min_codepoint=0x80, exclude_categories=["Cs"])
TEXTS = st.builds(
    lambda pad, body: "a" * pad + body,
    st.integers(0, CHUNK),
    st.text(st.one_of(MULTI_BYTE, CHARS), max_size=2 * CHUNK),
)
BLOBS = st.binary(max_size=5 * CHUNK)
CONTENTS = st.one_of(TEXTS, BLOBS)
HOME = "/home/user/props"


@pytest.fixture(scope="module")
def session(server: EmbeddedServer) -> Iterator[Session]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(agb.filesystem, "CHUNK_SIZE", CHUNK)
        with client(server, 2) as sdk, sdk.create().unwrap() as created:
            created.file.mkdir(HOME).unwrap()
            yield created


def encoded(content: str | bytes) -> bytes:
    return content.encode() if isinstance(content, str) else content


def on_disk(session: Session, path: str) -> bytes:
    data: bytes = session.file.read_bytes(path).unwrap()
    assert session.file.info(path).unwrap()["size"] == len(data)
    return data


def test_the_chunk_size_is_patched(session: Session) -> None:
    assert agb.filesystem.CHUNK_SIZE == CHUNK
    session.file.write(f"{HOME}/three-chunks.txt", "é" * (3 * CHUNK // 2)).unwrap()
    assert on_disk(session, f"{HOME}/three-chunks.txt") == "é".encode() * (3 * CHUNK // 2)


@SETTINGS
@given(blob=BLOBS)
def test_bytes_round_trip(session: Session, blob: bytes) -> None:
    path = f"{HOME}/blob.bin"
    session.file.write(path, blob).unwrap()
    read = session.file.read(path, format="bytes").unwrap()
    assert read == blob
    assert on_disk(session, path) == blob


@SETTINGS
@given(text=TEXTS)
def test_text_round_trip(session: Session, text: str) -> None:
    path = f"{HOME}/text.txt"
    session.file.write(path, text).unwrap()
    assert session.file.read(path).unwrap() == text
    assert on_disk(session, path) == text.encode()


@SETTINGS
@given(first=CONTENTS, second=CONTENTS)
def test_append(session: Session, first: str | bytes, second: str | bytes) -> None:
    path = f"{HOME}/appended"
    session.file.write(path, first).unwrap()
    session.file.write(path, second, mode="append").unwrap()
    assert on_disk(session, path) == encoded(first) + encoded(second)


def has_separator_line(text: str) -> bool:
    """A line reading ``---`` is where read_multiple_files separates files: such text cannot round-trip."""
    return any(line.strip() == "---" for line in text.split("\n"))


@settings(SETTINGS, max_examples=40)
@given(texts=st.lists(TEXTS, min_size=1, max_size=3))
def test_read_batch(session: Session, texts: list[str]) -> None:
    assume(not any(has_separator_line(text) for text in texts))
    paths = [f"{HOME}/batch-{n}: file.txt" for n in range(len(texts))]
    for path, text in zip(paths, texts, strict=True):
        session.file.write(path, text).unwrap()
    contents: dict[str, Any] = session.file.read_batch(paths).unwrap()
    # read_batch documents stripped contents: the format pads each file with blank lines.
    assert contents == {path: text.strip() for path, text in zip(paths, texts, strict=True)}


# Any name a file can have, but "/" and NUL (not allowed), "\n" (it separates the entries of a listing),
# "." and "..", and surrounding whitespace (listings trim names).
NAMES = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="/\x00\n"), min_size=1, max_size=20).filter(
    lambda name: name not in (".", "..") and name == name.strip()
)


@SETTINGS
@given(name=NAMES)
@example(name='it\'s $(touch pwned) `id` "x" ; rm -rf ~')
def test_file_names_round_trip_through_list_and_search(session: Session, name: str) -> None:
    folder = f"{HOME}/names"
    session.file.mkdir(folder).unwrap()
    path = f"{folder}/{name}"
    session.file.write(path, name).unwrap()
    try:
        assert session.file.list(folder).unwrap() == [{"name": name, "isDirectory": False}]
        assert session.file.search(folder, "*").unwrap() == [path]
        assert session.file.read(path).unwrap() == name
        # Bytes that are not UTF-8 go through the shell (base64 -d into the path): the name must be quoted.
        blob = b"\xff\xfe" + name.encode()
        session.file.write(path, blob).unwrap()
        assert session.file.read_bytes(path).unwrap() == blob
        assert session.file.list(folder).unwrap() == [{"name": name, "isDirectory": False}]
    finally:
        session.file.remove(path).unwrap()
