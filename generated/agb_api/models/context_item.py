from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ContextItem")


@_attrs_define
class ContextItem:
    """
    Example:
        {'id': 'ctx-0a1b2c3d4e5f60718293a4b5', 'name': 'work', 'createTime': '2026-12-01T09:00:00Z', 'lastUsedTime':
            '2026-12-01T09:05:00Z'}

    Attributes:
        id (str):
        name (str):
        create_time (str | Unset): ISO 8601 UTC.
        last_used_time (str | Unset): ISO 8601 UTC; the last time a session mounted or synced it.
    """

    id: str
    name: str
    create_time: str | Unset = UNSET
    last_used_time: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        create_time = self.create_time

        last_used_time = self.last_used_time

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
            }
        )
        if create_time is not UNSET:
            field_dict["createTime"] = create_time
        if last_used_time is not UNSET:
            field_dict["lastUsedTime"] = last_used_time

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        create_time = d.pop("createTime", UNSET)

        last_used_time = d.pop("lastUsedTime", UNSET)

        context_item = cls(
            id=id,
            name=name,
            create_time=create_time,
            last_used_time=last_used_time,
        )

        context_item.additional_properties = d
        return context_item

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
