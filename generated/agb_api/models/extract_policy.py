from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ExtractPolicy")


@_attrs_define
class ExtractPolicy:
    """
    Example:
        {'extract': True, 'deleteSrcFile': True, 'extractToCurrentFolder': False}

    Attributes:
        extract (bool | Unset):  Default: True.
        delete_src_file (bool | Unset):  Default: True.
        extract_to_current_folder (bool | Unset):  Default: False.
    """

    extract: bool | Unset = True
    delete_src_file: bool | Unset = True
    extract_to_current_folder: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        extract = self.extract

        delete_src_file = self.delete_src_file

        extract_to_current_folder = self.extract_to_current_folder

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if extract is not UNSET:
            field_dict["extract"] = extract
        if delete_src_file is not UNSET:
            field_dict["deleteSrcFile"] = delete_src_file
        if extract_to_current_folder is not UNSET:
            field_dict["extractToCurrentFolder"] = extract_to_current_folder

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        extract = d.pop("extract", UNSET)

        delete_src_file = d.pop("deleteSrcFile", UNSET)

        extract_to_current_folder = d.pop("extractToCurrentFolder", UNSET)

        extract_policy = cls(
            extract=extract,
            delete_src_file=delete_src_file,
            extract_to_current_folder=extract_to_current_folder,
        )

        extract_policy.additional_properties = d
        return extract_policy

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
