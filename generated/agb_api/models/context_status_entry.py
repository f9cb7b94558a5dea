from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ContextStatusEntry")


@_attrs_define
class ContextStatusEntry:
    """
    Example:
        {'type': 'data', 'data': '[{"contextId": "ctx-1", "path": "/home/user/data", "errorMessage": "", "status":
            "Success", "startTime": 1764579600, "finishTime": 1764579601, "taskType": "download"}]'}

    Attributes:
        type_ (str): Clients read only `data` entries.
        data (str): A JSON array of `ContextStatusItem` serialised into the string.
    """

    type_: str
    data: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        data = self.data

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        type_ = d.pop("type")

        data = d.pop("data")

        context_status_entry = cls(
            type_=type_,
            data=data,
        )

        context_status_entry.additional_properties = d
        return context_status_entry

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
