from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="RunCodeLogs")


@_attrs_define
class RunCodeLogs:
    """
    Example:
        {'stdout': ['hello\\n'], 'stderr': []}

    Attributes:
        stdout (list[str] | Unset):
        stderr (list[str] | Unset):
    """

    stdout: list[str] | Unset = UNSET
    stderr: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        stdout: list[str] | Unset = UNSET
        if not isinstance(self.stdout, Unset):
            stdout = self.stdout

        stderr: list[str] | Unset = UNSET
        if not isinstance(self.stderr, Unset):
            stderr = self.stderr

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if stdout is not UNSET:
            field_dict["stdout"] = stdout
        if stderr is not UNSET:
            field_dict["stderr"] = stderr

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        stdout = cast(list[str], d.pop("stdout", UNSET))

        stderr = cast(list[str], d.pop("stderr", UNSET))

        run_code_logs = cls(
            stdout=stdout,
            stderr=stderr,
        )

        run_code_logs.additional_properties = d
        return run_code_logs

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
