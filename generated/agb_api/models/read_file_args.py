from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.read_file_args_format import ReadFileArgsFormat, check_read_file_args_format
from ..types import UNSET, Unset

T = TypeVar("T", bound="ReadFileArgs")


@_attrs_define
class ReadFileArgs:
    """
    Example:
        {'path': '/home/user/notes.txt', 'offset': 0, 'length': 51200}

    Attributes:
        path (str):
        offset (int | Unset): First byte to read (default 0).
        length (int | Unset): Number of bytes to read (default to the end of the file).
        format_ (ReadFileArgsFormat | Unset): `binary` returns the bytes base64-encoded.
    """

    path: str
    offset: int | Unset = UNSET
    length: int | Unset = UNSET
    format_: ReadFileArgsFormat | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        path = self.path

        offset = self.offset

        length = self.length

        format_: str | Unset = UNSET
        if not isinstance(self.format_, Unset):
            format_ = self.format_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "path": path,
            }
        )
        if offset is not UNSET:
            field_dict["offset"] = offset
        if length is not UNSET:
            field_dict["length"] = length
        if format_ is not UNSET:
            field_dict["format"] = format_

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        path = d.pop("path")

        offset = d.pop("offset", UNSET)

        length = d.pop("length", UNSET)

        _format_ = d.pop("format", UNSET)
        format_: ReadFileArgsFormat | Unset
        if isinstance(_format_, Unset):
            format_ = UNSET
        else:
            format_ = check_read_file_args_format(_format_)

        read_file_args = cls(
            path=path,
            offset=offset,
            length=length,
            format_=format_,
        )

        read_file_args.additional_properties = d
        return read_file_args

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
