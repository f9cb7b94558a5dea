from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="FileChangeEvent")


@_attrs_define
class FileChangeEvent:
    """
    Example:
        {'eventType': 'modify', 'path': '/home/user/notes.txt', 'pathType': 'file'}

    Attributes:
        event_type (str): `create`, `modify` or `delete`.
        path (str):
        path_type (str): `file` or `directory`.
    """

    event_type: str
    path: str
    path_type: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        event_type = self.event_type

        path = self.path

        path_type = self.path_type

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "eventType": event_type,
                "path": path,
                "pathType": path_type,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        event_type = d.pop("eventType")

        path = d.pop("path")

        path_type = d.pop("pathType")

        file_change_event = cls(
            event_type=event_type,
            path=path,
            path_type=path_type,
        )

        file_change_event.additional_properties = d
        return file_change_event

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
