from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="RunCodeErrorType0")


@_attrs_define
class RunCodeErrorType0:
    """The exception a code run raised (`null` when there was none). A runtime that died under the cell (out
    of memory, killed; with it the sandbox, which is then restarted) is an error of the run too, named
    `KernelDied` (Python) or `RuntimeDied` (another language): its state is lost, the session goes on.

        Example:
            {'name': 'NameError', 'value': "name 'y' is not defined", 'traceback': "NameError: name 'y' is not defined"}

        Attributes:
            name (str):  Example: NameError.
            value (str):
            traceback (list[str] | str): The formatted traceback; in the rich format (`RunCodeRichOutput`) a list of its
                lines.
    """

    name: str
    value: str
    traceback: list[str] | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        value = self.value

        traceback: list[str] | str
        if isinstance(self.traceback, list):
            traceback = self.traceback

        else:
            traceback = self.traceback

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "value": value,
                "traceback": traceback,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        name = d.pop("name")

        value = d.pop("value")

        def _parse_traceback(data: object) -> list[str] | str:
            try:
                if not isinstance(data, list):
                    raise TypeError()
                traceback_type_1 = cast(list[str], data)

                return traceback_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | str, data)

        traceback = _parse_traceback(d.pop("traceback"))

        run_code_error_type_0 = cls(
            name=name,
            value=value,
            traceback=traceback,
        )

        run_code_error_type_0.additional_properties = d
        return run_code_error_type_0

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
