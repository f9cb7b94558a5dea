from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="FileEdit")


@_attrs_define
class FileEdit:
    """
    Example:
        {'oldText': 'hello', 'newText': 'goodbye'}

    Attributes:
        old_text (str): Text that must occur in the file exactly once.
        new_text (str):
    """

    old_text: str
    new_text: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        old_text = self.old_text

        new_text = self.new_text

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "oldText": old_text,
                "newText": new_text,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        old_text = d.pop("oldText")

        new_text = d.pop("newText")

        file_edit = cls(
            old_text=old_text,
            new_text=new_text,
        )

        file_edit.additional_properties = d
        return file_edit

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
