from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ShellOutput")


@_attrs_define
class ShellOutput:
    """The decoded output of `shell`. A non-zero exit is not a tool error; clients report it as
    `success: false` with the exit code. A timeout kills the command's process group and gives exit
    code 124 with a note in `stderr`.

        Example:
            {'stdout': 'hi\\n', 'stderr': '', 'exit_code': 0, 'traceId': ''}

        Attributes:
            stdout (str):
            stderr (str):
            exit_code (int):
            error_code (int | Unset): The exit code under this name, in the output of a failed tool call of some service
                versions.
            trace_id (str | Unset):
    """

    stdout: str
    stderr: str
    exit_code: int
    error_code: int | Unset = UNSET
    trace_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        stdout = self.stdout

        stderr = self.stderr

        exit_code = self.exit_code

        error_code = self.error_code

        trace_id = self.trace_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "stdout": stdout,
                "stderr": stderr,
                "exit_code": exit_code,
            }
        )
        if error_code is not UNSET:
            field_dict["errorCode"] = error_code
        if trace_id is not UNSET:
            field_dict["traceId"] = trace_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        stdout = d.pop("stdout")

        stderr = d.pop("stderr")

        exit_code = d.pop("exit_code")

        error_code = d.pop("errorCode", UNSET)

        trace_id = d.pop("traceId", UNSET)

        shell_output = cls(
            stdout=stdout,
            stderr=stderr,
            exit_code=exit_code,
            error_code=error_code,
            trace_id=trace_id,
        )

        shell_output.additional_properties = d
        return shell_output

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
