from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ContextFileEntry")


@_attrs_define
class ContextFileEntry:
    """
    Example:
        {'fileId': 'f-3c1d0a9e2b7f4d5a', 'fileName': 'a.txt', 'filePath': '/tmp/a.txt', 'fileType': 'file', 'gmtCreate':
            '2026-12-01T09:00:00Z', 'gmtModified': '2026-12-01T09:00:00Z', 'size': 5, 'status': 'available'}

    Attributes:
        file_path (str):
        file_id (str | Unset):
        file_name (str | Unset): The last component of `filePath`.
        file_type (str | Unset): `file` or `folder`.
        gmt_create (str | Unset):
        gmt_modified (str | Unset):
        size (int | Unset): Bytes (0 for a folder).
        status (str | Unset):
    """

    file_path: str
    file_id: str | Unset = UNSET
    file_name: str | Unset = UNSET
    file_type: str | Unset = UNSET
    gmt_create: str | Unset = UNSET
    gmt_modified: str | Unset = UNSET
    size: int | Unset = UNSET
    status: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        file_path = self.file_path

        file_id = self.file_id

        file_name = self.file_name

        file_type = self.file_type

        gmt_create = self.gmt_create

        gmt_modified = self.gmt_modified

        size = self.size

        status = self.status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "filePath": file_path,
            }
        )
        if file_id is not UNSET:
            field_dict["fileId"] = file_id
        if file_name is not UNSET:
            field_dict["fileName"] = file_name
        if file_type is not UNSET:
            field_dict["fileType"] = file_type
        if gmt_create is not UNSET:
            field_dict["gmtCreate"] = gmt_create
        if gmt_modified is not UNSET:
            field_dict["gmtModified"] = gmt_modified
        if size is not UNSET:
            field_dict["size"] = size
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        file_path = d.pop("filePath")

        file_id = d.pop("fileId", UNSET)

        file_name = d.pop("fileName", UNSET)

        file_type = d.pop("fileType", UNSET)

        gmt_create = d.pop("gmtCreate", UNSET)

        gmt_modified = d.pop("gmtModified", UNSET)

        size = d.pop("size", UNSET)

        status = d.pop("status", UNSET)

        context_file_entry = cls(
            file_path=file_path,
            file_id=file_id,
            file_name=file_name,
            file_type=file_type,
            gmt_create=gmt_create,
            gmt_modified=gmt_modified,
            size=size,
            status=status,
        )

        context_file_entry.additional_properties = d
        return context_file_entry

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
