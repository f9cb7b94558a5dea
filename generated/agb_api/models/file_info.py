from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="FileInfo")


@_attrs_define
class FileInfo:
    """The `key: value` lines of `FileInfoOutput`, parsed (booleans and numbers decoded).

    Example:
        {'size': 12, 'isDirectory': False, 'isFile': True, 'created': '2026-11-24T10:00:00Z', 'modified':
            '2026-11-24T10:00:00Z', 'accessed': '2026-11-24T10:00:00Z', 'permissions': 644}

    Attributes:
        size (int): Bytes.
        is_directory (bool):
        is_file (bool | Unset):
        created (str | Unset):
        modified (str | Unset):
        accessed (str | Unset):
        permissions (int | str | Unset): Octal digits, parsed as a number when they are all decimal digits.
    """

    size: int
    is_directory: bool
    is_file: bool | Unset = UNSET
    created: str | Unset = UNSET
    modified: str | Unset = UNSET
    accessed: str | Unset = UNSET
    permissions: int | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        size = self.size

        is_directory = self.is_directory

        is_file = self.is_file

        created = self.created

        modified = self.modified

        accessed = self.accessed

        permissions: int | str | Unset
        if isinstance(self.permissions, Unset):
            permissions = UNSET
        else:
            permissions = self.permissions

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "size": size,
                "isDirectory": is_directory,
            }
        )
        if is_file is not UNSET:
            field_dict["isFile"] = is_file
        if created is not UNSET:
            field_dict["created"] = created
        if modified is not UNSET:
            field_dict["modified"] = modified
        if accessed is not UNSET:
            field_dict["accessed"] = accessed
        if permissions is not UNSET:
            field_dict["permissions"] = permissions

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        size = d.pop("size")

        is_directory = d.pop("isDirectory")

        is_file = d.pop("isFile", UNSET)

        created = d.pop("created", UNSET)

        modified = d.pop("modified", UNSET)

        accessed = d.pop("accessed", UNSET)

        def _parse_permissions(data: object) -> int | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(int | str | Unset, data)

        permissions = _parse_permissions(d.pop("permissions", UNSET))

        file_info = cls(
            size=size,
            is_directory=is_directory,
            is_file=is_file,
            created=created,
            modified=modified,
            accessed=accessed,
            permissions=permissions,
        )

        file_info.additional_properties = d
        return file_info

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
