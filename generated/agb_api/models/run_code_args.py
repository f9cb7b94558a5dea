from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="RunCodeArgs")


@_attrs_define
class RunCodeArgs:
    """
    Example:
        {'code': 'x = 41\\nx + 1', 'language': 'python', 'timeout_s': 60}

    Attributes:
        code (str): The code to run.
        language (str): `python`, `javascript`, `java` or `r`, as the image offers them (the code images offer all four
            where the backend has the runtimes). Clients normalise the aliases `py`, `python3` → `python` and
            `js`, `node`, `nodejs` → `javascript`. A language the image lacks is a tool error naming the
            available ones. Each language keeps its state between calls of one session: Python in one IPython
            shell, JavaScript in one Node context, Java in one JShell (variables, methods, classes and imports
            persist; the value of a final expression is the result; a compile error is `CompilationError`, an
            exception is named by its class), R in one R session's global environment (each visible top-level
            value is a result, the last one the main result; a plot comes back as `image/png`).
        timeout_s (int | Unset): Seconds before the run is interrupted (default 60).
    """

    code: str
    language: str
    timeout_s: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        language = self.language

        timeout_s = self.timeout_s

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "language": language,
            }
        )
        if timeout_s is not UNSET:
            field_dict["timeout_s"] = timeout_s

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        code = d.pop("code")

        language = d.pop("language")

        timeout_s = d.pop("timeout_s", UNSET)

        run_code_args = cls(
            code=code,
            language=language,
            timeout_s=timeout_s,
        )

        run_code_args.additional_properties = d
        return run_code_args

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
