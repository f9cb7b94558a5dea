"""Every public method of both faces reads as a method: driven from the table in ``agb/_surface.py``.

``help()``, ``inspect.signature``, ``repr`` and editors must show the flow's own parameters, defaults and
docstring, on the class and on an object; the early names are the same functions; nothing public exists
outside the table but the few hand-written members listed here; ``tools/surface --check`` passes.
"""

from __future__ import annotations

import inspect
import pydoc
import subprocess
import sys
import typing
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest

import agb.client
import agb.session
from agb._surface import SURFACES, Helper, Method
from tests.unit.conftest import Wire, make_client

ROOT = Path(__file__).resolve().parents[2]
CLASSES = {name: getattr(agb.client, name, None) or getattr(agb.session, name) for s in SURFACES for name in s.classes}

# Public members written by hand, not from a flow (attributes set in __init__ are not class members).
HAND_WRITTEN = {
    "AGB": {"close", "local", "api_key", "timeout_ms"},
    "Session": {"get_session_id", "tool_list"},  # tool_list: a property reading the reply on first use
    "Code": {"run", "run_code"},  # streams over the WebSocket with callbacks: not a flow
    "AsyncCode": {"run", "run_code"},
}


def members(kind: type[Method | Helper]) -> list[Any]:
    """(class name, face, member) of every `kind` member of the table, on both faces."""
    return [
        pytest.param(s.classes[face], face, m, id=f"{s.classes[face]}.{m.name}")
        for s in SURFACES
        for face in (0, 1)
        for m in s.members
        if isinstance(m, kind)
    ]


METHODS, HELPERS = members(Method), members(Helper)


def expected_signature(method: Method, face: int) -> inspect.Signature:
    """The flow's signature, with ``self`` for the flow's first parameter and the face's return type."""
    flow = inspect.signature(method.flow)
    returns = flow.return_annotation
    inner = returns[returns.index("[") + 1 : -1]
    if returns.startswith("Stream["):
        result = ("Iterator[{}]", "AsyncIterator[{}]")[face].format(inner)
    else:
        result = method.returns[face] if method.returns else inner
    self = inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return flow.replace(parameters=[self, *list(flow.parameters.values())[1:]], return_annotation=result)


@pytest.mark.parametrize(("cls_name", "face", "method"), METHODS)
def test_a_method_is_a_function_with_the_flows_signature_and_doc(cls_name: str, face: int, method: Method) -> None:
    cls = CLASSES[cls_name]
    function = cls.__dict__[method.name]
    assert inspect.isfunction(function)
    assert function.__qualname__ == f"{cls_name}.{method.name}"
    assert repr(getattr(cls, method.name)).startswith(f"<function {cls_name}.{method.name} at 0x")
    wanted = expected_signature(method, face)
    assert inspect.signature(function) == wanted
    assert inspect.getdoc(function) == inspect.getdoc(method.flow)
    streams = wanted.return_annotation.startswith(("Iterator[", "AsyncIterator["))
    assert inspect.iscoroutinefunction(function) is (face == 1 and not streams)
    # help() shows the signature and the docstring.
    shown = pydoc.plain(pydoc.render_doc(function))
    assert f"{method.name}{wanted}" in shown
    assert (inspect.getdoc(method.flow) or "").splitlines()[0] in shown
    # An overloaded flow gives the same overloads, minus its first parameter.
    overloads = [inspect.signature(o) for o in typing.get_overloads(function)]
    flow_overloads = [inspect.signature(o) for o in typing.get_overloads(method.flow)]
    assert [list(o.parameters)[1:] for o in overloads] == [list(o.parameters)[1:] for o in flow_overloads]
    for alias in method.aliases:
        assert cls.__dict__[alias] is function


@pytest.mark.parametrize("face", [0, 1], ids=["sync", "async"])
def test_on_an_object_the_method_is_bound_and_shows_its_parameters(face: int, wire: Wire) -> None:
    client = make_client(("sync", "async")[face], wire)
    session = (agb.session.Session, agb.session.AsyncSession)[face](client, "s-1")
    objects: dict[str, Any] = {"AGB": client, "Session": session, "Code": session.code}
    objects |= {"Command": session.command, "FileSystem": session.file}
    objects |= {"ContextService": client.context, "ContextManager": session.context}
    for surface in SURFACES:
        obj = objects[surface.classes[0]]
        for member in surface.members:
            if not isinstance(member, Method):
                continue
            bound: Callable[..., Any] = getattr(obj, member.name)
            assert inspect.ismethod(bound) and bound.__self__ is obj
            wanted = expected_signature(member, face)
            assert inspect.signature(bound) == wanted.replace(parameters=list(wanted.parameters.values())[1:])
            assert all(getattr(obj, alias) == bound for alias in member.aliases)


@pytest.mark.parametrize(("cls_name", "face", "helper"), HELPERS)
def test_a_helper_is_a_property_made_once(cls_name: str, face: int, helper: Helper, wire: Wire) -> None:
    cls = CLASSES[cls_name]
    prop = cls.__dict__[helper.name]
    assert isinstance(prop, cached_property)
    assert inspect.signature(prop.func).return_annotation == helper.classes[face]
    client = make_client(("sync", "async")[face], wire)
    session = client if isinstance(client, cls) else cls(client, "s-1")  # agb.context is the client's own
    made = getattr(session, helper.name)
    assert type(made) is CLASSES[helper.classes[face]] and getattr(session, helper.name) is made
    assert all(getattr(session, alias) is made for alias in helper.aliases)
    assert pydoc.plain(pydoc.render_doc(prop))


@pytest.mark.parametrize("surface", SURFACES, ids=lambda s: s.classes[0])
def test_nothing_public_is_outside_the_table(surface: Any) -> None:
    sync, async_ = (CLASSES[name] for name in surface.classes)
    listed = {m.name for m in surface.members} | {a for m in surface.members for a in m.aliases}
    listed |= HAND_WRITTEN.get(surface.classes[0], set())
    for cls in (sync, async_):
        public = {n for n in dir(cls) if not n.startswith("_")}
        assert public == listed, cls.__name__


def test_the_generated_code_is_up_to_date() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "surface"), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
